// Conflicts (DESIGN.md "Conflict"): where a VRF's own route beat leaked or imported ones for the
// same prefix. The engine marks the destinations whose paths changed; after each settle the tracker
// looks at those only, keeps the current conflicts for `show leak conflicts`, and reports each new
// one once.

import type { Rib } from '../rib/rib.js';
import type { Route } from '../model/route.js';
import type { FamilyName } from '../wire/afi.js';
import { prefixOf, type Conflict, type VrfState } from './state.js';

/** A VRF's destinations whose paths changed since the last settle, per family. */
type CheckSet = Map<FamilyName, Set<string>>;

export class ConflictTracker {
  /** vrf + family + destination key -> conflict; logged once each. */
  readonly conflicts = new Map<string, Conflict>();
  private toCheck = new Map<VrfState, CheckSet>();

  constructor(
    private readonly rib: Rib,
    private readonly isOwn: (r: Route, st: VrfState) => boolean,
    private readonly sink: ((c: Conflict) => void) | undefined,
  ) {}

  /** The destinations of a VRF's family to look at after this settle. */
  marks(st: VrfState, family: FamilyName): Set<string> {
    let byFam = this.toCheck.get(st);
    if (!byFam) this.toCheck.set(st, (byFam = new Map()));
    let keys = byFam.get(family);
    if (!keys) byFam.set(family, (keys = new Set()));
    return keys;
  }

  /** Drops every conflict of a VRF (it was removed). */
  forgetVrf(name: string): void {
    for (const k of [...this.conflicts.keys()])
      if (k.startsWith(`${name}|`)) this.conflicts.delete(k);
  }

  /** After a settle: re-decides the marked destinations. `vrfs` are the VRFs that still exist. */
  settle(vrfs: ReadonlyMap<string, VrfState>): void {
    const toCheck = this.toCheck;
    this.toCheck = new Map();
    for (const [old, byFam] of toCheck) {
      const name = old.def.name;
      const st = vrfs.get(name);
      for (const [family, keys] of byFam) {
        for (const key of keys) {
          if (st) this.note(st, family, key);
          else this.conflicts.delete(`${name}|${family}|${key}`);
        }
      }
    }
  }

  private note(st: VrfState, family: FamilyName, key: string): void {
    const t = this.rib.table(family, st.def.name);
    // One path cannot be a conflict (nothing was beaten): the common case, decided without
    // building the conflict key or a Destination for a bare route.
    const d = t.countAt(key) < 2 ? undefined : t.get(key);
    if (!d) {
      if (this.conflicts.size) this.conflicts.delete(`${st.def.name}|${family}|${key}`);
      return;
    }
    const ck = `${st.def.name}|${family}|${key}`;
    const own = d.paths.filter((p) => this.isOwn(p, st));
    const other = d.paths.filter((p) => !this.isOwn(p, st));
    const winner = d.best;
    if (!winner || own.length === 0 || other.length === 0 || !this.isOwn(winner, st)) {
      this.conflicts.delete(ck);
      return;
    }
    const prefix = prefixOf(winner);
    if (!prefix) return;
    const had = this.conflicts.has(ck);
    const c: Conflict = { vrf: st.def.name, prefix, winner, losers: other };
    this.conflicts.set(ck, c);
    // DESIGN.md "Conflict": each conflict is logged once.
    if (!had) this.sink?.(c);
  }
}
