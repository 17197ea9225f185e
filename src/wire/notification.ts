// NOTIFICATION (RFC 4271 §4.5): code, subcode, data. Names for logs and the CLI, and the
// shutdown communication of RFC 9003 (Cease 2 and 4) and the Hard Reset wrapping of RFC 8538.

import { WireError } from './errors.js';
import type { Notify } from './errors.js';
import type { NotificationMessage } from './types.js';
import type { Writer } from './writer.js';

export const CEASE_MAX_PREFIXES = 1;
export const CEASE_ADMIN_SHUTDOWN = 2;
export const CEASE_PEER_DECONFIGURED = 3;
export const CEASE_ADMIN_RESET = 4;
export const CEASE_CONNECTION_REJECTED = 5;
export const CEASE_OTHER_CONFIG_CHANGE = 6;
export const CEASE_COLLISION_RESOLUTION = 7;
export const CEASE_OUT_OF_RESOURCES = 8;
export const CEASE_HARD_RESET = 9;

interface CodeNames {
  readonly name: string;
  readonly subcodes: Readonly<Record<number, string>>;
}

/** IANA "BGP Error (Notification) Codes" and the subcode registries, by defining RFC. */
export const NOTIFICATION_NAMES: Readonly<Record<number, CodeNames>> = {
  // RFC 4271 §4.5, §6.1
  1: {
    name: 'Message Header Error',
    subcodes: { 1: 'Connection Not Synchronized', 2: 'Bad Message Length', 3: 'Bad Message Type' },
  },
  // RFC 4271 §6.2; 7 from RFC 5492 §5; 11 from RFC 9234
  2: {
    name: 'OPEN Message Error',
    subcodes: {
      1: 'Unsupported Version Number',
      2: 'Bad Peer AS',
      3: 'Bad BGP Identifier',
      4: 'Unsupported Optional Parameter',
      5: 'Authentication Failure (deprecated)',
      6: 'Unacceptable Hold Time',
      7: 'Unsupported Capability',
      11: 'Role Mismatch',
    },
  },
  // RFC 4271 §6.3
  3: {
    name: 'UPDATE Message Error',
    subcodes: {
      1: 'Malformed Attribute List',
      2: 'Unrecognized Well-known Attribute',
      3: 'Missing Well-known Attribute',
      4: 'Attribute Flags Error',
      5: 'Attribute Length Error',
      6: 'Invalid ORIGIN Attribute',
      7: 'AS Routing Loop (deprecated)',
      8: 'Invalid NEXT_HOP Attribute',
      9: 'Optional Attribute Error',
      10: 'Invalid Network Field',
      11: 'Malformed AS_PATH',
    },
  },
  4: { name: 'Hold Timer Expired', subcodes: {} }, // RFC 4271 §6.5
  // RFC 6608 §3
  5: {
    name: 'Finite State Machine Error',
    subcodes: {
      1: 'Receive Unexpected Message in OpenSent State',
      2: 'Receive Unexpected Message in OpenConfirm State',
      3: 'Receive Unexpected Message in Established State',
    },
  },
  // RFC 4486 §4 (1..8), RFC 8538 §3 (9), RFC 9384 (10)
  6: {
    name: 'Cease',
    subcodes: {
      1: 'Maximum Number of Prefixes Reached',
      2: 'Administrative Shutdown',
      3: 'Peer De-configured',
      4: 'Administrative Reset',
      5: 'Connection Rejected',
      6: 'Other Configuration Change',
      7: 'Connection Collision Resolution',
      8: 'Out of Resources',
      9: 'Hard Reset',
      10: 'BFD Down',
    },
  },
  7: { name: 'ROUTE-REFRESH Message Error', subcodes: { 1: 'Invalid Message Length' } }, // RFC 7313 §5
  8: { name: 'Send Hold Timer Expired', subcodes: {} }, // RFC 9687
};

/** "UPDATE Message Error / Malformed AS_PATH"; subcode 0 is "Unspecific" (RFC 4271 errata 4493). */
export function notificationName(code: number, subcode: number): string {
  const c = NOTIFICATION_NAMES[code];
  if (c === undefined) return `Unknown Error ${code} / subcode ${subcode}`;
  if (subcode === 0)
    return Object.keys(c.subcodes).length === 0 ? c.name : `${c.name} / Unspecific`;
  return `${c.name} / ${c.subcodes[subcode] ?? `subcode ${subcode}`}`;
}

/** Decodes a NOTIFICATION body: code, subcode, then everything else is data (RFC 4271 §4.5). */
export function decodeNotification(buf: Buffer, start: number, end: number): NotificationMessage {
  if (end - start < 2) {
    // The header check (21 octets minimum) keeps this from happening on the wire.
    throw new WireError('notification', `NOTIFICATION body of ${end - start} octets`);
  }
  return {
    type: 'notification',
    code: buf[start]!,
    subcode: buf[start + 1]!,
    data: Uint8Array.prototype.slice.call(buf, start + 2, end),
  };
}

export function encodeNotification(w: Writer, msg: NotificationMessage | Notify): void {
  w.u8(msg.code).u8(msg.subcode).bytes(msg.data);
}

/** RFC 9003 §2: a shutdown communication is at most 255 octets of UTF-8. */
export const SHUTDOWN_COMMUNICATION_MAX = 255;

/** Whether this Cease subcode carries a shutdown communication (RFC 9003 §2). */
export function carriesShutdownCommunication(code: number, subcode: number): boolean {
  return code === 6 && (subcode === CEASE_ADMIN_SHUTDOWN || subcode === CEASE_ADMIN_RESET);
}

/**
 * The shutdown communication in the data of a Cease 2 or 4: a length octet then UTF-8. Returns
 * undefined when there is none or it is malformed (length past the data, RFC 9003 §3: log it,
 * do not act on it). Octets after the communication are ignored.
 */
export function decodeShutdownCommunication(data: Uint8Array): string | undefined {
  if (data.length === 0) return undefined;
  const len = data[0]!;
  if (len === 0 || 1 + len > data.length) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(1, 1 + len));
  } catch {
    return undefined;
  }
}

/** Encodes a shutdown communication, cut at a character boundary to fit 255 octets. */
export function encodeShutdownCommunication(text: string): Uint8Array {
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length > SHUTDOWN_COMMUNICATION_MAX) {
    let cut = SHUTDOWN_COMMUNICATION_MAX;
    // Back up over UTF-8 continuation octets (10xxxxxx) so no character is split.
    while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
    bytes = bytes.subarray(0, cut);
  }
  const out = new Uint8Array(1 + bytes.length);
  out[0] = bytes.length;
  out.set(bytes, 1);
  return out;
}

/**
 * RFC 8538 §3: a Hard Reset (Cease 9) carries the code, subcode and data of the reason inside its
 * data. Returns that inner notification, or undefined when the data is too short.
 */
export function decodeHardReset(data: Uint8Array): Notify | undefined {
  if (data.length < 2) return undefined;
  return { code: data[0]!, subcode: data[1]!, data: data.slice(2) };
}

export function encodeHardReset(inner: Notify): Notify {
  const data = new Uint8Array(2 + inner.data.length);
  data[0] = inner.code;
  data[1] = inner.subcode;
  data.set(inner.data, 2);
  return { code: 6, subcode: CEASE_HARD_RESET, data };
}
