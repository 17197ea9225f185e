// keys.test.ts entries for policy keys: DST imports SRC's 10.1.0.0/24 (communities 65000:5,
// large community 65000:5:5, RT 65000:1) through route map M; each entry varies one key of M or
// of a list M uses, and compares DST's table.

import { expect } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import {
  differs,
  dstRoutes,
  leak,
  throughMap,
  type KeyCheck,
  type RouteMap,
} from './keys-scenarios.js';

type Policy = NonNullable<ConfigInput['policy']>;
type Clause = RouteMap[number];

const P = '10.1.0.0/24';
const has = (w: Parameters<typeof dstRoutes>[0]) => dstRoutes(w).some((r) => r.prefix === P);
const first = (w: Parameters<typeof dstRoutes>[0]) => dstRoutes(w).find((r) => r.prefix === P);

/** M matches with `match` (one permit clause), against the lists in `policy`. */
function matching(match: Clause['match'], policy: Policy = {}) {
  return throughMap([{ seq: 10, action: 'permit', match }], policy);
}

/** Whether DST has the route when M matches through a list of `kind` holding `a` vs `b`. */
function listKeys(
  section: 'community-lists' | 'large-community-lists' | 'ext-community-lists',
  matchKey: 'community-list' | 'large-community-list' | 'ext-community-list',
  field: 'communities' | 'large-communities' | 'ext-communities',
  hit: string,
  miss: string,
): Record<string, KeyCheck> {
  const list = (entries: { seq: number; action: 'permit' | 'deny'; values: string[] }[]) =>
    matching({ [matchKey]: 'L' }, {
      [section]: {
        L: entries.map((e) => ({ seq: e.seq, action: e.action, [field]: e.values })),
      },
    } as Policy);
  const at = `policy.${section}.*[]`;
  return {
    [`policy.${section}`]: 'container',
    [`${at}.seq`]: async () => {
      // The first matching entry (lowest seq) decides.
      const [a, b] = await differs(
        list([
          { seq: 10, action: 'deny', values: [hit] },
          { seq: 20, action: 'permit', values: [hit] },
        ]),
        list([
          { seq: 30, action: 'deny', values: [hit] },
          { seq: 20, action: 'permit', values: [hit] },
        ]),
        has,
      );
      expect([a, b]).toEqual([false, true]);
    },
    [`${at}.action`]: async () => {
      const [a, b] = await differs(
        list([{ seq: 10, action: 'permit', values: [hit] }]),
        list([{ seq: 10, action: 'deny', values: [hit] }]),
        has,
      );
      expect([a, b]).toEqual([true, false]);
    },
    [`${at}.${field}`]: async () => {
      const [a, b] = await differs(
        list([{ seq: 10, action: 'permit', values: [hit] }]),
        list([{ seq: 10, action: 'permit', values: [miss] }]),
        has,
      );
      expect([a, b]).toEqual([true, false]);
    },
    [`policy.route-maps.*[].match.${matchKey}`]: async () => {
      const policy = { [section]: { L: [{ seq: 10, action: 'deny', [field]: [hit] }] } } as Policy;
      await differs(matching({}, policy), matching({ [matchKey]: 'L' }, policy), has);
    },
  };
}

/** A set clause's add/remove/replace for one community kind. */
function communityOps(
  key: 'community' | 'large-community' | 'route-target',
  have: string,
  other: string,
  pick: (r: NonNullable<ReturnType<typeof first>>) => string[],
): Record<string, KeyCheck> {
  const set = (ops: Record<string, string[]>) =>
    throughMap([{ seq: 10, action: 'permit', set: { [key]: ops } }]);
  const seen = (w: Parameters<typeof dstRoutes>[0]) => {
    const r = first(w);
    return r ? pick(r) : undefined;
  };
  const at = `policy.route-maps.*[].set.${key}`;
  return {
    [at]: 'container',
    [`${at}.add`]: async () => {
      const [a, b] = await differs(set({}), set({ add: [other] }), seen);
      expect(b).toEqual([...(a ?? []), other]);
    },
    [`${at}.remove`]: async () => {
      const [a, b] = await differs(set({}), set({ remove: [have] }), seen);
      expect(a).toContain(have);
      expect(b).not.toContain(have);
    },
    [`${at}.replace`]: async () => {
      const [, b] = await differs(set({}), set({ replace: [other] }), seen);
      expect(b).toEqual([other]);
    },
  };
}

const PL = (entries: NonNullable<Policy['prefix-lists']>[string]) =>
  matching({ 'prefix-list': 'PL' }, { 'prefix-lists': { PL: entries } });

export const POLICY_KEYS: Record<string, KeyCheck> = {
  policy: 'container',
  'policy.prefix-lists': 'container',
  'policy.prefix-lists.*[].seq': async () => {
    const [a, b] = await differs(
      PL([
        { seq: 10, action: 'deny', prefix: P },
        { seq: 20, action: 'permit', prefix: P },
      ]),
      PL([
        { seq: 30, action: 'deny', prefix: P },
        { seq: 20, action: 'permit', prefix: P },
      ]),
      has,
    );
    expect([a, b]).toEqual([false, true]);
  },
  'policy.prefix-lists.*[].action': async () => {
    await differs(
      PL([{ seq: 10, action: 'permit', prefix: P }]),
      PL([{ seq: 10, action: 'deny', prefix: P }]),
      has,
    );
  },
  'policy.prefix-lists.*[].prefix': async () => {
    await differs(
      PL([{ seq: 10, action: 'permit', prefix: P }]),
      PL([{ seq: 10, action: 'permit', prefix: '10.2.0.0/24' }]),
      has,
    );
  },
  'policy.prefix-lists.*[].ge': async () => {
    const e = { seq: 10, action: 'permit' as const, prefix: '10.0.0.0/8' };
    await differs(PL([{ ...e, ge: 24 }]), PL([{ ...e, ge: 25 }]), has);
  },
  'policy.prefix-lists.*[].le': async () => {
    const e = { seq: 10, action: 'permit' as const, prefix: '10.0.0.0/8' };
    await differs(PL([{ ...e, le: 24 }]), PL([{ ...e, le: 16 }]), has);
  },
  ...listKeys('community-lists', 'community-list', 'communities', '65000:5', '65000:6'),
  ...listKeys(
    'large-community-lists',
    'large-community-list',
    'large-communities',
    '65000:5:5',
    '65000:6:6',
  ),
  ...listKeys(
    'ext-community-lists',
    'ext-community-list',
    'ext-communities',
    'rt:65000:1',
    'rt:65000:9',
  ),
  'policy.route-maps': 'container',
  'policy.route-maps.*[].seq': async () => {
    const lp = (seqA: number, seqB: number) =>
      throughMap([
        { seq: seqA, action: 'permit', set: { 'local-preference': 200 } },
        { seq: seqB, action: 'permit', set: { 'local-preference': 300 } },
      ]);
    const [a, b] = await differs(lp(10, 20), lp(30, 20), (w) => first(w)?.localPref);
    expect([a, b]).toEqual([200, 300]);
  },
  'policy.route-maps.*[].action': async () => {
    await differs(
      throughMap([{ seq: 10, action: 'permit' }]),
      throughMap([{ seq: 10, action: 'deny' }]),
      has,
    );
  },
  'policy.route-maps.*[].continue': async () => {
    const m = (c?: number | true): RouteMap => [
      {
        seq: 10,
        action: 'permit',
        set: { 'local-preference': 200 },
        ...(c !== undefined ? { continue: c } : {}),
      },
      { seq: 20, action: 'permit', set: { med: 7 } },
    ];
    const [a, b] = await differs(throughMap(m()), throughMap(m(20)), (w) => [
      first(w)?.localPref,
      first(w)?.med,
    ]);
    expect([a, b]).toEqual([
      [200, null],
      [200, 7],
    ]);
  },
  'policy.route-maps.*[].on-match': async () => {
    const m = (next: boolean): RouteMap => [
      {
        seq: 10,
        action: 'permit',
        set: { 'local-preference': 200 },
        ...(next ? { 'on-match': 'next' as const } : {}),
      },
      { seq: 20, action: 'permit', set: { med: 7 } },
    ];
    await differs(throughMap(m(false)), throughMap(m(true)), (w) => first(w)?.med);
  },
  'policy.route-maps.*[].match': async () => {
    // A clause without match matches everything; with one, only what it names.
    await differs(
      matching(undefined, {
        'prefix-lists': { PL: [{ seq: 10, action: 'permit', prefix: '10.2.0.0/24' }] },
      }),
      matching(
        { 'prefix-list': 'PL' },
        { 'prefix-lists': { PL: [{ seq: 10, action: 'permit', prefix: '10.2.0.0/24' }] } },
      ),
      has,
    );
  },
  'policy.route-maps.*[].match.prefix-list': async () => {
    const lists = {
      'prefix-lists': {
        HIT: [{ seq: 10, action: 'permit' as const, prefix: P }],
        MISS: [{ seq: 10, action: 'permit' as const, prefix: '10.2.0.0/24' }],
      },
    };
    await differs(
      matching({ 'prefix-list': 'HIT' }, lists),
      matching({ 'prefix-list': 'MISS' }, lists),
      has,
    );
  },
  'policy.route-maps.*[].match.source-vrf': async () => {
    await differs(matching({ 'source-vrf': 'SRC' }), matching({ 'source-vrf': 'DST' }), has);
  },
  'policy.route-maps.*[].match.source-protocol': async () => {
    // SRC's export map sees its own network (source `local`); DST's import would see `leaked`.
    const exportMatching = (p: 'local' | 'connected') =>
      leak(
        { 'export-map': 'M' },
        {},
        {
          policy: {
            'route-maps': { M: [{ seq: 10, action: 'permit', match: { 'source-protocol': p } }] },
          },
        },
      );
    const [a, b] = await differs(exportMatching('local'), exportMatching('connected'), has);
    expect([a, b]).toEqual([true, false]);
  },
  'policy.route-maps.*[].set': async () => {
    await differs(
      throughMap([{ seq: 10, action: 'permit' }]),
      throughMap([{ seq: 10, action: 'permit', set: { med: 9 } }]),
      (w) => first(w)?.med,
    );
  },
  'policy.route-maps.*[].set.local-preference': async () => {
    const [, b] = await differs(
      throughMap([{ seq: 10, action: 'permit' }]),
      throughMap([{ seq: 10, action: 'permit', set: { 'local-preference': 42 } }]),
      (w) => first(w)?.localPref,
    );
    expect(b).toBe(42);
  },
  'policy.route-maps.*[].set.med': async () => {
    const [, b] = await differs(
      throughMap([{ seq: 10, action: 'permit' }]),
      throughMap([{ seq: 10, action: 'permit', set: { med: 42 } }]),
      (w) => first(w)?.med,
    );
    expect(b).toBe(42);
  },
  'policy.route-maps.*[].set.next-hop': async () => {
    const [, b] = await differs(
      throughMap([{ seq: 10, action: 'permit' }]),
      throughMap([{ seq: 10, action: 'permit', set: { 'next-hop': '192.0.2.99' } }]),
      (w) => first(w)?.nextHop,
    );
    expect(b).toBe('192.0.2.99');
  },
  'policy.route-maps.*[].set.weight': async () => {
    const [, b] = await differs(
      throughMap([{ seq: 10, action: 'permit' }]),
      throughMap([{ seq: 10, action: 'permit', set: { weight: 42 } }]),
      (w) => first(w)?.weight,
    );
    expect(b).toBe(42);
  },
  'policy.route-maps.*[].set.as-path-prepend': async () => {
    const [, b] = await differs(
      throughMap([{ seq: 10, action: 'permit' }]),
      throughMap([{ seq: 10, action: 'permit', set: { 'as-path-prepend': [65009, 65009] } }]),
      (w) => first(w)?.asPath,
    );
    expect(b).toContain('65009 65009');
  },
  ...communityOps('community', '65000:5', '65000:6', (r) => r.communities),
  ...communityOps('large-community', '65000:5:5', '65000:6:6', (r) => r.largeCommunities),
  ...communityOps('route-target', '65000:1', '65000:6', (r) => r.routeTargets),
};
