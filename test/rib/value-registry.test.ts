// A VPNv4 key map may keep the objects of its value column by number (value-registry.ts): a
// transit's million slots name a few thousand route shares and Adj-RIB-Out entries. The map must
// answer as one that keeps pointers through overwrites, tombstones, splits and compactions, and
// the registry must hold exactly the objects some slot still names (a number left behind keeps
// its object alive); a map whose objects are each named by few slots goes back to pointers.

import { describe, expect, it } from 'vitest';
import { destinationMap, RdMap } from '../../src/rib/rd-map.js';
import { SPLIT_AT } from '../../src/rib/sharded-map.js';
import { ValueRegistry } from '../../src/rib/value-registry.js';
import { V4KeyMap } from '../../src/rib/v4-key-map.js';
import { xorshift32 } from './xorshift.js';
import { vpnv4Key, withdrawMost } from './vpnv4-maps.js';

const key = vpnv4Key;

interface Obj {
  readonly n: number;
}

/** Sets every key in m and ref alike, a new object for each run of `per` keys. */
function loadShared(
  m: { set(k: string, v: Obj): unknown },
  ref: Map<string, Obj>,
  keys: readonly string[],
  per: number,
): void {
  let obj: Obj = { n: -1 };
  keys.forEach((k, i) => {
    if (i % per === 0) obj = { n: i };
    m.set(k, obj);
    ref.set(k, obj);
  });
}

/** The distinct objects a map's values are. */
const distinct = (m: Map<string, Obj>): number => new Set(m.values()).size;

describe('ValueRegistry', () => {
  it('numbers an object once, counts its slots, and frees the number with the last', () => {
    const r = new ValueRegistry();
    const a = { a: 1 };
    const b = { b: 2 };
    const ia = r.enter(a);
    expect(r.enter(a)).toBe(ia);
    const ib = r.enter(b);
    expect(ib).not.toBe(ia);
    expect(ia).toBeGreaterThan(0);
    expect(r.value(ia)).toBe(a);
    expect(r.size).toBe(2);
    r.leave(ia);
    expect(r.size).toBe(2);
    r.leave(ia);
    expect(r.size).toBe(1);
    // The freed number goes to the next object; a, entered again, gets a number of its own.
    const c = { c: 3 };
    expect(r.enter(c)).toBe(ia);
    expect(r.value(ia)).toBe(c);
    const ia2 = r.enter(a);
    expect(ia2).not.toBe(ia);
    expect(ia2).not.toBe(ib);
    r.clear();
    expect(r.size).toBe(0);
    expect(r.enter(b)).toBeGreaterThan(0);
  });
});

describe('a VPNv4 destination map keeping its objects by number', () => {
  it('answers as an RdMap of Maps through overwrites, splits, deletions and compactions', () => {
    const m = destinationMap<Obj>('vpnv4', undefined, true) as RdMap<Obj>;
    const ref = new RdMap<Obj>();
    const next = xorshift32(2024);
    const keys: string[] = [];
    for (let rd = 1; rd <= 2; rd++)
      for (let i = 0; i < SPLIT_AT + 5000; i++) keys.push(key(24, 0x0a000000 + i * 256, rd));
    // Runs of 200 keys share an object, as a transit's UPDATEs share a route share.
    loadShared(m, ref, keys, 200);
    expect(m.numberedObjects).toBe(distinct(ref));
    // Some keys get other objects (a replacement), some an object already kept elsewhere.
    const replacement = { n: -2 };
    for (let i = 0; i < keys.length; i += 3) {
      const v = i % 2 === 0 ? replacement : ref.get(keys[(i * 31) % keys.length]!)!;
      m.set(keys[i]!, v);
      ref.set(keys[i]!, v);
    }
    expect(m.numberedObjects).toBe(distinct(ref));
    withdrawMost(m, ref, keys, next);
    expect(m.numberedObjects).toBe(distinct(ref));
    for (const k of keys) m.delete(k);
    expect(m.numberedObjects).toBe(0);
  });

  it('goes back to pointers where each object is named by few slots, and answers the same', () => {
    const m = destinationMap<Obj>('vpnv4', undefined, true) as RdMap<Obj>;
    const ref = new RdMap<Obj>();
    // An object per two keys (a realistic table's UPDATEs carry a few routes each).
    const keys = Array.from({ length: 5000 }, (_, i) => key(24, 0x0a000000 + i * 256));
    loadShared(m, ref, keys, 2);
    // Past its first growth beyond 256 entries the RD's map keeps pointers: no numbers.
    expect(m.numberedObjects).toBe(0);
    for (const k of keys) expect(m.get(k)).toBe(ref.get(k));
    for (let i = 0; i < keys.length; i += 2) {
      m.delete(keys[i]!);
      ref.delete(keys[i]!);
    }
    expect(new Map(m)).toEqual(new Map(ref));
  });

  it('keeps pointers in the shards of a split RD, and in a map made large, where few slots share', () => {
    const m = destinationMap<Obj>('vpnv4', undefined, true) as RdMap<Obj>;
    const ref = new RdMap<Obj>();
    const keys = Array.from({ length: SPLIT_AT + 5000 }, (_, i) => key(24, 0x0a000000 + i * 256));
    loadShared(m, ref, keys, 2);
    // The split's shards are made empty with the RdMap's registry: they keep pointers as the
    // map they came from did.
    expect(m.numberedObjects).toBe(0);
    expect(new Map(m)).toEqual(new Map(ref));
    // A map made at a size past the judgement's (a compaction's, a split's) judges at its growth.
    const r = new ValueRegistry();
    const big = new V4KeyMap<Obj>(key(0, 0).slice(0, 4), 600, undefined, r);
    const bigRef = new Map<string, Obj>();
    loadShared(big, bigRef, keys.slice(0, 2000), 2);
    expect(r.size).toBe(0);
    expect([...big]).toEqual([...bigRef]);
    for (const [k, v] of bigRef) expect(big.get(k)).toBe(v);
  });
});
