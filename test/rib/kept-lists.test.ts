// The lists an interned set keeps are copied from array literals of the list's length
// (kept-lists.ts), one case per length: each length must give the same elements in the same order,
// as a new array of exactly that length, and a set made from decoded values keeps such copies
// (frozen, equal to the values, not the decoder's arrays).

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { keptNumbers, keptObjects } from '../../src/rib/kept-lists.js';
import { rtFromText } from '../../src/wire/ext-community.js';

const range = (n: number, f: (i: number) => number): number[] =>
  Array.from({ length: n }, (_, i) => f(i));

describe('kept lists: copies from literals by length', () => {
  it('copies every length of numbers, doubles above 2^31 included', () => {
    for (let n = 0; n <= 12; n++) {
      const a = range(n, (i) => 0xfde80000 + i * 7919);
      const c = keptNumbers(a);
      expect(c).not.toBe(a);
      expect(c.length).toBe(n);
      expect(c).toEqual(a);
    }
  });

  it('copies every length of objects and strings', () => {
    for (let n = 0; n <= 9; n++) {
      const objs = range(n, (i) => i).map((i) => ({ i }));
      const c = keptObjects(objs);
      expect(c).not.toBe(objs);
      expect(c.length).toBe(n);
      for (let i = 0; i < n; i++) expect(c[i]).toBe(objs[i]);
      const strs = range(n, (i) => i).map((i) => `k${i}`);
      expect(keptObjects(strs)).toEqual(strs);
    }
  });

  it('an interned set keeps frozen copies of the decoded lists, equal to them', () => {
    const rts = range(3, (i) => i + 1).map((i) => rtFromText(`65001:${i}`));
    for (let n = 1; n <= 9; n++) {
      const v: AttrValues = {
        ...EMPTY_ATTR_VALUES,
        asPath: [
          { type: 2, asns: range(n, (i) => 65000 + i) },
          { type: 1, asns: [64512 + n] },
        ],
        communities: range(n, (i) => 0xfde80000 + i),
        extCommunities: rts.slice(0, 1 + (n % 3)),
      };
      const s = new AttrInterner().intern(v);
      expect(s.asPath).toEqual(v.asPath);
      expect(s.asPath).not.toBe(v.asPath);
      expect(s.asPath[0]!.asns).not.toBe(v.asPath[0]!.asns);
      expect(s.communities).toEqual(v.communities);
      expect(s.communities).not.toBe(v.communities);
      expect(s.extCommunities).toEqual(v.extCommunities);
      expect(s.rtKeys.length).toBe(1 + (n % 3));
      for (const l of [s.asPath, s.asPath[0]!.asns, s.asPath[1]!.asns, s.communities])
        expect(Object.isFrozen(l)).toBe(true);
      expect(Object.isFrozen(s.extCommunities) && Object.isFrozen(s.rtKeys)).toBe(true);
    }
  });
});
