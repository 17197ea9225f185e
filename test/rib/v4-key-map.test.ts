// V4KeyMap finds VPNv4 keys of one RD by number: it must answer as a Map would for every key
// (lengths and addresses that share bits, keys that differ only in their length, values undefined),
// keep insertion order through its index growing, and see entries added while it is walked. And a
// VPNv4 table built on it (destinationMap) must answer as one built on Maps.

import { describe, expect, it } from 'vitest';
import { destinationMap, RdMap } from '../../src/rib/rd-map.js';
import { SPLIT_AT } from '../../src/rib/sharded-map.js';
import { V4KeyMap } from '../../src/rib/v4-key-map.js';
import { xorshift32 } from './xorshift.js';
import { vpnv4Key, withdrawMost } from './vpnv4-maps.js';

const key = vpnv4Key;

const RD = key(0, 0).slice(0, 4);

describe('V4KeyMap', () => {
  it('answers as a Map for keys that share their bits, in insertion order, past many index growths', () => {
    const m = new V4KeyMap<number | undefined>(RD);
    const ref = new Map<string, number | undefined>();
    const next = xorshift32(12345);
    const keys: string[] = [];
    // Runs of /24s, the same addresses under every length, 0.0.0.0/0, 255.255.255.255/32.
    for (let i = 0; i < 3000; i++) keys.push(key(24, 0x0a000000 + i * 256));
    for (let len = 0; len <= 32; len++) keys.push(key(len, 0x0a000000), key(len, 0xffffffff));
    for (let i = 0; i < 5000; i++) keys.push(key(next() % 33, next()));
    let n = 0;
    for (const k of keys) {
      // Some values undefined (the sharded map's tombstones), some keys set twice.
      const v = n % 11 === 0 ? undefined : n;
      m.set(k, v);
      ref.set(k, v);
      if (n % 7 === 0) {
        m.set(k, -n);
        ref.set(k, -n);
      }
      n++;
    }
    expect(m.size).toBe(ref.size);
    for (const [k, v] of ref) {
      expect(m.get(k)).toBe(v);
      expect(m.has(k)).toBe(true);
    }
    for (let i = 0; i < 2000; i++) {
      const k = key(next() % 33, next());
      expect(m.get(k)).toBe(ref.get(k));
      expect(m.has(k)).toBe(ref.has(k));
    }
    expect([...m]).toEqual([...ref]);
    expect([...m.keys()]).toEqual([...ref.keys()]);
    expect([...m.values()]).toEqual([...ref.values()]);
  });

  it('answers as a Map past the two-octet index (over 49152 keys), grown there or made there', () => {
    // An index of up to 2^16 slots keeps positions in two octets; past three quarters of that the
    // map moves to a four-octet index: every key must still be found, in order.
    const keys: string[] = [];
    const next = xorshift32(4242);
    for (let i = 0; i < 60_000; i++) keys.push(key(24, 0x0a000000 + i * 256));
    for (let i = 0; i < 15_000; i++) keys.push(key(8 + (next() % 25), next()));
    for (const expected of [0, 80_000]) {
      const m = new V4KeyMap<number>(RD, expected);
      const ref = new Map<string, number>();
      keys.forEach((k, i) => {
        m.set(k, i);
        ref.set(k, i);
      });
      expect(m.size).toBe(ref.size);
      for (const [k, v] of ref) expect(m.get(k)).toBe(v);
      for (let i = 0; i < 2000; i++) {
        const k = key(next() % 33, next());
        expect(m.get(k)).toBe(ref.get(k));
      }
      expect([...m.keys()]).toEqual([...ref.keys()]);
    }
  });

  it('grows its columns by half, so a full-grown map has at most half its entries again empty', () => {
    // The columns are private: read here as the heap holds them (v4-key-map.ts GROWTH_SHIFT). A
    // doubled map of 10000 entries had 16384 slots.
    const m = new V4KeyMap<number>(RD);
    for (let i = 0; i < 10_000; i++) {
      m.set(key(24, 0x0a000000 + i * 256), i);
      const slots = (m as unknown as { addrs: Uint32Array }).addrs.length;
      expect(slots).toBeGreaterThanOrEqual(i + 1);
      if (i >= 8) expect(slots).toBeLessThanOrEqual(Math.ceil(1.5 * i));
    }
    for (let i = 0; i < 10_000; i++) expect(m.get(key(24, 0x0a000000 + i * 256))).toBe(i);
  });

  it('a walk sees the entries added while it runs, each once', () => {
    const m = new V4KeyMap<number>(RD);
    for (let i = 0; i < 10; i++) m.set(key(24, i << 8), i);
    const seen: number[] = [];
    for (const [, v] of m) {
      seen.push(v);
      // Enough to grow the index under the walk; a key set again keeps its place.
      if (v < 10) m.set(key(24, (100 + v) << 8), 100 + v);
      if (v === 3) m.set(key(24, 0), 0);
    }
    expect(seen).toEqual([...Array(10).keys(), ...Array.from({ length: 10 }, (_, i) => 100 + i)]);
  });

  it('answers as a Map when lookups and sets of colliding keys interleave, made at any size', () => {
    // A set after a lookup reuses the slot the lookup found: an insertion or a growth in between
    // must not let it write into a slot another key took meanwhile.
    for (const expected of [0, 5, 40, 3000]) {
      const m = new V4KeyMap<number>(RD, expected);
      const ref = new Map<string, number>();
      const next = xorshift32(99 + expected);
      // Few distinct keys (many collide in a small index), looked up in any order.
      const pool = Array.from({ length: 64 }, (_, i) => key(24 + (i % 3), (next() & 0xff) << 8));
      for (let step = 0; step < 20000; step++) {
        // A lookup, then sets of this key or of others (their insertions may take its slot).
        const k = pool[next() % pool.length]!;
        expect(m.get(k)).toBe(ref.get(k));
        for (let j = next() % 3; j >= 0; j--) {
          const s = next() % 2 === 0 ? k : pool[next() % pool.length]!;
          m.set(s, step);
          ref.set(s, step);
          expect(m.get(s)).toBe(step);
        }
        if (step === 100) pool.push(...Array.from({ length: 4000 }, () => key(24, next())));
      }
      expect(m.size).toBe(ref.size);
      expect([...m]).toEqual([...ref]);
    }
  });

  it('refuses a key that is not a VPNv4 one', () => {
    expect(() => new V4KeyMap(RD).get('abc')).toThrow(/not a VPNv4 key/);
  });
});

describe('a VPNv4 destination map', () => {
  it('answers as an RdMap of Maps through splits, deletions and compactions', () => {
    const m = destinationMap<number>('vpnv4');
    const ref = new RdMap<number>();
    const next = xorshift32(777);
    const keys: string[] = [];
    for (let rd = 1; rd <= 2; rd++)
      for (let i = 0; i < SPLIT_AT + 5000; i++) keys.push(key(24, 0x0a000000 + i * 256, rd));
    for (let i = 0; i < keys.length; i++) {
      m.set(keys[i]!, i);
      ref.set(keys[i]!, i);
    }
    withdrawMost(m, ref, keys, next);
  });

  it("splits an RD into the shards its Maps' split picks from the key strings", () => {
    // The split moves entries by number (V4KeyMap.spread): each key must land in the shard a
    // lookup by string asks, for every length and address half, not only the /24s of the load.
    const m = destinationMap<number>('vpnv4');
    const ref = new RdMap<number>();
    const next = xorshift32(4242);
    const keys = new Set<string>();
    while (keys.size < SPLIT_AT + 100) {
      const len = next() % 31;
      const addr = len === 0 ? 0 : ((next() >>> (32 - len)) << (32 - len)) >>> 0;
      keys.add(key(len, addr));
    }
    for (const k of keys) {
      m.set(k, 1);
      ref.set(k, 1);
    }
    const shardsOf = (x: unknown): { has(k: string): boolean }[] => {
      const byRd = (x as { byRd: Map<string, unknown> }).byRd;
      const shards = (byRd.get(RD) as { shards?: { has(k: string): boolean }[] }).shards;
      expect(shards).toBeDefined();
      return shards!;
    };
    const mine = shardsOf(m);
    const theirs = shardsOf(ref);
    for (const k of keys) {
      const i = theirs.findIndex((s) => s.has(k));
      expect(i).toBeGreaterThanOrEqual(0);
      expect(mine[i]!.has(k)).toBe(true);
    }
  });
});
