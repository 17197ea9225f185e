// The 19-octet message header (RFC 4271 §4.1) and its checks (§6.1), shared by the framer (which
// checks a header as soon as it is complete) and decodeMessage.

import { MAX_MESSAGE } from './context.js';
import { ERR_HEADER, WireError, notify } from './errors.js';
import {
  HEADER_LENGTH,
  MSG_KEEPALIVE,
  MSG_NOTIFICATION,
  MSG_OPEN,
  MSG_ROUTE_REFRESH,
  MSG_UPDATE,
} from './types.js';
import type { Writer } from './writer.js';

export const HDR_NOT_SYNCHRONIZED = 1;
export const HDR_BAD_LENGTH = 2;
export const HDR_BAD_TYPE = 3;

/** The smallest legal length per message type, header included. */
export const MIN_MESSAGE_LENGTH: Readonly<Record<number, number>> = {
  [MSG_OPEN]: 29, // RFC 4271 §4.2: 10 octets after the header
  [MSG_UPDATE]: 23, // RFC 4271 §4.3: two 2-octet length fields
  [MSG_NOTIFICATION]: 21, // RFC 4271 §4.5: code and subcode
  [MSG_KEEPALIVE]: 19, // RFC 4271 §4.4: the header alone
  [MSG_ROUTE_REFRESH]: 23, // RFC 2918 §3: AFI, reserved, SAFI
};

export interface Header {
  /** The whole message length, header included. */
  readonly length: number;
  readonly type: number;
}

function lengthError(buf: Buffer, start: number, length: number, why: string): WireError {
  // RFC 4271 §6.1: "the Data field MUST contain the erroneous Length field".
  const data = Uint8Array.prototype.slice.call(buf, start + 16, start + 18);
  return new WireError(
    'header',
    `bad message length ${length}: ${why}`,
    notify(ERR_HEADER, HDR_BAD_LENGTH, data),
  );
}

/**
 * The largest length for a message type: RFC 8654 §4 raises the limit "for all messages except
 * for OPEN and KEEPALIVE messages", so an OPEN stays within 4096 whatever was negotiated.
 */
export function maxLengthFor(type: number, maxLength: number): number {
  return type === MSG_OPEN ? Math.min(maxLength, MAX_MESSAGE) : maxLength;
}

/**
 * Reads and checks the header at buf[start..start+19). `maxLength` is 4096, or 65535 once the
 * RFC 8654 extended message capability was exchanged. Throws WireError('header') with the notify.
 */
export function decodeHeader(buf: Buffer, start = 0, maxLength: number = MAX_MESSAGE): Header {
  if (buf.length - start < HEADER_LENGTH) {
    throw new WireError(
      'header',
      `header needs ${HEADER_LENGTH} octets, have ${Math.max(0, buf.length - start)}`,
      notify(ERR_HEADER, HDR_BAD_LENGTH),
    );
  }
  // RFC 4271 §6.1: a marker that is not all ones is "Connection Not Synchronized".
  for (let i = 0; i < 16; i++) {
    if (buf[start + i] !== 0xff) {
      throw new WireError(
        'header',
        'header marker is not all ones',
        notify(ERR_HEADER, HDR_NOT_SYNCHRONIZED),
      );
    }
  }
  const length = buf.readUInt16BE(start + 16);
  const type = buf[start + 18]!;
  // RFC 4271 §6.1 (and RFC 8654 §4 for the raised maximum): length outside [19, max].
  if (length < HEADER_LENGTH) throw lengthError(buf, start, length, 'below 19');
  if (length > maxLength) throw lengthError(buf, start, length, `above ${maxLength}`);
  const limit = maxLengthFor(type, maxLength);
  if (length > limit) throw lengthError(buf, start, length, `above ${limit} for type ${type}`);
  const min = MIN_MESSAGE_LENGTH[type];
  if (min === undefined) {
    // RFC 4271 §6.1: "the Data field MUST contain the erroneous Type field".
    throw new WireError(
      'header',
      `unknown message type ${type}`,
      notify(ERR_HEADER, HDR_BAD_TYPE, Uint8Array.of(type)),
    );
  }
  // RFC 4271 §6.1: below the type's minimum; a KEEPALIVE is exactly the header (§4.4).
  if (length < min) throw lengthError(buf, start, length, `below ${min} for type ${type}`);
  if (type === MSG_KEEPALIVE && length !== HEADER_LENGTH) {
    throw lengthError(buf, start, length, 'a KEEPALIVE is exactly 19 octets');
  }
  return { length, type };
}

/** Writes the marker, a placeholder length and the type; returns where the message starts. */
export function beginMessage(w: Writer, type: number): number {
  const start = w.pos;
  for (let i = 0; i < 16; i++) w.u8(0xff);
  w.reserve(2);
  w.u8(type);
  return start;
}

/** Patches the length of the message begun at `start`; refuses one longer than `maxLength`. */
export function endMessage(w: Writer, start: number, maxLength: number = MAX_MESSAGE): void {
  const length = w.pos - start;
  if (length > maxLength) {
    // RFC 4271 §4.1 / RFC 8654 §4: a speaker never sends more than the negotiated maximum.
    throw new WireError('header', `message of ${length} octets exceeds the maximum ${maxLength}`);
  }
  w.patchU16(start + 16, length);
}
