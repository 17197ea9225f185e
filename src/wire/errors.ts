// Typed decode errors and RFC 7606 error-handling actions. Decoding never throws anything but
// WireError; an UPDATE's attribute problems are returned, not thrown (see update.ts).

/** RFC 7606 §2: the approaches, ordered weakest to strongest ("the strongest wins", §3). */
export type ErrorAction =
  'attribute-discard' | 'treat-as-withdraw' | 'afi-safi-disable' | 'session-reset';

export const ACTION_STRENGTH: Readonly<Record<ErrorAction, number>> = {
  'attribute-discard': 1,
  'treat-as-withdraw': 2,
  'afi-safi-disable': 3,
  'session-reset': 4,
};

export function strongerAction(a: ErrorAction | undefined, b: ErrorAction): ErrorAction {
  if (a === undefined) return b;
  return ACTION_STRENGTH[b] > ACTION_STRENGTH[a] ? b : a;
}

/** What a NOTIFICATION would carry for this error (RFC 4271 §4.5). */
export interface Notify {
  readonly code: number;
  readonly subcode: number;
  readonly data: Uint8Array;
}

export type WireErrorKind =
  | 'header' // marker, length, type (RFC 4271 §6.1)
  | 'open' // OPEN and its optional parameters / capabilities (§6.2)
  | 'update' // an UPDATE error that cannot be contained (§6.3, RFC 7606 session-reset)
  | 'notification'
  | 'route-refresh'
  | 'keepalive'
  | 'mrt' // an MRT file (RFC 6396) that does not parse: wire/mrt/
  | 'bmp' // a BMP message that does not decode (RFC 7854; the tests' decoder)
  | 'truncated' // internal: the reader ran past its end; callers convert it into one of the above
  | 'text'; // a text form (RD, RT, community, prefix) that does not parse

/** The only error the codec throws. */
export class WireError extends Error {
  override readonly name = 'WireError';
  constructor(
    readonly kind: WireErrorKind,
    message: string,
    readonly notify?: Notify,
  ) {
    super(message);
  }
}

const EMPTY = new Uint8Array(0);

export function notify(code: number, subcode: number, data: Uint8Array = EMPTY): Notify {
  return { code, subcode, data };
}

/** One problem found in an UPDATE, with the RFC 7606 action it calls for. */
export interface AttrProblem {
  /** Attribute type code, or -1 for a problem in the UPDATE framing or the NLRI fields. */
  readonly typeCode: number;
  readonly action: ErrorAction;
  /** The AFI/SAFI an afi-safi-disable action disables (RFC 7606 §2, RFC 4760 §7). */
  readonly family?: { readonly afi: number; readonly safi: number };
  /** The NOTIFICATION that a session-reset (or a logging peer) would send for it. */
  readonly notify: Notify;
  readonly reason: string;
}

/**
 * Thrown by an attribute descriptor's decode when the attribute's value is malformed. update.ts
 * catches it (it never leaves the codec) and records an AttrProblem with this action, or the
 * descriptor's default action when none is given.
 */
export class AttrFault extends WireError {
  constructor(
    reason: string,
    readonly subcode: number,
    readonly action?: ErrorAction,
    readonly data?: Uint8Array,
    readonly family?: { readonly afi: number; readonly safi: number },
  ) {
    super('update', reason, notify(3, subcode, data));
  }
}

// NOTIFICATION codes (RFC 4271 §4.5) and the UPDATE Message Error subcodes used across the codec.
export const ERR_HEADER = 1;
export const ERR_OPEN = 2;
export const ERR_UPDATE = 3;
export const ERR_HOLD_TIMER = 4;
export const ERR_FSM = 5;
export const ERR_CEASE = 6;
export const ERR_ROUTE_REFRESH = 7;

export const UPD_MALFORMED_ATTR_LIST = 1;
export const UPD_UNRECOGNIZED_WELLKNOWN = 2;
export const UPD_MISSING_WELLKNOWN = 3;
export const UPD_ATTR_FLAGS = 4;
export const UPD_ATTR_LENGTH = 5;
export const UPD_INVALID_ORIGIN = 6;
export const UPD_INVALID_NEXT_HOP = 8;
export const UPD_OPTIONAL_ATTR = 9;
export const UPD_INVALID_NETWORK = 10;
export const UPD_MALFORMED_AS_PATH = 11;
