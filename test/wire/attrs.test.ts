// Hand-checked byte vectors for every path attribute: decode, then encode back to the same bytes.
import { describe, expect, it } from 'vitest';
import { decodeAttribute, encodeAttribute } from '../../src/wire/attrs/index.js';
import type { CodecContext } from '../../src/wire/context.js';
import { Reader } from '../../src/wire/reader.js';
import type { PathAttribute } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';

/** Hex with spaces, and `|`-separated groups for readability. */
const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
const ctx4: CodecContext = {
  fourOctetAs: true,
  addPath: new Set(),
  extendedMessage: false,
  ibgp: true,
};
const ctx2: CodecContext = { ...ctx4, fourOctetAs: false };

function decode(h: string, ctx = ctx4): PathAttribute {
  const b = hex(h);
  const r = new Reader(b);
  const a = decodeAttribute(r, ctx);
  expect(r.pos).toBe(b.length);
  return a;
}

function encode(a: PathAttribute, ctx = ctx4): string {
  const w = new Writer(8);
  encodeAttribute(w, a, ctx);
  return w.finish().toString('hex');
}

/** Decodes, checks the value, and re-encodes to the identical bytes. */
function roundTrip(h: string, want: PathAttribute, ctx = ctx4): void {
  const a = decode(h, ctx);
  expect(a).toEqual(want);
  expect(encode(a, ctx)).toBe(hex(h).toString('hex'));
  expect(encode(want, ctx)).toBe(hex(h).toString('hex'));
}

describe('well-known attributes', () => {
  it('ORIGIN', () => {
    // flags 0x40 (transitive) | type 1 | len 1 | IGP
    roundTrip('40 01 01 | 00', { kind: 'origin', flags: 0x40, value: 0 });
    // INCOMPLETE
    roundTrip('40 01 01 | 02', { kind: 'origin', flags: 0x40, value: 2 });
  });

  it('AS_PATH with 4-octet ASNs', () => {
    // 40 02 len 10 | SEQUENCE(2) count 2: 65000 (0000fde8) 4200000000 (fa56ea00)
    roundTrip('40 02 0a | 02 02 | 0000fde8 fa56ea00', {
      kind: 'as-path',
      flags: 0x40,
      segments: [{ type: 2, asns: [65000, 4200000000] }],
    });
  });

  it('AS_PATH with 2-octet ASNs, SET and confederation segments', () => {
    // len 14 | SEQUENCE 1: 65000 | SET 2: 1 2 | CONFED_SEQUENCE 1: 65010 (fdf2)
    // | CONFED_SET 1: 65011 (fdf3)
    roundTrip(
      '40 02 12 | 02 01 fde8 | 01 02 0001 0002 | 03 01 fdf2 | 04 01 fdf3',
      {
        kind: 'as-path',
        flags: 0x40,
        segments: [
          { type: 2, asns: [65000] },
          { type: 1, asns: [1, 2] },
          { type: 3, asns: [65010] },
          { type: 4, asns: [65011] },
        ],
      },
      ctx2,
    );
  });

  it('AS_PATH to an OLD speaker writes AS_TRANS for a 4-octet ASN', () => {
    const a: PathAttribute = {
      kind: 'as-path',
      flags: 0x40,
      segments: [{ type: 2, asns: [4200000000, 65000] }],
    };
    // 40 02 len 6 | SEQUENCE 2: 23456 (5ba0) 65000
    expect(encode(a, ctx2)).toBe('400206' + '0202' + '5ba0' + 'fde8');
  });

  it('empty AS_PATH (iBGP-originated)', () => {
    roundTrip('40 02 00', { kind: 'as-path', flags: 0x40, segments: [] });
  });

  it('AS_PATH with the Extended Length bit keeps it on re-encode', () => {
    // flags 0x50 (transitive + extended) | type 2 | len 0x0006 | SEQUENCE 1: 65000
    roundTrip('50 02 0006 | 02 01 0000fde8', {
      kind: 'as-path',
      flags: 0x50,
      segments: [{ type: 2, asns: [65000] }],
    });
  });

  it('NEXT_HOP, LOCAL_PREF, ATOMIC_AGGREGATE', () => {
    roundTrip('40 03 04 | 0a000001', { kind: 'next-hop', flags: 0x40, addr: 0x0a000001 });
    roundTrip('40 05 04 | 000000c8', { kind: 'local-pref', flags: 0x40, value: 200 });
    roundTrip('40 06 00', { kind: 'atomic-aggregate', flags: 0x40 });
  });
});

describe('optional attributes', () => {
  it('MED', () => {
    // flags 0x80 (optional, non-transitive) | type 4 | len 4 | 100
    roundTrip('80 04 04 | 00000064', { kind: 'med', flags: 0x80, value: 100 });
  });

  it('AGGREGATOR in both widths, AS4_AGGREGATOR', () => {
    // c0 07 len 8 | AS 65000 (4 octets) | id 10.0.0.1
    roundTrip('c0 07 08 | 0000fde8 | 0a000001', {
      kind: 'aggregator',
      flags: 0xc0,
      asn: 65000,
      id: 0x0a000001,
    });
    // c0 07 len 6 | AS 65000 (2 octets) | id 10.0.0.1
    roundTrip(
      'c0 07 06 | fde8 | 0a000001',
      { kind: 'aggregator', flags: 0xc0, asn: 65000, id: 0x0a000001 },
      ctx2,
    );
    // c0 12 len 8 | AS 4200000000 | id 10.0.0.1 (from an OLD speaker)
    roundTrip(
      'c0 12 08 | fa56ea00 | 0a000001',
      { kind: 'as4-aggregator', flags: 0xc0, asn: 4200000000, id: 0x0a000001 },
      ctx2,
    );
  });

  it('AS4_PATH from an OLD speaker', () => {
    // c0 11 len 10 | SEQUENCE 2: 4200000000 65000
    roundTrip(
      'c0 11 0a | 02 02 fa56ea00 0000fde8',
      { kind: 'as4-path', flags: 0xc0, segments: [{ type: 2, asns: [4200000000, 65000] }] },
      ctx2,
    );
  });

  it('COMMUNITIES', () => {
    // c0 08 len 8 | 65000:1 | NO_EXPORT ffffff01
    roundTrip('c0 08 08 | fde80001 | ffffff01', {
      kind: 'communities',
      flags: 0xc0,
      values: [0xfde80001, 0xffffff01],
    });
  });

  it('ORIGINATOR_ID and CLUSTER_LIST', () => {
    roundTrip('80 09 04 | 0a000002', { kind: 'originator-id', flags: 0x80, id: 0x0a000002 });
    roundTrip('80 0a 08 | 0a000003 0a000004', {
      kind: 'cluster-list',
      flags: 0x80,
      ids: [0x0a000003, 0x0a000004],
    });
  });

  it('EXTENDED_COMMUNITIES: the three RT/SoO forms, a non-transitive RT and a raw one', () => {
    roundTrip(
      'c0 10 28' +
        '| 0002 fde8 0000000a' + // RT, 2-octet AS 65000 : 10
        '| 0103 0a000001 0005' + // SoO, IPv4 10.0.0.1 : 5
        '| 0202 fa56ea00 0007' + // RT, 4-octet AS 4200000000 : 7
        '| 4002 fde8 00000014' + // RT, non-transitive (0x40), 65000 : 20
        '| 030c 0000 0000 0008', // encapsulation (opaque 0x03/0x0c): kept raw
      {
        kind: 'ext-communities',
        flags: 0xc0,
        values: [
          { kind: 'route-target', form: 'as2', transitive: true, global: 65000, local: 10 },
          { kind: 'route-origin', form: 'ipv4', transitive: true, global: 0x0a000001, local: 5 },
          { kind: 'route-target', form: 'as4', transitive: true, global: 4200000000, local: 7 },
          { kind: 'route-target', form: 'as2', transitive: false, global: 65000, local: 20 },
          { kind: 'raw', bytes: new Uint8Array(hex('030c000000000008')) },
        ],
      },
    );
  });

  it('IPv6 address-specific extended communities', () => {
    // c0 19 len 40 | 00 02 RT 2001:db8::1 : 10 | 00 0b (unknown subtype) kept raw
    const raw = '000b 20010db8000000000000000000000002 0001';
    roundTrip('c0 19 28 | 0002 20010db8000000000000000000000001 000a | ' + raw, {
      kind: 'ipv6-ext-communities',
      flags: 0xc0,
      values: [
        {
          kind: 'route-target',
          transitive: true,
          addr: new Uint8Array(hex('20010db8000000000000000000000001')),
          local: 10,
        },
        { kind: 'raw', bytes: new Uint8Array(hex(raw)) },
      ],
    });
  });

  it('LARGE_COMMUNITIES and OTC', () => {
    // c0 20 len 12 | 65000 : 1 : 2
    roundTrip('c0 20 0c | 0000fde8 00000001 00000002', {
      kind: 'large-communities',
      flags: 0xc0,
      values: [{ global: 65000, local1: 1, local2: 2 }],
    });
    // c0 23 len 4 | AS 65000
    roundTrip('c0 23 04 | 0000fde8', { kind: 'otc', flags: 0xc0, asn: 65000 });
  });

  it('unknown attributes are kept byte-exact with their flags (Partial, Extended Length)', () => {
    // e0 (optional, transitive, partial) | type 99 | len 3 | aabbcc
    roundTrip('e0 63 03 | aabbcc', {
      kind: 'unknown',
      flags: 0xe0,
      code: 99,
      value: new Uint8Array(hex('aabbcc')),
    });
    // d0 (optional, transitive, extended) | type 99 | len 0x0003 | aabbcc
    roundTrip('d0 63 0003 | aabbcc', {
      kind: 'unknown',
      flags: 0xd0,
      code: 99,
      value: new Uint8Array(hex('aabbcc')),
    });
  });

  it('sets Extended Length when the value exceeds 255 octets', () => {
    const values = Array.from({ length: 64 }, (_, i) => i + 1);
    const body = values.map((v) => v.toString(16).padStart(8, '0')).join('');
    // 0xc0 | 0x10 = d0 | type 8 | len 0x0100 (256) | 64 communities
    const want = 'd0' + '08' + '0100' + body;
    expect(encode({ kind: 'communities', flags: 0xc0, values })).toBe(want);
    // 255 octets still fit one length octet: 0x7f values... use an unknown of 255 octets
    const v255 = new Uint8Array(255).fill(0xab);
    expect(encode({ kind: 'unknown', flags: 0xc0, code: 99, value: v255 })).toBe(
      'c063ff' + 'ab'.repeat(255),
    );
    expect(decode(want)).toEqual({ kind: 'communities', flags: 0xd0, values });
  });
});

describe('MP_REACH_NLRI / MP_UNREACH_NLRI (through the NLRI and next-hop codecs)', () => {
  it('IPv4 unicast MP_REACH', () => {
    // 80 0e len 13 | AFI 1 SAFI 1 | nh len 4 10.0.0.1 | reserved 0 | 192.168.1.0/24
    roundTrip('80 0e 0d | 0001 01 | 04 0a000001 | 00 | 18 c0a801', {
      kind: 'mp-reach',
      flags: 0x80,
      afi: 1,
      safi: 1,
      nextHop: { kind: 'ipv4', addr: 0x0a000001 },
      nlri: [{ kind: 'prefix', prefix: { afi: 1, len: 24, addr: 0xc0a80100 } }],
    });
  });

  it('VPNv4 MP_REACH and MP_UNREACH', () => {
    roundTrip(
      '80 0e 20 | 0001 80' + // AFI 1, SAFI 128
        '| 0c 0000000000000000 0a000001' + // nh len 12: RD 0 + 10.0.0.1
        '| 00' + // reserved
        '| 70 000641 0000fde80000000a c0a801', // 112 bits: label 100 BoS, RD 65000:10, 192.168.1/24
      {
        kind: 'mp-reach',
        flags: 0x80,
        afi: 1,
        safi: 128,
        nextHop: { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0x0a000001 },
        nlri: [
          {
            kind: 'vpn',
            labels: [0x000641],
            rd: { hi: 0x0000fde8, lo: 0x0000000a },
            prefix: { afi: 1, len: 24, addr: 0xc0a80100 },
          },
        ],
      },
    );
    // 80 0f len 18 | AFI 1 SAFI 128 | 112 bits: compatibility label 800000, RD 65000:10, 192.168.1/24
    const a = decode('80 0f 12 | 0001 80 | 70 800000 0000fde80000000a c0a801');
    expect(a.kind).toBe('mp-unreach');
    if (a.kind !== 'mp-unreach') return;
    expect(a.nlri).toHaveLength(1);
    const n = a.nlri[0]!;
    expect(n.kind === 'vpn' && n.rd).toEqual({ hi: 0x0000fde8, lo: 0x0000000a });
    expect(n.kind === 'vpn' && n.prefix).toEqual({ afi: 1, len: 24, addr: 0xc0a80100 });
    expect(encode(a)).toBe('800f12000180708000000000fde80000000ac0a801');
  });

  it('End-of-RIB MP_UNREACH and an unknown family kept raw', () => {
    // 80 0f len 3 | AFI 1 SAFI 128, no NLRI
    roundTrip('80 0f 03 | 0001 80', {
      kind: 'mp-unreach',
      flags: 0x80,
      afi: 1,
      safi: 128,
      nlri: [],
    });
    // L2VPN (25) / EVPN (70): next hop 4 octets raw, NLRI raw
    roundTrip('80 0e 0e | 0019 46 | 04 0a000001 | 00 | 02 03 aabbcc', {
      kind: 'mp-reach',
      flags: 0x80,
      afi: 25,
      safi: 70,
      nextHop: { kind: 'raw', bytes: new Uint8Array(hex('0a000001')) },
      nlri: [],
      rawNlri: new Uint8Array(hex('0203aabbcc')),
    });
    roundTrip('80 0f 06 | 0019 46 | 01 02 03', {
      kind: 'mp-unreach',
      flags: 0x80,
      afi: 25,
      safi: 70,
      nlri: [],
      rawNlri: new Uint8Array(hex('010203')),
    });
  });
});
