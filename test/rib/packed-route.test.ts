// A VPNv4 table keeps a lone path with a code as its share and arrival number (packed-route.ts,
// v4-key-map.ts Packing), not as the route object: what a read gives back must be the route
// stored in every field, through splits, compactions, tombstones and walks, and the table's
// batches must report the same changes as when it kept the objects. A packed read is an equal
// route, not the same object: that is what tells here that the slot was packed at all.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import { receivedV4Route, staleCopy, type Route } from '../../src/model/route.js';
import type { RouteOrigin } from '../../src/model/route-origin.js';
import { v4CodeOf } from '../../src/model/v4-key-code.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { nlriKey } from '../../src/rib/keys.js';
import { RdMap } from '../../src/rib/rd-map.js';
import { SPLIT_AT } from '../../src/rib/sharded-map.js';
import { Table } from '../../src/rib/table.js';
import { V4KeyMap, type Packing } from '../../src/rib/v4-key-map.js';
import { rdKeyPart, v4KeyNumber } from '../../src/wire/nlri/key.js';
import type { Rd } from '../../src/wire/types.js';

const interner = new AttrInterner();
const setOf = (asns: number[]): ReturnType<AttrInterner['intern']> =>
  interner.intern({
    ...EMPTY_ATTR_VALUES,
    asPath: [{ type: 2, asns }],
    nextHop: { afi: 1, addr: 0xc0000201 },
  });
const A1 = setOf([65001, 65003]);
/** A shorter AS path than A1's: its path wins. */
const A2 = setOf([65002]);
const origin: RouteOrigin = { kind: 'local', source: 'local' };
const LABELS = [(16 << 4) | 1];
const RD: Rd = { hi: 65000, lo: 7 };
const HEAD = rdKeyPart(RD);

/** The /24 number i under RD: its route from source src, arrival number seq. */
const addrOf = (i: number): number => (0x0a000000 + i * 256) >>> 0;
const v4 = (i: number, src: number, seq: number, attrs = A1): Route =>
  receivedV4Route(HEAD, v4CodeOf(24, addrOf(i)), LABELS, attrs, origin, src, seq);
const num = (i: number): number => v4KeyNumber(24, addrOf(i));
const keyOf = (i: number): string =>
  nlriKey({ kind: 'vpn', labels: LABELS, rd: RD, prefix: { afi: 1, len: 24, addr: addrOf(i) } });

/** The fields a path is compared by (an unpacked route is a new object). */
const fields = (r: Route | undefined): unknown =>
  r && {
    key: r.key,
    nlri: r.nlri,
    attrs: r.attrs,
    src: r.src,
    pathId: r.pathId,
    seq: r.seq,
    stale: r.stale,
  };

describe('V4KeyMap with a packing', () => {
  // A toy packing: { part, n } values pack when n is even.
  interface Val {
    readonly part: { readonly tag: number };
    readonly n: number;
  }
  const packing: Packing<Val | undefined> = {
    part: (v) => (v!.n % 2 === 0 ? v!.part : undefined),
    num: (v) => v!.n,
    unpack: (part, n) => ({ part: part as Val['part'], n }),
  };
  const rdUnits = [1, 2, 3, 4];

  it('reads a packed value back equal (a new object), a value it does not pack as itself', () => {
    const m = new V4KeyMap<Val | undefined>(rdUnits, 0, packing);
    const part = { tag: 1 };
    const even = { part, n: 2 };
    const odd = { part, n: 3 };
    const huge = { part, n: 0xffff_ffff };
    const frac = { part, n: 4.5 };
    m.setNumber(1, even);
    m.setNumber(2, odd);
    m.setNumber(3, huge);
    m.setNumber(4, frac);
    expect(m.getNumber(1)).toEqual(even);
    expect(m.getNumber(1)).not.toBe(even);
    expect(m.getNumber(1)!.part).toBe(part);
    expect(m.getNumber(2)).toBe(odd);
    // Past the packed column's range, or not an integer: kept as the object.
    expect(m.getNumber(3)).toBe(huge);
    expect(m.getNumber(4)).toBe(frac);
    m.setNumber(1, undefined);
    expect(m.getNumber(1)).toBeUndefined();
    expect(m.hasNumber(1)).toBe(false);
    expect(m.hasNumber(2)).toBe(true);
    m.setNumber(2, { part, n: 8 });
    expect(m.getNumber(2)).toEqual({ part, n: 8 });
  });

  it('keeps packed values through growth, compaction and walks', () => {
    const m = new V4KeyMap<Val | undefined>(rdUnits, 0, packing);
    const part = { tag: 2 };
    const n = 5000;
    for (let i = 0; i < n; i++) m.setNumber(v4KeyNumber(24, addrOf(i)), { part, n: i * 2 });
    for (let i = 0; i < n; i += 3) m.setNumber(v4KeyNumber(24, addrOf(i)), undefined);
    const c = m.compacted();
    let live = 0;
    for (let i = 0; i < n; i++) {
      const v = c.getNumber(v4KeyNumber(24, addrOf(i)));
      if (i % 3 === 0) expect(v).toBeUndefined();
      else {
        live++;
        expect(v).toEqual({ part, n: i * 2 });
      }
    }
    expect(c.size).toBe(live);
    expect([...c.values()].map((v) => v!.n)).toEqual(
      Array.from({ length: n }, (_, i) => i)
        .filter((i) => i % 3 !== 0)
        .map((i) => i * 2),
    );
    const seen: number[] = [];
    c.forEach((v) => seen.push(v!.n));
    expect(seen.length).toBe(live);
  });
});

describe('A VPNv4 table keeps a lone path packed', () => {
  it('gives back the route stored, field for field, but not the object', () => {
    const t = new Table('vpn', undefined, undefined, 'vpnv4');
    const r = v4(1, 3, 42);
    t.upsertV4(r, RD, num(1));
    t.recompute();
    const back = t.bestOf(keyOf(1))!;
    expect(back).not.toBe(r);
    expect(fields(back)).toEqual(fields(r));
    expect(back.origin).toBe(origin);
    expect(t.get(keyOf(1))!.paths.map(fields)).toEqual([fields(r)]);
    expect([...t.bestRoutes()].map(fields)).toEqual([fields(r)]);
    expect([...t.pathsOf(3)].map(fields)).toEqual([fields(r)]);
    expect(t.has(keyOf(1), 3)).toBe(true);
    expect(t.has(keyOf(1), 4)).toBe(false);
  });

  it('keeps a stale copy (not packable) as the object, and packs the fresh one again', () => {
    const t = new Table('vpn', undefined, undefined, 'vpnv4');
    const r = v4(1, 3, 42);
    t.upsertV4(r, RD, num(1));
    t.recompute();
    const stale = staleCopy(t.bestOf(keyOf(1))!);
    t.upsert(stale, keyOf(1));
    t.recompute();
    expect(t.bestOf(keyOf(1))).toBe(stale);
    const fresh = v4(1, 3, 43);
    t.upsertV4(fresh, RD, num(1));
    const ch = [...t.recompute()];
    expect(ch.map((c) => [c.oldBest, c.newBest])).toEqual([[stale, fresh]]);
    expect(t.bestOf(keyOf(1))).not.toBe(fresh);
    expect(fields(t.bestOf(keyOf(1)))).toEqual(fields(fresh));
  });

  it('reports a route born and given a better second path in one batch once, from no best', () => {
    const t = new Table('vpn', undefined, undefined, 'vpnv4');
    const a = v4(1, 1, 10);
    const b = v4(1, 2, 11, A2);
    t.upsertV4(a, RD, num(1));
    t.upsertV4(b, RD, num(1));
    const ch = [...t.recompute()];
    expect(ch.length).toBe(1);
    expect(ch[0]!.oldBest).toBeUndefined();
    expect(ch[0]!.newBest).toBe(b);
    expect(t.countAt(keyOf(1))).toBe(2);
  });

  it('withdraws a packed path: the route removed is the one stored, reported once', () => {
    const t = new Table('vpn', undefined, undefined, 'vpnv4');
    const rs = Array.from({ length: 10 }, (_, i) => v4(i, 5, 100 + i));
    rs.forEach((r, i) => t.upsertV4(r, RD, num(i)));
    t.recompute();
    expect(fields(t.removeV4(RD, num(3), 5))).toEqual(fields(rs[3]));
    expect(t.removeV4(RD, num(3), 5)).toBeUndefined();
    expect(t.removeV4(RD, num(4), 6)).toBeUndefined();
    const ch = [...t.recompute()];
    expect(ch.map((c) => [fields(c.oldBest), c.newBest])).toEqual([[fields(rs[3]), undefined]]);
    expect(t.size).toBe(9);
    expect(t.paths).toBe(9);
  });

  it('answers the same through an RD map split and its compactions', () => {
    const t = new Table('vpn', undefined, undefined, 'vpnv4');
    const n = SPLIT_AT + 5000;
    for (let i = 0; i < n; i++) t.upsertV4(v4(i, 1, i), RD, num(i));
    t.recompute();
    expect(t.byNumber).toBeInstanceOf(RdMap);
    // Withdraw most of them: the shards are compacted under the packed entries.
    for (let i = 0; i < n; i++) if (i % 10 !== 0) t.removeV4(RD, num(i), 1);
    t.recompute();
    expect(t.size).toBe(Math.ceil(n / 10));
    for (let i = 0; i < n; i += 997) {
      const r = t.bestOf(keyOf(i));
      if (i % 10 === 0) expect(fields(r)).toEqual(fields(v4(i, 1, i)));
      else expect(r).toBeUndefined();
    }
  });
});
