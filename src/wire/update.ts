// STUB (replaced by the UPDATE work): the contract message.ts codes against.
import type { CodecContext } from './context.js';
import type { AttrProblem, ErrorAction, Notify } from './errors.js';
import { WireError } from './errors.js';
import type { UpdateMessage } from './types.js';
import type { Writer } from './writer.js';

export interface UpdateDecodeResult {
  /** The UPDATE as far as it could be read; attributes that were discarded are left out. */
  readonly update: UpdateMessage;
  /** Every problem found, in order. */
  readonly problems: readonly AttrProblem[];
  /** The strongest action among the problems (RFC 7606 §3: "the strongest wins"). */
  readonly action?: ErrorAction;
  /** The NOTIFICATION of the (first) problem with the strongest action. */
  readonly notify?: Notify;
}

/** Decodes an UPDATE body (buf[start..end) is everything after the 19-octet header). Never throws. */
export function decodeUpdate(
  _buf: Buffer,
  _start: number,
  _end: number,
  _ctx: CodecContext,
): UpdateDecodeResult {
  throw new WireError('update', 'decodeUpdate: not implemented');
}

/** Writes an UPDATE body (after the header). */
export function encodeUpdate(_w: Writer, _msg: UpdateMessage, _ctx: CodecContext): void {
  throw new WireError('update', 'encodeUpdate: not implemented');
}
