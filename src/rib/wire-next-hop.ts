// The next hop an UPDATE carries for a family, from the RIB's next hop: the MP_REACH_NLRI next hop
// of a VPN, labeled or IPv6 family, or NEXT_HOP for IPv4 unicast (what an update group packs and
// what the BMP feed reports).

import type { AttrValues } from '../model/attrset.js';
import type { FamilyName } from '../wire/afi.js';
import type { NextHop } from '../wire/types.js';

/** The MP next hop for a family from the RIB's next hop (VPN next hops carry RD 0: RFC 4364 §4.3.2). */
export function wireNextHop(
  family: FamilyName,
  set: Pick<AttrValues, 'nextHop'>,
): NextHop | undefined {
  const nh = set.nextHop;
  if (!nh) return undefined;
  const RD0 = { hi: 0, lo: 0 };
  switch (family) {
    case 'vpnv4':
      return nh.afi === 1
        ? { kind: 'vpn-ipv4', rd: RD0, addr: nh.addr }
        : { kind: 'vpn-ipv6', rd: RD0, global: nh.addr }; // RFC 8950
    case 'vpnv6':
      if (nh.afi === 2) {
        return nh.linkLocal
          ? {
              kind: 'vpn-ipv6',
              rd: RD0,
              global: nh.addr,
              linkLocalRd: RD0,
              linkLocal: nh.linkLocal,
            }
          : { kind: 'vpn-ipv6', rd: RD0, global: nh.addr };
      }
      return { kind: 'vpn-ipv6', rd: RD0, global: v4mapped(nh.addr) }; // RFC 4659 §3.2.1.1
    case 'ipv6':
    case 'ipv6-labeled':
      if (nh.afi === 2) {
        return nh.linkLocal
          ? { kind: 'ipv6', global: nh.addr, linkLocal: nh.linkLocal }
          : { kind: 'ipv6', global: nh.addr };
      }
      return { kind: 'ipv6', global: v4mapped(nh.addr) };
    case 'ipv4':
    case 'ipv4-labeled':
    case 'rtc':
      return nh.afi === 1 ? { kind: 'ipv4', addr: nh.addr } : { kind: 'ipv6', global: nh.addr };
    default: {
      const never: never = family;
      return never;
    }
  }
}

function v4mapped(addr: number): Uint8Array {
  const b = new Uint8Array(16);
  b[10] = 0xff;
  b[11] = 0xff;
  b[12] = addr >>> 24;
  b[13] = (addr >>> 16) & 255;
  b[14] = (addr >>> 8) & 255;
  b[15] = addr & 255;
  return b;
}
