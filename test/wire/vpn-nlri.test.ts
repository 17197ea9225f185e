// VPN-IPv4 / VPN-IPv6 NLRI (SAFI 128) against hand-written byte vectors.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { familyKey } from '../../src/wire/afi.js';
import { DEFAULT_CONTEXT, type CodecContext } from '../../src/wire/context.js';
import { decodeNlriList, encodeNlri } from '../../src/wire/nlri/index.js';
import { Reader } from '../../src/wire/reader.js';
import type { Nlri, VpnNlri } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const hex = (s: string): string => h(s).toString('hex');
const b = (s: string): Uint8Array => new Uint8Array(h(s));
const ctxFor = (afi: number, addPath: boolean): CodecContext =>
  addPath ? { ...DEFAULT_CONTEXT, addPath: new Set([familyKey(afi, 128)]) } : DEFAULT_CONTEXT;

function dec(afi: number, wire: string, addPath = false, withdraw = false): Nlri[] {
  const r = new Reader(h(wire));
  const out = decodeNlriList(afi, 128, r, ctxFor(afi, addPath), withdraw, 9);
  expect(r.pos).toBe(r.end);
  return out!;
}

function enc(afi: number, list: Nlri[], addPath = false, withdraw = false): string {
  const w = new Writer(4);
  for (const n of list) encodeNlri(w, n, afi, 128, ctxFor(afi, addPath), withdraw);
  return w.finish().toString('hex');
}

// RD octets (type 2 octets | value 6 octets) and their {hi, lo} halves, computed by hand.
const RD0 = '0000 fde8 0000000a'; // type 0, 65000:10
const RD0_V = { hi: 65000, lo: 10 };
const RD1 = '0001 0a000001 0005'; // type 1, 10.0.0.1:5
const RD1_V = { hi: 0x00010a00, lo: 0x00010005 };
const RD2 = '0002 fa56ea00 0007'; // type 2, 4200000000:7 (4200000000 = 0xfa56ea00)
const RD2_V = { hi: 0x0002fa56, lo: 0xea000007 };
const RD7 = '0007 0a0b0c0d0e0f'; // unknown type 7
const RD7_V = { hi: 0x00070a0b, lo: 0x0c0d0e0f };

const L100 = 0x000641; // label 100, TC 0, BoS

describe('VPNv4 (RFC 4364 §4.3.4)', () => {
  const cases: [string, string, VpnNlri][] = [
    [
      'RD type 0, one label, /24: length 112 = 24 + 64 + 24',
      `70 000641 ${RD0} 0a0100`,
      { kind: 'vpn', labels: [L100], rd: RD0_V, prefix: { afi: 1, len: 24, addr: 0x0a010000 } },
    ],
    [
      'RD type 1, /0 (the VRF default route): length 88',
      `58 000641 ${RD1}`,
      { kind: 'vpn', labels: [L100], rd: RD1_V, prefix: { afi: 1, len: 0, addr: 0 } },
    ],
    [
      'RD type 2, /32: length 120',
      `78 000641 ${RD2} c0a80101`,
      { kind: 'vpn', labels: [L100], rd: RD2_V, prefix: { afi: 1, len: 32, addr: 0xc0a80101 } },
    ],
    [
      'unknown RD type 7 is kept (malformed-input case 22), /1: length 89',
      `59 000641 ${RD7} 80`,
      { kind: 'vpn', labels: [L100], rd: RD7_V, prefix: { afi: 1, len: 1, addr: 0x80000000 } },
    ],
    [
      'two labels 16, 17 (BoS), /24: length 136 = 48 + 64 + 24',
      `88 000100 000111 ${RD0} 0a0100`,
      {
        kind: 'vpn',
        labels: [0x000100, 0x000111],
        rd: RD0_V,
        prefix: { afi: 1, len: 24, addr: 0x0a010000 },
      },
    ],
  ];
  for (const [name, wire, nlri] of cases) {
    it(name, () => {
      expect(dec(1, wire)).toStrictEqual([nlri]);
      expect(enc(1, [nlri])).toBe(hex(wire));
    });
  }

  it('several NLRI in one field', () => {
    const wire = cases.map((c) => c[1]).join('');
    expect(dec(1, wire)).toStrictEqual(cases.map((c) => c[2]));
    expect(
      enc(
        1,
        cases.map((c) => c[2]),
      ),
    ).toBe(hex(wire));
  });

  it('with add-path', () => {
    const wire = `00000001 70 000641 ${RD0} 0a0100  00000002 70 000641 ${RD0} 0a0100`;
    const base = cases[0]![2];
    const list = [
      { ...base, pathId: 1 },
      { ...base, pathId: 2 },
    ];
    expect(dec(1, wire, true)).toStrictEqual(list);
    expect(enc(1, list, true)).toBe(hex(wire));
  });

  it('zeroes host bits: /20 of 10.1.255 is 10.1.240.0', () => {
    expect(dec(1, `6c 000641 ${RD0} 0a01ff`)).toStrictEqual([
      { kind: 'vpn', labels: [L100], rd: RD0_V, prefix: { afi: 1, len: 20, addr: 0x0a01f000 } },
    ]);
  });

  it('consecutive NLRI with equal RD / single label share those objects, and only those', () => {
    const wire = [
      `70 000641 ${RD0} 0a0100`,
      `70 000641 ${RD0} 0a0200`, // same RD and label as the first
      `88 000640 000111 ${RD0} 0a0300`, // label 100 with BoS clear, then 17: a 2-label stack
      `70 000641 ${RD1} 0a0400`, // label as before that stack, another RD
      `70 000651 ${RD1} 0a0500`,
    ].join('');
    const p = (x: number) => ({ afi: 1 as const, len: 24, addr: x });
    const got = dec(1, wire) as VpnNlri[];
    expect(got).toStrictEqual([
      { kind: 'vpn', labels: [L100], rd: RD0_V, prefix: p(0x0a010000) },
      { kind: 'vpn', labels: [L100], rd: RD0_V, prefix: p(0x0a020000) },
      { kind: 'vpn', labels: [0x000640, 0x000111], rd: RD0_V, prefix: p(0x0a030000) },
      { kind: 'vpn', labels: [L100], rd: RD1_V, prefix: p(0x0a040000) },
      { kind: 'vpn', labels: [0x000651], rd: RD1_V, prefix: p(0x0a050000) },
    ]);
    expect(got[1]!.rd).toBe(got[0]!.rd);
    expect(got[1]!.labels).toBe(got[0]!.labels);
    expect(got[2]!.rd).toBe(got[0]!.rd);
    expect(got[3]!.rd).not.toBe(got[2]!.rd);
  });

  describe('withdrawals (MP_UNREACH, RFC 8277 §2.4)', () => {
    it('the compatibility value 0x800000 is one label field', () => {
      const wire = `70 800000 ${RD0} 0a0100`;
      const list: Nlri[] = [
        {
          kind: 'vpn',
          labels: [0x800000],
          rd: RD0_V,
          prefix: { afi: 1, len: 24, addr: 0x0a010000 },
        },
      ];
      expect(dec(1, wire, false, true)).toStrictEqual(list);
      expect(enc(1, list, false, true)).toBe(hex(wire));
    });

    it('any value is accepted and kept; encode writes 0x800000', () => {
      // The real label (with BoS) or 000000 (no BoS): still exactly one field.
      for (const label of ['000641', '000000']) {
        const got = dec(1, `70 ${label} ${RD0} 0a0100`, false, true);
        expect(got).toStrictEqual([
          {
            kind: 'vpn',
            labels: [parseInt(label, 16)],
            rd: RD0_V,
            prefix: { afi: 1, len: 24, addr: 0x0a010000 },
          },
        ]);
        expect(enc(1, got, false, true)).toBe(hex(`70 800000 ${RD0} 0a0100`));
      }
    });

    it('a two-label announcement withdraws with one field (length shrinks by 24)', () => {
      const ann = dec(1, `88 000100 000111 ${RD0} 0a0100`);
      expect(enc(1, ann, false, true)).toBe(hex(`70 800000 ${RD0} 0a0100`));
    });

    it('with add-path', () => {
      const wire = `00000009 58 800000 ${RD1}`;
      const got = dec(1, wire, true, true);
      expect(got).toStrictEqual([
        {
          kind: 'vpn',
          labels: [0x800000],
          rd: RD1_V,
          prefix: { afi: 1, len: 0, addr: 0 },
          pathId: 9,
        },
      ]);
      expect(enc(1, got, true, true)).toBe(hex(wire));
    });
  });
});

describe('VPNv6 (RFC 4659 §3.2)', () => {
  const zero16 = '00'.repeat(16);
  const cases: [string, string, VpnNlri][] = [
    [
      '/0: length 88',
      `58 000641 ${RD0}`,
      { kind: 'vpn', labels: [L100], rd: RD0_V, prefix: { afi: 2, len: 0, addr: b(zero16) } },
    ],
    [
      '/32: length 120',
      `78 000641 ${RD1} 20010db8`,
      {
        kind: 'vpn',
        labels: [L100],
        rd: RD1_V,
        prefix: { afi: 2, len: 32, addr: b('20010db8' + '00'.repeat(12)) },
      },
    ],
    [
      '/64: length 152',
      `98 000641 ${RD2} 20010db8 00000001`,
      {
        kind: 'vpn',
        labels: [L100],
        rd: RD2_V,
        prefix: { afi: 2, len: 64, addr: b('20010db800000001' + '00'.repeat(8)) },
      },
    ],
    [
      '/128: length 216',
      `d8 000641 ${RD7} 20010db8000000000000000000000001`,
      {
        kind: 'vpn',
        labels: [L100],
        rd: RD7_V,
        prefix: { afi: 2, len: 128, addr: b('20010db8000000000000000000000001') },
      },
    ],
    [
      'two labels, /64: length 176 = 48 + 64 + 64',
      `b0 000100 000111 ${RD0} 20010db8 00000001`,
      {
        kind: 'vpn',
        labels: [0x000100, 0x000111],
        rd: RD0_V,
        prefix: { afi: 2, len: 64, addr: b('20010db800000001' + '00'.repeat(8)) },
      },
    ],
  ];
  for (const [name, wire, nlri] of cases) {
    it(name, () => {
      expect(dec(2, wire)).toStrictEqual([nlri]);
      expect(enc(2, [nlri])).toBe(hex(wire));
    });
  }

  it('withdrawal with add-path', () => {
    const wire = `00000004 78 800000 ${RD1} 20010db8`;
    const got = dec(2, wire, true, true);
    expect(got).toStrictEqual([{ ...cases[1]![2], labels: [0x800000], pathId: 4 }]);
    expect(enc(2, got, true, true)).toBe(hex(wire));
  });

  it('refuses to encode a length that does not fit one octet (3 labels + RD + /128 = 264)', () => {
    const n: VpnNlri = { ...cases[3]![2], labels: [0x000100, 0x000110, 0x000111] };
    expect(() => enc(2, [n])).toThrow(/does not fit/);
  });
});

describe('properties', () => {
  const label = (bos: boolean) =>
    fc.integer({ min: 0, max: 0xfffff }).map((l) => (l << 4) | (bos ? 1 : 0));
  const stack = (max: number) =>
    fc
      .tuple(fc.array(label(false), { maxLength: max - 1 }), label(true))
      .map(([upper, bottom]) => [...upper, bottom]);
  const rd = fc
    .tuple(fc.nat({ max: 0xffffffff }), fc.nat({ max: 0xffffffff }))
    .map(([hi, lo]) => ({ hi, lo }));
  const v4 = fc
    .tuple(fc.integer({ min: 0, max: 32 }), fc.nat({ max: 0xffffffff }))
    .map(([len, a]) => ({
      afi: 1 as const,
      len,
      addr: len === 0 ? 0 : (a & (0xffffffff << (32 - len))) >>> 0,
    }));
  const v6 = fc
    .tuple(fc.integer({ min: 0, max: 128 }), fc.uint8Array({ minLength: 16, maxLength: 16 }))
    .map(([len, a]) => {
      const addr = new Uint8Array(16);
      for (let i = 0; i < 16; i++) {
        const bits = Math.min(8, Math.max(0, len - 8 * i));
        addr[i] = a[i]! & ((0xff << (8 - bits)) & 0xff);
      }
      return { afi: 2 as const, len, addr };
    });
  const vpn = (afi: 1 | 2) =>
    fc
      .tuple(stack(afi === 1 ? 3 : 2), rd, afi === 1 ? v4 : v6)
      .map(([labels, d, prefix]): VpnNlri => ({ kind: 'vpn', labels, rd: d, prefix }));

  for (const afi of [1, 2] as const) {
    it(`VPN AFI ${afi}: decode(encode(x)) = x, with and without add-path`, () => {
      fc.assert(
        fc.property(fc.array(vpn(afi), { maxLength: 8 }), fc.nat(), (list, pid) => {
          expect(dec(afi, enc(afi, list))).toStrictEqual(list);
          const withIds = list.map((n, i) => ({ ...n, pathId: (pid + i) >>> 0 }));
          expect(dec(afi, enc(afi, withIds, true), true)).toStrictEqual(withIds);
        }),
      );
    });
  }
});
