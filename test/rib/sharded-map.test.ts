import { describe, expect, it } from 'vitest';
import { ShardedMap, SPLIT_AT } from '../../src/rib/sharded-map.js';

/** A seeded generator (xorshift32): the same operations on every run. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** Whether the map was split into shards (private state, read for the test only). */
const isSplit = <K extends string | number>(m: ShardedMap<K, unknown>): boolean =>
  (m as unknown as { shards: unknown }).shards !== undefined;

describe('ShardedMap: a Map without the rehash pause of a big one', () => {
  for (const kind of ['string', 'number'] as const) {
    it(`answers as a Map does before and after the split (${kind} keys)`, () => {
      const r = rng(kind === 'string' ? 7 : 11);
      const keyOf = (i: number): string | number =>
        kind === 'string' ? String.fromCharCode(0, 1, 24, i >>> 16, i & 0xffff) : i * 2654435761;
      const model = new Map<string | number, number>();
      const m = new ShardedMap<string | number, number>();
      const range = SPLIT_AT * 3;
      for (let step = 0; step < SPLIT_AT * 6; step++) {
        const k = keyOf(Math.floor(r() * range));
        const op = r();
        if (op < 0.6) {
          model.set(k, step);
          m.set(k, step);
        } else if (op < 0.8) expect(m.delete(k)).toBe(model.delete(k));
        else {
          expect(m.get(k)).toBe(model.get(k));
          expect(m.has(k)).toBe(model.has(k));
        }
      }
      expect(isSplit(m)).toBe(true);
      expect(m.size).toBe(model.size);
      expect(new Map(m)).toEqual(model);
      expect([...m.keys()].sort()).toEqual([...model.keys()].sort());
      expect([...m.values()].sort()).toEqual([...model.values()].sort());
      let seen = 0;
      m.forEach((v, k) => {
        expect(model.get(k)).toBe(v);
        seen++;
      });
      expect(seen).toBe(model.size);
      m.clear();
      expect(m.size).toBe(0);
      expect([...m]).toEqual([]);
    });
  }

  it('keeps insertion order while small, and an overwrite does not count twice', () => {
    const m = new ShardedMap<string, number>([
      ['b', 1],
      ['a', 2],
    ]);
    m.set('b', 3);
    expect([...m]).toEqual([
      ['b', 3],
      ['a', 2],
    ]);
    expect(m.size).toBe(2);
    expect(isSplit(m)).toBe(false);
  });

  it('withdrawn to nothing: tombstones, a compaction below a quarter, an emptied shard dropped', () => {
    const m = new ShardedMap<string, number>();
    const keyOf = (i: number): string => String.fromCharCode(0, 1, 24, i >>> 16, i & 0xffff);
    const n = SPLIT_AT * 2;
    for (let i = 0; i < n; i++) m.set(keyOf(i), i);
    const shards = (): Map<string, number | undefined>[] =>
      (m as unknown as { shards: Map<string, number | undefined>[] }).shards;
    const before = shards().map((s) => s.size);
    // A quarter gone: every key stays in its shard's Map (no store rebuilt), the gone ones dead.
    for (let i = 0; i < n / 4; i++) expect(m.delete(keyOf(i))).toBe(true);
    expect(shards().map((s) => s.size)).toEqual(before);
    expect(m.size).toBe(n - n / 4);
    expect(m.has(keyOf(0))).toBe(false);
    expect(m.get(keyOf(0))).toBeUndefined();
    expect(m.delete(keyOf(0))).toBe(false);
    expect([...m.keys()].length).toBe(n - n / 4);
    // A dead key set again is live again, counted once.
    m.set(keyOf(0), -1);
    m.set(keyOf(0), -2);
    expect(m.size).toBe(n - n / 4 + 1);
    expect(m.get(keyOf(0))).toBe(-2);
    // Nine in ten gone: no shard's Map holds more than four entries per live key.
    for (let i = 0; i < n; i++) if (i % 10 !== 0) m.delete(keyOf(i));
    for (const s of shards()) {
      const live = [...s.values()].filter((v) => v !== undefined).length;
      expect(s.size).toBeLessThanOrEqual(4 * live + 4);
    }
    let left = 1; // keyOf(0), set again
    for (let i = n / 4; i < n; i++) if (i % 10 === 0) left++;
    expect(m.size).toBe(left);
    expect([...m.values()].length).toBe(left);
    // All gone: every shard's Map is a new, empty one.
    for (let i = 0; i < n; i++) m.delete(keyOf(i));
    expect(m.size).toBe(0);
    expect(shards().every((s) => s.size === 0)).toBe(true);
  });

  it('throws rather than skip keys when a deletion compacts the shard being iterated', () => {
    const m = new ShardedMap<string, number>();
    for (let i = 0; i < 100; i++) m.set(String(i), i);
    // Deleting the key just read leaves tombstones: safe.
    let n = 0;
    for (const [k] of m) if (m.delete(k) && ++n === 50) break;
    expect(m.size).toBe(50);
    expect(() => {
      for (const [k] of m) m.delete(k);
    }).toThrow(/compacted while iterated/);
  });
});
