// Attributes vrfleak does not decode but whose framing is cheap to check: they stay raw
// ('unknown' kind, byte-exact) yet a malformed one gets its RFC's action instead of being passed on.

import type { ErrorAction } from '../errors.js';

export interface RawCheck {
  readonly name: string;
  readonly action: ErrorAction;
  /** Why the value is malformed, or undefined when its framing holds. */
  check(value: Uint8Array): string | undefined;
}

/** TLVs with a `typeLen`-octet type and a 2-octet length must tile the value exactly. */
function tlvFraming(value: Uint8Array, typeLen: number, name: string): string | undefined {
  let p = 0;
  while (p < value.length) {
    if (value.length - p < typeLen + 2) return `${name}: truncated TLV header at ${p}`;
    const len = (value[p + typeLen]! << 8) | value[p + typeLen + 1]!;
    p += typeLen + 2 + len;
    if (p > value.length) return `${name}: TLV runs past the attribute`;
  }
  return undefined;
}

export const RAW_CHECKS: ReadonlyMap<number, RawCheck> = new Map<number, RawCheck>([
  [
    23,
    {
      name: 'TUNNEL_ENCAPSULATION',
      // RFC 9012 ("Validation and Error Handling"): malformed means treat-as-withdraw.
      action: 'treat-as-withdraw',
      // RFC 9012 §2: Tunnel TLVs of Tunnel Type (2) + Length (2) + value; empty is malformed.
      check: (v) =>
        v.length === 0 ? 'TUNNEL_ENCAPSULATION: empty' : tlvFraming(v, 2, 'TUNNEL_ENCAPSULATION'),
    },
  ],
  [
    40,
    {
      name: 'PREFIX_SID',
      // RFC 8669 §6: a malformed Prefix-SID attribute is attribute-discard.
      action: 'attribute-discard',
      // RFC 8669 §3: TLVs of Type (1) + Length (2) + value.
      check: (v) => tlvFraming(v, 1, 'PREFIX_SID'),
    },
  ],
]);
