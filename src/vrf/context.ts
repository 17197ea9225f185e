// What the leak engine's parts (vpn-import, vpn-export, default-leak, statics, own-routes) share:
// the RIB they read, the current leak configuration, source-id numbering, the destination cache of
// VRF prefixes, and the conflict marks. The parts read the RIB and record operations; none of them
// writes into it.

import type { IpPrefix, PrefixNlri } from '../wire/types.js';
import type { FamilyName } from '../wire/afi.js';
import { prefixKey } from '../rib/keys.js';
import { RibOps } from '../rib/ops.js';
import type { Rib } from '../rib/rib.js';
import type { ConflictTracker } from './conflicts.js';
import type { LeakConfig } from './defs.js';
import { SRC_BASE, type VrfState } from './state.js';

export class LeakContext {
  private nextSrc = SRC_BASE;
  /**
   * VRF tables reuse the same prefixes (every customer's 10/8, a shared VRF leaked into all): one
   * key string and one NLRI object per IPv4 prefix instead of one per VRF route (both immutable).
   * Bounded: cleared past a million prefixes.
   */
  private readonly v4Dests = new Map<number, { key: string; nlri: PrefixNlri }>();

  constructor(
    readonly rib: Rib,
    /** Replaced by a reconfigure. */
    public cfg: LeakConfig,
    private readonly conflicts: ConflictTracker,
  ) {}

  /** A new source id (a VRF's own routes, its exports, its leaks, the imports of one RD). */
  newSrc(): number {
    return this.nextSrc++;
  }

  newOps(): RibOps {
    return new RibOps(this.rib.interner);
  }

  /** The key and NLRI of a VRF destination. */
  vrfDest(p: IpPrefix): { key: string; nlri: PrefixNlri } {
    if (p.afi !== 1) return { key: prefixKey(p), nlri: { kind: 'prefix', prefix: p } };
    const n = p.addr * 64 + p.len;
    let x = this.v4Dests.get(n);
    if (x === undefined) {
      if (this.v4Dests.size >= 1 << 20) this.v4Dests.clear();
      this.v4Dests.set(n, (x = { key: prefixKey(p), nlri: { kind: 'prefix', prefix: p } }));
    }
    return x;
  }

  /** A destination of a VRF whose paths changed: the conflict check looks at it once settled. */
  mark(st: VrfState, family: FamilyName, key: string): void {
    this.conflicts.marks(st, family).add(key);
  }

  /**
   * A drop of a derived path (path id 0) only when the table holds it: most refusals (an imported
   * route not re-exported, a route the leak policy denies) have nothing to withdraw, and a drop
   * recorded for each would be held until the step is applied (an RT change imports 100k routes).
   * Each derived path is put and dropped by one call per key per list, so no put of the same list
   * can be waiting for it.
   */
  dropHeld(ops: RibOps, view: string, f: FamilyName, key: string, src: number): void {
    // A VRF being added has no tables yet (its view is one of the operations): nothing held.
    if (this.rib.hasView(view) && this.rib.table(f, view).has(key, src)) {
      ops.drop(view, f, key, src);
    }
  }
}
