// The next hop of MP_REACH_NLRI (RFC 4760 §3): its valid lengths depend on the family.
//   IPv4 unicast / multicast / labeled: 4; 16 or 32 for an IPv6 next hop (RFC 8950 §3)
//   IPv6 unicast / multicast / labeled: 16, or 32 with a link-local address (RFC 2545 §3)
//   VPNv4: 12 = RD (0) + IPv4 (RFC 4364 §4.3.2); 24 or 48 = RD + IPv6 [+ RD + link-local] (RFC 8950 §4)
//   VPNv6: 24 or 48 (RFC 4659 §3.2.1)
//   RTC: 4 or 16 (RFC 4684 §4 uses the speaker's address)
// Any other length for a known family is malformed: the NLRI after it cannot be trusted
// (RFC 7606 §7.11), so decode throws 3/9. Unknown families keep the octets raw.

import {
  AFI_IPV4,
  AFI_IPV6,
  SAFI_LABELED,
  SAFI_MULTICAST,
  SAFI_RTC,
  SAFI_UNICAST,
  SAFI_VPN,
  familyKey,
} from './afi.js';
import { ERR_UPDATE, UPD_OPTIONAL_ATTR, WireError, notify } from './errors.js';
import { rdAt, writeRd } from './rd.js';
import type { NextHop } from './types.js';
import type { Writer } from './writer.js';

type Form = 'ipv4' | 'ipv6' | 'vpn-ipv4' | 'vpn-ipv6';

/** Next hop length -> decoded form, per known family. */
const IP4_FAMILY: ReadonlyMap<number, Form> = new Map([
  [4, 'ipv4'],
  [16, 'ipv6'],
  [32, 'ipv6'],
]);
const IP6_FAMILY: ReadonlyMap<number, Form> = new Map([
  [16, 'ipv6'],
  [32, 'ipv6'],
]);
const VPN4: ReadonlyMap<number, Form> = new Map([
  [12, 'vpn-ipv4'],
  [24, 'vpn-ipv6'],
  [48, 'vpn-ipv6'],
]);
const VPN6: ReadonlyMap<number, Form> = new Map([
  [24, 'vpn-ipv6'],
  [48, 'vpn-ipv6'],
]);
const RTC: ReadonlyMap<number, Form> = new Map([
  [4, 'ipv4'],
  [16, 'ipv6'],
]);

const FORMS: ReadonlyMap<number, ReadonlyMap<number, Form>> = new Map([
  [familyKey(AFI_IPV4, SAFI_UNICAST), IP4_FAMILY],
  [familyKey(AFI_IPV4, SAFI_MULTICAST), IP4_FAMILY],
  [familyKey(AFI_IPV4, SAFI_LABELED), IP4_FAMILY],
  [familyKey(AFI_IPV6, SAFI_UNICAST), IP6_FAMILY],
  [familyKey(AFI_IPV6, SAFI_MULTICAST), IP6_FAMILY],
  [familyKey(AFI_IPV6, SAFI_LABELED), IP6_FAMILY],
  [familyKey(AFI_IPV4, SAFI_VPN), VPN4],
  [familyKey(AFI_IPV6, SAFI_VPN), VPN6],
  [familyKey(AFI_IPV4, SAFI_RTC), RTC],
]);

function copy(b: Uint8Array, from: number, to: number): Uint8Array {
  // A plain Uint8Array copy (slice of a Buffer would be a Buffer sharing nothing but its class).
  return new Uint8Array(b.subarray(from, to));
}

/**
 * Decodes an MP_REACH next hop of (afi, safi) from exactly its octets. Throws
 * WireError('update', ..., 3/9) when the length is not valid for a known family (RFC 7606 §7.11).
 */
export function decodeNextHop(afi: number, safi: number, bytes: Buffer): NextHop {
  const forms = FORMS.get(familyKey(afi, safi));
  if (forms === undefined) return { kind: 'raw', bytes: copy(bytes, 0, bytes.length) };
  const form = forms.get(bytes.length);
  if (form === undefined) {
    throw new WireError(
      'update',
      `MP_REACH next hop of ${bytes.length} octets is invalid for AFI ${afi} / SAFI ${safi} (valid: ${[...forms.keys()].join(', ')})`,
      notify(ERR_UPDATE, UPD_OPTIONAL_ATTR),
    );
  }
  switch (form) {
    case 'ipv4':
      return { kind: 'ipv4', addr: bytes.readUInt32BE(0) };
    case 'ipv6':
      return bytes.length === 32
        ? { kind: 'ipv6', global: copy(bytes, 0, 16), linkLocal: copy(bytes, 16, 32) }
        : { kind: 'ipv6', global: copy(bytes, 0, 16) };
    case 'vpn-ipv4':
      // RFC 4364 §4.3.2: the RD is 0; a non-zero one is kept as received, not judged here.
      return { kind: 'vpn-ipv4', rd: rdAt(bytes, 0), addr: bytes.readUInt32BE(8) };
    case 'vpn-ipv6':
      return bytes.length === 48
        ? {
            kind: 'vpn-ipv6',
            rd: rdAt(bytes, 0),
            global: copy(bytes, 8, 24),
            linkLocalRd: rdAt(bytes, 24),
            linkLocal: copy(bytes, 32, 48),
          }
        : { kind: 'vpn-ipv6', rd: rdAt(bytes, 0), global: copy(bytes, 8, 24) };
    default: {
      const never: never = form;
      return never;
    }
  }
}

function addr16(w: Writer, a: Uint8Array): void {
  if (a.length !== 16) {
    throw new WireError('update', `an IPv6 next hop address has 16 octets, not ${a.length}`);
  }
  w.bytes(a);
}

/** Writes the next hop octets (not the length octet). */
export function encodeNextHop(w: Writer, nh: NextHop): void {
  switch (nh.kind) {
    case 'ipv4':
      w.u32(nh.addr);
      return;
    case 'ipv6':
      addr16(w, nh.global);
      if (nh.linkLocal) addr16(w, nh.linkLocal);
      return;
    case 'vpn-ipv4':
      writeRd(w, nh.rd);
      w.u32(nh.addr);
      return;
    case 'vpn-ipv6':
      writeRd(w, nh.rd);
      addr16(w, nh.global);
      if (nh.linkLocal) {
        // RFC 4659 §3.2.1: the link-local address is also preceded by an RD (zero).
        writeRd(w, nh.linkLocalRd ?? { hi: 0, lo: 0 });
        addr16(w, nh.linkLocal);
      }
      return;
    case 'raw':
      w.bytes(nh.bytes);
      return;
    default: {
      const never: never = nh;
      throw new WireError('update', `unknown next hop ${JSON.stringify(never)}`);
    }
  }
}

export function nextHopLength(nh: NextHop): number {
  switch (nh.kind) {
    case 'ipv4':
      return 4;
    case 'ipv6':
      return nh.linkLocal ? 32 : 16;
    case 'vpn-ipv4':
      return 12;
    case 'vpn-ipv6':
      return nh.linkLocal ? 48 : 24;
    case 'raw':
      return nh.bytes.length;
    default: {
      const never: never = nh;
      return never;
    }
  }
}

/**
 * RFC 4271 §6.3 / RFC 7606 §7.11: a next hop that can never be a forwarding address: 0.0.0.0,
 * loopback 127/8 (unless `allowLoopback`, see CodecContext.allowLoopbackNextHop), multicast
 * 224/4 and the reserved 240/4 (which includes the limited broadcast address).
 */
export function isMartianV4(addr: number, allowLoopback = false): boolean {
  const a = addr >>> 0;
  if (a === 0) return true;
  const top = a >>> 24;
  if (top === 127) return !allowLoopback;
  return top >= 224;
}

/** IPv6: ::, ::1 (unless allowLoopback), ff00::/8; an IPv4-mapped address by its IPv4 part. */
export function isMartianV6(b: Uint8Array, allowLoopback = false): boolean {
  if (b[0] === 0xff) return true;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  const mapped = b[10] === 0xff && b[11] === 0xff;
  if (mapped) {
    return isMartianV4(
      ((b[12]! << 24) | (b[13]! << 16) | (b[14]! << 8) | b[15]!) >>> 0,
      allowLoopback,
    );
  }
  if (b[10] !== 0 || b[11] !== 0 || b[12] !== 0 || b[13] !== 0 || b[14] !== 0) return false;
  if (b[15] === 0) return true;
  return b[15] === 1 && !allowLoopback;
}

/**
 * Whether an MP_REACH next hop is martian (the UPDATE code treats the NLRI as withdrawn,
 * malformed-input case 21). Only the global address counts; raw next hops are not judged.
 */
export function isMartianNextHop(nh: NextHop, allowLoopback = false): boolean {
  switch (nh.kind) {
    case 'ipv4':
    case 'vpn-ipv4':
      return isMartianV4(nh.addr, allowLoopback);
    case 'ipv6':
    case 'vpn-ipv6':
      return isMartianV6(nh.global, allowLoopback);
    case 'raw':
      return false;
    default: {
      const never: never = nh;
      return never;
    }
  }
}
