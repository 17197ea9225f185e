// NEXT_HOP (type 3, RFC 4271 §5.1.3): well-known, 4 octets, the IPv4 next hop of the UPDATE's own
// NLRI field (MP families carry theirs in MP_REACH_NLRI, RFC 4760 §3).

import { AttrFault, UPD_INVALID_NEXT_HOP } from '../errors.js';
import { ATTR_NEXT_HOP } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { expectLength, u32At } from './common.js';

/** Why an IPv4 next hop is semantically wrong (RFC 4271 §6.3), or undefined when it is fine. */
export function martianNextHop(addr: number, allowLoopback: boolean): string | undefined {
  const top = addr >>> 24;
  if (addr === 0) return '0.0.0.0';
  if (top === 127 && !allowLoopback) return 'loopback (127/8)';
  if (top >= 224 && top <= 239) return 'multicast (224/4)';
  if (top >= 240) return 'class E (240/4)';
  return undefined;
}

export const nextHop: AttrDescriptor<'next-hop'> = {
  code: ATTR_NEXT_HOP,
  kind: 'next-hop',
  name: 'NEXT_HOP',
  optional: false,
  transitive: true,
  // RFC 7606 §7.3: a bad length, and a semantically wrong address (RFC 4271 §6.3), are both
  // treat-as-withdraw.
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags, ctx) {
    expectLength(end - at, 4, 'NEXT_HOP');
    const addr = u32At(buf, at);
    const why = martianNextHop(addr, ctx.allowLoopbackNextHop === true);
    // RFC 4271 §6.3: "Invalid NEXT_HOP Attribute" (3/8), data = the attribute.
    if (why !== undefined) throw new AttrFault(`NEXT_HOP is ${why}`, UPD_INVALID_NEXT_HOP);
    return { kind: 'next-hop', flags, addr };
  },
  encodeValue(w, a) {
    w.u32(a.addr);
  },
};
