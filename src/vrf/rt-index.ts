// The VPN best routes by route target: what a new or re-evaluated VRF imports is found here, not
// by scanning the VPN tables. Built on first use (a pure transit, with no VRF, never pays for it)
// and kept up to date from the best-path changes of the VPN tables.

import type { Rib } from '../rib/rib.js';
import type { BestChange } from '../rib/table.js';
import type { FamilyName } from '../wire/afi.js';
import { sameKeys } from './state.js';

export class VpnRtIndex {
  /**
   * VPN family -> RT key -> destination keys whose best route carries it. The table's own key
   * strings, no joined `family|key` string per VPN route (every transit route is indexed once a
   * VRF exists: the memory budget).
   */
  private readonly byFamily = new Map<FamilyName, Map<string, Set<string>>>();
  private built = false;

  constructor(private readonly rib: Rib) {}

  /** A best-path change of a VPN table (ignored until the index is first used). */
  update(family: FamilyName, ch: BestChange): void {
    if (!this.built) return;
    const was = ch.oldBest?.attrs.rtKeys;
    const now = ch.newBest?.attrs.rtKeys;
    if (was === now || (was && now && sameKeys(was, now))) return;
    let byRt = this.byFamily.get(family);
    if (!byRt) this.byFamily.set(family, (byRt = new Map()));
    const key = ch.dest.key;
    for (const k of was ?? []) {
      const s = byRt.get(k);
      s?.delete(key);
      if (s?.size === 0) byRt.delete(k);
    }
    for (const k of now ?? []) {
      let s = byRt.get(k);
      if (!s) byRt.set(k, (s = new Set()));
      s.add(key);
    }
  }

  /** Per VPN family, the destination keys whose best route carries one of these RTs. */
  carrying(rtKeys: Iterable<string>): Map<FamilyName, Set<string>> {
    this.build();
    const out = new Map<FamilyName, Set<string>>();
    for (const [f, byRt] of this.byFamily) {
      const keys = new Set<string>();
      for (const k of rtKeys) for (const key of byRt.get(k) ?? []) keys.add(key);
      out.set(f, keys);
    }
    return out;
  }

  private build(): void {
    if (this.built) return;
    this.built = true;
    for (const f of ['vpnv4', 'vpnv6'] as const) {
      for (const dest of this.rib.table(f).dests.values()) {
        if (dest.best) this.update(f, { dest, oldBest: undefined, newBest: dest.best });
      }
    }
  }
}
