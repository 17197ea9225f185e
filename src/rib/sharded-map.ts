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
// ShardedMap whose shard function keeps runs of prefixes together. The interner's map is
// asked once per UPDATE, not per route: there the pause of ~400 ms at 1M realistic routes goes for
// nothing measurable.
//
// A small map stays one Map (no 64 Maps per small table); it is split once, when it reaches
// SPLIT_AT entries (a one-time move of that many entries, a few ms), and stays split. Iteration
// order is the Map's (insertion order) until the split, then shard by shard.

/** Shards of a split map (a power of two). */
export const SHARDS = 64;
/** 32 - log2(SHARDS): the top bits of the product pick the shard. */
const SHIFT = 26;
/** Entries at which the one Map is split (its rehash costs a few ms at this size). */
export const SPLIT_AT = 32_768;

/**
 * The shard of a key: Fibonacci hashing of its last two code units (a destination key ends with
 * its address, rib/keys.ts), or of a number key (the interner's attribute hashes).
 */
function shardOf(key: string | number): number {
  if (typeof key === 'number') return shardOfHash(key);
  const n = key.length;
  return shardOfHash(key.charCodeAt(n - 1) ^ (key.charCodeAt(n - 2) << 16));
}

/** The shard of a 32-bit hash (Fibonacci hashing: its top bits). */
export function shardOfHash(h: number): number {
  return Math.imul(h | 0, 0x9e3779b1) >>> SHIFT;
}

export class ShardedMap<K extends string | number, V> implements Map<K, V> {
  private one: Map<K, V> | undefined = new Map();
  private shards: Map<K, V>[] | undefined;
  private count = 0;

  constructor(
    entries?: Iterable<readonly [K, V]>,
    /** The shard of a key, below SHARDS (rd-map.ts keeps runs of prefixes together). */
    private readonly shard: (key: K) => number = shardOf,
  ) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  private mapOf(key: K): Map<K, V> {
    return this.one ?? this.shards![this.shard(key)]!;
  }

  get size(): number {
    return this.count;
  }

  get(key: K): V | undefined {
    return this.mapOf(key).get(key);
  }

  has(key: K): boolean {
    return this.mapOf(key).has(key);
  }

  set(key: K, value: V): this {
    const m = this.mapOf(key);
    const before = m.size;
    m.set(key, value);
    if (m.size !== before && ++this.count >= SPLIT_AT && this.one) this.split();
    return this;
  }

  delete(key: K): boolean {
    const gone = this.mapOf(key).delete(key);
    if (gone) this.count--;
    return gone;
  }

  clear(): void {
    this.one = new Map();
    this.shards = undefined;
    this.count = 0;
  }

  private split(): void {
    const one = this.one!;
    const shards = Array.from({ length: SHARDS }, () => new Map<K, V>());
    for (const [k, v] of one) shards[this.shard(k)]!.set(k, v);
    this.shards = shards;
    this.one = undefined;
  }

  *entries(): MapIterator<[K, V]> {
    if (this.one) yield* this.one.entries();
    else for (const m of this.shards!) yield* m.entries();
  }

  *keys(): MapIterator<K> {
    if (this.one) yield* this.one.keys();
    else for (const m of this.shards!) yield* m.keys();
  }

  *values(): MapIterator<V> {
    if (this.one) yield* this.one.values();
    else for (const m of this.shards!) yield* m.values();
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
