// An update group's changes of one family queued for the next flush (UpdateGroup.startRun,
// enqueue): destination keys in order, each with its announcement or null (a withdrawal), as
// columns written by index. A table's route is queued as itself, its outbound set in a column
// beside it: no object per route announced (a PendingRoute was ~40 MB over a 1M transit).

import type { AttrSet } from '../model/attrset.js';
import type { Route } from '../model/route.js';
import type { OutPending, Queued } from './out-entry.js';

export class PendingChanges {
  /**
   * Written by index up to `length`: made at a run's size when it is known (reserve), as the
   * change columns are (destination.ts BestChanges): a list grown by push over a million changes
   * allocated about three times its final size (~65 MB of a 1M transit's announce and withdrawal).
   */
  /** Undefined where a table's route is queued: its key is read at the flush (coalesced()). */
  private ks: (string | undefined)[] = [];
  private es: (Queued | null)[] = [];
  /** The outbound set of a route queued by addRoute (nothing for an OutPending or a withdrawal). */
  private os: (AttrSet | undefined)[] = [];
  private n = 0;
  /** A destination may be named twice (more than one run, or enqueue()): the last one counts. */
  coalesce = false;

  get length(): number {
    return this.n;
  }

  /** Lists of this size for what comes next, while nothing is queued (holes read as undefined). */
  reserve(size: number): void {
    if (this.n > 0 || size <= this.ks.length) return;
    this.ks = new Array<string | undefined>(size);
    this.es = new Array<Queued | null>(size);
    this.os = new Array<AttrSet | undefined>(size);
  }

  /** An announcement made elsewhere (an OutPending), or a withdrawal (null). */
  add(key: string, entry: OutPending | null): void {
    const i = this.n++;
    // Past a reserved size, the write at the end grows the list as push would.
    this.ks[i] = key;
    this.es[i] = entry;
    // Written too: a column written only at a far index would leave V8 a dictionary of holes.
    this.os[i] = undefined;
  }

  /** A table's route, announced with `attrs` (its outbound set, not the route's own). */
  addRoute(route: Route, attrs: AttrSet): void {
    const i = this.n++;
    // Not route.key: a VPNv4 route makes its key when read (model/v4-key-code.ts), and one made
    // here would wait for the flush (promoted if the socket makes it wait long).
    this.ks[i] = undefined;
    this.es[i] = route;
    this.os[i] = attrs;
  }

  /**
   * Each destination once, with its last change, in the order first queued (as a Map keeps).
   * `outs[i]` is the outbound set where `entries[i]` is a table's route.
   */
  coalesced(): {
    keys: readonly string[];
    entries: readonly (Queued | null)[];
    outs: readonly (AttrSet | undefined)[];
  } {
    const keys = this.ks;
    const entries = this.es;
    const outs = this.os;
    // A reserve larger than what came: trimmed in place.
    if (keys.length > this.n) keys.length = entries.length = outs.length = this.n;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] === undefined) keys[i] = (entries[i] as Route).key;
    }
    if (!this.coalesce) return { keys: keys as string[], entries, outs };
    const last = new Map<string, number>();
    for (let i = 0; i < keys.length; i++) last.set(keys[i]!, i);
    const at = [...last.values()];
    return {
      keys: [...last.keys()],
      entries: at.map((i) => entries[i] ?? null),
      outs: at.map((i) => outs[i]),
    };
  }
}
