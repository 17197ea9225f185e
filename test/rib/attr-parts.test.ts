// An interned set's compact representation (intern.ts, attr-parts.ts): its bookkeeping in the
// interner's columns, the attributes most sets lack kept aside and read through getters, next hops
// and route-target keys shared. Equal values still give one set and a difference in any one field
// another, whichever part of the set the field lives in; a copy made with valuesOf is the set's
// values, field for field.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, valuesOf, type AttrValues } from '../../src/model/attrset.js';
import { attrKey, AttrInterner, sameValues } from '../../src/rib/intern.js';
import { rtFromText, soOFromText } from '../../src/wire/ext-community.js';

const v6 = (last: number): Uint8Array =>
  new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last]);
const ll = (last: number): Uint8Array =>
  new Uint8Array([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last]);

/** Every field set, the rare ones included (an iBGP route reflected, with everything on it). */
const full: AttrValues = {
  origin: 1,
  asPath: [{ type: 2, asns: [65001, 65002] }],
  nextHop: { afi: 2, addr: v6(1), linkLocal: ll(1) },
  med: 10,
  localPref: 200,
  atomicAggregate: true,
  aggregator: { asn: 65001, id: 7 },
  communities: [0xfde80001],
  extCommunities: [rtFromText('65001:1')],
  largeCommunities: [{ global: 1, local1: 2, local2: 3 }],
  originatorId: 9,
  clusterList: [4, 5],
  otc: 65009,
  others: [{ kind: 'unknown', code: 99, flags: 0xc0, value: new Uint8Array([1]) }],
  weight: 3,
};

/** Each differs from full in one field (and each absent where it can be). */
const oneField: [string, Partial<AttrValues>][] = [
  ['origin', { origin: 0 }],
  ['as path', { asPath: [{ type: 2, asns: [65001, 65003] }] }],
  ['next hop address', { nextHop: { afi: 2, addr: v6(2), linkLocal: ll(1) } }],
  ['next hop link-local', { nextHop: { afi: 2, addr: v6(1), linkLocal: ll(2) } }],
  ['next hop without link-local', { nextHop: { afi: 2, addr: v6(1) } }],
  ['next hop IPv4', { nextHop: { afi: 1, addr: 0xc0000201 } }],
  ['no next hop', { nextHop: undefined }],
  ['med', { med: 11 }],
  ['no med', { med: undefined }],
  ['local pref', { localPref: 100 }],
  ['no local pref', { localPref: undefined }],
  ['atomic aggregate', { atomicAggregate: false }],
  ['aggregator', { aggregator: { asn: 65001, id: 8 } }],
  ['no aggregator', { aggregator: undefined }],
  ['communities', { communities: [0xfde80002] }],
  ['no communities', { communities: [] }],
  ['route target', { extCommunities: [rtFromText('65001:2')] }],
  ['no route target', { extCommunities: [] }],
  ['large communities', { largeCommunities: [{ global: 1, local1: 2, local2: 4 }] }],
  ['no large communities', { largeCommunities: [] }],
  ['originator id', { originatorId: 10 }],
  ['no originator id', { originatorId: undefined }],
  ['cluster list', { clusterList: [4] }],
  ['no cluster list', { clusterList: [] }],
  ['otc', { otc: 65010 }],
  ['no otc', { otc: undefined }],
  ['unknown attribute', { others: [] }],
  ['weight', { weight: 0 }],
];

describe('an interned set, its parts kept aside or shared', () => {
  it('reads back every field it was made from, through its getters and in valuesOf', () => {
    const i = new AttrInterner();
    for (const v of [full, EMPTY_ATTR_VALUES, { ...full, localPref: undefined, weight: 0 }]) {
      const s = i.intern(v);
      expect(attrKey(s)).toBe(attrKey(v));
      expect(attrKey(valuesOf(s))).toBe(attrKey(v));
      expect(sameValues(valuesOf(s), v)).toBe(true);
      expect(i.intern(valuesOf(s))).toBe(s);
    }
  });

  it('gives equal values one set and a one-field difference another, in each part of the set', () => {
    const i = new AttrInterner();
    const a = i.intern(full);
    const seen = new Set([a]);
    for (const [what, change] of oneField) {
      const v = { ...full, ...change };
      const s = i.intern(v);
      expect(seen.has(s), what).toBe(false);
      seen.add(s);
      expect(sameValues(s, a), what).toBe(false);
      expect(attrKey(s), what).toBe(attrKey(v));
      // Equal values from new objects: the same set.
      expect(i.intern(structuredClone(v)), what).toBe(s);
      // And the full set differs from the variant in the other direction too.
      expect(i.intern(structuredClone(full)), what).toBe(a);
    }
    expect(i.size).toBe(oneField.length + 1);
  });

  it('tells apart sets whose rare part is a LOCAL_PREF alone and those with one more rare field', () => {
    const i = new AttrInterner();
    const lp = { ...EMPTY_ATTR_VALUES, localPref: 100 };
    const a = i.intern(lp);
    for (const [what, change] of oneField.filter(([, c]) => !('localPref' in c))) {
      const rare = Object.keys(change)[0] as keyof AttrValues;
      const v = { ...lp, [rare]: full[rare] };
      const s = i.intern(v);
      expect(attrKey(s), what).toBe(attrKey(v));
      if (attrKey(v) !== attrKey(lp)) expect(s, what).not.toBe(a);
    }
    expect(i.intern({ ...lp, weight: 1 }).weight).toBe(1);
    expect(i.intern({ ...lp, localPref: 200 }).localPref).toBe(200);
  });

  it('shares one next hop object among the sets that carry it, copied from the decoder', () => {
    const i = new AttrInterner();
    const addr = v6(7);
    const a = i.intern({ ...EMPTY_ATTR_VALUES, nextHop: { afi: 2, addr }, med: 1 });
    const b = i.intern({ ...EMPTY_ATTR_VALUES, nextHop: { afi: 2, addr: v6(7) }, med: 2 });
    expect(b.nextHop).toBe(a.nextHop);
    // The set does not keep the decoder's octets (a view of a received message, maybe).
    addr[15] = 8;
    expect(a.nextHop).toEqual({ afi: 2, addr: v6(7) });
    const c = i.intern({ ...EMPTY_ATTR_VALUES, nextHop: { afi: 1, addr: 0x7f000001 }, med: 1 });
    const d = i.intern({ ...EMPTY_ATTR_VALUES, nextHop: { afi: 1, addr: 0x7f000001 }, med: 2 });
    expect(d.nextHop).toBe(c.nextHop);
    const e = i.intern({ ...EMPTY_ATTR_VALUES, nextHop: { afi: 1, addr: 0x7f000002 }, med: 2 });
    expect(e.nextHop).not.toBe(c.nextHop);
  });

  it('shares the key list of a lone route target, and keys each target of a longer list', () => {
    const i = new AttrInterner();
    const one = (med: number) =>
      i.intern({ ...EMPTY_ATTR_VALUES, med, extCommunities: [rtFromText('65001:5')] });
    expect(one(2).rtKeys).toBe(one(1).rtKeys);
    expect(one(1).rtKeys).toEqual(['0002fde900000005']);
    const two = i.intern({
      ...EMPTY_ATTR_VALUES,
      extCommunities: [rtFromText('65001:5'), rtFromText('65001:6')],
    });
    expect(two.rtKeys).toEqual(['0002fde900000005', '0002fde900000006']);
    expect(i.intern(EMPTY_ATTR_VALUES).rtKeys).toEqual([]);
    // Only transitive route targets, in their order, whatever stands between them.
    const mixed = i.intern({
      ...EMPTY_ATTR_VALUES,
      extCommunities: [
        soOFromText('65001:1'),
        rtFromText('65001:7'),
        { kind: 'route-target', form: 'as2', global: 65001, local: 8, transitive: false },
        soOFromText('65001:2'),
        rtFromText('65001:6'),
      ],
    });
    expect(mixed.rtKeys).toEqual(['0002fde900000007', '0002fde900000006']);
    const lone = i.intern({
      ...EMPTY_ATTR_VALUES,
      extCommunities: [soOFromText('65001:1'), rtFromText('65001:5')],
    });
    expect(lone.rtKeys).toBe(one(1).rtKeys);
    expect(
      i.intern({ ...EMPTY_ATTR_VALUES, extCommunities: [soOFromText('65001:1')] }).rtKeys,
    ).toEqual([]);
  });

  it('keeps a set and its copy apart: the copy has every value, not the bookkeeping', () => {
    const i = new AttrInterner();
    const s = i.intern(full);
    const copy = valuesOf(s);
    expect(i.isLive(copy as typeof s)).toBe(false);
    expect(Object.keys(copy).sort()).toEqual(Object.keys(full).sort());
    expect(Object.isFrozen(s)).toBe(true);
  });
});
