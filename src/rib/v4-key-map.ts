// A map of the VPNv4 destination keys of one RD (rd-map.ts), for the maps of a VPNv4 table and
// an Adj-RIB-Out: what a 1M-route transit looks up about four times per route. A V8 Map finds a
// string key by comparing it with each key of its bucket's chain, and each of those is a string
// somewhere in the old generation: a cache miss per candidate, ~300-500 ns a lookup in a map of a
// million keys on this machine (and ~1.4 s of self time in a 1M transit's profile, bench/README.md).
// Here the index holds numbers: a VPNv4 key's units past its RD (prefix length, address: rib/keys.ts)
// are one exact float64 (wire/nlri/key.ts v4KeyNumber), kept as an address and a length column,
// and a lookup probes a typed index and compares in those columns, so no string is read but the
// one asked for (57-110 ns in the same probe).
//
// A Map's semantics where the sharded map needs them: entries in insertion order (a key set again
// keeps its place), iteration that sees entries added while it runs, values that may be undefined
// (ShardedMap's tombstones). It never deletes: ShardedMap drops or copies whole shards instead.
// No key string is kept: the RD and the number make it again when a walk asks for the keys (a
// route refresh, a split or compaction of a shard), ~10 octets a destination less per map.

import { v4KeyNumber, v4KeyNumberOf, v4NumberAddr, v4NumberLen } from '../wire/nlri/key.js';
import { ChunkedColumn } from './chunked-column.js';
import { fibonacciSlot } from './fibonacci-hash.js';
import { grown } from './grown.js';
import { weightedShard, type ShardStore } from './sharded-map.js';
import type { ValueRegistry } from './value-registry.js';

/** The units of a VPNv4 key: the RD's four, the prefix length, the address's two. */
const VPNV4_UNITS = 7;
/**
 * The index holds an entry's position plus one, so 0 is an empty slot (a new index is all empty
 * as allocated, with no fill). Two octets a slot while the positions fit (an index of up to
 * 2^16 slots holds at most three quarters of that: a shard of a split RD, or an RD below
 * ShardedMap's SPLIT_AT), four beyond.
 */
const EMPTY = 0;
const SHORT_INDEX_SLOTS = 0x1_0000;

/** An index of `slots` slots (a power of two), all empty. */
function newIndex(slots: number): Uint16Array | Uint32Array {
  return slots <= SHORT_INDEX_SLOTS ? new Uint16Array(slots) : new Uint32Array(slots);
}

/** The packed column's mark of an entry that holds its value itself (see Packing). */
const NOT_PACKED = 0xffff_ffff;
/**
 * A map with a registry decides whether numbering pays at its first growth with this many
 * entries or more (see keepsNumbers): enough to judge, and few slots numbered in vain.
 */
const DECIDE_AT = 256;

/**
 * A full map's columns grow by 1/2^GROWTH_SHIFT of their capacity: by half, not double.
 * A map's columns are 13-17 octets a slot, and a doubled one sits between half and full: a
 * realistic 1M table's 200 maps (an RD's table and Adj-RIB-Out) of 10k entries each had 16384
 * slots, ~19 MB of empty slots; by half they have 11623 (bench/README.md, issue 13). The copies
 * grow by half as well (each entry copied ~3 times over the growth, not ~2).
 */
const GROWTH_SHIFT = 1;

/**
 * Numbering pays where each object is named by at least this many slots: an object the registry
 * holds costs ~50 octets (its Map entry, its place and count there), a slot numbered four less
 * than a pointer. A realistic table's UPDATEs carry ~4 routes each (one share, one Adj-RIB-Out
 * entry per ~4 slots): its maps keep pointers; a transit's carry hundreds.
 */
const SLOTS_PER_OBJECT = 16;
/** The index is at most three quarters full (open addressing, linear probing). */
const FILL_NUM = 3;
const FILL_DEN = 4;

/** The exact number of a VPNv4 key past its RD (wire/nlri/key.ts v4KeyNumber). */
function keyNumber(key: string): number {
  if (key.length !== VPNV4_UNITS) throw new Error(`not a VPNv4 key (${key.length} units)`);
  return v4KeyNumberOf(key);
}

/**
 * The first slot probed for the key of length `len` and address `addr` in an index of
 * 2^(32 - shift) slots.
 */
function home(len: number, addr: number, shift: number): number {
  return fibonacciSlot(addr ^ Math.imul(len, 0x85ebca6b), shift);
}

/**
 * rd-map.ts prefixRunShard of the key whose number is n (a hash of its length and the address's
 * upper 16 bits, the units between the RD and the last), without the key string.
 */
export function runShardOf(n: number): number {
  return weightedShard(Math.imul(v4NumberLen(n), 31) + (v4NumberAddr(n) >>> 16));
}

/**
 * How a map keeps some values as a part and a number instead of the value itself (rib/packed-route.ts:
 * a table's lone VPNv4 path as its share and arrival number, not a route object of 48 octets).
 */
export interface Packing<V> {
  /** What the value column keeps of v when v packs, else undefined (v is kept as it is). */
  part(v: V): object | undefined;
  /**
   * The number kept with v's part (called only when part(v) is not undefined): v is kept as it is
   * unless this is an integer below NOT_PACKED.
   */
  num(v: V): number;
  /** The value a part and its number stand for in the slot of the key whose number is `key`. */
  unpack(part: object, num: number, key: number): V;
}

export class V4KeyMap<V> {
  /**
   * Entries in insertion order: value, and the key's number as its address and prefix length
   * (wire/nlri/key.ts v4KeyNumber: five octets, where the float64 of the number took eight);
   * `count` of them, the columns made at a capacity of their own and grown together by half
   * (GROWTH_SHIFT). The values are not pushed (an array grown by push gets a store half as large
   * again each time, and the stores outgrown were most of what a 1M transit's scavenges copied
   * after the routes: ~35 of ~124 MB sampled) but kept in chunks that are never copied
   * (chunked-column.ts).
   */
  private vs: ChunkedColumn<unknown> | undefined;
  /**
   * With a registry (value-registry.ts): the number of what entry e keeps where the registry took
   * it (a packing's part, or the value of a map without a packing), 0 where `vs` holds it. `vs`
   * is then made only when something is kept as a pointer (a VPN table's Destination, a route
   * that does not pack): a transit's table and Adj-RIB-Out never make it.
   */
  private vids: Uint32Array;
  private addrs = new Uint32Array(8);
  private lens = new Uint8Array(8);
  /**
   * With a packing: the number of a packed value (the value column holds its part), NOT_PACKED
   * where it holds the value itself. Grown with `addrs`; empty without a packing. Four octets, not
   * a float64's eight: a route's arrival number stays below 2^32 - 1 in any run this side of days
   * of full churn, and one past it is kept as an object.
   */
  private packed: Uint32Array;
  private count = 0;
  /** Open-addressed slots holding entry positions plus one (EMPTY: none). */
  private index = newIndex(16);
  /** 32 - log2(index.length): the top bits of a Fibonacci hash pick the slot. */
  private shift = 28;
  /** The RD's units (every key's first four). */
  private readonly rd: readonly number[];
  /**
   * The number probed last and its slot: every caller looks a key up before it sets it (a table's
   * upsert, an Adj-RIB-Out's record, a deletion's tombstone), so the set finds the slot without a
   * second hash and probe. Only a growth moves slots (an insertion fills the slot of the number
   * probed last, which it remembers): then NaN, equal to no number.
   */
  private lastN = NaN;
  private lastSlot = 0;
  /** Whether this map has judged its registry (keepsNumbers), once. */
  private judged = false;

  /**
   * `rd`: the RD part of every key (rib/keys.ts rdKeyPart), or its units. `expected`: how many
   * keys it will likely hold (a split or a compaction knows): the index and the numbers are made
   * at that size, not grown to it by doubling (each growth rehashes every entry).
   */
  constructor(
    rd: string | readonly number[],
    expected = 0,
    private readonly packing?: Packing<V>,
    private registry?: ValueRegistry,
  ) {
    this.rd =
      typeof rd === 'string'
        ? [rd.charCodeAt(0), rd.charCodeAt(1), rd.charCodeAt(2), rd.charCodeAt(3)]
        : rd;
    if (expected > 8) {
      let slots = 16;
      while (expected * FILL_DEN > slots * FILL_NUM) slots *= 2;
      this.index = newIndex(slots);
      this.shift = 32 - Math.log2(slots);
      this.addrs = new Uint32Array(expected);
      this.lens = new Uint8Array(expected);
    }
    const cap = this.addrs.length;
    this.packed = new Uint32Array(packing ? cap : 0);
    this.vids = new Uint32Array(registry ? cap : 0);
    if (!registry) this.vs = new ChunkedColumn<unknown>(cap);
  }

  /** What entry e's value column keeps: a packing's part, or the value (undefined: a tombstone). */
  private keptAt(e: number): unknown {
    const r = this.registry;
    if (r === undefined) return this.vs!.get(e);
    const id = this.vids[e]!;
    return id !== 0 ? r.value(id) : this.vs?.get(e);
  }

  /**
   * Keeps x in entry e's value column: by number where `numbered` (a packing's part, or any value
   * of a map without a packing: objects a registry may number) and the registry takes it.
   */
  private keep(e: number, x: unknown, numbered: boolean): void {
    const r = this.registry;
    if (r === undefined) {
      this.vs!.set(e, x);
      return;
    }
    const old = this.vids[e]!;
    const id = numbered && typeof x === 'object' && x !== null ? r.enter(x) : 0;
    this.vids[e] = id;
    if (old !== 0) r.leave(old);
    if (id === 0 && x !== undefined)
      (this.vs ??= new ChunkedColumn<unknown>(this.vids.length)).set(e, x);
    else if (this.vs !== undefined) this.vs.set(e, undefined);
  }

  /** The value of entry e (made from its part where it is packed). */
  private valueAt(e: number): V {
    const v = this.keptAt(e);
    if (this.packing === undefined) return v as V;
    const num = this.packed[e]!;
    return num !== NOT_PACKED ? this.packing.unpack(v as object, num, this.numberAt(e)) : (v as V);
  }

  /** Keeps value in entry e: its part and number where it packs. */
  private store(e: number, value: V): void {
    const p = this.packing;
    if (p === undefined) {
      this.keep(e, value, true);
      return;
    }
    const part = value === undefined ? undefined : p.part(value);
    const num = part === undefined ? NOT_PACKED : p.num(value);
    if (num >>> 0 !== num || num === NOT_PACKED) {
      this.keep(e, value, false);
      this.packed[e] = NOT_PACKED;
    } else {
      this.keep(e, part, true);
      this.packed[e] = num;
    }
  }

  get size(): number {
    return this.count;
  }

  /** The number of entry e's key (wire/nlri/key.ts v4KeyNumber). */
  private numberAt(e: number): number {
    return v4KeyNumber(this.lens[e]!, this.addrs[e]!);
  }

  /** The key of entry e, made again from its length and address. */
  private keyAt(e: number): string {
    const addr = this.addrs[e]!;
    const [a, b, c, d] = this.rd;
    return String.fromCharCode(a!, b!, c!, d!, this.lens[e]!, addr >>> 16, addr & 0xffff);
  }

  /** The slot of n: where its entry index is, or the empty slot where it would go. */
  private slotOf(n: number): number {
    if (n === this.lastN) return this.lastSlot;
    const len = v4NumberLen(n);
    const addr = v4NumberAddr(n);
    const index = this.index;
    const addrs = this.addrs;
    const lens = this.lens;
    const mask = index.length - 1;
    for (let i = home(len, addr, this.shift); ; i = (i + 1) & mask) {
      const e = index[i]!;
      if (e === EMPTY || (addrs[e - 1] === addr && lens[e - 1] === len)) {
        this.lastN = n;
        this.lastSlot = i;
        return i;
      }
    }
  }

  get(key: string): V | undefined {
    return this.getNumber(keyNumber(key));
  }

  /** get() of the key whose number is n (a caller with the decoded prefix: no key string). */
  getNumber(n: number): V | undefined {
    const e = this.index[this.slotOf(n)]!;
    return e === EMPTY ? undefined : this.valueAt(e - 1);
  }

  /** Whether the key whose number is n has a value (a tombstone's is undefined): nothing unpacked. */
  hasNumber(n: number): boolean {
    const e = this.index[this.slotOf(n)]!;
    return e !== EMPTY && this.keptAt(e - 1) !== undefined;
  }

  has(key: string): boolean {
    return this.index[this.slotOf(keyNumber(key))]! !== EMPTY;
  }

  set(key: string, value: V): this {
    this.setNumber(keyNumber(key), value);
    return this;
  }

  /** set() of the key whose number is n. */
  setNumber(n: number, value: V): void {
    const i = this.slotOf(n);
    const e = this.index[i]!;
    if (e !== EMPTY) {
      this.store(e - 1, value);
      return;
    }
    this.store(this.append(i, n), value);
  }

  /** A new entry for n, whose slot i (slotOf) is empty: its index (the value still to store). */
  private append(i: number, n: number): number {
    const at = this.count;
    if (at === this.addrs.length) this.grow(at + (at >> GROWTH_SHIFT));
    this.count = at + 1;
    this.addrs[at] = v4NumberAddr(n);
    this.lens[at] = v4NumberLen(n);
    // The remembered slot is this one, n's: it now names n's entry, as a probe would find it.
    this.index[i] = at + 1;
    // The index is made again from the numbers only: the value may come after.
    if ((at + 1) * FILL_DEN > this.index.length * FILL_NUM) this.reindex();
    return at;
  }

  /** The columns (values, numbers, and the packed numbers with a packing) at `cap` entries. */
  private grow(cap: number): void {
    if (this.registry && !this.judged && this.count >= DECIDE_AT) {
      // Made at any size (a split's shards, a compaction), a map judges at its first growth.
      this.judged = true;
      if (!this.keepsNumbers()) this.dropRegistry();
    }
    this.addrs = grown(this.addrs, cap);
    this.lens = grown(this.lens, cap);
    if (this.packing) this.packed = grown(this.packed, cap);
    if (this.registry) this.vids = grown(this.vids, cap);
    // The values' store adds chunks and copies nothing (chunked-column.ts): copied whole, a
    // store past V8's large-object bound cost ~1 ms a growth (a realistic 3M table's, round 17).
    if (this.vs) this.vs.grow(cap);
  }

  /**
   * A copy without the entries whose value is undefined, in the same order (ShardedMap's
   * compaction), from the numbers: a walk of the entries would make every key string again.
   */
  compacted(): V4KeyMap<V> {
    const n = this.count;
    let live = 0;
    for (let e = 0; e < n; e++) if (this.keptAt(e) !== undefined) live++;
    const out = new V4KeyMap<V>(this.rd, live, this.packing, this.registry);
    for (let e = 0; e < n; e++) if (this.keptAt(e) !== undefined) out.copyIn(this, e);
    return out;
  }

  /**
   * Entry e of `from` (of the same packing and registry, and dropped after: a compaction, a
   * split) added as it is kept: a packed value stays packed, a registry's number moves with its
   * count (the slot that named it in `from` goes with `from`).
   */
  private copyIn(from: V4KeyMap<V>, e: number): void {
    const n = from.numberAt(e);
    const i = this.slotOf(n);
    if (this.index[i] !== EMPTY) throw new Error('V4KeyMap.copyIn: the key is here already');
    const at = this.append(i, n);
    if (this.packing) this.packed[at] = from.packed[e]!;
    const id = this.registry ? from.vids[e]! : 0;
    if (id !== 0) this.vids[at] = id;
    else this.keep(at, from.keptAt(e), false);
  }

  /**
   * Whether the objects this map keeps are each named by SLOTS_PER_OBJECT slots or more, the
   * values kept as pointers counted as one object each: numbering them pays.
   */
  private keepsNumbers(): boolean {
    const n = this.count;
    let objects = 0;
    for (let e = 0; e < n; e++) if (this.vids[e] === 0 && this.vs?.get(e) !== undefined) objects++;
    // The distinct numbers: a sorted copy, each counted where it starts its run.
    const ids = this.vids.slice(0, n).sort();
    for (let k = 0; k < n; k++) {
      const id = ids[k]!;
      if (id !== 0 && (k === 0 || ids[k - 1] !== id)) objects++;
    }
    return objects * SLOTS_PER_OBJECT <= n;
  }

  /** The values kept as pointers from now on, by this map and the maps made from it. */
  private dropRegistry(): void {
    const r = this.registry!;
    const vs = this.vs ?? new ChunkedColumn<unknown>(this.addrs.length);
    for (let e = 0; e < this.count; e++) {
      const id = this.vids[e]!;
      if (id === 0) continue;
      vs.set(e, r.value(id));
      r.leave(id);
    }
    this.vs = vs;
    this.vids = new Uint32Array(0);
    this.registry = undefined;
  }

  /** Whether `from`'s entries may move here as they are kept (copyIn). */
  private keepsAs(from: V4KeyMap<V>): boolean {
    return this.packing === from.packing && this.registry === from.registry;
  }

  /** ShardedMap's split (`spread`): from the numbers, by rd-map.ts's shard rule (runShardOf). */
  spread(into: readonly ShardStore<string, V>[], live: number[]): void {
    // The new shards (empty, made with the RdMap's registry) keep pointers where this map does.
    if (this.registry === undefined)
      for (const to of into)
        if (to instanceof V4KeyMap && to.registry !== undefined && to.count === 0)
          to.dropRegistry();
    const n = this.count;
    for (let e = 0; e < n; e++) {
      if (this.keptAt(e) === undefined) continue;
      const i = runShardOf(this.numberAt(e));
      const to = into[i]!;
      if (to instanceof V4KeyMap && to.keepsAs(this)) to.copyIn(this, e);
      else {
        to.set(this.keyAt(e), this.valueAt(e));
        // This map goes after the split: its slot's number is no longer counted.
        const id = this.registry ? this.vids[e]! : 0;
        if (id !== 0) this.registry!.leave(id);
      }
      live[i]!++;
    }
  }

  forEach(fn: (value: V, key: string) => void): void {
    for (let e = 0; e < this.count; e++) fn(this.valueAt(e), this.keyAt(e));
  }

  /**
   * The index at twice the size, from the numbers (no key read). The numbers are distinct, so each
   * goes to the first empty slot from its home: no comparison of numbers while probing.
   */
  private reindex(): void {
    const index = newIndex(this.index.length * 2);
    const shift = --this.shift;
    const mask = index.length - 1;
    const addrs = this.addrs;
    const lens = this.lens;
    const n = this.count;
    for (let e = 0; e < n; e++) {
      let i = home(lens[e]!, addrs[e]!, shift);
      while (index[i] !== EMPTY) i = (i + 1) & mask;
      index[i] = e + 1;
    }
    this.index = index;
    this.lastN = NaN;
  }

  // Each walk reads the length at every step: entries added meanwhile are seen, as a Map's are.
  *entries(): Generator<[string, V]> {
    for (let e = 0; e < this.count; e++) yield [this.keyAt(e), this.valueAt(e)];
  }

  *keys(): Generator<string> {
    for (let e = 0; e < this.count; e++) yield this.keyAt(e);
  }

  *values(): Generator<V> {
    for (let e = 0; e < this.count; e++) yield this.valueAt(e);
  }

  [Symbol.iterator](): Generator<[string, V]> {
    return this.entries();
  }
}
