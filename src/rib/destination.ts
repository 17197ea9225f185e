// A destination of a routing table and the change of its best path in one recompute: what the
// table (table.ts) keeps per touched destination and what its recompute returns as values.

import type { Route } from '../model/route.js';
import type { BestReason } from './decision.js';

export const NO_PATHS: readonly Route[] = Object.freeze([]);

export class Destination {
  /**
   * The paths, at most one per (src, pathId): the route itself while there is one (most
   * destinations of a transit or a VRF only ever hold one: no array of ~56 octets per
   * destination), an array from two on. Only Table changes it.
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
}

/** The best path of one destination changed in one recompute. */
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
    if (this.at) return this.at;
    if (this.newBest) return Destination.settled(this.key, this.newBest);
    const d = new Destination(this.key, this.oldBest!);
    d.ps = undefined;
    return d;
  }

  /** How many paths the destination had at the recompute. */
  get count(): number {
    return this.at ? this.at.count : this.newBest ? 1 : 0;
  }
}
