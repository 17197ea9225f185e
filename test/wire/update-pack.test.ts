// Outbound packing: every NLRI goes out exactly once, in order, in messages filled up to the size
// limit (one more NLRI would not fit) and never over it; attributes too large for any NLRI to fit
// end the packing instead of looping. Messages are views of shared slabs: a later pack never
// writes over one, and each one's length fields are its own.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { valuesToWire } from '../../src/rib/convert.js';
import {
  packAnnounce,
  packAnnounceKeys,
  packWithdraw,
  packWithdrawKeys,
} from '../../src/wire/update-pack.js';
import type { FamilyName } from '../../src/wire/afi.js';
import { DEFAULT_CONTEXT, type CodecContext } from '../../src/wire/context.js';
import { decodeMessage } from '../../src/wire/message.js';
import { nlriFromKey, nlriKey } from '../../src/wire/nlri/key.js';
import { familyKey, FAMILIES } from '../../src/wire/afi.js';
import type { NextHop, Nlri } from '../../src/wire/types.js';

const EXTENDED: CodecContext = { ...DEFAULT_CONTEXT, extendedMessage: true };

const values = (asns: number): AttrValues => ({
  ...EMPTY_ATTR_VALUES,
  asPath: [{ type: 2, asns: Array.from({ length: asns }, (_, i) => 65001 + (i % 200)) }],
  nextHop: { afi: 1, addr: 0xc0000201 },
});

const vpn = (n: number): Nlri[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'vpn' as const,
    labels: [((16 + (i % 7)) << 4) | 1],
    rd: { hi: 65001, lo: i % 13 },
    prefix: { afi: 1 as const, len: 16 + (i % 17), addr: (0x0a000000 + i * 256) & ~0xffff },
  }));

const v4 = (n: number): Nlri[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'prefix' as const,
    prefix: { afi: 1 as const, len: 24, addr: (0x0a000000 + i * 256) >>> 0 },
  }));

/** The NLRI of packed messages, in order, announced and withdrawn, checked against the limit. */
function unpack(msgs: Buffer[], ctx: CodecContext): { announced: Nlri[]; withdrawn: Nlri[] } {
  const announced: Nlri[] = [];
  const withdrawn: Nlri[] = [];
  for (const m of msgs) {
    expect(m.length).toBeLessThanOrEqual(ctx.extendedMessage ? 65535 : 4096);
    const d = decodeMessage(m, ctx).message;
    if (d.type !== 'update') throw new Error(`not an UPDATE: ${d.type}`);
    announced.push(...d.nlri);
    withdrawn.push(...d.withdrawn);
    for (const a of d.attributes) {
      if (a.kind === 'mp-reach') announced.push(...a.nlri);
      if (a.kind === 'mp-unreach') withdrawn.push(...a.nlri);
    }
  }
  return { announced, withdrawn };
}

const keys = (l: readonly Nlri[]): string[] => l.map(nlriKey);

describe('packAnnounce / packWithdraw', () => {
  const cases: [string, FamilyName, () => Nlri[], NextHop, CodecContext][] = [
    [
      'VPNv4',
      'vpnv4',
      () => vpn(5000),
      { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0xc0000201 },
      DEFAULT_CONTEXT,
    ],
    [
      'VPNv4, extended messages',
      'vpnv4',
      () => vpn(20000),
      { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0xc0000201 },
      EXTENDED,
    ],
    ['IPv4 unicast', 'ipv4', () => v4(5000), { kind: 'ipv4', addr: 0xc0000201 }, DEFAULT_CONTEXT],
  ];
  for (const [name, family, make, nh, ctx] of cases) {
    it(`${name}: each NLRI once, in order, in full messages under the limit`, () => {
      const nlri = make();
      const attrs = valuesToWire(values(3), {
        fourOctetAs: true,
        localPref: false,
        markPartial: true,
      });
      const msgs = packAnnounce(family, attrs, nh, nlri, ctx);
      const { announced } = unpack(msgs, ctx);
      expect(keys(announced)).toEqual(keys(nlri));
      const max = ctx.extendedMessage ? 65535 : 4096;
      // Full: every message but the last is within one NLRI (at most 12 octets here) of the limit.
      for (const m of msgs.slice(0, -1)) expect(m.length).toBeGreaterThan(max - 13);

      const wd = packWithdraw(family, nlri, ctx);
      expect(keys(unpack(wd, ctx).withdrawn)).toEqual(keys(nlri));
      for (const m of wd.slice(0, -1)) expect(m.length).toBeGreaterThan(max - 13);
    });
  }

  it('attributes with no room left for one NLRI: nothing sent, and it returns', () => {
    // ~1700 ASNs of 4 octets: the AS_PATH alone is larger than a 4096-octet message.
    const attrs = valuesToWire(values(1700), {
      fourOctetAs: true,
      localPref: false,
      markPartial: true,
    });
    const nh: NextHop = { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0xc0000201 };
    expect(packAnnounce('vpnv4', attrs, nh, vpn(10), DEFAULT_CONTEXT)).toEqual([]);
    // With extended messages the same attributes fit, and so do the NLRI.
    const ext = packAnnounce('vpnv4', attrs, nh, vpn(10), EXTENDED);
    expect(keys(unpack(ext, EXTENDED).announced)).toEqual(keys(vpn(10)));
  });

  it('each message keeps its octets: later packs (a shared slab, scratch writers) leave earlier ones alone', () => {
    const nh: NextHop = { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0xc0000201 };
    const wire = (asns: number) =>
      valuesToWire(values(asns), { fourOctetAs: true, localPref: false, markPartial: true });
    const first = packAnnounce('vpnv4', wire(3), nh, vpn(400), DEFAULT_CONTEXT);
    const copies = first.map((m) => Buffer.from(m));
    // An extended pack grows the scratch, a withdrawal and another set write over it.
    packAnnounce('vpnv4', wire(1700), nh, vpn(10), EXTENDED);
    packWithdraw('vpnv4', vpn(900), DEFAULT_CONTEXT);
    const second = packAnnounce('vpnv4', wire(5), nh, vpn(400), DEFAULT_CONTEXT);
    expect(first).toEqual(copies);
    expect(second[0]!.equals(first[0]!)).toBe(false);
    // The same input packs to the same bytes after all that.
    expect(packAnnounce('vpnv4', wire(3), nh, vpn(400), DEFAULT_CONTEXT)).toEqual(copies);
  });
});

describe('packWithdrawKeys / packAnnounceKeys', () => {
  const v6 = (n: number): Nlri[] =>
    Array.from({ length: n }, (_, i) => {
      const addr = new Uint8Array(16);
      const len = 1 + ((i * 7) % 128);
      for (let o = 0; o < (len + 7) >> 3; o++) addr[o] = (i * 31 + o * 17) & 0xff;
      // The bits past the length are zero, as the decoder leaves them.
      if (len % 8) addr[len >> 3]! &= (0xff << (8 - (len % 8))) & 0xff;
      return {
        kind: 'vpn' as const,
        labels: [17],
        rd: { hi: 0x00020000 + i, lo: 0xfffe0000 + i },
        prefix: { afi: 2 as const, len, addr },
      };
    });
  const cases: [FamilyName, Nlri[]][] = [
    ['vpnv4', vpn(3000)],
    ['vpnv6', v6(2000)],
    ['ipv4', v4(3000)],
  ];
  for (const [family, nlri] of cases) {
    for (const addPath of [false, true]) {
      it(`${family}${addPath ? ', ADD-PATH' : ''}: the bytes packWithdraw writes for the keys' NLRI`, () => {
        const { afi, safi } = FAMILIES[family];
        const ctx: CodecContext = addPath
          ? { ...DEFAULT_CONTEXT, addPath: new Set([familyKey(afi, safi)]) }
          : DEFAULT_CONTEXT;
        const k = keys(nlri);
        const expected = packWithdraw(
          family,
          k.map((x) => nlriFromKey(family, x, [])),
          ctx,
        );
        expect(packWithdrawKeys(family, k, ctx)).toEqual(expected);
        expect(expected.length).toBeGreaterThan(1);
      });
      it(`${family}${addPath ? ', ADD-PATH' : ''}: the bytes packAnnounce writes for the keys' NLRI and labels`, () => {
        const { afi, safi } = FAMILIES[family];
        const ctx: CodecContext = addPath
          ? { ...DEFAULT_CONTEXT, addPath: new Set([familyKey(afi, safi)]) }
          : DEFAULT_CONTEXT;
        const k = keys(nlri);
        // Labels that change along the run, and a stack of two (the length octet covers both).
        const labels = k.map((_, i) => (i % 5 === 0 ? [16 << 4, (17 << 4) | 1] : [(i << 4) | 1]));
        const attrs = valuesToWire(values(3), {
          fourOctetAs: true,
          localPref: false,
          markPartial: true,
        });
        const nh: NextHop =
          family === 'ipv4'
            ? { kind: 'ipv4', addr: 0xc0000201 }
            : { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0xc0000201 };
        const l = family === 'ipv4' ? k.map(() => []) : labels;
        const expected = packAnnounce(
          family,
          attrs,
          nh,
          k.map((x, i) => nlriFromKey(family, x, l[i]!)),
          ctx,
        );
        const seq = { length: k.length, key: (i: number) => k[i]!, labels: (i: number) => l[i]! };
        expect(packAnnounceKeys(family, attrs, nh, seq, ctx)).toEqual(expected);
        expect(expected.length).toBeGreaterThan(1);
      });
    }
  }
});

describe('messages written into shared slabs', () => {
  const vpnNh: NextHop = { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0xc0000201 };
  const v4Nh: NextHop = { kind: 'ipv4', addr: 0xc0000201 };
  const wire = (asns: number) =>
    valuesToWire(values(asns), { fourOctetAs: true, localPref: false, markPartial: true });
  const prefix = (len: number, i: number): Nlri => ({
    kind: 'prefix',
    prefix: {
      afi: 1,
      len,
      addr: len === 0 ? 0 : (((0x0a000000 + i * 256) >>> (32 - len)) << (32 - len)) >>> 0,
    },
  });

  it('none is written over by a later pack, and each length field is its own message length', () => {
    const kept: { m: Buffer; copy: Buffer; ctx: CodecContext }[] = [];
    const sent: { msgs: Buffer[]; nlri: Nlri[]; withdraw: boolean; ctx: CodecContext }[] = [];
    let octets = 0;
    for (let k = 0; octets < 3 * 1024 * 1024; k++) {
      const ctx = k % 11 === 5 ? EXTENDED : DEFAULT_CONTEXT;
      // Small sets (a realistic table's ~4 routes) and long runs (a transit's full messages).
      const n = k % 7 === 0 ? 900 + k : 1 + (k % 9);
      const withdraw = k % 5 === 0;
      const nlri = k % 3 === 0 ? v4(n) : vpn(n);
      const family: FamilyName = k % 3 === 0 ? 'ipv4' : 'vpnv4';
      const msgs = withdraw
        ? packWithdraw(family, nlri, ctx)
        : packAnnounce(family, wire(1 + (k % 13)), family === 'ipv4' ? v4Nh : vpnNh, nlri, ctx);
      for (const m of msgs) {
        kept.push({ m, copy: Buffer.from(m), ctx });
        octets += m.length;
      }
      sent.push({ msgs, nlri, withdraw, ctx });
      // Attributes no NLRI fits beside: a message begun and dropped, its octets given back.
      if (k % 17 === 3)
        expect(packAnnounce('vpnv4', wire(1700), vpnNh, vpn(3), DEFAULT_CONTEXT)).toEqual([]);
    }
    let shared = 0;
    for (let i = 0; i < kept.length; i++) {
      const { m, copy, ctx } = kept[i]!;
      expect(m.equals(copy)).toBe(true);
      // RFC 4271 §4.1: the header's length is the whole message's, within the limit.
      expect(m.readUInt16BE(16)).toBe(m.length);
      expect(m.length).toBeLessThanOrEqual(ctx.extendedMessage ? 65535 : 4096);
      const prev = kept[i - 1]?.m;
      if (prev && prev.buffer === m.buffer) {
        // A slab's messages follow one another, none overlapping the one before.
        expect(m.byteOffset).toBe(prev.byteOffset + prev.length);
        shared++;
      }
    }
    // The messages did share slabs (most of them), and more than one slab was used.
    expect(shared).toBeGreaterThan(kept.length / 2);
    expect(new Set(kept.map((x) => x.m.buffer)).size).toBeGreaterThan(10);
    for (const { msgs, nlri, withdraw, ctx } of sent) {
      const u = unpack(msgs, ctx);
      expect(keys(withdraw ? u.withdrawn : u.announced)).toEqual(keys(nlri));
    }
  });

  /**
   * NLRI of two sizes, `a` of size `sa` first, then `b` of size `sb`, so that the first message
   * of a pack is exactly `max` octets when its fixed part is `fixed`; then a tail for a second.
   */
  function exactly(fixed: number, max: number, sa: number, sb: number): [number, number] {
    const room = max - fixed;
    for (let b = 0; b < sa; b++) if ((room - b * sb) % sa === 0) return [(room - b * sb) / sa, b];
    throw new Error('no fill');
  }

  it('a message fills to exactly the size limit, wherever in the slab it starts', () => {
    for (const ctx of [DEFAULT_CONTEXT, EXTENDED]) {
      const max = ctx.extendedMessage ? 65535 : 4096;
      for (let skip = 0; skip < 3; skip++) {
        // Something packed first, so the message does not start a slab.
        packWithdraw('ipv4', v4(1 + skip), ctx);
        // IPv4 withdrawals (RFC 4271 §4.3): a /32 is 5 octets, a /24 4; the fixed part 23.
        {
          const [a, b] = exactly(23, max, 5, 4);
          const nlri = [
            ...Array.from({ length: a }, (_, i) => prefix(32, i)),
            ...Array.from({ length: b }, (_, i) => prefix(24, a + i)),
            ...v4(3),
          ];
          const msgs = packWithdraw('ipv4', nlri, ctx);
          expect(msgs.map((m) => m.length)).toEqual([max, 23 + 12]);
          expect(keys(unpack(msgs, ctx).withdrawn)).toEqual(keys(nlri));
        }
        // IPv4 announcements: the fixed part read off a message of one /32.
        {
          const attrs = wire(2 + skip);
          const fixed = packAnnounce('ipv4', attrs, v4Nh, [prefix(32, 0)], ctx)[0]!.length - 5;
          const [a, b] = exactly(fixed, max, 5, 4);
          const nlri = [
            ...Array.from({ length: a }, (_, i) => prefix(32, i)),
            ...Array.from({ length: b }, (_, i) => prefix(24, a + i)),
            ...v4(2),
          ];
          const msgs = packAnnounce('ipv4', attrs, v4Nh, nlri, ctx);
          expect(msgs.map((m) => m.length)).toEqual([max, fixed + 8]);
          expect(keys(unpack(msgs, ctx).announced)).toEqual(keys(nlri));
        }
        // VPNv4 (RFC 4760 MP_REACH / MP_UNREACH): a /32 with one label is 16 octets, a /24 15.
        const vpnOf = (len: number, i: number): Nlri => ({
          kind: 'vpn',
          labels: [(16 << 4) | 1],
          rd: { hi: 65001, lo: i },
          prefix: {
            afi: 1,
            len,
            addr: (((0x0a000000 + i * 256) >>> (32 - len)) << (32 - len)) >>> 0,
          },
        });
        for (const withdraw of [false, true]) {
          const attrs = wire(3 + skip);
          const one = withdraw
            ? packWithdraw('vpnv4', [vpnOf(32, 0)], ctx)
            : packAnnounce('vpnv4', attrs, vpnNh, [vpnOf(32, 0)], ctx);
          const fixed = one[0]!.length - 16;
          const [a, b] = exactly(fixed, max, 16, 15);
          const nlri = [
            ...Array.from({ length: a }, (_, i) => vpnOf(32, i)),
            ...Array.from({ length: b }, (_, i) => vpnOf(24, a + i)),
            vpnOf(32, a + b),
          ];
          const msgs = withdraw
            ? packWithdraw('vpnv4', nlri, ctx)
            : packAnnounce('vpnv4', attrs, vpnNh, nlri, ctx);
          expect(msgs.map((m) => m.length)).toEqual([max, fixed + 16]);
          const u = unpack(msgs, ctx);
          expect(keys(withdraw ? u.withdrawn : u.announced)).toEqual(keys(nlri));
        }
      }
    }
  });
});
