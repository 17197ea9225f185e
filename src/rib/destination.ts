// A destination of a routing table and the change of its best path in one recompute: what the
// table (table.ts) keeps per touched destination and what its recompute returns as values.

import type { Route } from '../model/route.js';
import type { BestReason } from './decision.js';

export const NO_PATHS: readonly Route[] = Object.freeze([]);

/** Whether r is the path of (src, pathId): a destination holds at most one path per pair. */
export function isPathOf(r: Route, src: number, pathId: number): boolean {
  return r.src === src && r.pathId === pathId;
}

/**
 * Whether a and b are the same path, as objects or as a packed slot's route read again
 * (packed-route.ts): the same (src, pathId), arrival number, attributes and staleness.
 */
export function samePath(a: Route, b: Route): boolean {
  return (
    a === b ||
    (a.src === b.src &&
      a.pathId === b.pathId &&
      a.seq === b.seq &&
      a.attrs === b.attrs &&
      a.stale === b.stale)
  );
}

export class Destination {
  /**
   * The paths, at most one per (src, pathId): the route itself while there is one (most
   * destinations of a transit or a VRF only ever hold one: no array of ~56 octets per
   * destination), an array from two on. Only Table changes it (put, take).
   */
  ps: Route | Route[] | undefined;
  best: Route | undefined = undefined;
  reason: BestReason = 'only-path';
  /** In its table's touched list (Table.recompute): no Set of touched destinations to hash into. */
  queued = false;

  constructor(
    readonly key: string,
    first: Route,
  ) {
    this.ps = first;
  }

  /** A destination whose only path is its best (what a table keeps as the bare route). */
  static settled(key: string, route: Route): Destination {
    const d = new Destination(key, route);
    d.best = route;
    return d;
  }

  /** How many paths (without building the array). */
  get count(): number {
    const p = this.ps;
    return p === undefined ? 0 : Array.isArray(p) ? p.length : 1;
  }

  /** The paths as an array (a new one-element array when there is a single path). */
  get paths(): readonly Route[] {
    const p = this.ps;
    return p === undefined ? NO_PATHS : Array.isArray(p) ? p : [p];
  }

  /** Whether the path of (src, pathId) is here. */
  holds(src: number, pathId: number): boolean {
    const ps = this.ps;
    if (ps === undefined) return false;
    if (!Array.isArray(ps)) return isPathOf(ps, src, pathId);
    return ps.some((p) => isPathOf(p, src, pathId));
  }

  /** Puts route in place of the path of its (src, pathId): returns that path, or undefined when route was added. */
  put(route: Route): Route | undefined {
    const ps = this.ps;
    if (ps === undefined) {
      this.ps = route;
      return undefined;
    }
    if (!Array.isArray(ps)) {
      if (isPathOf(ps, route.src, route.pathId)) {
        this.ps = route;
        return ps;
      }
      this.ps = [ps, route];
      return undefined;
    }
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      if (isPathOf(p, route.src, route.pathId)) {
        ps[i] = route;
        return p;
      }
    }
    ps.push(route);
    return undefined;
  }

  /** Takes out the path of (src, pathId): returns it, or undefined when absent. */
  take(src: number, pathId: number): Route | undefined {
    const ps = this.ps;
    if (ps === undefined) return undefined;
    if (!Array.isArray(ps)) {
      if (!isPathOf(ps, src, pathId)) return undefined;
      this.ps = undefined;
      return ps;
    }
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      if (isPathOf(p, src, pathId)) {
        ps.splice(i, 1);
        if (ps.length === 1) this.ps = ps[0];
        return p;
      }
    }
    return undefined;
  }

  /** The paths owned by src. */
  *ownedBy(src: number): Generator<Route> {
    const ps = this.ps;
    if (ps === undefined) return;
    if (!Array.isArray(ps)) {
      if (ps.src === src) yield ps;
    } else for (const p of ps) if (p.src === src) yield p;
  }
}

/**
 * The best path of one destination changed in one recompute, as one object: what an event reader
 * (Rib.onEvent) and a test get from BestChanges.at. The commit path reads the columns instead.
 */
export class BestChange {
  constructor(
    /** The destination's key. */
    readonly key: string,
    readonly oldBest: Route | undefined,
    readonly newBest: Route | undefined,
    /**
     * The destination; none for one born in the batch (its lone path is newBest) or one whose lone
     * path was withdrawn (oldBest, Table.detached).
     */
    private readonly at: Destination | undefined,
  ) {}

  /**
   * The destination as of the recompute (for one born in the batch or emptied by a withdrawal,
   * made when asked: a load or a withdrawal makes a million changes, and most readers want the
   * key only).
   */
  get dest(): Destination {
    return destOf(this.key, this.oldBest, this.newBest, this.at);
  }

  /** How many paths the destination had at the recompute. */
  get count(): number {
    return countOf(this.newBest, this.at);
  }
}

function destOf(
  key: string,
  oldBest: Route | undefined,
  newBest: Route | undefined,
  at: Destination | undefined,
): Destination {
  if (at) return at;
  if (newBest) return Destination.settled(key, newBest);
  const d = new Destination(key, oldBest!);
  d.ps = undefined;
  return d;
}

function countOf(newBest: Route | undefined, at: Destination | undefined): number {
  return at ? at.count : newBest ? 1 : 0;
}

/**
 * The best-path changes of one recompute of one table, as columns (change i is the i-th entry of
 * each): a load or a withdrawal changes a million destinations, and a BestChange object per
 * destination was ~88 octets of garbage each (the object, its slot, the list's growth: ~175 MB
 * of a 1M transit's announce and withdrawal). A column is made at the batch's size when its first
 * entry that is not `undefined` comes (a batch of withdrawals has no new bests, a load no old
 * ones, neither a Destination: one column of 8 octets per change). Still a value: the table fills
 * it and returns it, and calls no one.
 */
export class BestChanges implements Iterable<BestChange> {
  private n = 0;
  private olds: (Route | undefined)[] | undefined = undefined;
  private news: (Route | undefined)[] | undefined = undefined;
  private ats: (Destination | undefined)[] | undefined = undefined;

  /** `capacity`: at least the changes that will be added (the table's touched destinations). */
  constructor(private readonly capacity: number) {}

  /** Only Table.recompute adds: oldBest !== newBest, so one of the two is a route. */
  add(oldBest: Route | undefined, newBest: Route | undefined, at: Destination | undefined): void {
    const i = this.n++;
    // new Array(n) is holey: a slot never written reads as undefined.
    if (oldBest !== undefined)
      (this.olds ??= new Array<Route | undefined>(this.capacity))[i] = oldBest;
    if (newBest !== undefined)
      (this.news ??= new Array<Route | undefined>(this.capacity))[i] = newBest;
    if (at !== undefined) (this.ats ??= new Array<Destination | undefined>(this.capacity))[i] = at;
  }

  /** How many changes. */
  get length(): number {
    return this.n;
  }

  oldBest(i: number): Route | undefined {
    return this.olds?.[i];
  }

  newBest(i: number): Route | undefined {
    return this.news?.[i];
  }

  /** The destination's key: its old or new best's (a destination's paths carry its key). */
  key(i: number): string {
    return (this.news?.[i] ?? this.olds![i])!.key;
  }

  /** How many paths the destination had at the recompute. */
  count(i: number): number {
    return countOf(this.news?.[i], this.ats?.[i]);
  }

  /** The destination as of the recompute (BestChange.dest). */
  dest(i: number): Destination {
    return destOf(this.key(i), this.olds?.[i], this.news?.[i], this.ats?.[i]);
  }

  /** Change i as one object (an event reader's, a test's). */
  at(i: number): BestChange {
    return new BestChange(this.key(i), this.olds?.[i], this.news?.[i], this.ats?.[i]);
  }

  *[Symbol.iterator](): Generator<BestChange> {
    for (let i = 0; i < this.n; i++) yield this.at(i);
  }
}
