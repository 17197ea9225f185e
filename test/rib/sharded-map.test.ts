import { describe, expect, it } from 'vitest';
import { ShardedMap, SPLIT_AT } from '../../src/rib/sharded-map.js';
import { xorshift32 } from './xorshift.js';

/** A seeded generator in [0, 1): the same operations on every run. */
function rng(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 0x100000000;
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

  it("keeps a Map's iteration rules while keys are deleted, added and cleared under an iterator", () => {
    const keyOf = (i: number): string => String.fromCharCode(0, 1, 24, i >>> 16, i & 0xffff);
    const shards = (m: ShardedMap<string, number>): Map<string, number | undefined>[] =>
      (m as unknown as { shards: Map<string, number | undefined>[] }).shards;
    const n = SPLIT_AT * 2;
    const m = new ShardedMap<string, number>();
    for (let i = 0; i < n; i++) m.set(keyOf(i), i);
    // Every key deleted as it is read (a peer's routes dropped by a walk): each seen once, the
    // compactions put off until the walk ends, then every shard emptied.
    const seen = new Set<string>();
    let twice = 0;
    for (const [k] of m) {
      if (seen.has(k) || !m.delete(k)) twice++;
      seen.add(k);
    }
    expect(twice).toBe(0);
    expect(seen.size).toBe(n);
    expect(m.size).toBe(0);
    expect(shards(m).every((s) => s.size === 0)).toBe(true);
    // A key deleted before the walk reaches it is not seen; one deleted behind it is no matter.
    for (let i = 0; i < n; i++) m.set(keyOf(i), i);
    const ahead = new Set([...m.keys()].slice(n / 2));
    let count = 0;
    let deadSeen = 0;
    for (const k of m.keys()) {
      if (count++ === 0) for (const a of ahead) m.delete(a);
      if (ahead.has(k)) deadSeen++;
    }
    expect(deadSeen).toBe(0);
    expect(count).toBe(n / 2);
    expect(m.size).toBe(n / 2);
    // The one Map reaching SPLIT_AT under an iterator splits when the walk ends, not under it.
    const small = new ShardedMap<string, number>();
    for (let i = 0; i < SPLIT_AT - 1; i++) small.set(keyOf(i), i);
    let walked = 0;
    for (const _ of small.values()) if (walked++ === 0) small.set(keyOf(SPLIT_AT + 5), -1);
    expect(walked).toBe(SPLIT_AT);
    expect(shards(small)).toBeDefined();
    expect(small.get(keyOf(SPLIT_AT + 5))).toBe(-1);
    // clear() ends an open walk, as a Map's does.
    let after = 0;
    for (const _ of small) if (after++ === 3) small.clear();
    expect(after).toBe(4);
    expect(small.size).toBe(0);
  });
});
