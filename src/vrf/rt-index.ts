// The VPN best routes by route target: what a new or re-evaluated VRF imports is found here, not
// by scanning the VPN tables. Only the route targets some VRF imports are indexed ("watched"): the
// VPN routes of a transit, or the million a fan-out's VRFs export under route targets nobody
// imports, cost no entry. A route target a VRF starts to import is found by one scan of the VPN
// tables (once per route target, not per VRF); from then on the best-path changes of the VPN tables
// keep its entry up to date.

import type { Rib } from '../rib/rib.js';
import type { BestChange } from '../rib/table.js';
import type { FamilyName } from '../wire/afi.js';

const VPN_FAMILIES = ['vpnv4', 'vpnv6'] as const;

export class VpnRtIndex {
  /**
   * VPN family -> watched RT key -> destination keys whose best route carries it. The table's own
   * key strings, no joined `family|key` string per VPN route. A watched RT has an entry, empty or
   * not, in every VPN family.
   */
  private readonly byFamily = new Map<FamilyName, Map<string, Set<string>>>(
    VPN_FAMILIES.map((f) => [f, new Map()]),
  );

  constructor(private readonly rib: Rib) {}

  /** A best-path change of a VPN table: the entries of the watched RTs its old or new best carries. */
  update(family: FamilyName, ch: BestChange): void {
    const was = ch.oldBest?.attrs.rtKeys;
    const now = ch.newBest?.attrs.rtKeys;
    // Same set, same RTs (a route replaced by one with the same attributes: the common case).
    if (was === now) return;
    const byRt = this.byFamily.get(family);
    if (!byRt || byRt.size === 0) return;
    const key = ch.dest.key;
    if (was) for (const k of was) byRt.get(k)?.delete(key);
    if (now) for (const k of now) byRt.get(k)?.add(key);
  }

  /** Indexes these RTs from now on; those not yet watched are found by one scan of the VPN tables. */
  watch(rtKeys: Iterable<string>): void {
    const fresh = new Set<string>();
    for (const k of rtKeys) if (!this.byFamily.get('vpnv4')!.has(k)) fresh.add(k);
    if (fresh.size === 0) return;
    for (const f of VPN_FAMILIES) {
      const byRt = this.byFamily.get(f)!;
      for (const k of fresh) byRt.set(k, new Set());
      for (const r of this.rib.table(f).bestRoutes()) {
        for (const k of r.attrs.rtKeys) if (fresh.has(k)) byRt.get(k)!.add(r.key);
      }
    }
  }

  /** Stops indexing an RT (no VRF imports it any more). */
  unwatch(rtKey: string): void {
    for (const byRt of this.byFamily.values()) byRt.delete(rtKey);
  }

  /** Whether an RT is indexed. */
  watches(rtKey: string): boolean {
    return this.byFamily.get('vpnv4')!.has(rtKey);
  }

  /**
   * Per VPN family, the destination keys whose best route carries one of these watched RTs. The
   * index's own set when there is one RT (read it before the next update).
   */
  carrying(rtKeys: ReadonlySet<string>): Map<FamilyName, ReadonlySet<string>> {
    const out = new Map<FamilyName, ReadonlySet<string>>();
    for (const [f, byRt] of this.byFamily) {
      if (rtKeys.size === 1) {
        const [k] = rtKeys;
        const s = byRt.get(k!);
        if (s?.size) out.set(f, s);
        continue;
      }
      const keys = new Set<string>();
      for (const k of rtKeys) for (const key of byRt.get(k) ?? []) keys.add(key);
      if (keys.size) out.set(f, keys);
    }
    return out;
  }
}
