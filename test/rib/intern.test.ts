// The interner finds sets by a hash of the values and a comparison of them (no key string): equal
// values give the one set, a difference in any one field gives another, and the canonical key is
// still there for the readers that print or compare it.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, valuesOf, type AttrValues } from '../../src/model/attrset.js';
import { attrHash, attrKey, AttrInterner, sameValues } from '../../src/rib/intern.js';
import { extCommunityBytes, rtFromText } from '../../src/wire/ext-community.js';

const base: AttrValues = {
  ...EMPTY_ATTR_VALUES,
  asPath: [{ type: 2, asns: [65001, 65002] }],
  nextHop: { afi: 1, addr: 0xc0000201 },
  med: 10,
  communities: [0xfde80001],
  extCommunities: [rtFromText('65001:1'), rtFromText('65001:2')],
};

/** The same values as new objects (what the decoder makes for the next UPDATE). */
const copy = (v: AttrValues): AttrValues => ({
  ...valuesOf(v),
  asPath: v.asPath.map((s) => ({ type: s.type, asns: [...s.asns] })),
  communities: [...v.communities],
  extCommunities: v.extCommunities.map((e) => ({ ...e })),
});

/** Each differs from base in one field. */
const variants: [string, AttrValues][] = [
  ['origin', { ...base, origin: 1 }],
  ['as path', { ...base, asPath: [{ type: 2, asns: [65001, 65003] }] }],
  ['as path segment type', { ...base, asPath: [{ type: 1, asns: [65001, 65002] }] }],
  ['next hop', { ...base, nextHop: { afi: 1, addr: 0xc0000202 } }],
  ['no next hop', { ...base, nextHop: undefined }],
  ['med', { ...base, med: 11 }],
  ['no med', { ...base, med: undefined }],
  ['med 0', { ...base, med: 0 }],
  ['local pref', { ...base, localPref: 100 }],
  ['atomic aggregate', { ...base, atomicAggregate: true }],
  ['aggregator', { ...base, aggregator: { asn: 1, id: 2 } }],
  ['communities', { ...base, communities: [0xfde80002] }],
  ['route target', { ...base, extCommunities: [rtFromText('65001:1'), rtFromText('65001:3')] }],
  [
    'route target order',
    { ...base, extCommunities: [rtFromText('65001:2'), rtFromText('65001:1')] },
  ],
  [
    'route target form',
    { ...base, extCommunities: [rtFromText('65001L:1'), rtFromText('65001:2')] },
  ],
  ['large communities', { ...base, largeCommunities: [{ global: 1, local1: 2, local2: 3 }] }],
  ['originator id', { ...base, originatorId: 5 }],
  ['cluster list', { ...base, clusterList: [7] }],
  ['otc', { ...base, otc: 65001 }],
  ['weight', { ...base, weight: 1 }],
  [
    'unknown attribute',
    { ...base, others: [{ kind: 'unknown', code: 99, flags: 0xc0, value: new Uint8Array([1]) }] },
  ],
];

describe('AttrInterner', () => {
  it('gives equal values one set and each one-field difference another', () => {
    const i = new AttrInterner();
    const a = i.intern(base);
    expect(i.intern(copy(base))).toBe(a);
    const seen = new Set([a]);
    for (const [what, v] of variants) {
      const s = i.intern(v);
      expect(seen.has(s), what).toBe(false);
      seen.add(s);
      expect(i.intern(copy(v)), what).toBe(s);
      expect(sameValues(s, base), what).toBe(false);
      expect(s.key, what).toBe(attrKey(v));
      expect(s.key === a.key, what).toBe(false);
    }
    expect(i.size).toBe(variants.length + 1);
  });

  it('matches an extended community by its octets, raw or decoded', () => {
    const i = new AttrInterner();
    const a = i.intern(base);
    const raw: AttrValues = {
      ...base,
      extCommunities: [
        { kind: 'raw', bytes: extCommunityBytes(rtFromText('65001:1')) },
        rtFromText('65001:2'),
      ],
    };
    expect(attrHash(raw)).toBe(attrHash(base));
    expect(i.intern(raw)).toBe(a);
  });

  it('forgets a set whose last reference is dropped, and keeps the others of its hash', () => {
    const i = new AttrInterner();
    const a = i.intern(base);
    const b = i.intern(variants[0]![1]);
    i.ref(a);
    i.ref(b);
    i.unref(a);
    expect(i.isLive(a)).toBe(false);
    expect(i.isLive(b)).toBe(true);
    const again = i.intern(copy(base));
    expect(again).not.toBe(a);
    expect(again.id).not.toBe(a.id);
    expect(i.intern(variants[0]![1])).toBe(b);
  });

  it('keeps its bookkeeping on the set: a spread copy, another interner or a released set is not live', () => {
    const i = new AttrInterner();
    const a = i.intern(base);
    expect(i.size).toBe(1);
    i.ref(a);
    i.ref(a);
    // A copy carries the id but is not the set: interned again, it finds the set by value.
    const spread = { ...valuesOf(a), id: a.id };
    expect(i.intern(spread)).toBe(a);
    expect(i.isLive(spread as typeof a)).toBe(false);
    // Another interner's set of equal values is not this one's.
    const other = new AttrInterner().intern(base);
    expect(i.isLive(other)).toBe(false);
    expect(i.intern(other)).toBe(a);
    i.unref(a);
    expect(i.isLive(a)).toBe(true);
    i.unref(a);
    expect(i.isLive(a)).toBe(false);
    expect(i.size).toBe(0);
    // A released set is not brought back by a late ref, nor handed out again.
    i.ref(a);
    expect(i.isLive(a)).toBe(false);
    expect(i.intern(a)).not.toBe(a);
    expect(i.size).toBe(1);
  });

  it('shares the frozen lists (but the AS path) of a set it was made from, and copies lists a caller may change', () => {
    const i = new AttrInterner();
    const a = i.intern({ ...base, communities: [1, 2], extCommunities: [rtFromText('65001:9')] });
    // Values made from a set (as outbound.ts does): another AS path, the other lists as they are.
    const lead = Object.freeze({ type: 2 as const, asns: Object.freeze([65000, 65001, 65002]) });
    const b = i.intern({ ...valuesOf(a), asPath: Object.freeze([lead]) });
    expect(b).not.toBe(a);
    expect(b.communities).toBe(a.communities);
    // Route targets are the interner's shared objects in either list.
    expect(b.extCommunities[0]).toBe(a.extCommunities[0]);
    // The AS path is kept packed (packed-path.ts): equal segments, made when read.
    expect(b.asPath).toEqual([lead]);
    expect(Object.isFrozen(b.asPath) && Object.isFrozen(b.asPath[0]!.asns)).toBe(true);
    // A list that is not frozen is copied: changing it afterwards changes no set.
    const comms = [7, 8];
    const asns = [65009];
    const c = i.intern({ ...base, communities: comms, asPath: [{ type: 2, asns }] });
    comms.push(9);
    asns.push(1);
    expect(c.communities).toEqual([7, 8]);
    expect(c.asPath[0]!.asns).toEqual([65009]);
    expect(Object.isFrozen(c.communities) && Object.isFrozen(c.asPath[0]!.asns)).toBe(true);
  });

  it("gives a set made from a base the base's extended-community list and RT keys when it kept them", () => {
    const i = new AttrInterner();
    const a = i.intern({ ...base, extCommunities: [rtFromText('65001:9'), rtFromText('65001:8')] });
    const path = Object.freeze([Object.freeze({ type: 2 as const, asns: Object.freeze([65000]) })]);
    const b = i.intern({ ...valuesOf(a), asPath: path }, a);
    expect(b.extCommunities).toBe(a.extCommunities);
    expect(b.rtKeys).toBe(a.rtKeys);
    expect(b.rtKeys).toEqual(new AttrInterner().intern(copy(a)).rtKeys);
    expect(b.rtKeys).toHaveLength(2);
    // Another list than the base's: its own keys.
    const c = i.intern(
      { ...valuesOf(a), asPath: path, extCommunities: [rtFromText('65001:7')] },
      a,
    );
    expect(c.rtKeys).toEqual(new AttrInterner().intern(copy(c)).rtKeys);
    expect(c.rtKeys).toHaveLength(1);
  });

  it("keeps a reader's memo on its own sets only", () => {
    const i = new AttrInterner();
    const a = i.intern(base);
    expect(i.memoOf(a)).toBeUndefined();
    i.setMemo(a, 'out');
    expect(i.memoOf(a)).toBe('out');
    expect(i.memoOf(i.intern(copy(base)))).toBe('out');
    // Another interner's set, or a copy of the values: nowhere to keep one.
    const other = new AttrInterner();
    other.setMemo(a, 'x');
    expect(other.memoOf(a)).toBeNull();
    expect(i.memoOf({ ...a })).toBeNull();
  });

  it('gives sets with equal extended-community lists one list and one RT key list, made again after its maker goes', () => {
    const i = new AttrInterner();
    const rts = () => [rtFromText('65001:1'), rtFromText('65001:2')];
    const a = i.intern({ ...base, med: 1, extCommunities: rts() });
    const b = i.intern({ ...base, med: 2, extCommunities: rts() });
    expect(b).not.toBe(a);
    expect(b.extCommunities).toBe(a.extCommunities);
    expect(b.rtKeys).toBe(a.rtKeys);
    expect(b.rtKeys).toHaveLength(2);
    // Another order, another list (and other keys in that order).
    const c = i.intern({ ...base, med: 3, extCommunities: rts().reverse() });
    expect(c.extCommunities).not.toBe(a.extCommunities);
    expect(c.rtKeys).toEqual([...a.rtKeys].reverse());
    // The set that made the list goes: b keeps it; the next set with it gets an equal one.
    i.ref(a);
    i.unref(a);
    expect(i.isLive(a)).toBe(false);
    expect(b.extCommunities).toEqual(rts());
    const d = i.intern({ ...base, med: 4, extCommunities: rts() });
    expect(d.extCommunities).toEqual(a.extCommunities);
    expect(d.rtKeys).toEqual(a.rtKeys);
    expect(i.intern({ ...base, med: 5, extCommunities: rts() }).extCommunities).toBe(
      d.extCommunities,
    );
    // A list with a raw community is kept as it came (not shared), and still found by value.
    const raw = { kind: 'raw' as const, bytes: new Uint8Array([0x43, 0, 0, 0, 0, 0, 0, 1]) };
    const e = i.intern({ ...base, med: 6, extCommunities: [raw] });
    const f = i.intern({ ...base, med: 7, extCommunities: [{ ...raw }] });
    expect(f.extCommunities).not.toBe(e.extCommunities);
    expect(i.intern({ ...base, med: 6, extCommunities: [{ ...raw }] })).toBe(e);
  });

  it('finds every set again after its tables grew and sets went (slot tables doubled, runs shifted back)', () => {
    const i = new AttrInterner();
    const v = (n: number): AttrValues => ({
      ...base,
      med: n,
      extCommunities: [rtFromText(`65001:${n % 7}`), rtFromText(`65001:${n % 5}`)],
    });
    const sets = Array.from({ length: 5000 }, (_, n) => i.intern(v(n)));
    for (let n = 0; n < 5000; n += 3) {
      i.ref(sets[n]!);
      i.unref(sets[n]!);
    }
    for (let n = 0; n < 5000; n++) {
      const again = i.intern(v(n));
      if (n % 3 === 0) expect(again).not.toBe(sets[n]);
      else expect(again).toBe(sets[n]);
      expect(again.extCommunities).toEqual(v(n).extCommunities);
      expect(again.rtKeys).toEqual(new AttrInterner().intern(v(n)).rtKeys);
    }
    expect(i.size).toBe(5000);
  });
});
