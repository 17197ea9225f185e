import { describe, expect, it } from 'vitest';
import type { AttrValues } from '../../src/model/attrset.js';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import type { Route } from '../../src/model/route.js';
import type { PeerRef, RouteOrigin } from '../../src/model/route-origin.js';
import { compareRoutes, selectBest } from '../../src/rib/decision.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { Table } from '../../src/rib/table.js';

const interner = new AttrInterner();
let seq = 0;

function peer(id: number, over: Partial<PeerRef> = {}): PeerRef {
  return {
    id,
    address: `192.0.2.${id}`,
    addrKey: String(id).padStart(3, '0'),
    asn: 65000 + id,
    bgpId: 0x0a000000 + id,
    ibgp: false,
    rrClient: false,
    ...over,
  };
}

function route(origin: RouteOrigin, v: Partial<AttrValues>, extra: Partial<Route> = {}): Route {
  const attrs = interner.intern({
    ...EMPTY_ATTR_VALUES,
    asPath: [{ type: 2, asns: [65001] }],
    nextHop: { afi: 1, addr: 0xc0000201 },
    ...v,
  });
  return {
    key: '167772160/8',
    nlri: { kind: 'prefix', prefix: { afi: 1, len: 8, addr: 0x0a000000 } },
    attrs,
    origin,
    src: origin.kind === 'peer' ? origin.peer.id : 1000,
    pathId: 0,
    seq: seq++,
    stale: false,
    ...extra,
  };
}

const p1 = { kind: 'peer', peer: peer(1) } as const;
const p2 = { kind: 'peer', peer: peer(2) } as const;

describe('decision process (RFC 4271 §9.1.2.2) with a reason for each step', () => {
  it('prefers higher weight, then higher local-pref', () => {
    expect(compareRoutes(route(p1, { weight: 10 }), route(p2, { localPref: 500 }))).toEqual({
      order: -10,
      reason: 'weight',
    });
    const c = compareRoutes(route(p1, { localPref: 50 }), route(p2, { localPref: 200 }));
    expect(c.order).toBeGreaterThan(0);
    expect(c.reason).toBe('local-pref');
  });
  it('prefers a locally originated route', () => {
    const local = route({ kind: 'local', source: 'local' }, { asPath: [] });
    expect(compareRoutes(local, route(p1, {})).reason).toBe('local-origin');
    expect(compareRoutes(local, route(p1, {})).order).toBeLessThan(0);
  });
  it('counts an AS_SET as one and confederation segments as zero', () => {
    const a = route(p1, {
      asPath: [
        { type: 3, asns: [1, 2, 3] },
        { type: 2, asns: [65001] },
        { type: 1, asns: [7, 8, 9] },
      ],
    });
    const b = route(p2, { asPath: [{ type: 2, asns: [65002, 1, 2] }] });
    const c = compareRoutes(a, b);
    expect(c).toEqual({ order: -1, reason: 'as-path-length' });
  });
  it('prefers lower origin, then lower MED only within the same neighbor AS', () => {
    expect(compareRoutes(route(p1, { origin: 2 }), route(p2, { origin: 0 })).reason).toBe('origin');
    const sameAs = { asPath: [{ type: 2 as const, asns: [65009] }] };
    expect(
      compareRoutes(route(p1, { ...sameAs, med: 5 }), route(p2, { ...sameAs, med: 10 })),
    ).toEqual({ order: -5, reason: 'med' });
    // Different neighbor AS: MED is skipped and a later step decides.
    const c = compareRoutes(
      route(p1, { asPath: [{ type: 2, asns: [65001] }], med: 50 }),
      route(p2, { asPath: [{ type: 2, asns: [65002] }], med: 10 }),
    );
    expect(c.reason).not.toBe('med');
  });
  it('prefers eBGP over iBGP, then the older eBGP path', () => {
    const ibgp = { kind: 'peer', peer: peer(3, { ibgp: true }) } as const;
    expect(compareRoutes(route(ibgp, {}), route(p1, {})).reason).toBe('ebgp-over-ibgp');
    const older = route(p2, {});
    const newer = route(p1, {});
    expect(compareRoutes(older, newer)).toEqual({ order: -1, reason: 'older' });
  });
  it('uses ORIGINATOR_ID in place of the router id, then CLUSTER_LIST length, then peer address', () => {
    const i1 = { kind: 'peer', peer: peer(4, { ibgp: true, bgpId: 9 }) } as const;
    const i2 = { kind: 'peer', peer: peer(5, { ibgp: true, bgpId: 1 }) } as const;
    expect(compareRoutes(route(i1, { originatorId: 0 }), route(i2, {})).reason).toBe('router-id');
    expect(compareRoutes(route(i1, { originatorId: 0 }), route(i2, {})).order).toBeLessThan(0);
    const same = { kind: 'peer', peer: peer(6, { ibgp: true, bgpId: 1 }) } as const;
    expect(
      compareRoutes(route(i2, { clusterList: [1, 2] }), route(same, { clusterList: [1] })).reason,
    ).toBe('cluster-list-length');
    expect(compareRoutes(route(i2, {}), route(same, {})).reason).toBe('peer-address');
  });
  it('selectBest names the reason the winner beat the runner-up', () => {
    const a = route(p1, { localPref: 100 });
    const b = route(p2, { localPref: 300 });
    const c = route(p2, { localPref: 200 }, { src: 77 });
    expect(selectBest([a, b, c])).toEqual({ best: b, reason: 'local-pref' });
    expect(selectBest([a])).toEqual({ best: a, reason: 'only-path' });
  });
  it('prefers a fresh path over a stale one (graceful restart)', () => {
    const stale = route(p1, { localPref: 500 }, { stale: true });
    expect(selectBest([stale, route(p2, {})]).reason).toBe('not-stale');
  });
});

describe('table', () => {
  it('recomputes each touched destination once per batch and reports best changes', () => {
    const t = new Table('vpnv4');
    const a = route(p1, { localPref: 100 });
    const b = route(p2, { localPref: 200 });
    t.upsert(a);
    t.upsert(b);
    const ch = [...t.recompute()];
    expect(ch).toHaveLength(1);
    expect(ch[0]!.newBest).toBe(b);
    expect([...t.recompute()]).toEqual([]);
    t.remove(b.key, b.src);
    const ch2 = [...t.recompute()];
    expect(ch2[0]!.oldBest).toBe(b);
    expect(ch2[0]!.newBest).toBe(a);
    t.remove(a.key, a.src);
    expect([...t.recompute()][0]!.newBest).toBeUndefined();
    expect(t.size).toBe(0);
    expect(t.paths).toBe(0);
  });
  it('replaces the path of the same source and path id (implicit withdraw)', () => {
    const t = new Table('ipv4');
    t.upsert(route(p1, { med: 1 }));
    const replaced = t.upsert(route(p1, { med: 2 }));
    expect(replaced?.attrs.med).toBe(1);
    expect(t.paths).toBe(1);
  });
});

describe('attribute interning', () => {
  it('returns the same frozen object for equal values and distinguishes RT forms', () => {
    const i = new AttrInterner();
    const rt2 = {
      kind: 'route-target',
      form: 'as2',
      transitive: true,
      global: 65000,
      local: 10,
    } as const;
    const rt4 = { ...rt2, form: 'as4' } as const;
    const a = i.intern({ ...EMPTY_ATTR_VALUES, extCommunities: [rt2] });
    const b = i.intern({ ...EMPTY_ATTR_VALUES, extCommunities: [rt2] });
    const c = i.intern({ ...EMPTY_ATTR_VALUES, extCommunities: [rt4] });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(Object.isFrozen(a)).toBe(true);
    expect(a.rtKeys).toEqual(['0002fde80000000a']);
    expect(c.rtKeys).toEqual(['02020000fde8000a']);
  });
});

describe('long-lived stale paths (RFC 9494 §4.4)', () => {
  const LLGR_STALE = 0xffff0006;
  const p2 = { kind: 'peer', peer: peer(2) } as const;

  it('"MUST be treated as less preferred than any other route that is not so treated"', () => {
    // Higher weight, local preference and a GR-stale rival: the LLGR_STALE path still loses.
    const llgr = route(p1, { communities: [LLGR_STALE], weight: 100, localPref: 500 });
    const other = route(p2, { localPref: 10 }, { stale: true });
    expect(compareRoutes(llgr, other)).toEqual({ order: 1, reason: 'llgr-stale' });
    expect(selectBest([llgr, other])).toMatchObject({ best: other, reason: 'llgr-stale' });
  });

  it('"between two routes both of which are least-preferred, normal tie-breaking applies"', () => {
    const a = route(p1, { communities: [LLGR_STALE], localPref: 200 });
    const b = route(p2, { communities: [LLGR_STALE], localPref: 100 });
    expect(selectBest([b, a])).toMatchObject({ best: a, reason: 'local-pref' });
  });
});
