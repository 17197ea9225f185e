// The load: N VPNv4 routes spread over K route distinguishers, pre-encoded into full 4096-octet
// UPDATEs before the clock starts, so the injector does nothing but write. Route i lives under
// RD 65001:(i div perRd) with prefix 10.0.0.0/24 + (i mod perRd) (every customer reuses the same
// 10/8 space, as real VPN tables do); its index is recoverable from the NLRI, which is how the
// monitor counts distinct routes without a map.

import { bgpMessage } from './session.js';

export const INJECTOR_AS = 65001;
const PREFIX_BASE = 0x0a000000;
const MAX_MESSAGE = 4096; // RFC 4271 §4.1
const NLRI_OCTETS = 1 + 3 + 8 + 3; // length, one label, RD, a /24 (RFC 4364 §4.3.4, RFC 8277)
const AFI_IPV4 = 1;
const SAFI_VPN = 128; // RFC 4364 §4.3.4

export interface LoadShape {
  readonly routes: number;
  readonly rds: number;
}

export const perRd = (s: LoadShape): number => Math.ceil(s.routes / s.rds);

/**
 * The attributes every injected route shares (one attribute set: the DUT can pack freely).
 * `internal`: sent over iBGP (the route-reflector cell), so LOCAL_PREF is there (RFC 4271
 * §5.1.5: it SHALL be included toward internal peers; FRR treats an UPDATE without it as a
 * withdrawal).
 */
function pathAttributes(nextHop: number, internal: boolean): Buffer {
  const b = Buffer.from(
    [
      '40010100', // ORIGIN (well-known transitive 0x40, type 1, length 1): IGP
      internal ? '40050400000064' : '', // LOCAL_PREF (0x40, type 5, length 4): 100
      // AS_PATH (0x40, type 2, length 6): AS_SEQUENCE, 1 AS, 65001 in 4 octets (RFC 6793)
      '400206' + '0201' + '0000fde9',
      // EXTENDED_COMMUNITIES (optional transitive 0xc0, type 16, length 8): RT 65001:1
      // (type 0x00 two-octet AS, subtype 0x02 route target; RFC 4360 §4)
      'c01008' + '0002' + 'fde9' + '00000001',
      // MP_REACH_NLRI (optional 0x80 | extended length 0x10, type 14); length patched per message
      '900e' + '0000',
      // AFI 1, SAFI 128, next hop length 12: RD 0 then the IPv4 address (RFC 4364 §4.3.2)
      '0001' + '80' + '0c' + '0000000000000000' + '00000000',
      '00', // reserved
    ].join(''),
    'hex',
  );
  b.writeUInt32BE(nextHop >>> 0, b.length - 5);
  return b;
}

function writeNlri(buf: Buffer, at: number, i: number, per: number, withdraw: boolean): void {
  const r = Math.floor(i / per);
  const p = i % per;
  buf[at] = 24 + 64 + 24;
  // RFC 8277 §2.4: a withdrawal carries 0x800000 in the label field.
  const label = withdraw ? 0x800000 : (((16 + r) << 4) | 1) >>> 0;
  buf[at + 1] = (label >>> 16) & 0xff;
  buf[at + 2] = (label >>> 8) & 0xff;
  buf[at + 3] = label & 0xff;
  // RFC 4364 §4.2: RD type 0, administrator 65001 (2 octets), assigned number r (4 octets)
  buf.writeUInt16BE(0, at + 4);
  buf.writeUInt16BE(INJECTOR_AS, at + 6);
  buf.writeUInt32BE(r, at + 8);
  const addr = PREFIX_BASE + p * 256;
  buf[at + 12] = (addr >>> 24) & 0xff;
  buf[at + 13] = (addr >>> 16) & 0xff;
  buf[at + 14] = (addr >>> 8) & 0xff;
}

/** Full UPDATEs announcing every route, in RD order. */
export function encodeAnnouncements(
  s: LoadShape,
  nextHop = 0xc0000201,
  internal = false,
): Buffer[] {
  const attrs = pathAttributes(nextHop, internal);
  const fixed = 19 + 2 + 2 + attrs.length;
  const perMsg = Math.floor((MAX_MESSAGE - fixed) / NLRI_OCTETS);
  const per = perRd(s);
  const out: Buffer[] = [];
  for (let first = 0; first < s.routes; first += perMsg) {
    const n = Math.min(perMsg, s.routes - first);
    const body = Buffer.alloc(4 + attrs.length + n * NLRI_OCTETS);
    body.writeUInt16BE(0, 0); // no withdrawn routes
    body.writeUInt16BE(attrs.length + n * NLRI_OCTETS, 2);
    attrs.copy(body, 4);
    // MP_REACH length: everything after its 4-octet header (AFI..reserved = 17) plus the NLRI.
    body.writeUInt16BE(17 + n * NLRI_OCTETS, 4 + attrs.length - 19);
    let at = 4 + attrs.length;
    for (let i = first; i < first + n; i++, at += NLRI_OCTETS) writeNlri(body, at, i, per, false);
    out.push(bgpMessage(2, body));
  }
  return out;
}

/** Full UPDATEs withdrawing every route (MP_UNREACH_NLRI only). */
export function encodeWithdrawals(s: LoadShape): Buffer[] {
  const fixed = 19 + 2 + 2 + 4 + 3;
  const perMsg = Math.floor((MAX_MESSAGE - fixed) / NLRI_OCTETS);
  const per = perRd(s);
  const out: Buffer[] = [];
  for (let first = 0; first < s.routes; first += perMsg) {
    const n = Math.min(perMsg, s.routes - first);
    const body = Buffer.alloc(4 + 7 + n * NLRI_OCTETS);
    body.writeUInt16BE(0, 0);
    body.writeUInt16BE(7 + n * NLRI_OCTETS, 2);
    // MP_UNREACH_NLRI (0x90, type 15), length, AFI 1, SAFI 128
    body[4] = 0x90;
    body[5] = 0x0f;
    body.writeUInt16BE(3 + n * NLRI_OCTETS, 6);
    body.writeUInt16BE(AFI_IPV4, 8);
    body[10] = SAFI_VPN;
    let at = 11;
    for (let i = first; i < first + n; i++, at += NLRI_OCTETS) writeNlri(body, at, i, per, true);
    out.push(bgpMessage(2, body));
  }
  return out;
}

/** RFC 4724 §2: End-of-RIB for VPNv4 is an UPDATE with an empty MP_UNREACH_NLRI for it. */
export const END_OF_RIB = bgpMessage(
  2,
  // no withdrawn, attrs length 6: MP_UNREACH (0x80, type 15, length 3) AFI 1, SAFI 128
  Buffer.from([0x00, 0x00, 0x00, 0x06, 0x80, 0x0f, 0x03, 0x00, 0x01, 0x80]),
);
