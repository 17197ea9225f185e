// The compact layouts of the transit memory work: a destination holding one path without an array,
// Adj-RIB-In as a count per (peer, family) over the table's paths, and the interner passing a live
// set through. Behaviour only (no sizes): the shapes must not change what the RIB answers.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import { keyLabels, type Route } from '../../src/model/route.js';
import { type RouteOrigin } from '../../src/model/route-origin.js';
import { queuedLabels } from '../../src/rib/out-entry.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { nlriKey } from '../../src/rib/keys.js';
import { Rib } from '../../src/rib/rib.js';
import { Table } from '../../src/rib/table.js';
import type { FamilyName } from '../../src/wire/afi.js';
import type { Nlri, VpnNlri } from '../../src/wire/types.js';

const peer = (id: number): RouteOrigin => ({
  kind: 'peer',
  peer: {
    id,
    address: `192.0.2.${id}`,
    addrKey: String(id).padStart(3, '0'),
    asn: 65000 + id,
    bgpId: id,
    ibgp: false,
    rrClient: false,
  },
});

const values = {
  ...EMPTY_ATTR_VALUES,
  asPath: [{ type: 2 as const, asns: [65001] }],
  nextHop: { afi: 1 as const, addr: 0xc0000201 },
};

/** RD 65001:rd, 10.0.i.0/24, label 16. */
const vpn = (rd: number, i: number): VpnNlri => ({
  kind: 'vpn',
  labels: [(16 << 4) | 1],
  rd: { hi: 65001, lo: rd },
  prefix: { afi: 1, len: 24, addr: (0x0a000000 + i * 256) >>> 0 },
});

describe('Destination: one path without an array', () => {
  const interner = new AttrInterner();
  const attrs = interner.intern(values);
  const r = (src: number, pathId = 0): Route => ({
    key: 'k',
    nlri: { kind: 'prefix', prefix: { afi: 1, len: 8, addr: 0x0a000000 } },
    attrs,
    origin: peer(src),
    src,
    pathId,
    seq: src * 10 + pathId,
    stale: false,
  });

  it('goes one -> two -> one -> none paths with the same answers as an array would', () => {
    const t = new Table('t');
    const a = r(1);
    const b = r(2);
    expect(t.upsert(a)).toBeUndefined();
    expect(t.get('k')!.paths).toEqual([a]);
    expect(t.get('k')!.count).toBe(1);
    const a2 = r(1);
    expect(t.upsert(a2)).toBe(a); // same (src, pathId): replaced
    expect(t.upsert(b)).toBeUndefined();
    expect(t.get('k')!.paths).toEqual([a2, b]);
    expect(t.paths).toBe(2);
    t.recompute();
    // Equal attributes: the older path (lower seq) wins.
    expect(t.get('k')!.best).toBe(a2);
    expect(t.remove('k', 1)).toBe(a2);
    expect(t.get('k')!.count).toBe(1);
    expect([...t.pathsOf(2)]).toEqual([b]);
    expect(t.remove('k', 1)).toBeUndefined();
    const ch = [...t.recompute()];
    expect(ch.map((c) => [c.oldBest, c.newBest])).toEqual([[a2, b]]);
    expect(t.remove('k', 2)).toBe(b);
    t.recompute();
    expect(t.get('k')).toBeUndefined();
    expect(t.paths).toBe(0);
  });

  it('asks the candidates filter about two or more paths only; a lone path is its own best', () => {
    const asked: number[] = [];
    const t = new Table('t', undefined, (ps) => {
      asked.push(ps.length);
      return ps.slice(1); // refuses the first path it is shown
    });
    const a = r(1);
    t.upsert(a);
    t.recompute();
    expect(t.get('k')!.best).toBe(a);
    expect(asked).toEqual([]);
    const b = r(2);
    t.upsert(b);
    t.recompute();
    expect(asked).toEqual([2]);
    expect(t.get('k')!.best).toBe(b);
  });
});

describe('Adj-RIB-In as a count per (peer, family)', () => {
  it('counts announcements, replacements and withdrawals; stale marking and sweeps', () => {
    const rib = new Rib();
    rib.announce('vpnv4', 1, peer(1), values, [vpn(1, 0), vpn(1, 1), vpn(2, 0)]);
    rib.announce('vpnv4', 1, peer(1), values, [vpn(1, 0)]); // again: a replacement
    rib.announce('vpnv4', 2, peer(2), values, [vpn(1, 0)]); // another peer, same destination
    expect(rib.adjRibIn(1, 'vpnv4')?.size).toBe(3);
    expect(rib.adjRibIn(2, 'vpnv4')?.size).toBe(1);
    expect(rib.withdraw('vpnv4', 1, [vpn(2, 0), vpn(3, 3)])).toBe(1); // 65001:3 was never sent
    expect(rib.adjRibIn(1, 'vpnv4')?.size).toBe(2);
    expect(rib.markStale(1)).toBe(2);
    expect(rib.countStale(1)).toBe(2);
    rib.announce('vpnv4', 1, peer(1), values, [vpn(1, 1)]); // sent again: no longer stale
    expect(rib.countStale(1)).toBe(1);
    expect(rib.removeSource(1, undefined, true)).toBe(1);
    expect(rib.adjRibIn(1, 'vpnv4')?.size).toBe(1);
    expect(
      rib
        .table('vpnv4')
        .get(nlriKey(vpn(1, 0)))
        ?.paths.map((p) => p.src),
    ).toEqual([2]);
    expect(rib.removeSource(1)).toBe(1);
    expect(rib.adjRibIn(1, 'vpnv4')).toBeUndefined();
    expect(rib.adjRibIn(2, 'vpnv4')?.size).toBe(1);
  });
});

describe('a received route keeps no NLRI object', () => {
  const v6 = new Uint8Array(16);
  v6.set([0x20, 0x01, 0x0d, 0xb8, 0x12, 0x80]);
  const cases: [FamilyName, Nlri][] = [
    ['vpnv4', vpn(7, 3)],
    ['vpnv4', { ...vpn(0xffffffff, 255), labels: [0x3e801, 0x3e901], pathId: 9 }],
    [
      'vpnv6',
      {
        kind: 'vpn',
        labels: [17],
        rd: { hi: 0x10000, lo: 5 },
        prefix: { afi: 2, len: 41, addr: v6 },
      },
    ],
    ['ipv4', { kind: 'prefix', prefix: { afi: 1, len: 32, addr: 0xc0000201 } }],
    ['ipv6', { kind: 'prefix', prefix: { afi: 2, len: 41, addr: v6 }, pathId: 2 }],
    [
      'ipv4-labeled',
      { kind: 'labeled', labels: [33], prefix: { afi: 1, len: 8, addr: 0x0a000000 } },
    ],
  ];
  it('reads back the NLRI it was received with, stale or not', () => {
    for (const [f, n] of cases) {
      const rib = new Rib();
      rib.announce(f, 1, peer(1), values, [n]);
      rib.recompute();
      const r = rib.table(f).bestOf(nlriKey(n))!;
      expect(r.nlri, f).toEqual(n);
      expect(Object.keys(r), f).not.toContain('nlri');
      rib.markStale(1);
      rib.recompute();
      const s = rib.table(f).bestOf(nlriKey(n))!;
      expect(s.stale).toBe(true);
      expect(s.nlri, f).toEqual(n);
    }
  });
});

describe('the received routes of one UPDATE share their common part', () => {
  it('each answers its own key, NLRI and arrival; a stale copy of one leaves the others', () => {
    const rib = new Rib();
    const batch = [vpn(1, 0), vpn(1, 1), vpn(1, 2)];
    rib.announce('vpnv4', 1, peer(1), values, batch);
    rib.recompute();
    const t = rib.table('vpnv4');
    const rs = batch.map((n) => t.bestOf(nlriKey(n))!);
    // One share: the family, labels, set, origin and source are not fields of each route.
    expect(Object.keys(rs[0]!)).not.toContain('attrs');
    expect(new Set(rs.map((r) => r.attrs)).size).toBe(1);
    rs.forEach((r, i) => {
      expect(r.key).toBe(nlriKey(batch[i]!));
      expect(r.nlri).toEqual(batch[i]);
      expect(r.src).toBe(1);
      expect(r.pathId).toBe(0);
      expect(r.stale).toBe(false);
      expect(r.origin).toEqual(peer(1));
    });
    expect(rs[1]!.seq).toBe(rs[0]!.seq + 1);
    rib.announce('vpnv4', 2, peer(2), { ...values, med: 5 }, [vpn(1, 1)]);
    rib.markStale(1);
    rib.recompute();
    expect(t.get(nlriKey(batch[1]!))!.paths.map((p) => [p.src, p.stale, p.attrs.med])).toEqual([
      [1, true, undefined],
      [2, false, 5],
    ]);
  });
});

describe('AttrInterner', () => {
  it('passes a live interned set through and re-interns one whose references are gone', () => {
    const i = new AttrInterner();
    const s = i.intern(values);
    i.ref(s);
    expect(i.intern(s)).toBe(s);
    expect(i.isLive(s)).toBe(true);
    i.unref(s);
    expect(i.isLive(s)).toBe(false);
    const again = i.intern(s);
    expect(again).not.toBe(s);
    expect(again.key).toBe(s.key);
  });
});

describe('a queued announcement builds no NLRI until packed', () => {
  it('reads the labels of a keyed route without its NLRI', () => {
    const rib = new Rib();
    rib.announce('vpnv4', 1, peer(1), values, [vpn(1, 0)]);
    rib.recompute();
    const r = rib.table('vpnv4').bestOf(nlriKey(vpn(1, 0)))!;
    let reads = 0;
    const spy = Object.create(r, {
      nlri: {
        get: () => {
          reads++;
          return r.nlri;
        },
      },
    }) as Route;
    expect(keyLabels(spy)).toEqual([(16 << 4) | 1]);
    // Queued as itself (pending-changes.ts), the route is asked for its labels when packed.
    expect(queuedLabels(spy)).toEqual([(16 << 4) | 1]);
    expect(spy.src).toBe(1);
    expect(reads).toBe(0);
    expect(spy.nlri).toEqual(vpn(1, 0));
    expect(reads).toBe(1);
    // A route that keeps its NLRI object: the labels are read from it.
    const plain = { ...r, nlri: vpn(2, 0) } as Route;
    expect(queuedLabels(plain)).toEqual([(16 << 4) | 1]);
  });
});
