// Plain, labeled and RTC NLRI against hand-written byte vectors (VPN NLRI: vpn-nlri.test.ts).
import { describe, expect, it } from 'vitest';
import { familyKey } from '../../src/wire/afi.js';
import { DEFAULT_CONTEXT, type CodecContext } from '../../src/wire/context.js';
import { WireError } from '../../src/wire/errors.js';
import { labelEntry, labelValue } from '../../src/wire/nlri/labeled.js';
import {
  decodeIpv4Field,
  decodeNlriList,
  encodeNlri,
  isKnownNlriFamily,
} from '../../src/wire/nlri/index.js';
import { Reader } from '../../src/wire/reader.js';
import type { Nlri } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const ctxFor = (afi: number, safi: number, addPath: boolean): CodecContext =>
  addPath ? { ...DEFAULT_CONTEXT, addPath: new Set([familyKey(afi, safi)]) } : DEFAULT_CONTEXT;

function dec(afi: number, safi: number, hex: string, addPath = false, withdraw = false): Nlri[] {
  const r = new Reader(h(hex));
  const out = decodeNlriList(afi, safi, r, ctxFor(afi, safi, addPath), withdraw, 9);
  if (out === undefined) throw new Error('unknown family');
  expect(r.pos).toBe(r.end);
  return out;
}

function enc(afi: number, safi: number, list: Nlri[], addPath = false, withdraw = false): string {
  const w = new Writer(8);
  for (const n of list) encodeNlri(w, n, afi, safi, ctxFor(afi, safi, addPath), withdraw);
  return w.finish().toString('hex');
}

const v6 = (hex: string): Uint8Array => new Uint8Array(h(hex));

describe('IPv4 unicast / multicast prefixes (RFC 4271 §4.3, RFC 4760 §5)', () => {
  const wire = [
    '00', //          /0
    '01 80', //       /1   128.0.0.0
    '18 0a 01 02', // /24  10.1.2.0
    '20 c0 a8 01 01', // /32 192.168.1.1
  ].join('');
  const expected: Nlri[] = [
    { kind: 'prefix', prefix: { afi: 1, len: 0, addr: 0 } },
    { kind: 'prefix', prefix: { afi: 1, len: 1, addr: 0x80000000 } },
    { kind: 'prefix', prefix: { afi: 1, len: 24, addr: 0x0a010200 } },
    { kind: 'prefix', prefix: { afi: 1, len: 32, addr: 0xc0a80101 } },
  ];

  it('decodes lengths 0, 1, 24, 32 and encodes them back byte for byte', () => {
    expect(dec(1, 1, wire)).toStrictEqual(expected);
    expect(dec(1, 2, wire)).toStrictEqual(expected);
    expect(enc(1, 1, expected)).toBe(h(wire).toString('hex'));
    expect(enc(1, 2, expected)).toBe(h(wire).toString('hex'));
  });

  it('zeroes trailing host bits on decode (RFC 4271 §4.3: they are irrelevant)', () => {
    // /1 with the octet ff, /20 10.1.255 -> 10.1.240.0
    expect(dec(1, 1, '01 ff  14 0a 01 ff')).toStrictEqual([
      { kind: 'prefix', prefix: { afi: 1, len: 1, addr: 0x80000000 } },
      { kind: 'prefix', prefix: { afi: 1, len: 20, addr: 0x0a01f000 } },
    ]);
  });

  it('reads and writes the RFC 7911 path identifier', () => {
    const ap = '00000007 18 0a0102  ffffffff 00';
    const list: Nlri[] = [
      { kind: 'prefix', prefix: { afi: 1, len: 24, addr: 0x0a010200 }, pathId: 7 },
      { kind: 'prefix', prefix: { afi: 1, len: 0, addr: 0 }, pathId: 0xffffffff },
    ];
    expect(dec(1, 1, ap, true)).toStrictEqual(list);
    expect(enc(1, 1, list, true)).toBe(h(ap).toString('hex'));
    // A missing pathId encodes as 0 when add-path is on.
    expect(enc(1, 1, [{ kind: 'prefix', prefix: { afi: 1, len: 0, addr: 0 } }], true)).toBe(
      '0000000000',
    );
  });

  it('decodes the IPv4 fields of an UPDATE with the session add-path set', () => {
    const r = new Reader(h('ff 18 0a0102 00'), 1, 5);
    expect(decodeIpv4Field(r, DEFAULT_CONTEXT)).toStrictEqual([expected[2]]);
    expect(r.pos).toBe(5);
    const r2 = new Reader(h('00000003 08 0a'));
    expect(decodeIpv4Field(r2, ctxFor(1, 1, true))).toStrictEqual([
      { kind: 'prefix', prefix: { afi: 1, len: 8, addr: 0x0a000000 }, pathId: 3 },
    ]);
  });
});

describe('IPv6 unicast / multicast prefixes', () => {
  const wire = [
    '00', // ::/0
    '40 20010db8 00000001', // 2001:db8:0:1::/64
    '80 20010db8 00000000 00000000 00000001', // 2001:db8::1/128
    '0a ffc0', // ffc0::/10
  ].join('');
  const expected: Nlri[] = [
    { kind: 'prefix', prefix: { afi: 2, len: 0, addr: v6('00'.repeat(16)) } },
    { kind: 'prefix', prefix: { afi: 2, len: 64, addr: v6('20010db8000000010000000000000000') } },
    { kind: 'prefix', prefix: { afi: 2, len: 128, addr: v6('20010db8000000000000000000000001') } },
    { kind: 'prefix', prefix: { afi: 2, len: 10, addr: v6('ffc00000000000000000000000000000') } },
  ];

  it('decodes lengths 0, 64, 128, 10 and encodes them back', () => {
    expect(dec(2, 1, wire)).toStrictEqual(expected);
    expect(dec(2, 2, wire)).toStrictEqual(expected);
    expect(enc(2, 1, expected)).toBe(h(wire).toString('hex'));
  });

  it('zeroes trailing bits: /10 of ff ff is ffc0::', () => {
    expect(dec(2, 1, '0a ffff')).toStrictEqual([expected[3]]);
  });

  it('with add-path', () => {
    const ap = '0000000a 40 20010db8 00000001';
    const list: Nlri[] = [{ ...expected[1]!, pathId: 10 } as Nlri];
    expect(dec(2, 1, ap, true)).toStrictEqual(list);
    expect(enc(2, 1, list, true)).toBe(h(ap).toString('hex'));
  });
});

describe('labeled unicast (SAFI 4, RFC 8277)', () => {
  it('label entry helpers', () => {
    expect(labelEntry(100)).toBe(0x000641); // 100 << 4 | BoS
    expect(labelEntry(16, false)).toBe(0x000100);
    expect(labelEntry(0xfffff, true, 7)).toBe(0xffffff);
    expect(labelValue(0x000641)).toBe(100);
  });

  it('one label, IPv4 /24: length 48 = 24 label + 24 prefix', () => {
    const wire = '30 000641 0a0102'; // len 48 | label 100 BoS | 10.1.2.0
    const list: Nlri[] = [
      { kind: 'labeled', labels: [0x000641], prefix: { afi: 1, len: 24, addr: 0x0a010200 } },
    ];
    expect(dec(1, 4, wire)).toStrictEqual(list);
    expect(enc(1, 4, list)).toBe(h(wire).toString('hex'));
  });

  it('two labels (BoS on the second), IPv4 /32', () => {
    const wire = '50 000100 000111 c0a80101'; // len 80 = 48 + 32 | 16 | 17 BoS | 192.168.1.1
    const list: Nlri[] = [
      {
        kind: 'labeled',
        labels: [0x000100, 0x000111],
        prefix: { afi: 1, len: 32, addr: 0xc0a80101 },
      },
    ];
    expect(dec(1, 4, wire)).toStrictEqual(list);
    expect(enc(1, 4, list)).toBe(h(wire).toString('hex'));
  });

  it('IPv6 /0 and /32, with add-path', () => {
    const wire = '00000002 18 000641  00000003 38 000641 20010db8';
    const list: Nlri[] = [
      {
        kind: 'labeled',
        labels: [0x641],
        prefix: { afi: 2, len: 0, addr: v6('00'.repeat(16)) },
        pathId: 2,
      },
      {
        kind: 'labeled',
        labels: [0x641],
        prefix: { afi: 2, len: 32, addr: v6('20010db8' + '00'.repeat(12)) },
        pathId: 3,
      },
    ];
    expect(dec(2, 4, wire, true)).toStrictEqual(list);
    expect(enc(2, 4, list, true)).toBe(h(wire).toString('hex'));
  });

  it('withdrawal: exactly one 3-octet label field, kept; encoded as 0x800000', () => {
    // MP_UNREACH: len 48 | compatibility field 000000 (no BoS, still one field) | 10.1.2.0
    const got = dec(1, 4, '30 000000 0a0102', false, true);
    expect(got).toStrictEqual([
      { kind: 'labeled', labels: [0], prefix: { afi: 1, len: 24, addr: 0x0a010200 } },
    ]);
    expect(enc(1, 4, got, false, true)).toBe('30800000' + '0a0102');
    // Without withdraw semantics the same bytes have no BoS within the length.
    expect(() => dec(1, 4, '30 000000 0a0102')).toThrow(WireError);
  });

  it('refuses to announce an NLRI without labels', () => {
    expect(() =>
      enc(1, 4, [{ kind: 'labeled', labels: [], prefix: { afi: 1, len: 0, addr: 0 } }]),
    ).toThrow(/no label/);
  });
});

describe('route target membership (SAFI 132, RFC 4684 §4)', () => {
  it('default (length 0), full 96 bits, 48 bits, origin only', () => {
    const wire = [
      '00', // default route target
      '60 0000fde8 0002fde8 00000064', // 96: AS 65000 | RT 65000:100 (type 00 subtype 02)
      '30 0000fde8 0002', // 48: AS 65000 | first 16 bits of the RT
      '20 0000fde8', // 32: AS 65000, no RT bits
    ].join('');
    const list: Nlri[] = [
      { kind: 'rtc', len: 0, originAs: 0, rt: new Uint8Array(0) },
      { kind: 'rtc', len: 64, originAs: 65000, rt: v6('0002fde800000064') },
      { kind: 'rtc', len: 16, originAs: 65000, rt: v6('0002') },
      { kind: 'rtc', len: 0, originAs: 65000, rt: new Uint8Array(0) },
    ];
    expect(dec(1, 132, wire)).toStrictEqual(list);
    expect(enc(1, 132, list)).toBe(h(wire).toString('hex'));
  });

  it('with add-path, and trailing bits zeroed (len 36: 4 RT bits of 0xff -> 0xf0)', () => {
    const got = dec(1, 132, '00000005 24 0000fde8 ff', true);
    expect(got).toStrictEqual([{ kind: 'rtc', len: 4, originAs: 65000, rt: v6('f0'), pathId: 5 }]);
    expect(enc(1, 132, got, true)).toBe('00000005240000fde8f0');
  });

  it('refuses lengths 1..31 and > 96', () => {
    expect(() => dec(1, 132, '10 0000')).toThrow(WireError);
    expect(() => dec(1, 132, '61 0000fde8 0002fde8 00000064 00')).toThrow(WireError);
  });
});

describe('dispatch', () => {
  it('returns undefined for a family it does not know, and leaves the reader alone', () => {
    const r = new Reader(h('0102'));
    expect(decodeNlriList(25, 70, r, DEFAULT_CONTEXT, false, 9)).toBeUndefined();
    expect(decodeNlriList(2, 132, r, DEFAULT_CONTEXT, false, 9)).toBeUndefined();
    expect(r.pos).toBe(0);
    expect(isKnownNlriFamily(1, 128)).toBe(true);
    expect(isKnownNlriFamily(1, 133)).toBe(false);
  });

  it('an empty reader is an empty list (End-of-RIB)', () => {
    expect(dec(1, 128, '')).toStrictEqual([]);
  });

  it('refuses to encode an NLRI under the wrong family', () => {
    const n: Nlri = { kind: 'prefix', prefix: { afi: 1, len: 0, addr: 0 } };
    expect(() => enc(1, 128, [n])).toThrow(WireError);
    expect(() => enc(2, 1, [n])).toThrow(WireError);
  });
});
