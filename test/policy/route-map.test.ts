import { describe, expect, it } from 'vitest';
import type {
  PolicyDefs,
  PolicyRoute,
  Policies,
  RouteMapClauseDef,
  RouteMapResult,
} from '../../src/policy/index.js';
import {
  communityFromText,
  compilePolicies,
  evaluateRouteMap,
  extFromText,
  extToBytes,
  formatTrace,
  prefixFromText,
  prependAsPath,
} from '../../src/policy/index.js';
import type { ExtCommunity, IpPrefix } from '../../src/wire/types.js';

function p(text: string): IpPrefix {
  const v = prefixFromText(text);
  if (typeof v === 'string') throw new Error(v);
  return v;
}
const c = (t: string): number => communityFromText(t) as number;
const rt = (t: string): ExtCommunity => extFromText('route-target', t) as ExtCommunity;
const soo = (t: string): ExtCommunity => extFromText('route-origin', t) as ExtCommunity;
const hex = (e: ExtCommunity): string => Buffer.from(extToBytes(e)).toString('hex');

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !(o instanceof Uint8Array)) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

function route(over: Partial<PolicyRoute> = {}): PolicyRoute {
  return deepFreeze({
    prefix: p('10.1.0.0/24'),
    source: 'bgp',
    weight: 0,
    localPref: 100,
    communities: [],
    largeCommunities: [],
    extCommunities: [],
    asPath: [{ type: 2, asns: [65001] }],
    ...over,
  } satisfies PolicyRoute);
}

const LISTS: PolicyDefs = {
  prefixLists: {
    TEN: [{ seq: 10, action: 'permit', prefix: '10.0.0.0/8', le: 32 }],
    SHARED: [{ seq: 10, action: 'permit', prefix: '10.100.0.0/16', le: 32 }],
  },
  communityLists: {
    GOLD: [{ seq: 10, action: 'permit', communities: ['65000:1'] }],
    SCRUB: [
      { seq: 10, action: 'deny', communities: ['65000:2'] },
      { seq: 20, action: 'permit', communities: ['65000:1', '65000:2', '65000:3'] },
    ],
  },
  largeCommunityLists: { BIG: [{ seq: 10, action: 'permit', communities: ['65000:1:1'] }] },
  extCommunityLists: {
    RT10: [{ seq: 10, action: 'permit', rt: ['65000:10'] }],
    RT10L: [{ seq: 10, action: 'permit', rt: ['65000L:10'] }],
  },
};

function compile(maps: Record<string, RouteMapClauseDef[]>): Policies {
  const r = compilePolicies({ ...LISTS, routeMaps: maps });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policies;
}

function run(maps: Record<string, RouteMapClauseDef[]>, r: PolicyRoute): RouteMapResult {
  const pol = compile(maps);
  const m = pol.routeMaps.get('M');
  if (m === undefined) throw new Error('no map M');
  const traced = evaluateRouteMap(m, r, pol, { trace: true });
  // The fast path must decide the same way and produce the same route.
  const fast = evaluateRouteMap(m, r, pol);
  expect(fast.trace).toEqual([]);
  expect(fast.result).toBe(traced.result);
  expect(fast.decidedBy).toBe(traced.decidedBy);
  expect(fast.route).toEqual(traced.route);
  return traced;
}

describe('route-map permit / deny', () => {
  it('a permit clause applies its sets to a copy', () => {
    const r = route();
    const out = run(
      {
        M: [
          { seq: 10, action: 'permit', match: { prefixList: 'TEN' }, set: { localPreference: 50 } },
        ],
      },
      r,
    );
    expect(out.result).toBe('permit');
    expect(out.decidedBy).toBe(10);
    expect(out.route.localPref).toBe(50);
    expect(out.route).not.toBe(r);
    expect(r.localPref).toBe(100);
  });

  it('returns the same object when nothing changes', () => {
    const r = route();
    const out = run({ M: [{ seq: 10, action: 'permit', set: { localPreference: 100 } }] }, r);
    expect(out.result).toBe('permit');
    expect(out.route).toBe(r);
    expect(out.trace[0]?.sets).toEqual(['local-preference 100 -> 100']);
  });

  it('a deny clause denies and leaves the route alone', () => {
    const r = route();
    const out = run(
      {
        M: [
          { seq: 5, action: 'deny', match: { prefixList: 'TEN' } },
          { seq: 10, action: 'permit', set: { localPreference: 1 } },
        ],
      },
      r,
    );
    expect(out.result).toBe('deny');
    expect(out.decidedBy).toBe(5);
    expect(out.route).toBe(r);
    expect(out.trace).toHaveLength(1);
    expect(out.trace[0]?.outcome).toEqual({ kind: 'deny' });
  });

  it('denies when no clause matches, and says why', () => {
    const out = run(
      { M: [{ seq: 10, action: 'permit', match: { prefixList: 'SHARED' } }] },
      route({ prefix: p('10.1.0.0/24') }),
    );
    expect(out.result).toBe('deny');
    expect(out.decidedBy).toBeUndefined();
    expect(out.trace).toEqual([
      {
        seq: 10,
        action: 'permit',
        matched: false,
        conditions: [
          {
            match: 'prefix-list',
            ok: false,
            detail: 'prefix 10.1.0.0/24 not in prefix-list SHARED (implicit deny)',
          },
        ],
        sets: [],
        outcome: { kind: 'no-match' },
      },
    ]);
  });

  it('an empty route map denies everything', () => {
    const out = run({ M: [] }, route());
    expect(out.result).toBe('deny');
    expect(out.trace).toEqual([]);
  });

  it('all conditions must hold; the trace shows each', () => {
    const clause: RouteMapClauseDef = {
      seq: 10,
      action: 'permit',
      match: {
        prefixList: 'TEN',
        communityList: 'GOLD',
        sourceProtocol: 'leaked',
        sourceVrf: 'RED',
      },
    };
    const miss = run({ M: [clause] }, route({ source: 'leaked', sourceVrf: 'BLUE' }));
    expect(miss.result).toBe('deny');
    expect(miss.trace[0]?.conditions).toEqual([
      {
        match: 'prefix-list',
        ok: true,
        detail: 'prefix 10.1.0.0/24 permitted by prefix-list TEN seq 10 (10.0.0.0/8 le 32)',
      },
      {
        match: 'community-list',
        ok: false,
        detail: 'communities [] not matched by community-list GOLD (implicit deny)',
      },
      { match: 'source-vrf', ok: false, detail: 'source VRF BLUE is not VRF RED' },
      { match: 'source-protocol', ok: true, detail: 'source protocol leaked is leaked' },
    ]);
    const hit = run(
      { M: [clause] },
      route({ source: 'leaked', sourceVrf: 'RED', communities: [c('65000:1')] }),
    );
    expect(hit.result).toBe('permit');
    expect(hit.trace[0]?.conditions.every((x) => x.ok)).toBe(true);
    const dflt = run({ M: [clause] }, route({ source: 'static' }));
    expect(dflt.trace[0]?.conditions[2]?.detail).toBe('source the default table is not VRF RED');
  });

  it('matches route targets byte for byte through an ext-community list', () => {
    const maps = {
      M: [{ seq: 10, action: 'permit' as const, match: { extCommunityList: 'RT10' } }],
    };
    expect(run(maps, route({ extCommunities: [rt('65000:10')] })).result).toBe('permit');
    expect(run(maps, route({ extCommunities: [rt('65000L:10')] })).result).toBe('deny');
    const maps4 = {
      M: [{ seq: 10, action: 'permit' as const, match: { extCommunityList: 'RT10L' } }],
    };
    expect(run(maps4, route({ extCommunities: [rt('65000L:10')] })).result).toBe('permit');
    const l = run(
      { M: [{ seq: 10, action: 'permit', match: { largeCommunityList: 'BIG' } }] },
      route({
        largeCommunities: [{ global: 65000, local1: 1, local2: 1 }],
      }),
    );
    expect(l.result).toBe('permit');
  });
});

describe('continue and on-match next', () => {
  const maps: Record<string, RouteMapClauseDef[]> = {
    M: [
      { seq: 10, action: 'permit', set: { localPreference: 200 }, continue: 30 },
      { seq: 20, action: 'permit', set: { med: 5 } },
      { seq: 30, action: 'permit', match: { prefixList: 'SHARED' }, set: { med: 7 } },
      { seq: 40, action: 'deny', match: { communityList: 'GOLD' } },
    ],
  };

  it('continue jumps to the named clause and both sets apply', () => {
    const out = run(maps, route({ prefix: p('10.100.1.0/24') }));
    expect(out.result).toBe('permit');
    expect(out.decidedBy).toBe(30);
    expect(out.route.localPref).toBe(200);
    expect(out.route.med).toBe(7);
    expect(out.trace.map((s) => [s.seq, s.outcome.kind])).toEqual([
      [10, 'continue'],
      [30, 'permit'],
    ]);
    expect(out.trace[0]?.outcome).toEqual({ kind: 'continue', seq: 30 });
  });

  it('if nothing later matches, the earlier permit stands', () => {
    const out = run(maps, route());
    expect(out.result).toBe('permit');
    expect(out.decidedBy).toBe(10);
    expect(out.route.localPref).toBe(200);
    expect(out.route.med).toBeUndefined();
    expect(out.trace.map((s) => [s.seq, s.outcome.kind])).toEqual([
      [10, 'continue'],
      [30, 'no-match'],
      [40, 'no-match'],
    ]);
  });

  it('a later deny still denies, with the route as it came in', () => {
    const r = route({ communities: [c('65000:1')] });
    const out = run(maps, r);
    expect(out.result).toBe('deny');
    expect(out.decidedBy).toBe(40);
    expect(out.route).toBe(r);
  });

  it('on-match next and bare continue go to the following clause', () => {
    for (const how of [{ onMatch: 'next' as const }, { continue: true as const }]) {
      const out = run(
        {
          M: [
            { seq: 10, action: 'permit', set: { weight: 9 }, ...how },
            { seq: 20, action: 'permit', set: { med: 5 } },
            { seq: 30, action: 'permit', set: { med: 6 } },
          ],
        },
        route(),
      );
      expect(out.result).toBe('permit');
      expect(out.decidedBy).toBe(20);
      expect(out.route.weight).toBe(9);
      expect(out.route.med).toBe(5);
    }
  });

  it('later clauses see the route as earlier sets left it', () => {
    const out = run(
      {
        M: [
          {
            seq: 10,
            action: 'permit',
            set: { community: { add: ['65000:1'] } },
            onMatch: { goto: 20 },
          },
          { seq: 20, action: 'permit', match: { communityList: 'GOLD' }, set: { med: 1 } },
        ],
      },
      route(),
    );
    expect(out.decidedBy).toBe(20);
    expect(out.route.med).toBe(1);
  });
});

describe('sets', () => {
  const one = (set: RouteMapClauseDef['set'], r: PolicyRoute): RouteMapResult =>
    run({ M: [{ seq: 10, action: 'permit', set }] }, r);

  it('community add / remove / replace / none / remove by list', () => {
    const r = route({ communities: [c('65000:1'), c('65000:2'), c('65000:3'), c('no-export')] });
    expect(one({ community: { add: ['65000:9', '65000:1'] } }, r).route.communities).toEqual([
      c('65000:1'),
      c('65000:2'),
      c('65000:3'),
      c('no-export'),
      c('65000:9'),
    ]);
    expect(one({ community: { remove: ['65000:2', 'no-export'] } }, r).route.communities).toEqual([
      c('65000:1'),
      c('65000:3'),
    ]);
    expect(one({ community: { replace: ['65000:7'] } }, r).route.communities).toEqual([
      c('65000:7'),
    ]);
    expect(one({ community: { none: true } }, r).route.communities).toEqual([]);
    // SCRUB: 65000:2 is named first by a deny entry (kept), 65000:1 and :3 by a permit (removed)
    const byList = one({ community: { removeList: 'SCRUB', add: ['65000:5'] } }, r);
    expect(byList.route.communities).toEqual([c('65000:2'), c('no-export'), c('65000:5')]);
    expect(byList.trace[0]?.sets).toEqual([
      'community remove by list SCRUB: removed [65000:1 65000:3]',
      'community add [65000:5]',
    ]);
    // removing what is not there changes nothing
    expect(one({ community: { remove: ['1:1'] } }, r).route).toBe(r);
  });

  it('large community add / remove', () => {
    const a = { global: 65000, local1: 1, local2: 1 };
    const b = { global: 65000, local1: 2, local2: 2 };
    const r = route({ largeCommunities: [a] });
    expect(one({ largeCommunity: { add: ['65000:2:2'] } }, r).route.largeCommunities).toEqual([
      a,
      b,
    ]);
    expect(one({ largeCommunity: { remove: ['65000:1:1'] } }, r).route.largeCommunities).toEqual(
      [],
    );
  });

  it('route-target add, remove and replace', () => {
    const raw: ExtCommunity = {
      kind: 'raw',
      bytes: new Uint8Array([0x03, 0x0c, 0, 0, 0, 0, 0, 8]),
    };
    const r = route({ extCommunities: [rt('65000:10'), soo('65000:10'), raw] });
    const add = one({ routeTarget: { add: ['65000L:10', '65000:10'] } }, r).route.extCommunities;
    // 65000:10 is there already; 65000L:10 is a different RT (type 02) and is added
    expect(add.map(hex)).toEqual([
      '0002fde80000000a', // RT 65000:10 (as2)
      '0003fde80000000a', // route origin 65000:10
      '030c000000000008', // an unrelated ext community, kept as is
      '02020000fde8000a', // RT 65000L:10 (as4)
    ]);
    const rem = one({ routeTarget: { remove: ['65000L:10'] } }, r);
    expect(rem.route).toBe(r);
    const rem2 = one({ routeTarget: { remove: ['65000:10'] } }, r).route.extCommunities;
    expect(rem2.map(hex)).toEqual(['0003fde80000000a', '030c000000000008']);
    const rep = one({ routeTarget: { replace: ['10.0.0.1:5', '4200000000:7'] } }, r);
    expect(rep.route.extCommunities.map(hex)).toEqual([
      '0003fde80000000a',
      '030c000000000008',
      '01020a0000010005', // RT 10.0.0.1:5
      '0202fa56ea000007', // RT 4200000000:7
    ]);
    expect(rep.trace[0]?.sets).toEqual(['route-target replace [rt 10.0.0.1:5 rt 4200000000:7]']);
    // replace also strips a non-transitive RT arriving raw (type 0x40, subtype 0x02)
    const nt: ExtCommunity = {
      kind: 'raw',
      bytes: new Uint8Array([0x40, 2, 0xfd, 0xe8, 0, 0, 0, 1]),
    };
    const rep2 = one({ routeTarget: { replace: ['65000:10'] } }, route({ extCommunities: [nt] }));
    expect(rep2.route.extCommunities.map(hex)).toEqual(['0002fde80000000a']);
  });

  it('med, weight, next hop and their trace', () => {
    const out = one({ med: 20, weight: 300, nextHop: '192.0.2.1' }, route());
    expect(out.route.med).toBe(20);
    expect(out.route.weight).toBe(300);
    expect(out.route.nextHop).toEqual({ afi: 1, addr: 0xc0000201 });
    expect(out.trace[0]?.sets).toEqual([
      'med (none) -> 20',
      'weight 0 -> 300',
      'next-hop (none) -> 192.0.2.1',
    ]);
    const v6 = one({ nextHop: '2001:db8::1' }, route()).route.nextHop;
    expect(v6?.afi).toBe(2);
    expect(Buffer.from(v6?.addr as Uint8Array).toString('hex')).toBe(
      '20010db8000000000000000000000001',
    );
  });

  it('as-path prepend', () => {
    const out = one({ asPathPrepend: '65000 65000' }, route());
    expect(out.route.asPath).toEqual([{ type: 2, asns: [65000, 65000, 65001] }]);
    const set = one({ asPathPrepend: [65000] }, route({ asPath: [{ type: 1, asns: [1, 2] }] }));
    expect(set.route.asPath).toEqual([
      { type: 2, asns: [65000] },
      { type: 1, asns: [1, 2] },
    ]);
    expect(one({ asPathPrepend: [7] }, route({ asPath: [] })).route.asPath).toEqual([
      { type: 2, asns: [7] },
    ]);
    // RFC 4271 §4.3: a segment holds at most 255 ASNs
    const full = prependAsPath([{ type: 2, asns: new Array<number>(255).fill(1) }], [9]);
    expect(full.map((s) => s.asns.length)).toEqual([1, 255]);
    expect(full[0]?.asns).toEqual([9]);
  });
});

describe('formatTrace', () => {
  it('renders one line per clause and the verdict', () => {
    const maps: Record<string, RouteMapClauseDef[]> = {
      M: [
        { seq: 10, action: 'permit', match: { prefixList: 'SHARED' } },
        { seq: 20, action: 'permit', set: { localPreference: 50 } },
      ],
    };
    expect(formatTrace('M', run(maps, route()))).toEqual([
      'route-map M permit 10: - prefix 10.1.0.0/24 not in prefix-list SHARED (implicit deny) -> no-match',
      'route-map M permit 20: no match conditions set: local-preference 100 -> 50 -> permit',
      'route-map M: permit (seq 20)',
    ]);
  });
});

describe('compilePolicies errors', () => {
  function errs(def: PolicyDefs): string[] {
    const r = compilePolicies(def);
    if (r.ok) return [];
    return r.errors.map((e) => `${e.where}: ${e.message}`);
  }

  it('names the map and seq of an unknown list', () => {
    expect(
      errs({
        ...LISTS,
        routeMaps: { IMPORT: [{ seq: 10, action: 'permit', match: { prefixList: 'NOPE' } }] },
      }),
    ).toEqual(['routeMaps.IMPORT[seq 10].match: prefix-list "NOPE" is not defined']);
    expect(
      errs({
        routeMaps: {
          X: [
            { seq: 5, action: 'permit', match: { communityList: 'A', extCommunityList: 'B' } },
            { seq: 6, action: 'permit', set: { community: { removeList: 'C' } } },
          ],
        },
      }),
    ).toEqual([
      'routeMaps.X[seq 5].match: community-list "A" is not defined',
      'routeMaps.X[seq 5].match: ext-community-list "B" is not defined',
      'routeMaps.X[seq 6].set.community: community-list "C" is not defined',
    ]);
  });

  it('rejects bad continue targets and deny with continue', () => {
    const e = errs({
      routeMaps: {
        X: [
          { seq: 10, action: 'permit', continue: 5 },
          { seq: 20, action: 'permit', continue: 25 },
          { seq: 30, action: 'deny', onMatch: 'next' },
          { seq: 40, action: 'permit', continue: 50, onMatch: 'next' },
          { seq: 50, action: 'permit' },
          { seq: 60, action: 'permit', onMatch: 'goto' as never },
        ],
      },
    });
    expect(e).toEqual([
      'routeMaps.X[seq 10]: continue / on-match goto 5 must name a later clause of X',
      'routeMaps.X[seq 20]: continue / on-match goto 25 must name a later clause of X',
      'routeMaps.X[seq 30]: continue / on-match applies to permit clauses only',
      'routeMaps.X[seq 40]: use either continue or onMatch, not both',
      'routeMaps.X[seq 60].onMatch: expected "next" or { goto: SEQ }',
    ]);
  });

  it('rejects unknown keys, bad values and conflicting community sets', () => {
    const e = errs({
      routeMaps: {
        X: [
          {
            seq: 10,
            action: 'permit',
            match: { 'prefix-list': 'TEN', sourceProtocol: 'ospf' } as never,
            set: {
              localPreference: -1,
              nextHop: '10.0.0.300',
              community: { none: true, add: ['65000:1'] },
              routeTarget: { add: ['65000:x'] },
              asPathPrepend: 'abc',
            },
          },
        ],
      },
    });
    expect(e).toEqual([
      'routeMaps.X[seq 10].match: unknown key "prefix-list"',
      'routeMaps.X[seq 10].match.sourceProtocol: "ospf" is not one of connected, static, local, bgp, leaked',
      'routeMaps.X[seq 10].set.localPreference: -1 is not an integer in 0..4294967295',
      'routeMaps.X[seq 10].set.nextHop: "10.0.0.300" is not an IPv4 or IPv6 address',
      'routeMaps.X[seq 10].set.community: "none" cannot be combined with add, remove or replace',
      'routeMaps.X[seq 10].set.routeTarget.add: the assigned number in "65000:x" is not a decimal number',
      'routeMaps.X[seq 10].set.asPathPrepend: "abc" is not an integer in 0..4294967295',
    ]);
  });

  it('collects errors from lists too, and succeeds on a clean definition', () => {
    expect(
      errs({ prefixLists: { P: [{ seq: 1, action: 'permit', prefix: '10.0.0.0' }] } }),
    ).toEqual(['prefixLists.P[seq 1].prefix: "10.0.0.0" is not a prefix: no /length']);
    const ok = compilePolicies(LISTS);
    expect(ok.ok).toBe(true);
  });
});
