// A routing table: destinations keyed by a compact string (prefix, or RD + prefix), each with its
// paths and its best path. Changes are batched: paths are added and removed, then recompute() runs
// the decision process once per touched destination (DESIGN.md, "Performance design").

import type { Route } from '../model/route.js';
import { DEFAULT_DECISION, selectBest, type BestReason, type DecisionOptions } from './decision.js';

export interface Destination {
  readonly key: string;
  /** Paths, at most one per (src, pathId). Usually one or two: an array beats a map here. */
  paths: Route[];
  best: Route | undefined;
  reason: BestReason;
}

export interface BestChange {
  readonly dest: Destination;
  readonly oldBest: Route | undefined;
  readonly newBest: Route | undefined;
}

export class Table {
  readonly dests = new Map<string, Destination>();
  private readonly dirty = new Set<Destination>();
  private pathCount = 0;

  constructor(
    readonly name: string,
    private readonly decision: DecisionOptions = DEFAULT_DECISION,
    /** Narrows the paths the decision process may choose from (a VRF's conflict rule). */
    private readonly candidates?: (paths: readonly Route[]) => readonly Route[],
  ) {}

  get size(): number {
    return this.dests.size;
  }

  get paths(): number {
    return this.pathCount;
  }

  get(key: string): Destination | undefined {
    return this.dests.get(key);
  }

  /** Adds or replaces the path of (route.src, route.pathId). Returns the path it replaced. */
  upsert(route: Route): Route | undefined {
    let d = this.dests.get(route.key);
    if (!d) {
      // A literal of one: `[]` then push() reserves 17 slots (~140 octets) per destination, and
      // most destinations only ever hold one path.
      d = { key: route.key, paths: [route], best: undefined, reason: 'only-path' };
      this.dests.set(route.key, d);
      this.pathCount++;
      this.dirty.add(d);
      return undefined;
    }
    const ps = d.paths;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      if (p.src === route.src && p.pathId === route.pathId) {
        ps[i] = route;
        this.dirty.add(d);
        return p;
      }
    }
    ps.push(route);
    this.pathCount++;
    this.dirty.add(d);
    return undefined;
  }

  /** Removes the path of (src, pathId) at key. Returns it, or undefined when absent. */
  remove(key: string, src: number, pathId = 0): Route | undefined {
    const d = this.dests.get(key);
    if (!d) return undefined;
    const ps = d.paths;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      if (p.src === src && p.pathId === pathId) {
        ps.splice(i, 1);
        this.pathCount--;
        this.dirty.add(d);
        return p;
      }
    }
    return undefined;
  }

  /** Runs the decision process on every destination touched since the last call. */
  recompute(): BestChange[] {
    const changes: BestChange[] = [];
    for (const d of this.dirty) {
      const oldBest = d.best;
      const { best, reason } = selectBest(
        this.candidates ? this.candidates(d.paths) : d.paths,
        this.decision,
      );
      d.best = best;
      d.reason = reason;
      if (d.paths.length === 0) this.dests.delete(d.key);
      if (oldBest !== best) changes.push({ dest: d, oldBest, newBest: best });
    }
    this.dirty.clear();
    return changes;
  }

  /** Every path owned by src (for a session going down, a stale sweep, a route refresh). */
  *pathsOf(src: number): Generator<Route> {
    for (const d of this.dests.values()) for (const p of d.paths) if (p.src === src) yield p;
  }

  *bestRoutes(): Generator<Route> {
    for (const d of this.dests.values()) if (d.best) yield d.best;
  }
}
