// RdMap holds a VPN table's destinations in one Map per RD (the key's first four code units). It
// must behave as one Map of every key: the RD it remembers from the last key must never answer for
// another RD, an RD emptied and used again must find its keys, and size counts keys, not RDs.

import { describe, expect, it } from 'vitest';
import { RdMap } from '../../src/rib/rd-map.js';
import { ShardedMap, SPLIT_AT } from '../../src/rib/sharded-map.js';
import { nlriKey } from '../../src/rib/keys.js';

const key = (rdLo: number, addr: number): string =>
  nlriKey({
    kind: 'vpn',
    labels: [],
    rd: { hi: 65000, lo: rdLo },
    prefix: { afi: 1, len: 24, addr },
  });

describe('RdMap', () => {
  it('is one Map of every key, across RDs used in turn', () => {
    const m = new RdMap<number>();
    const ref = new Map<string, number>();
    // Keys of three RDs, interleaved and in runs, with the same prefixes under every RD.
    let n = 0;
    for (const rd of [1, 2, 1, 3, 3, 2, 1])
      for (let a = 0; a < 5; a++) {
        const k = key(rd, 0x0a000000 + a * 256);
        m.set(k, n);
        ref.set(k, n++);
      }
    expect(m.size).toBe(ref.size);
    for (const [k, v] of ref) {
      expect(m.get(k)).toBe(v);
      expect(m.has(k)).toBe(true);
    }
    expect(m.get(key(4, 0x0a000000))).toBeUndefined();
    expect(m.has(key(1, 0x0b000000))).toBe(false);
    expect(new Map(m)).toEqual(ref);
  });

  it('iterates RD by RD, each in insertion order', () => {
    const m = new RdMap<string>();
    m.set(key(2, 1), 'a');
    m.set(key(1, 1), 'b');
    m.set(key(2, 2), 'c');
    expect([...m.values()]).toEqual(['a', 'c', 'b']);
  });

  it('forgets an emptied RD and finds it again when keys come back', () => {
    const m = new RdMap<number>();
    m.set(key(1, 1), 1);
    m.set(key(2, 1), 2);
    expect(m.delete(key(1, 1))).toBe(true);
    expect(m.delete(key(1, 1))).toBe(false);
    expect(m.get(key(1, 1))).toBeUndefined();
    expect(m.size).toBe(1);
    m.set(key(1, 3), 3);
    expect(m.get(key(1, 3))).toBe(3);
    expect(m.get(key(2, 1))).toBe(2);
    expect(m.size).toBe(2);
    // Replacing a key's value does not count it twice.
    m.set(key(1, 3), 4);
    expect(m.size).toBe(2);
    m.clear();
    expect(m.size).toBe(0);
    expect(m.get(key(2, 1))).toBeUndefined();
  });

  it('splits a large RD into shards that keep the /24s of one /16 together', () => {
    const m = new RdMap<number>();
    // SPLIT_AT + 256 consecutive /24s under one RD (past the split), and one key of another RD.
    const n = SPLIT_AT + 256;
    for (let i = 0; i < n; i++) m.set(key(1, 0x0a000000 + i * 256), i);
    m.set(key(2, 0x0a000000), -1);
    expect(m.size).toBe(n + 1);
    const inner = (m as unknown as { byRd: Map<string, unknown> }).byRd;
    const big = [...inner.values()].find((x) => x instanceof ShardedMap && x.size === n);
    expect(big).toBeDefined();
    const shards = (big as unknown as { shards?: Map<string, number>[] }).shards;
    // Split: no single Map of the RD's keys left to rehash in one go.
    expect(shards).toBeDefined();
    const shardOf = (k: string) => shards!.findIndex((s) => s.has(k));
    // The 256 /24s of 10.1.0.0/16 in one shard; 10.2.0.0/16's (probably) in another one.
    const at = (o: number, third: number) => key(1, (0x0a000000 | (o << 16)) + third * 256);
    const first = shardOf(at(1, 0));
    expect(first).toBeGreaterThanOrEqual(0);
    for (let t = 1; t < 256; t++) expect(shardOf(at(1, t))).toBe(first);
    expect(shards!.filter((s) => s.size > 0).length).toBeGreaterThan(1);
    // Still one Map of every key.
    for (let i = 0; i < n; i += 997) expect(m.get(key(1, 0x0a000000 + i * 256))).toBe(i);
    expect(m.delete(key(1, 0x0a000000))).toBe(true);
    expect(m.size).toBe(n);
    expect([...m.keys()].length).toBe(n);
  });
});

describe('RdMap shards by weight', () => {
  it('spreads a split RD over shards whose sizes span an octave (their Map stores grow apart)', () => {
    const m = new RdMap<number>();
    // 65536 runs of one key each: /32s that differ in the address's upper 16 bits.
    const n = 65_536;
    const k32 = (hi: number): string =>
      nlriKey({
        kind: 'vpn',
        labels: [],
        rd: { hi: 65000, lo: 1 },
        prefix: { afi: 1, len: 32, addr: ((hi << 16) | 1) >>> 0 },
      });
    for (let i = 0; i < n; i++) m.set(k32(i), i);
    const inner = (m as unknown as { byRd: Map<string, unknown> }).byRd;
    const big = [...inner.values()][0] as unknown as { shards?: Map<string, number>[] };
    const sizes = big.shards!.map((s) => s.size);
    const half = sizes.length / 2;
    const low = sizes.slice(0, half).reduce((a, b) => a + b, 0);
    const high = sizes.slice(half).reduce((a, b) => a + b, 0);
    // Shard i takes a share proportional to 2^(i/64): the upper half sqrt(2) times the lower.
    expect(high / low).toBeGreaterThan(1.3);
    expect(high / low).toBeLessThan(1.55);
    expect(sizes[sizes.length - 1]! / sizes[0]!).toBeGreaterThan(1.4);
  });
});
