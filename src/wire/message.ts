// Whole messages: a frame from the framer (header included) <-> a typed BgpMessage. The only
// exception that leaves decodeMessage is a WireError carrying the NOTIFICATION to send.

import type { CodecContext } from './context.js';
import { maxMessageLength } from './context.js';
import {
  ERR_OPEN,
  ERR_ROUTE_REFRESH,
  ERR_UPDATE,
  UPD_MALFORMED_ATTR_LIST,
  WireError,
  notify,
} from './errors.js';
import type { AttrProblem, ErrorAction, Notify, WireErrorKind } from './errors.js';
import { HDR_BAD_LENGTH, beginMessage, decodeHeader, endMessage, maxLengthFor } from './header.js';
import { decodeNotification, encodeNotification } from './notification.js';
import { decodeOpen, encodeOpen } from './open.js';
import { decodeRouteRefresh, encodeRouteRefresh } from './route-refresh.js';
import {
  HEADER_LENGTH,
  MSG_KEEPALIVE,
  MSG_NOTIFICATION,
  MSG_OPEN,
  MSG_ROUTE_REFRESH,
  MSG_UPDATE,
} from './types.js';
import type { BgpMessage } from './types.js';
import { decodeUpdate, encodeUpdate } from './update.js';
import { Writer } from './writer.js';

export interface DecodedMessage {
  readonly message: BgpMessage;
  /** UPDATE only: every attribute problem found (RFC 7606), in order. */
  readonly problems: readonly AttrProblem[];
  /** UPDATE only: the strongest action among the problems. */
  readonly action?: ErrorAction;
  /** UPDATE only: the NOTIFICATION a session-reset action sends. */
  readonly notify?: Notify;
}

const NO_PROBLEMS: readonly AttrProblem[] = Object.freeze([]);

/**
 * What a type decoder's stray exception (a 'truncated' that escaped, a WireError without a
 * notify, or a bug) becomes, so that only WireError leaves and it always says what to send.
 */
function fallback(kind: WireErrorKind, n: Notify, e: unknown): WireError {
  const why = e instanceof Error ? e.message : String(e);
  return new WireError(kind, `${kind} decode failed: ${why}`, n);
}

function decodeBody(frame: Buffer, type: number, ctx: CodecContext): DecodedMessage {
  const start = HEADER_LENGTH;
  const end = frame.length;
  switch (type) {
    case MSG_OPEN:
      try {
        return { message: decodeOpen(frame, start, end), problems: NO_PROBLEMS };
      } catch (e) {
        if (e instanceof WireError && e.notify !== undefined) throw e;
        throw fallback('open', notify(ERR_OPEN, 0), e); // RFC 4271 §6.2 via case 4: 2/0
      }
    case MSG_UPDATE: {
      let r;
      try {
        r = decodeUpdate(frame, start, end, ctx);
      } catch (e) {
        if (e instanceof WireError && e.notify !== undefined) throw e;
        // RFC 7606 §4: the UPDATE could not be parsed at all.
        throw fallback('update', notify(ERR_UPDATE, UPD_MALFORMED_ATTR_LIST), e);
      }
      const out: DecodedMessage = { message: r.update, problems: r.problems };
      if (r.action === undefined) return out;
      return r.notify === undefined
        ? { ...out, action: r.action }
        : { ...out, action: r.action, notify: r.notify };
    }
    case MSG_NOTIFICATION:
      // Never fails past the header check: code, subcode, and whatever data there is.
      return { message: decodeNotification(frame, start, end), problems: NO_PROBLEMS };
    case MSG_KEEPALIVE:
      return { message: { type: 'keepalive' }, problems: NO_PROBLEMS };
    case MSG_ROUTE_REFRESH:
      try {
        return { message: decodeRouteRefresh(frame, start, end), problems: NO_PROBLEMS };
      } catch (e) {
        if (e instanceof WireError && e.notify !== undefined) throw e;
        throw fallback('route-refresh', notify(ERR_ROUTE_REFRESH, 1, frame.slice()), e);
      }
    default:
      // decodeHeader refused every other type with 1/3.
      throw new WireError('header', `unexpected message type ${type}`);
  }
}

/**
 * Decodes one whole message (as the Framer returns it: header included, nothing after). Throws
 * WireError with the NOTIFICATION to send for header errors (1/x), OPEN errors (2/0), a BoRR or
 * EoRR of the wrong length (7/1), and an UPDATE that could not be decoded at all.
 */
export function decodeMessage(frame: Buffer, ctx: CodecContext): DecodedMessage {
  const header = decodeHeader(frame, 0, maxMessageLength(ctx));
  if (header.length !== frame.length) {
    throw new WireError(
      'header',
      `length field ${header.length} but the frame holds ${frame.length} octets`,
      notify(1, HDR_BAD_LENGTH, Uint8Array.prototype.slice.call(frame, 16, 18)),
    );
  }
  return decodeBody(frame, header.type, ctx);
}

const TYPE_OF: Readonly<Record<BgpMessage['type'], number>> = {
  open: MSG_OPEN,
  update: MSG_UPDATE,
  notification: MSG_NOTIFICATION,
  keepalive: MSG_KEEPALIVE,
  'route-refresh': MSG_ROUTE_REFRESH,
};

/** Writes one whole message into w; refuses one longer than the context's maximum. */
export function writeMessage(w: Writer, msg: BgpMessage, ctx: CodecContext): void {
  const start = beginMessage(w, TYPE_OF[msg.type]);
  switch (msg.type) {
    case 'open':
      encodeOpen(w, msg);
      break;
    case 'update':
      encodeUpdate(w, msg, ctx);
      break;
    case 'notification':
      encodeNotification(w, msg);
      break;
    case 'keepalive':
      break;
    case 'route-refresh':
      encodeRouteRefresh(w, msg);
      break;
    default: {
      const never: never = msg;
      throw new WireError('header', `cannot encode ${(never as { type: string }).type}`);
    }
  }
  endMessage(w, start, maxLengthFor(TYPE_OF[msg.type], maxMessageLength(ctx)));
}

/** One whole message as a fresh Buffer. */
export function encodeMessage(msg: BgpMessage, ctx: CodecContext): Buffer {
  const w = new Writer(msg.type === 'keepalive' ? HEADER_LENGTH : 256);
  writeMessage(w, msg, ctx);
  return w.finish();
}
