// The destinations of a VPN table, one Map per route distinguisher. A VPN key begins with its RD
// (four 16-bit units, rib/keys.ts), and the routes of one RD arrive together: a VRF exports its
// table under its RD, a peer's UPDATEs carry one RD's routes after another. One Map of a million
// keys costs each insert two walks of a large hash table (Table.upsert's get, then set) whose
// buckets, entries and the key strings compared lie anywhere in the heap: in the 1000-VRF fan-out
// those cache and TLB misses took ~1 µs per exported route (~1 s of the 3.2 s; a CPU profile's
// Table.open and upsert). A Map per RD keeps the keys used one after the other next to each other
// (sharded-map.ts's default split, by the address's last bits, scatters them). An RD's map is a
// ShardedMap whose shard keeps runs of prefixes together (prefixRunShard): past SPLIT_AT keys it
// is split, so no rehash moves more than a 64th of an RD (at 3M routes one RD's 300k keys did).
//
// Iteration order: RD by RD (in the order each RD first arrived), insertion order within an RD
// until it is split, then shard by shard.

import type { FamilyName } from '../wire/afi.js';
import { rdKeyPart } from '../wire/nlri/key.js';
import type { Rd } from '../wire/types.js';
import { ShardedMap, weightedShard, type MakeShard } from './sharded-map.js';
import { runShardOf, V4KeyMap, type Packing } from './v4-key-map.js';
import { ValueRegistry } from './value-registry.js';

/** A VPN key's RD part: its first four code units (rib/keys.ts rdKeyPart). */
const RD_UNITS = 4;
/**
 * The shard of a key in its RD's map once that map is split (sharded-map.ts: past SPLIT_AT keys):
 * a hash of the units between the RD and the last one (the prefix length and the address but its
 * last 16 bits), so prefixes that differ only there (the /24s of one /16, the /64s of one /48)
 * share a shard and stay together. One Map per RD alone rehashed 300k keys in one go at 3M routes
 * (table and Adj-RIB-Out of one RD together: 50-100 ms gaps, event-loop p99 62-87 ms).
 * A VPNv4 RD's split finds the same shard from a key's number (v4-key-map.ts runShardOf).
 */
function prefixRunShard(key: string): number {
  let h = 0;
  for (let i = RD_UNITS; i < key.length - 1; i++) h = Math.imul(h, 31) + key.charCodeAt(i);
  return weightedShard(h);
}

export class RdMap<V> implements Map<string, V> {
  private readonly byRd = new Map<string, ShardedMap<string, V>>();
  private count = 0;
  /** The Map of the RD used last and that RD's units: a run of one RD finds it without a lookup. */
  private last: ShardedMap<string, V> | undefined;
  private u0 = -1;
  private u1 = -1;
  private u2 = -1;
  private u3 = -1;

  /** The numbers of the objects the shards' value columns keep (with `numbered`), for all RDs. */
  private readonly registry: ValueRegistry | undefined;

  /**
   * `shardsOf`: the maps of an RD's shards, given the RD and this map's registry (v4-key-map.ts
   * for VPNv4); Maps by default. `byNumber`: the shards find a key by its number (VPNv4: getV4,
   * setV4, deleteV4). `numbered`: the shards keep objects by number (value-registry.ts).
   */
  constructor(
    private readonly shardsOf?: (rd: string, registry?: ValueRegistry) => MakeShard<string, V>,
    readonly byNumber = false,
    numbered = false,
  ) {
    this.registry = numbered ? new ValueRegistry() : undefined;
  }

  /** The Map of key's RD; made when `make` (an insert), else undefined when the RD has none. */
  private mapOf(key: string, make: boolean): ShardedMap<string, V> | undefined {
    return this.mapOfUnits(
      key.charCodeAt(0),
      key.charCodeAt(1),
      key.charCodeAt(2),
      key.charCodeAt(3),
      make,
    );
  }

  /** mapOf() of the RD whose units (rib/keys.ts rdKeyPart) are a, b, c, d. */
  private mapOfUnits(
    a: number,
    b: number,
    c: number,
    d: number,
    make: boolean,
  ): ShardedMap<string, V> | undefined {
    if (this.last !== undefined && a === this.u0 && b === this.u1 && c === this.u2 && d === this.u3)
      return this.last;
    const rd = String.fromCharCode(a, b, c, d);
    let m = this.byRd.get(rd);
    if (m === undefined) {
      if (!make) return undefined;
      const shards = this.shardsOf?.(rd, this.registry);
      const numbered = this.byNumber ? runShardOf : undefined;
      m = new ShardedMap<string, V>(undefined, prefixRunShard, shards, numbered);
      this.byRd.set(rd, m);
    }
    this.last = m;
    this.u0 = a;
    this.u1 = b;
    this.u2 = c;
    this.u3 = d;
    return m;
  }

  /** The Map of a VPNv4 RD given as a decoded NLRI's (the units of rdKeyPart(rd)). */
  private mapOfRd(rd: Rd, make: boolean): ShardedMap<string, V> | undefined {
    const { hi, lo } = rd;
    return this.mapOfUnits(hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff, make);
  }

  /**
   * get() of the VPNv4 key of `rd` whose number past the RD is n (wire/nlri/key.ts v4KeyNumber):
   * what a decoded NLRI names, found without its key string. Only in a map made byNumber.
   */
  getV4(rd: Rd, n: number): V | undefined {
    return this.mapOfRd(rd, false)?.getNumber(n);
  }

  /** set() of the VPNv4 key of `rd` and n (getV4). */
  setV4(rd: Rd, n: number, value: V): void {
    const m = this.mapOfRd(rd, true)!;
    const before = m.size;
    m.setNumber(n, value);
    if (m.size !== before) this.count++;
  }

  /** delete() of the VPNv4 key of `rd` and n (getV4). */
  deleteV4(rd: Rd, n: number): boolean {
    const m = this.mapOfRd(rd, false);
    if (m === undefined || !m.deleteNumber(n)) return false;
    if (this.emptied(m)) this.byRd.delete(rdKeyPart(rd));
    return true;
  }

  /** A key of m was deleted. Whether m is now empty: its RD's entry is to go. */
  private emptied(m: ShardedMap<string, V>): boolean {
    this.count--;
    if (m.size > 0) return false;
    // An RD without routes leaves no Map behind (RDs come and go with VRFs and peers).
    this.last = undefined;
    return true;
  }

  get size(): number {
    return this.count;
  }

  /** Objects the shards keep by number (value-registry.ts), each once however many slots. */
  get numberedObjects(): number {
    return this.registry?.size ?? 0;
  }

  get(key: string): V | undefined {
    return this.mapOf(key, false)?.get(key);
  }

  has(key: string): boolean {
    return this.mapOf(key, false)?.has(key) ?? false;
  }

  set(key: string, value: V): this {
    const m = this.mapOf(key, true)!;
    const before = m.size;
    m.set(key, value);
    if (m.size !== before) this.count++;
    return this;
  }

  delete(key: string): boolean {
    const m = this.mapOf(key, false);
    if (m === undefined || !m.delete(key)) return false;
    if (this.emptied(m)) this.byRd.delete(key.slice(0, RD_UNITS));
    return true;
  }

  clear(): void {
    this.byRd.clear();
    this.registry?.clear();
    this.last = undefined;
    this.count = 0;
  }

  *entries(): MapIterator<[string, V]> {
    for (const m of this.byRd.values()) yield* m.entries();
  }

  *keys(): MapIterator<string> {
    for (const m of this.byRd.values()) yield* m.keys();
  }

  *values(): MapIterator<V> {
    for (const m of this.byRd.values()) yield* m.values();
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  get [Symbol.toStringTag](): string {
    return 'RdMap';
  }
}

/** Whether a family's destination keys begin with an RD (RFC 4364 §4.2 VPN-IPv4, RFC 4659 §2). */
export function keyedByRd(family: FamilyName): boolean {
  return family === 'vpnv4' || family === 'vpnv6';
}

/**
 * A map of destination keys for a family: one map per RD where the keys begin with one, whose
 * shards are found by number for VPNv4 keys (v4-key-map.ts), and keep the values `packing` packs
 * as their parts. `numbered`: the VPNv4 shards keep those parts (or, without a packing, the
 * values) by number (value-registry.ts) while that pays (v4-key-map.ts keepsNumbers).
 */
export function destinationMap<V>(
  family: FamilyName,
  packing?: Packing<V>,
  numbered = false,
): Map<string, V> {
  if (family === 'vpnv4') {
    const p = packing as Packing<V | undefined> | undefined;
    return new RdMap<V>(
      (rd, registry) => (expected) => new V4KeyMap<V | undefined>(rd, expected, p, registry),
      true,
      numbered,
    );
  }
  return keyedByRd(family) ? new RdMap<V>() : new Map<string, V>();
}
