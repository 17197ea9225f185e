// The VPN best routes by route target: what a new or re-evaluated VRF imports is found here, not
// by scanning the VPN tables. Only the route targets more than one VRF asks for are indexed: the
// VPN routes of a transit, or the million a fan-out's VRFs export under route targets nobody
// imports, cost no entry, and neither does a route target one VRF alone imports (an RT change
// imports 100k routes found by one scan: an index of them, a Map entry and a key string per route,
// cost more than the scan, ~100 ms, for a reader that may never come). A route target is indexed
// on the scan that finds it for a second time, or on the first when the configuration has two VRFs
// importing it (a fan-out's shared RT); from then on the best-path changes of the VPN tables keep
// its entry up to date.

import type { Route } from '../model/route.js';
import type { Rib } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';

const VPN_FAMILIES = ['vpnv4', 'vpnv6'] as const;

export class VpnRtIndex {
  /**
   * VPN family -> indexed RT key -> destination key -> its best route, for the destinations whose
   * best route carries the RT (as of the last recompute: what a VRF added imports, without a
   * lookup in the VPN table per route). The table's own key strings, no joined `family|key` string
   * per VPN route. An indexed RT has an entry, empty or not, in every VPN family.
   */
  private readonly byFamily = new Map<FamilyName, Map<string, Map<string, Route>>>(
    VPN_FAMILIES.map((f) => [f, new Map()]),
  );
  /** RTs a scan found and left unindexed: the next scan for one of them indexes it. */
  private readonly scannedOnce = new Set<string>();

  constructor(private readonly rib: Rib) {}

  /** A best-path change of a VPN table: the entries of the indexed RTs its old or new best carries. */
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

  /**
   * Calls `visit` for every VPN best route that carries one of `rtKeys`, once per destination:
   * the routes the tables hold now (a change not yet recomputed comes through `update` later, as
   * it does for the index). From the index when it has every one of the RTs; else by one scan of
   * the VPN tables, which indexes on the way those it finds for the second time and those
   * `shared` says more than one VRF imports. `visit` must not change the VPN tables.
   */
  visitCarrying(
    rtKeys: ReadonlySet<string>,
    shared: (rtKey: string) => boolean,
    visit: (family: FamilyName, r: Route) => void,
  ): void {
    const keys = [...rtKeys];
    const fresh = new Set<string>();
    let scan = false;
    for (const k of keys) {
      if (this.indexes(k)) continue;
      scan = true;
      if (this.scannedOnce.delete(k) || shared(k)) fresh.add(k);
      else this.scannedOnce.add(k);
    }
    if (!scan) {
      this.visitIndexed(keys, visit);
      return;
    }
    for (const f of VPN_FAMILIES) {
      const byRt = this.byFamily.get(f)!;
      for (const k of fresh) byRt.set(k, new Map());
      // Routes come in runs of one attribute set: its RTs are looked at once per run.
      let set: Route['attrs'] | undefined;
      let carries = false;
      let fills: Map<string, Route>[] = [];
      for (const r of this.rib.table(f).bestRoutes()) {
        if (r.attrs !== set) {
          set = r.attrs;
          carries = false;
          fills = [];
          const rts = set.rtKeys;
          for (let i = 0; i < rts.length; i++) {
            const k = rts[i]!;
            if (rtKeys.has(k)) carries = true;
            if (fresh.has(k)) fills.push(byRt.get(k)!);
          }
        }
        if (!carries) continue;
        if (fills.length > 0) {
          // Read once: a VPNv4 route makes its key string when asked (model/v4-key-code.ts).
          const key = r.key;
          for (let i = 0; i < fills.length; i++) fills[i]!.set(key, r);
        }
        visit(f, r);
      }
    }
  }

  /** visitCarrying from the index (every one of `keys` is indexed). */
  private visitIndexed(keys: readonly string[], visit: (f: FamilyName, r: Route) => void): void {
    for (const f of VPN_FAMILIES) {
      const byRt = this.byFamily.get(f)!;
      for (let i = 0; i < keys.length; i++) {
        for (const r of byRt.get(keys[i]!)!.values()) {
          // A route that carries an RT visited before came with that RT's routes: the index
          // holds every best route carrying an indexed RT.
          if (i > 0 && carriesOneOf(r, keys, i)) continue;
          visit(f, r);
        }
      }
    }
  }

  /** Stops indexing an RT (no VRF imports it any more), and forgets it was scanned for. */
  forget(rtKey: string): void {
    for (const byRt of this.byFamily.values()) byRt.delete(rtKey);
    this.scannedOnce.delete(rtKey);
  }

  /** Whether no RT is indexed (every family has the same RTs: vpnv4's tell). */
  get empty(): boolean {
    return this.byFamily.get('vpnv4')!.size === 0;
  }

  /** Whether an RT is indexed (the VPN changes of routes carrying it must come through update). */
  indexes(rtKey: string): boolean {
    return this.byFamily.get('vpnv4')!.has(rtKey);
  }
}

/** Whether r carries one of keys[0 .. n). */
function carriesOneOf(r: Route, keys: readonly string[], n: number): boolean {
  const rts = r.attrs.rtKeys;
  for (let i = 0; i < n; i++) if (rts.includes(keys[i]!)) return true;
  return false;
}
