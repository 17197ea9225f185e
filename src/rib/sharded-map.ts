// A Map for tables that reach hundreds of thousands of entries, without the one long pause of a big
// Map. V8's Map is one hash table: when it fills it is rehashed into one twice its size, in one go,
// and when it empties to a quarter it is rehashed into a smaller one. Measured on this machine: one
// insert into a Map of 524k entries took ~100 ms, at 1M ~275 ms, at 2M ~565 ms, and a delete that
// shrinks a 2M one ~200 ms; issue 13 bounds the event-loop delay's p99 at 50 ms. Split into SHARDS
// Maps by a hash of the key, each rehash moves a 64th of the entries.
//
// Not free: the entries of keys used one after the other are no longer next to each other in
// memory. For the per-route maps (a table's destinations, an Adj-RIB-Out) that cost 10-20% of the
// transit's CPU in a probe (bench/mem-probe.ts, 1M routes), so those stay plain Maps and their
// rehash pauses remain (docs/ARCHITECTURE.md, "Bounded event-loop turns"); a VPN table's is split
// by RD instead (rd-map.ts), which keeps consecutive keys together, and a large RD's map is a
// ShardedMap whose shard function keeps runs of prefixes together.
//
// A small map stays one Map (no 64 Maps per small table); it is split once, when it reaches
// SPLIT_AT entries (a one-time move of that many entries, a few ms), and stays split. Iteration
// order is the Map's (insertion order) until the split, then shard by shard.

import { fibonacciSlot } from './fibonacci-hash.js';

/** Shards of a split map (a power of two). */
export const SHARDS = 64;
/** 32 - log2(SHARDS): fibonacciSlot's shift for a shard. */
const SHIFT = 26;
/** Entries at which the one Map is split (its rehash costs a few ms at this size). */
export const SPLIT_AT = 32_768;

/**
 * The shard of a key: Fibonacci hashing of its last two code units (a destination key ends with
 * its address, rib/keys.ts), or of a number key.
 */
function shardOf(key: string | number): number {
  if (typeof key === 'number') return shardOfHash(key);
  const n = key.length;
  return shardOfHash(key.charCodeAt(n - 1) ^ (key.charCodeAt(n - 2) << 16));
}

/** The shard of a 32-bit hash (fibonacci-hash.ts). */
export function shardOfHash(h: number): number {
  return fibonacciSlot(h | 0, SHIFT);
}

/** The hash bits that pick a weighted shard (a table of 4096 shard numbers). */
const WEIGHT_BITS = 12;

/**
 * The shard of a 32-bit hash, by weight: shard i takes a share of the keys proportional to
 * 2^(i/SHARDS), so the shards' sizes spread over one octave. V8 sizes a Map's store to a power of
 * two (28 octets a slot, rehashed to twice the size when full), so equal shards all sit at the same
 * fill and their cost per key saw-tooths with the table's size: 36.7 octets a key at 100k keys an
 * RD, 48.9 at 300k (a 3M transit; twice, with the Adj-RIB-Out's). Spread over an octave, some shard
 * is always just grown and another about to: ~39 octets a key from 150k keys an RD up.
 */
const WEIGHTED = ((): Uint8Array => {
  const cum: number[] = [];
  let total = 0;
  for (let i = 0; i < SHARDS; i++) cum.push((total += 2 ** (i / SHARDS)));
  const table = new Uint8Array(1 << WEIGHT_BITS);
  for (let b = 0, i = 0; b < table.length; b++) {
    const u = ((b + 0.5) / table.length) * total;
    while (cum[i]! <= u) i++;
    table[b] = i;
  }
  return table;
})();

/** The weighted shard of a 32-bit hash (see WEIGHTED; rd-map.ts's shards of an RD). */
export function weightedShard(h: number): number {
  return WEIGHTED[fibonacciSlot(h, 32 - WEIGHT_BITS)]!;
}

/**
 * What a shard is: a Map, or a map with a Map's semantics for what ShardedMap does with its shards
 * (get, set, size, iteration in insertion order; never delete): v4-key-map.ts for VPNv4 keys.
 */
export interface ShardStore<K, V> {
  readonly size: number;
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
  values(): IterableIterator<V>;
  [Symbol.iterator](): Iterator<[K, V]>;
  forEach(fn: (value: V, key: K) => void): void;
  /** A copy without the undefined values, in order, if the store makes one faster than a walk. */
  compacted?(): ShardStore<K, V>;
  /**
   * Puts its entries but the undefined ones into `into` by the map's shard function, counting
   * them in `live`, if the store finds a key's shard faster than from its key: a VPNv4 RD's
   * (v4-key-map.ts) does from the number, where a walk made a key string per entry (~640k
   * strings over a 1M transit's splits, the VPN table's and the Adj-RIB-Out's).
   */
  spread?(into: readonly ShardStore<K, V | undefined>[], live: number[]): void;
  /** get and set of the key whose number is n, where keys have one (v4-key-map.ts: VPNv4). */
  getNumber?(n: number): V | undefined;
  setNumber?(n: number, value: V): void;
  /** Whether the key whose number is n has a value, without reading it (a packed value: v4-key-map.ts). */
  hasNumber?(n: number): boolean;
}

/** A shard made empty; `expected`: how many keys it will likely hold, where known (a split). */
export type MakeShard<K, V> = (expected?: number) => ShardStore<K, V | undefined>;

/**
 * A Map compacts only when it holds fewer than one key in this many entries (tombstones included):
 * V8 shrinks its own at a quarter of its capacity, so the bound on what a shard keeps is the same.
 */
const COMPACT_BELOW = 4;

/**
 * A deleted key is a tombstone (the key kept, its value undefined) until its shard has no live key
 * (the shard's Map is dropped whole) or fewer than one in COMPACT_BELOW entries (copied to a new
 * Map). V8 shrinks a Map on delete to half its store each time it falls below a quarter: a table
 * withdrawn to nothing allocated stores adding up to its full size again, each promoted to the old
 * generation and garbage there until the next mark-compact, on top of the table at its peak
 * (bench/mem-probe.ts `withdraw`: 70 of the ~100 octets a route the withdrawals of a 1M transit
 * promoted, the VPN table's and the Adj-RIB-Out's). Values must not be undefined.
 *
 * Iterating while adding and deleting keeps a Map's rules (each live key once, a deleted one not
 * yet reached skipped, clear() ends the walk): while an iterator is open no shard is compacted and
 * the one Map is not split; the last iterator to close does what was put off (settle()).
 */
export class ShardedMap<K extends string | number, V> implements Map<K, V> {
  private one: ShardStore<K, V | undefined> | undefined;
  private shards: ShardStore<K, V | undefined>[] | undefined;
  /** Live keys of `one`, or of each shard. */
  private liveOne = 0;
  private live: number[] | undefined;
  private count = 0;
  /** Iterators open: the Maps are neither compacted nor split under them. */
  private iterating = 0;
  /** A compaction or the split was put off while iterating. */
  private deferred = false;
  /** clear() calls so far: an open iterator that sees this change ends, as a Map's does. */
  private epoch = 0;

  constructor(
    entries?: Iterable<readonly [K, V]>,
    /** The shard of a key, below SHARDS (rd-map.ts keeps runs of prefixes together). */
    private readonly shard: (key: K) => number = shardOf,
    private readonly make: MakeShard<K, V> = () => new Map<K, V | undefined>(),
    /**
     * The shard of the key whose number is n, the same as `shard` of its key, where the shards
     * find keys by number (getNumber, setNumber, deleteNumber; v4-key-map.ts runShardOf).
     */
    private readonly numberShard?: (n: number) => number,
  ) {
    this.one = make();
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    return (this.one ?? this.shards![this.shard(key)]!).get(key);
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    const i = this.one ? -1 : this.shard(key);
    const m = i < 0 ? this.one! : this.shards![i]!;
    const before = m.size;
    let added: boolean;
    if (before === (i < 0 ? this.liveOne : this.live![i]!)) {
      // No tombstones: the Map's size tells a new key (one lookup, the load's path).
      m.set(key, value);
      added = m.size !== before;
    } else {
      added = m.get(key) === undefined;
      m.set(key, value);
    }
    if (added) this.added(i);
    return this;
  }

  delete(key: K): boolean {
    const i = this.one ? -1 : this.shard(key);
    const m = i < 0 ? this.one! : this.shards![i]!;
    if (m.get(key) === undefined) return false;
    m.set(key, undefined);
    this.deleted(i, m);
    return true;
  }

  /** The shard (-1: the one Map) of the key whose number is n (see numberShard). */
  private numbered(n: number): number {
    return this.one ? -1 : this.numberShard!(n);
  }

  /** get() of the key whose number is n; the shards must find keys by number. */
  getNumber(n: number): V | undefined {
    const i = this.numbered(n);
    return (i < 0 ? this.one! : this.shards![i]!).getNumber!(n);
  }

  /** set() of the key whose number is n. */
  setNumber(n: number, value: V): void {
    const i = this.numbered(n);
    const m = i < 0 ? this.one! : this.shards![i]!;
    const before = m.size;
    let added: boolean;
    if (before === (i < 0 ? this.liveOne : this.live![i]!)) {
      m.setNumber!(n, value);
      added = m.size !== before;
    } else {
      added = !m.hasNumber!(n);
      m.setNumber!(n, value);
    }
    if (added) this.added(i);
  }

  /** delete() of the key whose number is n. */
  deleteNumber(n: number): boolean {
    const i = this.numbered(n);
    const m = i < 0 ? this.one! : this.shards![i]!;
    if (!m.hasNumber!(n)) return false;
    m.setNumber!(n, undefined);
    this.deleted(i, m);
    return true;
  }

  /** A key was added to shard i (-1: the one Map): counted, and the one Map split when due. */
  private added(i: number): void {
    if (i < 0) this.liveOne++;
    else this.live![i]!++;
    if (++this.count >= SPLIT_AT && this.one) {
      if (this.iterating === 0) this.split();
      else this.deferred = true;
    }
  }

  /** A key of shard i, m, was made a tombstone: counted, and the shard compacted when due. */
  private deleted(i: number, m: ShardStore<K, V | undefined>): void {
    this.count--;
    const left = i < 0 ? --this.liveOne : --this.live![i]!;
    if (left === 0 || left * COMPACT_BELOW < m.size) {
      if (this.iterating === 0) this.compact(i);
      else this.deferred = true;
    }
  }

  /** Shard i (-1: the one Map) copied without its tombstones; dropped whole when none is live. */
  private compact(i: number): void {
    const m = i < 0 ? this.one! : this.shards![i]!;
    let fresh = this.make();
    if ((i < 0 ? this.liveOne : this.live![i]!) > 0) {
      if (m.compacted) fresh = m.compacted();
      else m.forEach((v, k) => v !== undefined && fresh.set(k, v));
    }
    if (i < 0) this.one = fresh;
    else this.shards![i] = fresh;
  }

  /** What was put off while iterating: the split, and the compactions due. */
  private settle(): void {
    this.deferred = false;
    if (this.one) {
      if (this.count >= SPLIT_AT) this.split();
      else if (this.liveOne * COMPACT_BELOW < this.one.size) this.compact(-1);
      return;
    }
    for (let i = 0; i < SHARDS; i++) {
      const left = this.live![i]!;
      const size = this.shards![i]!.size;
      if (size > left && (left === 0 || left * COMPACT_BELOW < size)) this.compact(i);
    }
  }

  /** An iterator opens: nothing is compacted or split until the last one closes. */
  private open(): number {
    this.iterating++;
    return this.epoch;
  }

  private close(): void {
    if (--this.iterating === 0 && this.deferred) this.settle();
  }

  clear(): void {
    this.one = this.make();
    this.liveOne = 0;
    this.shards = undefined;
    this.live = undefined;
    this.count = 0;
    this.epoch++;
  }

  private split(): void {
    const one = this.one!;
    // Each shard made at its share of what is there now (not more: an RD may stop growing here).
    const expected = Math.ceil(this.count / SHARDS);
    const shards = Array.from({ length: SHARDS }, () => this.make(expected));
    const live = new Array<number>(SHARDS).fill(0);
    if (one.spread) one.spread(shards, live);
    else
      one.forEach((v, k) => {
        if (v === undefined) return;
        const i = this.shard(k);
        shards[i]!.set(k, v);
        live[i]!++;
      });
    this.shards = shards;
    this.live = live;
    this.one = undefined;
  }

  // entries() and values() each walk the Maps themselves: one generator per iterator, not two.
  *entries(): MapIterator<[K, V]> {
    const epoch = this.open();
    try {
      for (const m of this.one ? [this.one] : this.shards!)
        for (const e of m) {
          if (this.epoch !== epoch) return;
          if (e[1] !== undefined) yield e as [K, V];
        }
    } finally {
      this.close();
    }
  }

  *keys(): MapIterator<K> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    const epoch = this.open();
    try {
      for (const m of this.one ? [this.one] : this.shards!)
        for (const v of m.values()) {
          if (this.epoch !== epoch) return;
          if (v !== undefined) yield v;
        }
    } finally {
      this.close();
    }
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  get [Symbol.toStringTag](): string {
    return 'ShardedMap';
  }
}
