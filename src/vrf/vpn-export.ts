// Export, VRF -> VPN (the mirror of vpn-import.ts): a VRF's best route becomes a VPN route with the
// VRF's RD, route targets, label and next hop, through its export map, under the VRF's export
// source id (RFC 4364 §4.3.1).

import { valuesOf, type AttrSet, type AttrValues } from '../model/attrset.js';
import { keyedRoute, type Route } from '../model/route.js';
import { type RouteOrigin } from '../model/route-origin.js';
import { evaluateRouteMap } from '../policy/route-map.js';
import { rdKeyPart } from '../rib/keys.js';
import type { RibOps } from '../rib/ops.js';
import { GLOBAL_VIEW } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';
import { extCommunityKey } from '../wire/ext-community.js';
import { labelEntry } from '../wire/nlri/labeled.js';
import type { VpnNlri } from '../wire/types.js';
import type { LeakContext } from './context.js';
import { fromPolicyRoute, toPolicyRoute } from './policy-bridge.js';
import { isOwnRoute, isRt, prefixOf, V4_VRF, type ExportShared, type VrfState } from './state.js';

/** RFC 4364 §4.3.2 / RFC 3032: a one-label stack, bottom of stack set. */
function labelStack(label: number): number[] {
  return [labelEntry(label)];
}

export class VpnExport {
  private readonly shared = new WeakMap<VrfState, ExportShared>();
  /** The shares of the VRF asked last: a batch of changes is one VRF's (no lookup per route). */
  private lastSt: VrfState | undefined;
  private lastSh: ExportShared | undefined;

  constructor(private readonly ctx: LeakContext) {}

  /** The VPN route a VRF's best route becomes, or the reason it does not. */
  exportOf(st: VrfState, r: Route): { values: AttrValues; nlri: VpnNlri } | string {
    const d = st.def;
    const { cfg } = this.ctx;
    const prefix = prefixOf(r);
    if (!prefix) return 'not a prefix';
    // DESIGN.md "No re-export": an imported route is exported again only with allow-reexport.
    if (!isOwnRoute(r, st) && !d.allowReexport) return 're-export';
    let ext = r.attrs.extCommunities;
    if (d.exportMode === 'replace') ext = ext.filter((e) => !isRt(e));
    const have = new Set(ext.map(extCommunityKey));
    const add = d.exportRts.filter((e) => !have.has(extCommunityKey(e)));
    let values: AttrValues = {
      ...valuesOf(r.attrs),
      extCommunities: [...ext, ...add],
      nextHop: d.exportNextHop ?? r.attrs.nextHop,
      weight: 0,
    };
    if (d.exportMap) {
      const map = cfg.policies.routeMaps.get(d.exportMap);
      if (!map) return `export map ${d.exportMap} is not defined`;
      const res = evaluateRouteMap(map, toPolicyRoute(r.origin, values, prefix), cfg.policies);
      if (res.result === 'deny') return `export map ${d.exportMap} denied`;
      values = fromPolicyRoute(values, res.route);
    }
    // No route target, nothing to import it by: FRR's bgp_vpnv4_ebgp "export RT empty" steps.
    if (!values.extCommunities.some((e) => e.kind === 'route-target' && e.transitive)) {
      return 'no export route target';
    }
    return { values, nlri: { kind: 'vpn', labels: labelStack(d.label), rd: d.rd, prefix } };
  }

  /**
   * A VRF destination's best route changed (a change of its table's last recompute, whose new
   * best is what the table holds now): its VPN route is put, replaced or dropped.
   */
  exportChange(
    st: VrfState,
    family: FamilyName,
    key: string,
    oldBest: Route | undefined,
    best: Route | undefined,
    ops: RibOps,
  ): void {
    // DESIGN.md "No re-export": when neither the old best nor the new one may be exported (an
    // imported route and no allow-reexport), the VPN table holds nothing of this destination
    // and gets nothing (an RT change imports 100k routes: no VPN key and lookup for each).
    if (!this.reexportAllowed(st, best) && !this.reexportAllowed(st, oldBest)) return;
    const sh = this.sharedOf(st);
    const vpnFam: FamilyName = family === V4_VRF ? 'vpnv4' : 'vpnv6';
    // The VPN key is RD + prefix: the VRF key (the prefix) behind the VRF's RD.
    const vpnKey = sh.rdKey + key;
    const attrs = best ? this.exported(st, sh, best) : undefined;
    if (best && attrs !== undefined && typeof attrs !== 'string') {
      // The NLRI is the key and the VRF's label stack (no NLRI object per exported route).
      ops.put(
        GLOBAL_VIEW,
        vpnFam,
        keyedRoute(
          vpnKey,
          vpnFam,
          sh.labels,
          attrs,
          this.leakedOrigin(st, sh, best.origin),
          st.exportSrc,
          0,
          // As old as the VRF route it exports (see vpn-import.ts putImported).
          best.seq,
        ),
      );
      return;
    }
    this.ctx.dropHeld(ops, GLOBAL_VIEW, vpnFam, vpnKey, st.exportSrc);
  }

  /** Whether r is a route the VRF may export at all (its own, or any with allow-reexport). */
  private reexportAllowed(st: VrfState, r: Route | undefined): boolean {
    return r !== undefined && (st.def.allowReexport || isOwnRoute(r, st));
  }

  /** A VRF goes: every VPN route it exported is dropped. */
  removeVrf(st: VrfState, ops: RibOps): void {
    // A VRF that never got as far as an export has no shares, and no path in the VPN tables under
    // its export source (new with its VrfState): no scan of them (100k routes: ~30 ms of an RT
    // change of a VRF that imports only).
    if (!this.shared.has(st)) return;
    for (const f of ['vpnv4', 'vpnv6'] as const) {
      for (const r of this.ctx.rib.table(f).pathsOf(st.exportSrc)) {
        ops.drop(GLOBAL_VIEW, f, r.key, st.exportSrc, r.pathId);
      }
    }
  }

  private sharedOf(st: VrfState): ExportShared {
    if (st === this.lastSt) return this.lastSh!;
    let x = this.shared.get(st);
    if (!x) {
      x = { labels: labelStack(st.def.label), rdKey: rdKeyPart(st.def.rd), bySet: new Map() };
      this.shared.set(st, x);
    }
    this.lastSt = st;
    this.lastSh = x;
    return x;
  }

  /**
   * exportOf's attribute set, interned, or its refusal; without an export map the result depends
   * on the source set alone (and on the route being the VRF's own), so it is computed once per set.
   */
  private exported(st: VrfState, sh: ExportShared, r: Route): AttrSet | string {
    const { interner } = this.ctx.rib;
    if (st.def.exportMap || (!isOwnRoute(r, st) && !st.def.allowReexport)) {
      const e = this.exportOf(st, r);
      return typeof e === 'string' ? e : interner.intern(e.values);
    }
    let a = sh.bySet.get(r.attrs);
    if (a === undefined || (typeof a !== 'string' && !interner.isLive(a))) {
      const e = this.exportOf(st, r);
      a = typeof e === 'string' ? e : interner.intern(e.values);
      sh.bySet.set(r.attrs, a);
    }
    return a;
  }

  private leakedOrigin(st: VrfState, sh: ExportShared, from: RouteOrigin): RouteOrigin {
    if (sh.lastFrom !== from || !sh.lastLeaked) {
      sh.lastFrom = from;
      sh.lastLeaked = { kind: 'leaked', fromVrf: st.def.name, origin: from };
    }
    return sh.lastLeaked;
  }
}
