// Adj-RIB-In as received: one peer's routes before any inbound policy (FRR's `neighbor X
// soft-reconfiguration inbound`). Kept only for the neighbors configured to keep it: without it a
// peer's Adj-RIB-In is the count in Rib and its accepted paths in the tables, and nothing here
// costs a byte per route. With it, a change of inbound policy is applied again from these routes
// instead of asking the peer for them (RFC 2918 route refresh).
//
// Callers see only the AdjRibIn interface: the representation (maps of entries today) can be
// replaced by a compact one without touching them.

import type { AttrSet } from '../model/attrset.js';
import type { FamilyName } from '../wire/afi.js';
import type { Nlri } from '../wire/types.js';
import { nlriKey } from './keys.js';

/** A route as the peer sent it (after RFC 7606 treat-as-withdraw, before inbound policy). */
export interface ReceivedRoute {
  readonly nlri: Nlri;
  readonly attrs: AttrSet;
  /** RFC 4724 §4.2: received before the peer restarted and not sent again yet. */
  readonly stale: boolean;
}

/** The reference counting of the attribute interner (a stored route holds its set). */
export interface AttrRefs {
  ref(set: AttrSet): void;
  unref(set: AttrSet): void;
}

/** One peer's pre-policy Adj-RIB-In. */
export interface AdjRibIn {
  /** Routes of one UPDATE (one attribute set), replacing those of the same prefix and path id. */
  announce(family: FamilyName, attrs: AttrSet, nlri: readonly Nlri[]): void;
  /** Removes routes; returns how many were there. */
  withdraw(family: FamilyName, nlri: readonly Nlri[]): number;
  routes(family: FamilyName): Iterable<ReceivedRoute>;
  count(family: FamilyName): number;
  /** The families holding at least one route. */
  families(): FamilyName[];
  /** RFC 4724 §4.2: the peer restarts; what it sent is kept, marked stale. */
  markStale(): number;
  /** Removes the stale routes (of a family, or all): End-of-RIB, or the restart time ran out. */
  sweepStale(family?: FamilyName): number;
  /** Removes every route (of a family, or all): the session went down, or the key was removed. */
  clear(family?: FamilyName): number;
}

interface Entry {
  readonly nlri: Nlri;
  readonly attrs: AttrSet;
  stale: boolean;
}

/** Path id -> destination key -> entry: one inner map without add-path, no key concatenation. */
type FamilyStore = Map<number, Map<string, Entry>>;

class MapAdjRibIn implements AdjRibIn {
  private readonly byFamily = new Map<FamilyName, FamilyStore>();

  constructor(private readonly refs: AttrRefs) {}

  announce(family: FamilyName, attrs: AttrSet, nlri: readonly Nlri[]): void {
    let fam = this.byFamily.get(family);
    if (!fam) this.byFamily.set(family, (fam = new Map()));
    for (const n of nlri) {
      const pathId = n.pathId ?? 0;
      let m = fam.get(pathId);
      if (!m) fam.set(pathId, (m = new Map()));
      const key = nlriKey(n);
      const old = m.get(key);
      this.refs.ref(attrs);
      m.set(key, { nlri: n, attrs, stale: false });
      if (old) this.refs.unref(old.attrs);
    }
  }

  withdraw(family: FamilyName, nlri: readonly Nlri[]): number {
    const fam = this.byFamily.get(family);
    if (!fam) return 0;
    let n = 0;
    for (const x of nlri) {
      const m = fam.get(x.pathId ?? 0);
      const key = nlriKey(x);
      const old = m?.get(key);
      if (!m || !old) continue;
      m.delete(key);
      this.refs.unref(old.attrs);
      n++;
    }
    return n;
  }

  *routes(family: FamilyName): Generator<ReceivedRoute> {
    for (const m of this.byFamily.get(family)?.values() ?? []) yield* m.values();
  }

  count(family: FamilyName): number {
    let n = 0;
    for (const m of this.byFamily.get(family)?.values() ?? []) n += m.size;
    return n;
  }

  families(): FamilyName[] {
    return [...this.byFamily.keys()].filter((f) => this.count(f) > 0);
  }

  markStale(): number {
    let n = 0;
    for (const fam of this.byFamily.values())
      for (const m of fam.values())
        for (const e of m.values()) {
          if (!e.stale) n++;
          e.stale = true;
        }
    return n;
  }

  sweepStale(family?: FamilyName): number {
    return this.drop(family, (e) => e.stale);
  }

  clear(family?: FamilyName): number {
    return this.drop(family, () => true);
  }

  private drop(family: FamilyName | undefined, which: (e: Entry) => boolean): number {
    let n = 0;
    for (const [f, fam] of this.byFamily) {
      if (family !== undefined && f !== family) continue;
      for (const m of fam.values())
        for (const [key, e] of m) {
          if (!which(e)) continue;
          m.delete(key);
          this.refs.unref(e.attrs);
          n++;
        }
    }
    return n;
  }
}

/** A new, empty pre-policy Adj-RIB-In whose routes hold their attribute sets through `refs`. */
export function createAdjRibIn(refs: AttrRefs): AdjRibIn {
  return new MapAdjRibIn(refs);
}
