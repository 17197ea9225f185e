// What the leak engine's parts (vpn-import, vpn-export, default-leak, statics, own-routes) share:
// the RIB they read, the current leak configuration, source-id numbering, the destination cache of
// VRF prefixes, and the conflict marks. The parts read the RIB and record operations; none of them
// writes into it.

import type { IpPrefix } from '../wire/types.js';
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
   * key string per IPv4 prefix instead of one per VRF route (keys are immutable). By length, then
   * the address as a signed 32-bit number: a small integer, where one number of both would be a
   * heap number made per lookup (the fan-out looks up a million). Bounded: cleared past a million.
   */
  private readonly v4Keys: (Map<number, string> | undefined)[] = [];
  private v4KeyCount = 0;

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

  /** The key of a VRF destination (rib/keys.ts prefixKey). */
  vrfKey(p: IpPrefix): string {
    if (p.afi !== 1) return prefixKey(p);
    let byAddr = this.v4Keys[p.len];
    if (byAddr === undefined) this.v4Keys[p.len] = byAddr = new Map();
    let key = byAddr.get(p.addr | 0);
    if (key === undefined) {
      if (this.v4KeyCount >= 1 << 20) {
        this.v4Keys.length = 0;
        this.v4KeyCount = 0;
        this.v4Keys[p.len] = byAddr = new Map();
      }
      byAddr.set(p.addr | 0, (key = prefixKey(p)));
      this.v4KeyCount++;
    }
    return key;
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
