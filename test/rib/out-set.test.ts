// An update group's outbound set (rib/out-set.ts) is the received set and the fields the outbound
// rules change: what it encodes must be what the plain outbound values (outbound.ts) encode, for
// every rule that changes a field.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrSet, type AttrValues } from '../../src/model/attrset.js';
import { makeRoute } from '../../src/model/route.js';
import { type RouteOrigin } from '../../src/model/route-origin.js';
import { sameValues } from '../../src/rib/attr-hash.js';
import { attrKey } from '../../src/rib/attr-key.js';
import { valuesToWire } from '../../src/rib/convert.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { makeOutSet, OutBySet, OutSet } from '../../src/rib/out-set.js';
import { outbound, outboundValues, type OutProfile } from '../../src/rib/outbound.js';
import { rtFromText, soOFromText } from '../../src/wire/ext-community.js';
import { EBGP_PROFILE, peerOrigin } from './peer-origin.js';

const full: AttrValues = {
  ...EMPTY_ATTR_VALUES,
  origin: 1,
  asPath: [
    { type: 2, asns: [65001, 4200000001] },
    { type: 1, asns: [65010, 65011] },
  ],
  nextHop: { afi: 1, addr: 0x7f000002 },
  med: 50,
  localPref: 200,
  atomicAggregate: true,
  aggregator: { asn: 4200000002, id: 9 },
  communities: [0x00010002, 0xfde80001],
  extCommunities: [rtFromText('65000:1'), soOFromText('65001:2')],
  largeCommunities: [{ global: 1, local1: 2, local2: 3 }],
  otc: 65001,
  others: [
    { kind: 'unknown', flags: 0xc0, code: 99, value: new Uint8Array([1, 2]) },
    { kind: 'unknown', flags: 0x80, code: 98, value: new Uint8Array([3]) },
  ],
  weight: 7,
};
const ibgpOrigin = (rrClient: boolean): RouteOrigin => {
  const o = peerOrigin(2, true);
  return o.kind === 'peer' ? { kind: 'peer', peer: { ...o.peer, rrClient } } : o;
};
const profiles: [string, OutProfile][] = [
  ['eBGP', EBGP_PROFILE],
  ['eBGP with as-override', { ...EBGP_PROFILE, asOverride: { peerAs: 65001 } }],
  ['iBGP', { ...EBGP_PROFILE, ibgp: true }],
  ['iBGP to a client', { ...EBGP_PROFILE, ibgp: true, rrClient: true }],
  ['iBGP next-hop-self', { ...EBGP_PROFILE, ibgp: true, rrClient: true, nextHopSelf: true }],
];
const origins: [string, RouteOrigin, number][] = [
  ['eBGP peer', peerOrigin(1), 1],
  ['eBGP peer, leaked (another source)', peerOrigin(1), 5],
  ['iBGP client', ibgpOrigin(true), 2],
  ['iBGP non-client', ibgpOrigin(false), 2],
];

describe('OutSet', () => {
  const interner = new AttrInterner();
  const values: [string, AttrValues][] = [
    ['every attribute', full],
    ['few', { ...EMPTY_ATTR_VALUES, asPath: [{ type: 2, asns: [65001] }], nextHop: full.nextHop }],
  ];
  for (const [pn, p] of profiles)
    for (const [on, o, src] of origins)
      for (const [vn, v] of values)
        it(`encodes as the outbound values: ${pn}, from ${on}, ${vn}`, () => {
          const r = makeRoute(
            'k',
            { kind: 'prefix', prefix: { afi: 1, addr: 0, len: 0 } },
            interner.intern(v),
            o,
            src,
            0,
            1,
          );
          const plain = outboundValues(r, p);
          const set = outbound(r, p, makeOutSet);
          if (typeof plain === 'string') {
            expect(set).toBe(plain);
            return;
          }
          expect(set).toBeInstanceOf(OutSet);
          if (!(set instanceof OutSet)) return;
          expect(sameValues(set, plain)).toBe(true);
          expect(attrKey(set)).toBe(attrKey(plain));
          const interned = interner.intern(plain);
          expect([set.asPathLength, set.neighborAs, set.rtKeys, set.weight]).toEqual([
            interned.asPathLength,
            interned.neighborAs,
            interned.rtKeys,
            0,
          ]);
          for (const fourOctetAs of [true, false])
            for (const localPref of [true, false]) {
              const opts = { fourOctetAs, localPref, markPartial: true };
              expect(valuesToWire(set, opts)).toEqual(valuesToWire(plain, opts));
            }
        });
});

describe('OutBySet', () => {
  it('drops the answers of released received sets as it grows', () => {
    const interner = new AttrInterner();
    const cache = new OutBySet();
    const live = (s: AttrSet): boolean => interner.isLive(s);
    const sets = Array.from({ length: 3000 }, (_, i) =>
      interner.intern({ ...EMPTY_ATTR_VALUES, med: i }),
    );
    for (const s of sets) interner.ref(s);
    // Two thousand sets asked for and released, then a thousand that stay.
    for (const s of sets.slice(0, 2000)) {
      cache.put(s, null, live);
      interner.unref(s);
    }
    for (const s of sets.slice(2000)) cache.put(s, null, live);
    expect(cache.size).toBeLessThanOrEqual(1024);
    expect(cache.get(sets[0]!)).toBeUndefined();
    for (const s of sets.slice(2000)) expect(cache.get(s)).toBeNull();
  });
});

describe('OutSet tail', () => {
  // What the rules decide is the same for every set a (group, source) sends toward an eBGP peer,
  // and for the reflected sets of a client that sent no CLUSTER_LIST: kept once (out-set.ts
  // OutTail), not per set. The fields are private: read here as the heap would see them.
  const tailOf = (s: unknown): unknown => (s as { tail: unknown }).tail;
  const interner = new AttrInterner();
  const routeOf = (med: number, o: RouteOrigin, src: number): ReturnType<typeof makeRoute> =>
    makeRoute(
      'k',
      { kind: 'prefix', prefix: { afi: 1, addr: 0, len: 0 } },
      interner.intern({ ...EMPTY_ATTR_VALUES, med, nextHop: full.nextHop }),
      o,
      src,
      0,
      1,
    );

  for (const [name, p, o, src] of [
    ['eBGP', EBGP_PROFILE, peerOrigin(1), 1],
    ['iBGP reflection', { ...EBGP_PROFILE, ibgp: true, rrClient: true }, ibgpOrigin(true), 2],
  ] as const)
    it(`is one object for the sets one source sends: ${name}`, () => {
      const make = new OutBySet().make;
      const a = outbound(routeOf(1, o, src), p, make);
      const b = outbound(routeOf(name === 'eBGP' ? 2 : 1, o, src), p, make);
      expect(a).toBeInstanceOf(OutSet);
      expect(b).toBeInstanceOf(OutSet);
      expect(a).not.toBe(b);
      expect(tailOf(b)).toBe(tailOf(a));
    });

  it('is another object where a decided field differs', () => {
    const make = new OutBySet().make;
    const p = { ...EBGP_PROFILE, ibgp: true, rrClient: true };
    const a = outbound(routeOf(1, ibgpOrigin(true), 2), p, make) as OutSet;
    const b = outbound(routeOf(2, ibgpOrigin(true), 2), p, make) as OutSet;
    expect(tailOf(b)).not.toBe(tailOf(a));
    expect([a.med, b.med]).toEqual([1, 2]);
  });
});
