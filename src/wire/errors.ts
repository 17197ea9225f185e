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
  /** The NOTIFICATION that a session-reset (or a logging peer) would send for it. */
  readonly notify: Notify;
  readonly reason: string;
}
