// MP_REACH next hops (RFC 4760 §3, RFC 2545, RFC 4364 §4.3.2, RFC 4659 §3.2.1, RFC 8950).
import { describe, expect, it } from 'vitest';
import { WireError } from '../../src/wire/errors.js';
import {
  decodeNextHop,
  encodeNextHop,
  isMartianNextHop,
  isMartianV4,
  nextHopLength,
} from '../../src/wire/nexthop.js';
import type { NextHop } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const b = (s: string): Uint8Array => new Uint8Array(h(s));

const V6 = '20010db8 00000000 00000000 00000001'; // 2001:db8::1
const LL = 'fe800000 00000000 00000000 00000002'; // fe80::2
const RD0 = '00000000 00000000';
const RDX = '0000fde8 0000000a'; // 65000:10, not the RFC's 0, kept as received

// [name, afi, safi, octets, decoded]
const cases: [string, number, number, string, NextHop][] = [
  ['IPv4 unicast, 4', 1, 1, '0a000001', { kind: 'ipv4', addr: 0x0a000001 }],
  ['IPv4 multicast, 4', 1, 2, 'c0a80101', { kind: 'ipv4', addr: 0xc0a80101 }],
  ['IPv4 labeled, 4', 1, 4, '0a000001', { kind: 'ipv4', addr: 0x0a000001 }],
  ['IPv4 over IPv6 (RFC 8950), 16', 1, 1, V6, { kind: 'ipv6', global: b(V6) }],
  ['IPv4 labeled over IPv6, 32', 1, 4, V6 + LL, { kind: 'ipv6', global: b(V6), linkLocal: b(LL) }],
  ['IPv6 unicast, 16', 2, 1, V6, { kind: 'ipv6', global: b(V6) }],
  [
    'IPv6 unicast with link-local, 32',
    2,
    1,
    V6 + LL,
    { kind: 'ipv6', global: b(V6), linkLocal: b(LL) },
  ],
  ['IPv6 labeled, 16', 2, 4, V6, { kind: 'ipv6', global: b(V6) }],
  [
    'VPNv4, 12 = RD 0 + IPv4',
    1,
    128,
    RD0 + '0a000001',
    { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0x0a000001 },
  ],
  [
    'VPNv4 with a non-zero RD (kept)',
    1,
    128,
    RDX + 'c0a80101',
    { kind: 'vpn-ipv4', rd: { hi: 65000, lo: 10 }, addr: 0xc0a80101 },
  ],
  [
    'VPNv4 over IPv6 (RFC 8950), 24',
    1,
    128,
    RD0 + V6,
    { kind: 'vpn-ipv6', rd: { hi: 0, lo: 0 }, global: b(V6) },
  ],
  [
    'VPNv4 over IPv6 with link-local, 48',
    1,
    128,
    RD0 + V6 + RD0 + LL,
    {
      kind: 'vpn-ipv6',
      rd: { hi: 0, lo: 0 },
      global: b(V6),
      linkLocalRd: { hi: 0, lo: 0 },
      linkLocal: b(LL),
    },
  ],
  ['VPNv6, 24', 2, 128, RD0 + V6, { kind: 'vpn-ipv6', rd: { hi: 0, lo: 0 }, global: b(V6) }],
  [
    'VPNv6 with link-local, 48',
    2,
    128,
    RDX + V6 + RD0 + LL,
    {
      kind: 'vpn-ipv6',
      rd: { hi: 65000, lo: 10 },
      global: b(V6),
      linkLocalRd: { hi: 0, lo: 0 },
      linkLocal: b(LL),
    },
  ],
  ['RTC, 4', 1, 132, '0a000001', { kind: 'ipv4', addr: 0x0a000001 }],
  ['RTC, 16', 1, 132, V6, { kind: 'ipv6', global: b(V6) }],
  ['unknown family: raw', 25, 70, '0a0000010203', { kind: 'raw', bytes: b('0a0000010203') }],
  ['unknown family, empty: raw', 1, 133, '', { kind: 'raw', bytes: new Uint8Array(0) }],
];

describe('next hop codec', () => {
  for (const [name, afi, safi, octets, nh] of cases) {
    it(name, () => {
      const got = decodeNextHop(afi, safi, h(octets));
      expect(got).toStrictEqual(nh);
      expect(nextHopLength(nh)).toBe(h(octets).length);
      const w = new Writer(4);
      encodeNextHop(w, nh);
      expect(w.finish().toString('hex')).toBe(h(octets).toString('hex'));
    });
  }

  it('copies the octets: the result survives the input buffer being reused', () => {
    const buf = h(V6 + LL);
    const nh = decodeNextHop(2, 1, buf);
    buf.fill(0);
    expect(nh).toStrictEqual({ kind: 'ipv6', global: b(V6), linkLocal: b(LL) });
  });

  it('encodes a VPNv6 link-local without linkLocalRd with a zero RD', () => {
    const w = new Writer(4);
    encodeNextHop(w, {
      kind: 'vpn-ipv6',
      rd: { hi: 0, lo: 0 },
      global: b(V6),
      linkLocal: b(LL),
    });
    expect(w.finish().toString('hex')).toBe(h(RD0 + V6 + RD0 + LL).toString('hex'));
  });

  it('refuses IPv6 addresses that are not 16 octets on encode', () => {
    expect(() => encodeNextHop(new Writer(), { kind: 'ipv6', global: new Uint8Array(4) })).toThrow(
      WireError,
    );
  });
});

describe('martian next hops (RFC 4271 §6.3; malformed-input case 21)', () => {
  it('IPv4', () => {
    const martian = [0, 0x7f000001, 0x7fffffff, 0xe0000001, 0xefffffff, 0xf0000000, 0xffffffff];
    const fine = [0x00000001, 0x0a000001, 0x7e000001, 0x80000000, 0xdfffffff];
    for (const a of martian) expect(isMartianV4(a), a.toString(16)).toBe(true);
    for (const a of fine) expect(isMartianV4(a), a.toString(16)).toBe(false);
    expect(isMartianV4(0x7f000001, true)).toBe(false);
    expect(isMartianV4(0, true)).toBe(true);
  });

  it('every next hop form', () => {
    const m = (nh: NextHop, allow = false): boolean => isMartianNextHop(nh, allow);
    expect(m({ kind: 'ipv4', addr: 0 })).toBe(true);
    expect(m({ kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0x7f000001 })).toBe(true);
    expect(m({ kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0x7f000001 }, true)).toBe(false);
    expect(m({ kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0x0a000001 })).toBe(false);
    expect(m({ kind: 'ipv6', global: b('00'.repeat(16)) })).toBe(true); // ::
    expect(m({ kind: 'ipv6', global: b('00'.repeat(15) + '01') })).toBe(true); // ::1
    expect(m({ kind: 'ipv6', global: b('00'.repeat(15) + '01') }, true)).toBe(false);
    expect(m({ kind: 'ipv6', global: b('ff02' + '00'.repeat(13) + '01') })).toBe(true); // ff02::1
    expect(m({ kind: 'vpn-ipv6', rd: { hi: 0, lo: 0 }, global: b('ff' + '00'.repeat(15)) })).toBe(
      true,
    );
    expect(m({ kind: 'vpn-ipv6', rd: { hi: 0, lo: 0 }, global: b(V6) })).toBe(false);
    expect(m({ kind: 'ipv6', global: b(V6), linkLocal: b(LL) })).toBe(false);
    // ::ffff:127.0.0.1 and ::ffff:10.0.0.1 (IPv4-mapped: judged by the IPv4 part)
    expect(m({ kind: 'ipv6', global: b('00'.repeat(10) + 'ffff' + '7f000001') })).toBe(true);
    expect(m({ kind: 'ipv6', global: b('00'.repeat(10) + 'ffff' + '0a000001') })).toBe(false);
    expect(m({ kind: 'ipv6', global: b('00'.repeat(15) + '02') })).toBe(false); // ::2
    expect(m({ kind: 'raw', bytes: new Uint8Array(0) })).toBe(false);
  });
});
