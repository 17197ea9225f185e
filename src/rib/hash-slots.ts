// An open-addressing table of (32-bit hash, place) pairs, for a columnar store that finds its
// entries by a hash of their values (intern.ts: attribute sets by attrHash, their extended
// community lists by extListHash). The caller walks a hash's probe sequence and compares the
// values at each place whose hash is equal; the table keeps no values.
//
// Why pairs in one typed array: a probe reads the hash and the place from the same cache line,
// and a miss (most of a table's UPDATEs bring a new set) ends at the first empty slot, usually in
// that line. The chains it replaced (a bucket's first place, then a hash column and a next column
// by place) read two or three other lines per step, each a cache miss once the columns outgrow
// the cache: an intern took ~2.6 µs of self time at realistic 3M against ~1.9 at 1M (CPU
// profiles of the bench's cells; bench/README.md, round 17).
// Linear probing at most three quarters full; a removal shifts the run after it back (no
// tombstones), so a probe's walk ends at the first empty slot whatever was removed.

import { fibonacciSlot } from './fibonacci-hash.js';

/** A slot's place plus one: 0 is an empty slot, so a new table needs no fill. */
const EMPTY = 0;
const FILL_NUM = 3;
const FILL_DEN = 4;

export class HashSlots {
  /** Slot i's hash at 2i, its place plus one at 2i + 1. */
  private t: Int32Array;
  private mask: number;
  /** 32 - log2(slots), fibonacciSlot's shift for the home slot. */
  private shift: number;
  private n = 0;

  /** A table of at least `slots` slots (rounded up to a power of two, at least 16). */
  constructor(slots = 16) {
    let s = 16;
    while (s < slots) s *= 2;
    this.t = new Int32Array(2 * s);
    this.mask = s - 1;
    this.shift = 32 - Math.log2(s);
  }

  get size(): number {
    return this.n;
  }

  /** The first slot of a hash's probe sequence: walk on with next() while placeAt() is not -1. */
  home(hash: number): number {
    return fibonacciSlot(hash, this.shift);
  }

  next(slot: number): number {
    return (slot + 1) & this.mask;
  }

  /** The place in slot `slot`, or -1 where it is empty (the probe's end). */
  placeAt(slot: number): number {
    return this.t[2 * slot + 1]! - 1;
  }

  hashAt(slot: number): number {
    return this.t[2 * slot]!;
  }

  /** Adds a place under its hash (the caller knows it is not in the table). */
  add(hash: number, place: number): void {
    if ((this.n + 1) * FILL_DEN > (this.mask + 1) * FILL_NUM) this.double();
    this.put(hash, place);
    this.n++;
  }

  /** Takes a place out (found under its hash); a place not in the table is left alone. */
  remove(hash: number, place: number): void {
    const t = this.t;
    let i = this.home(hash);
    for (;;) {
      const p = t[2 * i + 1]! - 1;
      if (p < 0) return;
      if (p === place) break;
      i = this.next(i);
    }
    // Backward shift: each later slot of the run whose home does not lie cyclically in (i, j]
    // moves into the hole, which moves to it.
    let j = i;
    for (;;) {
      j = this.next(j);
      if (t[2 * j + 1] === EMPTY) break;
      const h = this.home(t[2 * j]!);
      if (((j - h) & this.mask) >= ((j - i) & this.mask)) {
        t[2 * i] = t[2 * j]!;
        t[2 * i + 1] = t[2 * j + 1]!;
        i = j;
      }
    }
    t[2 * i] = 0;
    t[2 * i + 1] = EMPTY;
    this.n--;
  }

  private put(hash: number, place: number): void {
    const t = this.t;
    let i = this.home(hash);
    while (t[2 * i + 1] !== EMPTY) i = this.next(i);
    t[2 * i] = hash;
    t[2 * i + 1] = place + 1;
  }

  /** Twice the slots, every pair placed again from its hash. */
  private double(): void {
    const old = this.t;
    const slots = (this.mask + 1) * 2;
    this.t = new Int32Array(2 * slots);
    this.mask = slots - 1;
    this.shift--;
    for (let k = 1; k < old.length; k += 2)
      if (old[k] !== EMPTY) this.put(old[k - 1]!, old[k]! - 1);
  }
}
