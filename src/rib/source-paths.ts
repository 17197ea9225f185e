// Where each source's paths are, as the RIB counts them: per (peer, family), the view its paths
// went into and how many it has (the accepted side of its Adj-RIB-In; the paths themselves are the
// tables'), and the sweeps over one source's paths: a session going down, a graceful restart's
// stale marking and sweep (RFC 4724 §4.2).

import { staleCopy, type Route } from '../model/route.js';
import type { FamilyName } from '../wire/afi.js';
import type { Table } from './table.js';

/** What is kept per (peer, family): the view its paths went into and how many there are. */
export interface InSide {
  view: string;
  count: number;
}

/** What the sweeps need of the RIB: its tables and the interner's reference counting. */
export interface SourceTables {
  table(f: FamilyName, view: string): Table;
  /** Every view's table of f (local sources have no InSide: their paths are looked for). */
  tablesOf(f: FamilyName): Iterable<Table>;
  unref(r: Route): void;
}

export class SourcePaths {
  /**
   * Per peer and family. No second map with an entry per received route (the transit memory
   * budget): a table holds one path per (src, pathId), the same object.
   */
  private readonly bySource = new Map<number, Map<FamilyName, InSide>>();

  constructor(private readonly rib: SourceTables) {}

  /** The side of (peerId, f), made on first use; its paths go into view from now on. */
  side(peerId: number, f: FamilyName, view: string): InSide {
    let byFam = this.bySource.get(peerId);
    if (!byFam) this.bySource.set(peerId, (byFam = new Map()));
    let side = byFam.get(f);
    if (!side) byFam.set(f, (side = { view, count: 0 }));
    side.view = view;
    return side;
  }

  get(peerId: number, f: FamilyName): InSide | undefined {
    return this.bySource.get(peerId)?.get(f);
  }

  /** Drops every path of a source (session down without graceful restart, or a stale sweep). */
  removeSource(src: number, families: readonly FamilyName[], onlyStale: boolean): number {
    let n = 0;
    for (const f of families) {
      const side = this.get(src, f);
      if (side) {
        // One scan of the peer's table (a session going down, a stale sweep: not per UPDATE).
        const k = this.drop(this.rib.table(f, side.view), src, onlyStale);
        side.count -= k;
        n += k;
      } else {
        // Local sources have no Adj-RIB-In: scan the tables.
        for (const t of this.rib.tablesOf(f)) n += this.drop(t, src, onlyStale);
      }
    }
    return n;
  }

  /** Forgets a source's sides (all its paths are gone). */
  forget(src: number): void {
    this.bySource.delete(src);
  }

  private drop(t: Table, src: number, onlyStale: boolean): number {
    let n = 0;
    for (const r of [...t.pathsOf(src)]) {
      if (onlyStale && !r.stale) continue;
      t.remove(r.key, src, r.pathId);
      this.rib.unref(r);
      n++;
    }
    return n;
  }

  /** RFC 4724 §4.2: keep a restarting peer's routes, marked stale. */
  markStale(src: number): number {
    let n = 0;
    const byFam = this.bySource.get(src);
    if (!byFam) return 0;
    for (const [f, side] of byFam) {
      const t = this.rib.table(f, side.view);
      for (const r of [...t.pathsOf(src)]) {
        if (r.stale) continue;
        // Replaces the path of the same (src, pathId): the count stays.
        t.upsert(staleCopy(r));
        n++;
      }
    }
    return n;
  }

  countStale(src: number): number {
    let n = 0;
    for (const [f, side] of this.bySource.get(src) ?? [])
      for (const r of this.rib.table(f, side.view).pathsOf(src)) if (r.stale) n++;
    return n;
  }
}
