// An interned set's AS path is kept as one string (packed-path.ts): what is read back is the path
// that went in, segment types, 4-octet ASNs (to 2^32 - 1) and long paths included; and what the
// decision process reads of it (length, neighbor AS) is what the segments give.

import { describe, expect, it } from 'vitest';
import { asPathLength, EMPTY_ATTR_VALUES, neighborAsOf } from '../../src/model/attrset.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { packPath, unpackPath } from '../../src/rib/packed-path.js';
import type { AsPathSegment } from '../../src/wire/types.js';
import { xorshift32 } from './xorshift.js';

const seg = (type: AsPathSegment['type'], asns: number[]): AsPathSegment => ({ type, asns });

describe('packed AS paths', () => {
  it('read back as the segments that went in', () => {
    const paths: AsPathSegment[][] = [
      [],
      [seg(2, [65001])],
      [seg(2, [0, 1, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff])],
      [seg(3, [64512]), seg(4, [64513, 64514]), seg(2, [65001, 65002]), seg(1, [7, 8, 9])],
      [seg(2, [])],
    ];
    for (const p of paths) {
      const back = unpackPath(packPath(p));
      expect(back).toEqual(p);
      expect(Object.isFrozen(back)).toBe(true);
      for (const s of back) expect(Object.isFrozen(s) && Object.isFrozen(s.asns)).toBe(true);
    }
  });

  it('reads back long and random paths (packed in pieces past 4096 units)', () => {
    const next = xorshift32(13);
    const long = Array.from({ length: 40 }, (_, i) =>
      seg(
        i % 2 ? 1 : 2,
        Array.from({ length: 255 }, () => next() >>> 0),
      ),
    );
    expect(unpackPath(packPath(long))).toEqual(long);
    for (let n = 0; n < 500; n++) {
      const p = Array.from({ length: 1 + (next() & 3) }, () =>
        seg(
          ((next() & 3) + 1) as AsPathSegment['type'],
          Array.from({ length: next() & 15 }, () => next() >>> 0),
        ),
      );
      expect(unpackPath(packPath(p))).toEqual(p);
    }
  });

  it('gives an interned set the origin, path length and neighbor AS of its values', () => {
    // The set keeps ORIGIN and the length in one number and reads the neighbor AS from the
    // packed path (intern.ts InternedSet #shape, packed-path.ts packedNeighborAs).
    const next = xorshift32(29);
    const interner = new AttrInterner();
    const fixed: AsPathSegment[][] = [
      [],
      [seg(2, [])],
      [seg(1, [7, 8]), seg(2, [65001])],
      [seg(3, [64512]), seg(4, [64513, 64514]), seg(2, [0xffffffff, 65002])],
      [seg(3, [64512]), seg(1, [9])],
      [seg(4, [64512])],
    ];
    const random = Array.from({ length: 300 }, () =>
      Array.from({ length: next() & 3 }, () =>
        seg(
          ((next() & 3) + 1) as AsPathSegment['type'],
          Array.from({ length: next() & 7 }, () => next() >>> 0),
        ),
      ),
    );
    for (const [i, asPath] of [...fixed, ...random].entries()) {
      const origin = i % 3;
      const set = interner.intern({ ...EMPTY_ATTR_VALUES, origin, asPath });
      expect([set.origin, set.asPathLength, set.neighborAs]).toEqual([
        origin,
        asPathLength(asPath),
        neighborAsOf(asPath),
      ]);
    }
    // A long path's length is kept whole (past the eight bits of the origin beside it).
    const long = [
      seg(
        2,
        Array.from({ length: 255 }, (_, k) => k + 1),
      ),
      seg(2, [1, 2]),
    ];
    const set = interner.intern({ ...EMPTY_ATTR_VALUES, origin: 2, asPath: long });
    expect([set.origin, set.asPathLength, set.neighborAs]).toEqual([2, 257, 1]);
  });

  it('gives equal paths one interned set and any difference another', () => {
    const i = new AttrInterner();
    const v = (asPath: AsPathSegment[]) => ({ ...EMPTY_ATTR_VALUES, asPath });
    const a = i.intern(v([seg(2, [65001, 0xffffffff])]));
    expect(i.intern(v([seg(2, [65001, 0xffffffff])]))).toBe(a);
    expect(i.intern(v([seg(2, [65001, 0xfffffffe])]))).not.toBe(a);
    expect(i.intern(v([seg(1, [65001, 0xffffffff])]))).not.toBe(a);
    expect(i.intern(v([seg(2, [65001]), seg(2, [0xffffffff])]))).not.toBe(a);
    expect(i.intern(v([]))).toBe(i.intern(v([])));
    expect(i.intern(v([])).asPath).toEqual([]);
  });
});
