// A routing table: destinations keyed by a compact string (prefix, or RD + prefix), each with its
// paths and its best path. Changes are batched: paths are added and removed, then recompute() runs
// the decision process once per touched destination (DESIGN.md, "Performance design").

import type { Route } from '../model/route.js';
import { compareRoutes, DEFAULT_DECISION, selectBest, type DecisionOptions } from './decision.js';
import { BestChanges, Destination, isPathOf, NO_PATHS, samePath } from './destination.js';
import { packedV4Routes } from './packed-route.js';
import { destinationMap, RdMap } from './rd-map.js';
import type { FamilyName } from '../wire/afi.js';
import type { Rd } from '../wire/types.js';

/** Read access to a table's destinations, as a map of Destination objects. */
export interface DestinationsView {
  readonly size: number;
  get(key: string): Destination | undefined;
  keys(): IterableIterator<string>;
  values(): Generator<Destination>;
  /** Drops a destination whatever it holds (tests that break a table on purpose). */
  delete(key: string): boolean;
}

type Slot = Destination | Route;

/** What a table with nothing touched returns (never added to: capacity 0). */
const NO_CHANGES = new BestChanges(0);

export class Table {
  /**
   * key -> Destination, or the route itself when it is the destination's only path, its best, and
   * not being changed: most destinations of a transit or a VRF hold one path, and a Destination
   * object per destination is ~56 octets per route (DESIGN.md, "Performance design"). A touched
   * destination is a Destination until the next recompute settles it.
   */
  private readonly store: Map<string, Slot>;
  /**
   * The store, where it finds VPNv4 keys by number (rd-map.ts getV4): upsertV4 and removeV4 take
   * a decoded NLRI's RD and number instead of its key string. Undefined in any other table.
   */
  readonly byNumber: RdMap<Slot> | undefined;
  readonly dests: DestinationsView;
  /**
   * Destinations whose lone path a withdrawal removed, their slots already deleted: the lookup
   * that found the route has its entry at hand, where putting a Destination in the slot and
   * deleting it at the recompute walked the large map a second time per route withdrawn (~280 ms
   * of a 1M transit's withdrawals) and kept the Destination alive through the old-generation map.
   * The removed route itself stands in `touched` for each (no Destination object per route
   * withdrawn: ~100 MB of a 1M transit's withdrawals), told from a born route by this count: only
   * while no route was born in the batch. Any other access to the map puts them back first
   * (`slots`) as Destinations without paths, so no reader sees a difference, and the rest of the
   * batch goes the ordinary way (detachOff).
   */
  private detached = 0;
  private detachOff = false;
  /**
   * Touched since the last recompute, in order: a Destination (queued once, its flag says so), or
   * a route that made a new destination ("born": put bare into the slot at once, so a new
   * destination costs one Map lookup and one insertion, not a Destination object and four Map
   * operations), or while `detached` counts any, a lone path withdrawn (never both kinds of route). A new array per batch rather than a cleared one: V8 allocates the grown store
   * of a long-lived (old-generation) array in the old generation, and a reused scratch list turns
   * every batch into garbage only a full GC reclaims.
   */
  private touched: (Destination | Route)[] = [];
  /**
   * The keys of bare routes opened into a Destination in this batch while routes were born (a born
   * route opened is among them). By key, not by route: a VPNv4 slot keeps its lone route packed
   * (packed-route.ts), and what a read gives is an equal route, not the one born. Empty in a load
   * (every destination new): then no born route was opened and none needs looking up again.
   */
  private openedBare = new Set<string>();
  /**
   * Routes born since the last recompute: none (a batch of withdrawals), and a bare route opened
   * is a settled one, which recompute need not tell from a born one (no Set insertion per route
   * withdrawn: ~75 MB of Set stores per 1M transit withdrawals).
   */
  private born = 0;
  /**
   * Called when the table goes from settled to touched: its owner (Rib) recomputes only the tables
   * that have something to do (with 1000 VRFs, 2000 tables, each commit round would ask them all).
   */
  onTouch: (() => void) | undefined = undefined;
  private pathCount = 0;
  /**
   * Report destinations whose paths changed while their best did not (takePathChanges): an
   * ADD-PATH sender (RFC 7911) sends more than the best. Off unless such a peer reads the table.
   */
  trackPaths = false;
  private pathChanges: string[] = [];

  constructor(
    readonly name: string,
    private readonly decision: DecisionOptions = DEFAULT_DECISION,
    /**
     * Narrows the paths the decision process may choose from (a VRF's conflict rule). Asked about
     * two or more paths only: a lone path is always its destination's best.
     */
    private readonly candidates?: (paths: readonly Route[]) => readonly Route[],
    /** The family of the keys: a VPN family's (RD first) get one Map per RD (rd-map.ts). */
    family?: FamilyName,
  ) {
    const store = family
      ? destinationMap<Slot>(family, packedV4Routes, true)
      : new Map<string, Slot>();
    this.store = store;
    this.byNumber = store instanceof RdMap && store.byNumber ? store : undefined;
    const slotsOf = (): Map<string, Slot> => this.slots;
    this.dests = {
      get size() {
        return slotsOf().size;
      },
      get: (key) => this.get(key),
      keys: () => slotsOf().keys(),
      values: function* () {
        for (const [key, v] of slotsOf())
          yield v instanceof Destination ? v : Destination.settled(key, v);
      },
      delete: (key) => slotsOf().delete(key),
    };
  }

  /** The map of destinations, with the detached ones put back (see `detached`). */
  private get slots(): Map<string, Slot> {
    if (this.detached > 0) this.reattach();
    return this.store;
  }

  private reattach(): void {
    const touched = this.touched;
    for (let i = 0; i < touched.length; i++) {
      const x = touched[i]!;
      if (x instanceof Destination) continue;
      // A lone path withdrawn (no route was born while any was detached): its destination, empty.
      const d = Destination.settled(x.key, x);
      d.ps = undefined;
      d.queued = true;
      touched[i] = d;
      this.store.set(x.key, d);
    }
    this.detached = 0;
    this.detachOff = true;
  }

  get size(): number {
    return this.slots.size;
  }

  get paths(): number {
    return this.pathCount;
  }

  get(key: string): Destination | undefined {
    const v = this.slots.get(key);
    return v === undefined || v instanceof Destination ? v : Destination.settled(key, v);
  }

  /** The best route at key (no Destination object made for a bare route). */
  bestOf(key: string): Route | undefined {
    const v = this.slots.get(key);
    return v === undefined || !(v instanceof Destination) ? v : v.best;
  }

  /** How many paths key has (no Destination object made for a bare route). */
  countAt(key: string): number {
    const v = this.slots.get(key);
    return v === undefined ? 0 : v instanceof Destination ? v.count : 1;
  }

  /**
   * The paths at key in decision order, best first, as far as the decision may choose them (the
   * candidates filter): what an ADD-PATH sender picks from (RFC 7911).
   */
  ranked(key: string): readonly Route[] {
    const v = this.slots.get(key);
    if (v === undefined) return NO_PATHS;
    if (!(v instanceof Destination)) return [v];
    const ps = v.paths;
    const best = v.best;
    if (ps.length < 2 || !best) return best ? [best] : NO_PATHS;
    const c = this.candidates ? this.candidates(ps) : ps;
    const rest = c
      .filter((r) => r !== best)
      .sort((a, b) => compareRoutes(a, b, this.decision).order);
    return [best, ...rest];
  }

  /** Destinations whose paths changed under an unchanged best since the last call (trackPaths). */
  takePathChanges(): string[] {
    const out = this.pathChanges;
    if (out.length) this.pathChanges = [];
    return out;
  }

  /** Whether key holds the path of (src, pathId) (no Destination object made for a bare route). */
  has(key: string, src: number, pathId = 0): boolean {
    const v = this.slots.get(key);
    if (v === undefined) return false;
    return v instanceof Destination ? v.holds(src, pathId) : isPathOf(v, src, pathId);
  }

  /** The Destination of key's slot, whose value v was read: made from a bare route (about to change). */
  private opened(key: string, v: Slot | undefined): Destination | undefined {
    if (v === undefined || v instanceof Destination) return v;
    // Settled, or born in this batch: recompute tells the two apart (openedBare).
    const d = Destination.settled(key, v);
    this.slots.set(key, d);
    if (this.born > 0) this.openedBare.add(key);
    return d;
  }

  private touch(d: Destination): void {
    if (d.queued) return;
    d.queued = true;
    if (this.touched.length === 0) this.onTouch?.();
    this.touched.push(d);
  }

  /**
   * Adds or replaces the path of (route.src, route.pathId). Returns the path it replaced. `key` is
   * route.key, passed by a caller that has it: a VPNv4 route makes its key when read
   * (model/v4-key-code.ts).
   */
  upsert(route: Route, key: string = route.key): Route | undefined {
    const slots = this.slots;
    const v = slots.get(key);
    if (v !== undefined) return this.upsertAt(route, key, v);
    slots.set(key, route);
    this.bornRoute(route);
    return undefined;
  }

  /**
   * upsert() of a VPNv4 route whose key is the one of `rd` and n (wire/nlri/key.ts v4KeyNumber),
   * in a table found `byNumber`: no key string is read unless the destination has a path already.
   */
  upsertV4(route: Route, rd: Rd, n: number): Route | undefined {
    if (this.detached > 0) this.reattach();
    const store = this.byNumber!;
    const v = store.getV4(rd, n);
    if (v !== undefined) return this.upsertAt(route, route.key, v);
    store.setV4(rd, n, route);
    this.bornRoute(route);
    return undefined;
  }

  /** A new destination: its lone path is its best from the start (see `touched`). */
  private bornRoute(route: Route): void {
    this.pathCount++;
    this.born++;
    if (this.touched.length === 0) this.onTouch?.();
    this.touched.push(route);
  }

  /** upsert() where key's slot holds v. */
  private upsertAt(route: Route, key: string, v: Slot): Route | undefined {
    const d = this.opened(key, v)!;
    this.touch(d);
    const replaced = d.put(route);
    if (replaced === undefined) this.pathCount++;
    return replaced;
  }

  /** Removes the path of (src, pathId) at key. Returns it, or undefined when absent. */
  remove(key: string, src: number, pathId = 0): Route | undefined {
    // A detached key reads as absent here, as its Destination without paths would answer.
    const v = this.store.get(key);
    if (v === undefined) return undefined;
    if (!(v instanceof Destination)) {
      // A bare route that is not the one asked for stays bare.
      if (!isPathOf(v, src, pathId)) return undefined;
      if (this.canDetach()) {
        this.store.delete(key);
        return this.detach(v);
      }
    }
    return this.removeAt(key, v, src, pathId);
  }

  /** remove() of the VPNv4 key of `rd` and n, in a table found `byNumber` (upsertV4). */
  removeV4(rd: Rd, n: number, src: number, pathId = 0): Route | undefined {
    const store = this.byNumber!;
    const v = store.getV4(rd, n);
    if (v === undefined) return undefined;
    if (!(v instanceof Destination)) {
      if (!isPathOf(v, src, pathId)) return undefined;
      if (this.canDetach()) {
        store.deleteV4(rd, n);
        return this.detach(v);
      }
    }
    // A Destination and a route both name their key.
    return this.removeAt(v.key, v, src, pathId);
  }

  /** Whether a lone path withdrawn may be detached (see `detached`). */
  private canDetach(): boolean {
    return this.born === 0 && !this.detachOff;
  }

  /** A lone path withdrawn, its slot deleted: it stands in `touched` (see `detached`). */
  private detach(v: Route): Route {
    this.detached++;
    this.pathCount--;
    if (this.touched.length === 0) this.onTouch?.();
    this.touched.push(v);
    return v;
  }

  /** remove() where key's slot holds v. */
  private removeAt(key: string, v: Slot, src: number, pathId: number): Route | undefined {
    const d = this.opened(key, v)!;
    const p = d.take(src, pathId);
    if (p !== undefined) {
      this.pathCount--;
      this.touch(d);
    }
    return p;
  }

  /** Runs the decision process on every destination touched since the last call. */
  recompute(): BestChanges {
    // Every table is asked each settle round; most (a VRF's, with 1000 VRFs) have nothing.
    if (this.touched.length === 0) return NO_CHANGES;
    const touched = this.touched;
    const changes = new BestChanges(touched.length);
    this.touched = [];
    const opened = this.openedBare;
    if (opened.size) this.openedBare = new Set();
    this.born = 0;
    // The bare routes of the list are the lone paths withdrawn (see `detached`), else born ones.
    const withdrawn = this.detached > 0;
    this.detached = 0;
    this.detachOff = false;
    const slots = this.store;
    for (const x of touched) {
      if (!(x instanceof Destination)) {
        if (withdrawn) {
          changes.add(x, undefined, undefined);
          continue;
        }
        const key = opened.size === 0 ? undefined : x.key;
        if (key === undefined || !opened.has(key)) {
          changes.add(undefined, x, undefined);
          continue;
        }
        // Born and then changed in the same batch: its Destination (later in the list) reports
        // the change, from no best (open() took the born route for a settled best).
        const d = slots.get(key);
        if (d instanceof Destination && d.best !== undefined && samePath(d.best, x)) {
          d.best = undefined;
        }
        continue;
      }
      const d = x;
      d.queued = false;
      const oldBest = d.best;
      const ps = d.ps;
      if (ps === undefined) {
        d.best = undefined;
        d.reason = 'only-path';
        slots.delete(d.key);
      } else if (!Array.isArray(ps)) {
        // A lone path is its own best (the candidates filter narrows two or more only).
        d.best = ps;
        d.reason = 'only-path';
        // Settled with one path: the bare route stands for it again (changes still name d).
        if (slots.get(d.key) === d) slots.set(d.key, ps);
      } else {
        const { best, reason } = selectBest(
          this.candidates ? this.candidates(ps) : ps,
          this.decision,
        );
        d.best = best;
        d.reason = reason;
      }
      if (oldBest !== d.best) changes.add(oldBest, d.best, d);
      else if (this.trackPaths) this.pathChanges.push(d.key);
    }
    return changes;
  }

  /** Every path owned by src (for a session going down, a stale sweep, a route refresh). */
  *pathsOf(src: number): Generator<Route> {
    for (const v of this.slots.values()) {
      if (v instanceof Destination) yield* v.ownedBy(src);
      else if (v.src === src) yield v;
    }
  }

  *bestRoutes(): Generator<Route> {
    for (const v of this.slots.values()) {
      if (!(v instanceof Destination)) yield v;
      else if (v.best) yield v.best;
    }
  }
}
