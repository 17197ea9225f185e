// Numbers for the few distinct objects a large key map's value column holds (v4-key-map.ts): a
// VPNv4 table's slots keep one route share per UPDATE (rib/packed-route.ts), an Adj-RIB-Out's one
// shared entry per attribute set and flush (adj-out.ts); a transit's million slots point to a few
// thousand objects. A column of pointers is eight octets a slot in V8's old generation, grown by
// copies under the write barrier and marked by every full GC; a Uint32Array of numbers into this
// registry is four octets a slot that the collector never reads. The registry holds each object
// once, with the count of slots that name it, and frees its number with the last.

import { grown } from './grown.js';

export class ValueRegistry {
  /** The object of each number (index 0 unused: 0 is "none"); undefined where a number is free. */
  private vals: (object | undefined)[] = [undefined];
  private readonly ids = new Map<object, number>();
  /** The slots naming each number. */
  private counts = new Uint32Array(64);
  private readonly free: number[] = [];
  /** The object entered last and its number: a run of slots names one object. */
  private lastX: object | undefined;
  private lastId = 0;

  /** x's number, counted for one more slot. */
  enter(x: object): number {
    let id: number;
    if (x === this.lastX) id = this.lastId;
    else {
      id = this.ids.get(x) ?? this.numbered(x);
      this.lastX = x;
      this.lastId = id;
    }
    this.counts[id]!++;
    return id;
  }

  /** A number for x, new (its count 0). */
  private numbered(x: object): number {
    let id = this.free.pop();
    if (id !== undefined) this.vals[id] = x;
    else {
      id = this.vals.length;
      this.vals.push(x);
      if (id === this.counts.length) this.counts = grown(this.counts);
    }
    this.ids.set(x, id);
    return id;
  }

  /** One slot less names `id`; the last one frees it. */
  leave(id: number): void {
    if (--this.counts[id]! > 0) return;
    const x = this.vals[id]!;
    this.ids.delete(x);
    if (x === this.lastX) this.lastX = undefined;
    this.vals[id] = undefined;
    this.free.push(id);
  }

  /** The object of a number some slot names. */
  value(id: number): object {
    return this.vals[id]!;
  }

  /** Every number freed (the map's slots all gone). */
  clear(): void {
    this.vals = [undefined];
    this.ids.clear();
    this.counts = new Uint32Array(64);
    this.free.length = 0;
    this.lastX = undefined;
  }

  /** Numbers in use (objects held). */
  get size(): number {
    return this.ids.size;
  }
}
