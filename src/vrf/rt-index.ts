// The VPN best routes by route target: what a new or re-evaluated VRF imports is found here, not
// by scanning the VPN tables. Only the route targets some VRF imports are indexed ("watched"): the
// VPN routes of a transit, or the million a fan-out's VRFs export under route targets nobody
// imports, cost no entry. A route target a VRF starts to import is found by one scan of the VPN
// tables (once per route target, not per VRF); from then on the best-path changes of the VPN tables
// keep its entry up to date.

import type { Route } from '../model/route.js';
import type { Rib } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';

const VPN_FAMILIES = ['vpnv4', 'vpnv6'] as const;

export class VpnRtIndex {
  /**
   * VPN family -> watched RT key -> destination key -> its best route, for the destinations whose
   * best route carries the RT (as of the last recompute: what a VRF added imports, without a
   * lookup in the VPN table per route). The table's own key strings, no joined `family|key` string
   * per VPN route. A watched RT has an entry, empty or not, in every VPN family.
   */
  private readonly byFamily = new Map<FamilyName, Map<string, Map<string, Route>>>(
    VPN_FAMILIES.map((f) => [f, new Map()]),
  );

  constructor(private readonly rib: Rib) {}

  /** A best-path change of a VPN table: the entries of the watched RTs its old or new best carries. */
  update(
    family: FamilyName,
    key: string,
    oldBest: Route | undefined,
    newBest: Route | undefined,
  ): void {
    const byRt = this.byFamily.get(family);
    if (!byRt || byRt.size === 0) return;
    const was = oldBest?.attrs.rtKeys;
    const best = newBest;
    const now = best?.attrs.rtKeys;
    // Indexed loops: a for-of here allocated an iterator per change (a load makes a million).
    if (was && was !== now) {
      for (let i = 0; i < was.length; i++) {
        const k = was[i]!;
        if (!now?.includes(k)) byRt.get(k)?.delete(key);
      }
    }
    if (now) {
      for (let i = 0; i < now.length; i++) byRt.get(now[i]!)?.set(key, best!);
    }
  }

  /** Indexes these RTs from now on; those not yet watched are found by one scan of the VPN tables. */
  watch(rtKeys: Iterable<string>): void {
    const fresh = new Set<string>();
    for (const k of rtKeys) if (!this.byFamily.get('vpnv4')!.has(k)) fresh.add(k);
    if (fresh.size === 0) return;
    for (const f of VPN_FAMILIES) {
      const byRt = this.byFamily.get(f)!;
      for (const k of fresh) byRt.set(k, new Map());
      // Routes come in runs of one attribute set: its RTs are looked at once per run.
      let set: Route['attrs'] | undefined;
      let hits: Map<string, Route>[] = [];
      for (const r of this.rib.table(f).bestRoutes()) {
        if (r.attrs !== set) {
          set = r.attrs;
          hits = [];
          for (const k of set.rtKeys) if (fresh.has(k)) hits.push(byRt.get(k)!);
        }
        for (const m of hits) m.set(r.key, r);
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
   * Per VPN family, the best routes (as of the last recompute) that carry one of these watched
   * RTs, by destination key. The index's own map when there is one RT (read it before the next
   * update).
   */
  carrying(rtKeys: ReadonlySet<string>): Map<FamilyName, ReadonlyMap<string, Route>> {
    const out = new Map<FamilyName, ReadonlyMap<string, Route>>();
    for (const [f, byRt] of this.byFamily) {
      if (rtKeys.size === 1) {
        const [k] = rtKeys;
        const m = byRt.get(k!);
        if (m?.size) out.set(f, m);
        continue;
      }
      const routes = new Map<string, Route>();
      for (const k of rtKeys) for (const [key, r] of byRt.get(k) ?? []) routes.set(key, r);
      if (routes.size) out.set(f, routes);
    }
    return out;
  }
}
