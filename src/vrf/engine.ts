// The leak engine: VRF tables, route-target import and export through the VPN tables, leaks to and
// from the default table through a policy, static inter-VRF routes, and the loop and conflict rules
// of DESIGN.md "Semantics (decided)". It reads the RIB and never writes into it: every entry point
// (a load, a reconfigure, the best-path changes of a recompute) returns the RIB operations it
// derives, and the propagation loop (daemon/propagate.ts) applies them. Every derived route is
// keyed by the source that produced it, so removing a source removes exactly its routes. Pure over
// rib/ and policy/: no sockets, no timers.

import {
  EMPTY_ATTR_VALUES,
  pathContainsAs,
  type AttrSet,
  type AttrValues,
  type NextHopAddr,
} from '../model/attrset.js';
import { isLocal, leakChain, type Route, type RouteOrigin } from '../model/route.js';
import { evaluateRouteMap } from '../policy/route-map.js';
import type { PolicyRoute } from '../policy/types.js';
import { fromPolicyRoute, toPolicyRoute } from './policy-bridge.js';
import { extCommunityKey } from '../wire/ext-community.js';
import { nlriKey, prefixKey, rdKeyPart } from '../rib/keys.js';
import { GLOBAL_VIEW, type ChangeBatch, type Rib } from '../rib/rib.js';
import { RibOps } from '../rib/ops.js';
import type { BestChange } from '../rib/table.js';
import type { FamilyName } from '../wire/afi.js';
import type { ExtCommunity, IpPrefix, PrefixNlri, VpnNlri } from '../wire/types.js';
import { ConflictTracker } from './conflicts.js';
import { DEFAULT_VRF, type LeakConfig, type VrfDef } from './defs.js';
import { VpnRtIndex } from './rt-index.js';
import {
  isRt,
  isVpn,
  prefixOf,
  SRC_BASE,
  unicastFamily,
  V4_VRF,
  V6_VRF,
  maskTo,
  type Conflict,
  type ExportShared,
  type ImportRefusal,
  type VrfState,
} from './state.js';

export { maskTo, type Conflict, type ImportRefusal, type VrfState } from './state.js';

function toPolicy(r: Route, v: AttrValues, prefix: IpPrefix): PolicyRoute {
  return toPolicyRoute(r.origin, v, prefix);
}

const fromPolicy = fromPolicyRoute;

/**
 * One step of a load (a VRF added, or a reconfigure's removals): its operations, and whether the
 * owner may commit the RIB after it. Never while a changed VRF is between its removal and its
 * re-addition, whose tables must stay for exact withdrawals and announcements.
 */
export interface LoadStep {
  readonly ops: RibOps;
  readonly commitPoint: boolean;
}

export class LeakEngine {
  readonly vrfs = new Map<string, VrfState>();
  /** import RT key -> names of the VRFs importing it. */
  private readonly rtIndex = new Map<string, Set<string>>();
  /** RD key -> source id of imported paths in VRF tables (one per RD: the best of each RD+prefix). */
  private readonly rdSrc = new Map<string, number>();
  private nextSrc = SRC_BASE;
  private readonly conflictTracker: ConflictTracker;
  private readonly vpnIndex: VpnRtIndex;
  private cfg: LeakConfig;
  private readonly exportShared = new WeakMap<VrfState, ExportShared>();
  /** VRFs with static routes (re-resolved when a table they resolve in changes). */
  private readonly staticVrfs = new Set<VrfState>();

  constructor(
    private readonly rib: Rib,
    cfg: LeakConfig,
    opts: { onConflict?: (c: Conflict) => void } = {},
  ) {
    this.cfg = cfg;
    this.vpnIndex = new VpnRtIndex(rib);
    this.conflictTracker = new ConflictTracker(rib, (r, st) => this.isOwn(r, st), opts.onConflict);
  }

  /**
   * The configured VRFs, one step each (their own routes, what they import). The owner applies each
   * step and may commit between them, so a large load settles in parts. Run it to the end.
   */
  *load(): Generator<LoadStep> {
    for (const v of this.cfg.vrfs) yield { ops: this.addVrf(v), commitPoint: true };
  }

  private newOps(): RibOps {
    return new RibOps(this.rib.interner);
  }

  /**
   * A drop of a derived path (path id 0) only when the table holds it: most refusals (an imported
   * route not re-exported, a route the leak policy denies) have nothing to withdraw, and a drop
   * recorded for each would be held to the end of the step (an RT change imports 100k routes).
   * Each derived path is put and dropped by one call per key per list, so no put of the same list
   * can be waiting for it.
   */
  private dropHeld(ops: RibOps, view: string, f: FamilyName, key: string, src: number): void {
    // A VRF being added has no tables yet (its view is one of the operations): nothing held.
    if (this.rib.hasView(view) && this.rib.table(f, view).has(key, src))
      ops.drop(view, f, key, src);
  }

  /** vrf + family + destination key -> conflict, for `show leak conflicts`. */
  get conflicts(): ReadonlyMap<string, Conflict> {
    return this.conflictTracker.conflicts;
  }

  get config(): LeakConfig {
    return this.cfg;
  }

  /** Whether any VRF imports one of these route targets (DESIGN.md "Retention"). */
  importsAny(exts: readonly ExtCommunity[]): boolean {
    for (const e of exts) {
      if (e.kind === 'route-target' && e.transitive && this.rtIndex.get(extCommunityKey(e))?.size) {
        return true;
      }
    }
    return false;
  }

  private newSrc(): number {
    return this.nextSrc++;
  }

  /** The source id of paths imported from VPN routes of one RD. */
  rdSource(rd: { hi: number; lo: number }): number {
    const k = `${rd.hi}:${rd.lo}`;
    let s = this.rdSrc.get(k);
    if (s === undefined) {
      s = this.newSrc();
      this.rdSrc.set(k, s);
    }
    return s;
  }

  private isImportedSrc(src: number, st: VrfState): boolean {
    return src >= SRC_BASE && src !== st.ownSrc;
  }

  /** A VRF's own route: configured in it, or learned from its CE neighbors. */
  isOwn(r: Route, st: VrfState): boolean {
    return !this.isImportedSrc(r.src, st);
  }

  // ------------------------------------------------------------------------------------------
  // Setup and live changes

  /** A VRF's tables, own routes and imports, as operations. */
  addVrf(def: VrfDef): RibOps {
    const ops = this.newOps();
    const st: VrfState = {
      def,
      ownSrc: this.newSrc(),
      exportSrc: this.newSrc(),
      toDefaultSrc: this.newSrc(),
      fromDefaultSrc: this.newSrc(),
      importRtKeys: new Set(def.importRts.filter(isRt).map(extCommunityKey)),
    };
    this.vrfs.set(def.name, st);
    if (def.statics.length) this.staticVrfs.add(st);
    for (const k of st.importRtKeys) {
      let s = this.rtIndex.get(k);
      if (!s) this.rtIndex.set(k, (s = new Set()));
      s.add(def.name);
    }
    // DESIGN.md "Conflict": with prefer-local the VRF's own routes are the only candidates when
    // there is one; the decision process picks among them, and the leaked ones wait.
    const name = def.name;
    ops.addView({
      view: name,
      families: [V4_VRF, V6_VRF],
      candidates: (paths) => {
        const cur = this.vrfs.get(name);
        if (!cur || cur.def.conflict !== 'prefer-local' || paths.length < 2) return paths;
        const own = paths.filter((p) => this.isOwn(p, cur));
        return own.length > 0 && own.length < paths.length ? own : paths;
      },
    });
    this.originate(st, ops);
    this.importAll(st, ops);
    this.leakFromDefaultAll(st, ops);
    return ops;
  }

  /** Withdraws everything a VRF produced, everywhere, and forgets it. */
  removeVrf(name: string): RibOps {
    const ops = this.newOps();
    this.withdrawVrf(name, ops);
    return ops;
  }

  private withdrawVrf(name: string, ops: RibOps): void {
    const st = this.vrfs.get(name);
    if (!st) return;
    this.vrfs.delete(name);
    this.staticVrfs.delete(st);
    for (const k of st.importRtKeys) this.rtIndex.get(k)?.delete(name);
    for (const f of ['vpnv4', 'vpnv6'] as const) {
      for (const r of this.rib.table(f).pathsOf(st.exportSrc)) {
        ops.drop(GLOBAL_VIEW, f, r.key, st.exportSrc, r.pathId);
      }
    }
    for (const f of [V4_VRF, V6_VRF]) {
      for (const r of this.rib.table(f).pathsOf(st.toDefaultSrc)) {
        ops.drop(GLOBAL_VIEW, f, r.key, st.toDefaultSrc, r.pathId);
      }
      // Everything the engine put in the VRF's tables; routes of its CE neighbors stay (they
      // belong to those sessions, which the daemon stops when the VRF itself goes away).
      if (!this.rib.hasView(name)) continue;
      for (const d of this.rib.table(f, name).dests.values()) {
        for (const p of d.paths) if (p.src >= SRC_BASE) ops.drop(name, f, p.key, p.src, p.pathId);
      }
    }
    this.conflictTracker.forgetVrf(name);
    // The tables are empty once the operations are applied; the next commit recomputes them so
    // the withdrawals reach the peers, and then they can go (takeRemovedViews).
    this.pendingRemoval.add(name);
  }

  private readonly pendingRemoval = new Set<string>();

  /** After a commit: the views of removed VRFs, whose withdrawals have left; the owner drops them. */
  takeRemovedViews(): string[] {
    const out = [...this.pendingRemoval];
    this.pendingRemoval.clear();
    return out;
  }

  /**
   * Applies a new leak configuration: VRFs removed, added, or changed (any field) are re-evaluated
   * as a whole (withdraw what they produced, derive it again); policies changed re-evaluate the VRFs
   * that use them. Untouched VRFs are left alone. The steps (the removals, then one per VRF added)
   * must be run to the end; `touched` names the VRFs re-evaluated.
   */
  reconfigure(
    next: LeakConfig,
    changedPolicies: ReadonlySet<string> = new Set(),
  ): { touched: string[]; steps: Generator<LoadStep> } {
    const touched: string[] = [];
    this.cfg = next;
    const removals = this.newOps();
    const nextByName = new Map(next.vrfs.map((v) => [v.name, v]));
    for (const name of [...this.vrfs.keys()]) {
      const nv = nextByName.get(name);
      const ov = this.vrfs.get(name)!.def;
      const uses = (v: VrfDef): boolean =>
        [v.importMap, v.exportMap, v.leakFromDefault?.policy, v.leakToDefault?.policy].some(
          (m) => m !== undefined && changedPolicies.has(m),
        );
      if (!nv || JSON.stringify(nv) !== JSON.stringify(ov) || uses(ov)) {
        this.withdrawVrf(name, removals);
        touched.push(name);
      }
    }
    const additions = next.vrfs.filter((v) => !this.vrfs.has(v.name));
    for (const v of additions) if (!touched.includes(v.name)) touched.push(v.name);
    return { touched, steps: this.readd(removals, additions) };
  }

  private *readd(removals: RibOps, additions: readonly VrfDef[]): Generator<LoadStep> {
    // Changed VRFs still to be added back (their tables wait in pendingRemoval).
    const waiting = new Set(
      additions.filter((v) => this.pendingRemoval.has(v.name)).map((v) => v.name),
    );
    yield { ops: removals, commitPoint: false };
    for (const v of additions) {
      // A changed VRF keeps its tables: dropping and re-adding paths in them gives the peers
      // exact withdrawals and announcements.
      const kept = this.pendingRemoval.delete(v.name);
      waiting.delete(v.name);
      const ops = this.addVrf(v);
      if (kept) this.touchNeighborRoutes(v.name, ops);
      yield { ops, commitPoint: waiting.size === 0 };
    }
  }

  /**
   * A VRF added back keeps the routes of its CE neighbors (removeVrf leaves them): put each again
   * (the same path, a new object) so the commit sees a best change and exports and leaks them as
   * it does for a VRF that starts with them.
   */
  private touchNeighborRoutes(name: string, ops: RibOps): void {
    for (const f of [V4_VRF, V6_VRF]) {
      for (const d of this.rib.table(f, name).dests.values()) {
        for (const p of d.paths) if (p.src < SRC_BASE) ops.put(name, f, { ...p });
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // A VRF's own routes

  /**
   * VRF tables reuse the same prefixes (every customer's 10/8, a shared VRF leaked into all): one
   * key string and one NLRI object per IPv4 prefix instead of one per VRF route (both immutable).
   * Bounded: cleared past a million prefixes.
   */
  private readonly v4Dests = new Map<number, { key: string; nlri: PrefixNlri }>();

  private vrfDest(p: IpPrefix): { key: string; nlri: PrefixNlri } {
    if (p.afi !== 1) return { key: prefixKey(p), nlri: { kind: 'prefix', prefix: p } };
    const n = p.addr * 64 + p.len;
    let x = this.v4Dests.get(n);
    if (x === undefined) {
      if (this.v4Dests.size >= 1 << 20) this.v4Dests.clear();
      this.v4Dests.set(n, (x = { key: prefixKey(p), nlri: { kind: 'prefix', prefix: p } }));
    }
    return x;
  }

  private originate(st: VrfState, ops: RibOps): void {
    const d = st.def;
    const put = (prefix: IpPrefix, origin: RouteOrigin, v: AttrValues | AttrSet): void => {
      const attrs = this.rib.interner.intern(v);
      const { key, nlri } = this.vrfDest(prefix);
      ops.put(d.name, unicastFamily(prefix), {
        key,
        nlri,
        attrs,
        origin,
        src: st.ownSrc,
        pathId: 0,
        seq: this.rib.nextSeq(),
        stale: false,
      });
    };
    for (const p of d.connected) {
      put(p, { kind: 'local', source: 'connected', vrf: d.name }, EMPTY_ATTR_VALUES);
    }
    // Networks without attributes of their own (the common case) share one set and one origin:
    // no canonical key computed per network.
    const origin: RouteOrigin = { kind: 'local', source: 'local', vrf: d.name };
    let bare: AttrSet | undefined;
    for (const n of d.networks) {
      if (
        !n.communities?.length &&
        !n.largeCommunities?.length &&
        !n.extCommunities?.length &&
        n.med === undefined &&
        n.localPref === undefined &&
        n.nextHop === undefined
      ) {
        // Re-fetched when stale: putRoute of the previous network holds a reference to it.
        if (!bare || !this.rib.interner.isLive(bare)) {
          bare = this.rib.interner.intern(EMPTY_ATTR_VALUES);
        }
        put(n.prefix, origin, bare);
        continue;
      }
      put(n.prefix, origin, {
        ...EMPTY_ATTR_VALUES,
        communities: n.communities ?? [],
        largeCommunities: n.largeCommunities ?? [],
        extCommunities: n.extCommunities ?? [],
        med: n.med,
        localPref: n.localPref,
        nextHop: n.nextHop,
      });
    }
    this.resolveStatics(st, ops);
  }

  /** Static routes: installed while their next hop resolves in the next-hop VRF. */
  private resolveStatics(st: VrfState, ops: RibOps): void {
    const d = st.def;
    for (const s of d.statics) {
      const fam = unicastFamily(s.prefix);
      const nlri = { kind: 'prefix' as const, prefix: s.prefix };
      const key = nlriKey(nlri);
      const pathId = this.staticPathId(st, s.prefix);
      const resolved = this.resolves(s.nextHop, s.nextHopVrf ?? d.name, {
        vrf: d.name,
        prefix: s.prefix,
      });
      // A VRF being added has no tables yet (its view is one of the operations): nothing present.
      const present =
        this.rib.hasView(d.name) &&
        this.rib
          .table(fam, d.name)
          .get(key)
          ?.paths.some((p) => p.src === st.ownSrc && p.pathId === pathId);
      if (resolved && !present) {
        const origin: RouteOrigin = {
          kind: 'local',
          source: 'static',
          vrf: d.name,
          ...(s.nextHopVrf !== undefined && s.nextHopVrf !== d.name
            ? { nextHopVrf: s.nextHopVrf }
            : {}),
        };
        const attrs = this.rib.interner.intern({
          ...EMPTY_ATTR_VALUES,
          origin: 2, // RFC 4271 §5.1.1: INCOMPLETE, as redistributed statics are.
          nextHop: s.nextHop,
        });
        ops.put(d.name, fam, {
          key,
          nlri,
          attrs,
          origin,
          src: st.ownSrc,
          pathId,
          seq: this.rib.nextSeq(),
          stale: false,
        });
      } else if (!resolved && present) {
        ops.drop(d.name, fam, key, st.ownSrc, pathId);
      }
    }
  }

  /** Own routes share one source id; statics get a path id of their own so they never collide. */
  private staticPathId(st: VrfState, p: IpPrefix): number {
    return 1 + st.def.statics.findIndex((s) => prefixKey(s.prefix) === prefixKey(p));
  }

  /**
   * Whether `nh` has a route in `vrf` (longest match; `default` is the global table). A static route
   * never resolves through itself (`self`: its own VRF and prefix).
   */
  resolves(nh: NextHopAddr, vrf: string, self?: { vrf: string; prefix: IpPrefix }): boolean {
    const view = vrf === DEFAULT_VRF ? GLOBAL_VIEW : vrf;
    if (!this.rib.hasView(view)) return false;
    const t = this.rib.table(nh.afi === 1 ? V4_VRF : V6_VRF, view);
    const selfKey = self && self.vrf === vrf ? prefixKey(self.prefix) : undefined;
    for (let len = nh.afi === 1 ? 32 : 128; len >= 0; len--) {
      const key = prefixKey(maskTo(nh, len));
      if (key !== selfKey && t.get(key)?.best) return true;
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------
  // Reacting to best-path changes

  /**
   * The best-path changes of one recompute of every table: what they make the VRFs import, export
   * and leak, as operations. Static routes are re-resolved once per VRF whose next-hop table changed.
   */
  react(batches: readonly ChangeBatch[]): RibOps {
    const ops = this.newOps();
    const changedViews = new Set<string>();
    for (const { view, family, changes } of batches) {
      if (view === GLOBAL_VIEW) {
        if (isVpn(family)) {
          for (const ch of changes) this.onVpnChange(family, ch, ops);
          continue;
        }
        // Labeled unicast (SAFI 4) is carried, not leaked: the default table is ipv4/ipv6.
        if (family !== 'ipv4' && family !== 'ipv6') continue;
        for (const st of this.vrfs.values()) {
          if (st.def.leakFromDefault)
            for (const ch of changes) this.leakFromDefault(st, family, ch.dest.key, ops);
        }
        changedViews.add(DEFAULT_VRF);
        continue;
      }
      const st = this.vrfs.get(view);
      if (!st) continue;
      const check = this.conflictTracker.marks(st, family);
      const table = this.rib.table(family, view);
      for (const ch of changes) {
        const key = ch.dest.key;
        this.exportDest(st, family, key, ops);
        if (st.def.leakToDefault) this.leakToDefault(st, family, key, ops);
        // A conflict needs two paths (a second path that does not change the best is marked where
        // it is put): a lone path is looked at only while a recorded conflict may have to go.
        if (table.countAt(key) >= 2 || this.conflictTracker.conflicts.size > 0) check.add(key);
      }
      changedViews.add(view);
    }
    for (const st of this.staticVrfs) {
      if (st.def.statics.some((s) => changedViews.has(s.nextHopVrf ?? st.def.name))) {
        this.resolveStatics(st, ops);
      }
    }
    return ops;
  }

  /** Once the propagation is quiet: the conflicts of the destinations marked on the way. */
  settled(): void {
    this.conflictTracker.settle(this.vrfs);
  }

  // ------------------------------------------------------------------------------------------
  // Export: VRF best route -> VPN route with the VRF's RD, RTs, label, next hop, export map

  /** The VPN route a VRF's best route becomes, or the reason it does not. */
  exportOf(st: VrfState, r: Route): { values: AttrValues; nlri: VpnNlri } | string {
    const d = st.def;
    const prefix = prefixOf(r);
    if (!prefix) return 'not a prefix';
    // DESIGN.md "No re-export": an imported route is exported again only with allow-reexport.
    if (!this.isOwn(r, st) && !d.allowReexport) return 're-export';
    let ext = r.attrs.extCommunities;
    if (d.exportMode === 'replace') ext = ext.filter((e) => !isRt(e));
    const have = new Set(ext.map(extCommunityKey));
    const add = d.exportRts.filter((e) => !have.has(extCommunityKey(e)));
    let values: AttrValues = {
      ...r.attrs,
      extCommunities: [...ext, ...add],
      nextHop: d.exportNextHop ?? r.attrs.nextHop,
      weight: 0,
    };
    if (d.exportMap) {
      const map = this.cfg.policies.routeMaps.get(d.exportMap);
      if (!map) return `export map ${d.exportMap} is not defined`;
      const res = evaluateRouteMap(map, toPolicy(r, values, prefix), this.cfg.policies);
      if (res.result === 'deny') return `export map ${d.exportMap} denied`;
      values = fromPolicy(values, res.route);
    }
    // No route target, nothing to import it by: FRR's bgp_vpnv4_ebgp "export RT empty" steps.
    if (!values.extCommunities.some((e) => e.kind === 'route-target' && e.transitive)) {
      return 'no export route target';
    }
    const labels = [((d.label & 0xfffff) << 4) | 1];
    return { values, nlri: { kind: 'vpn', labels, rd: d.rd, prefix } };
  }

  private sharedOf(st: VrfState): ExportShared {
    let x = this.exportShared.get(st);
    if (!x) {
      const d = st.def;
      x = {
        labels: [((d.label & 0xfffff) << 4) | 1],
        rdKey: rdKeyPart(d.rd),
        bySet: new Map(),
      };
      this.exportShared.set(st, x);
    }
    return x;
  }

  /**
   * exportOf with the attribute set interned; without an export map the result depends on the
   * source set alone (and on the route being the VRF's own), so it is computed once per set.
   */
  private exported(st: VrfState, r: Route): { attrs: AttrSet; nlri: VpnNlri } | string {
    const prefix = prefixOf(r);
    if (st.def.exportMap || !prefix || (!this.isOwn(r, st) && !st.def.allowReexport)) {
      const e = this.exportOf(st, r);
      return typeof e === 'string'
        ? e
        : { attrs: this.rib.interner.intern(e.values), nlri: e.nlri };
    }
    const sh = this.sharedOf(st);
    let a = sh.bySet.get(r.attrs);
    if (a === undefined || (typeof a !== 'string' && !this.rib.interner.isLive(a))) {
      const e = this.exportOf(st, r);
      a = typeof e === 'string' ? e : this.rib.interner.intern(e.values);
      sh.bySet.set(r.attrs, a);
    }
    if (typeof a === 'string') return a;
    return { attrs: a, nlri: { kind: 'vpn', labels: sh.labels, rd: st.def.rd, prefix } };
  }

  private leakedOrigin(st: VrfState, from: RouteOrigin): RouteOrigin {
    const sh = this.sharedOf(st);
    if (sh.lastFrom !== from || !sh.lastLeaked) {
      sh.lastFrom = from;
      sh.lastLeaked = { kind: 'leaked', fromVrf: st.def.name, origin: from };
    }
    return sh.lastLeaked;
  }

  private exportDest(st: VrfState, family: FamilyName, key: string, ops: RibOps): void {
    const best = this.rib.table(family, st.def.name).bestOf(key);
    const vpnFam: FamilyName = family === V4_VRF ? 'vpnv4' : 'vpnv6';
    // The VPN key is RD + prefix: the VRF key (the prefix) behind the VRF's RD.
    const vpnKey = this.sharedOf(st).rdKey + key;
    const exp = best ? this.exported(st, best) : undefined;
    if (exp && typeof exp !== 'string') {
      ops.put(GLOBAL_VIEW, vpnFam, {
        key: vpnKey,
        nlri: exp.nlri,
        attrs: exp.attrs,
        origin: this.leakedOrigin(st, best!.origin),
        src: st.exportSrc,
        pathId: 0,
        seq: this.rib.nextSeq(),
        stale: false,
      });
      return;
    }
    this.dropHeld(ops, GLOBAL_VIEW, vpnFam, vpnKey, st.exportSrc);
  }

  // ------------------------------------------------------------------------------------------
  // Import: VPN best route -> VRFs whose import RTs it carries

  /** Whether (and how) a VPN route enters a VRF. */
  importOf(st: VrfState, r: Route): { values: AttrValues } | ImportRefusal {
    const d = st.def;
    // DESIGN.md "No re-export": never back into its source VRF (anywhere along its leak chain).
    const chain = leakChain(r.origin);
    if (chain.includes(d.name)) return { kind: 'source-vrf', vrf: d.name };
    // DESIGN.md "RT match": byte for byte, transitive route targets only.
    if (!r.attrs.rtKeys.some((k) => st.importRtKeys.has(k))) {
      return {
        kind: 'no-rt-intersection',
        routeRts: [...r.attrs.rtKeys],
        vrfRts: [...st.importRtKeys],
      };
    }
    // DESIGN.md: an AS-path loop check runs on leak (with allowas-in).
    const count = pathContainsAs(r.attrs.asPath, this.cfg.asn);
    if (count > d.allowasIn) {
      return { kind: 'as-loop', asn: this.cfg.asn, count, allowed: d.allowasIn };
    }
    let values: AttrValues = r.attrs;
    if (d.importMap) {
      const map = this.cfg.policies.routeMaps.get(d.importMap);
      const prefix = prefixOf(r);
      if (!map || !prefix) return { kind: 'import-map', map: d.importMap, clause: undefined };
      const res = evaluateRouteMap(map, toPolicy(r, values, prefix), this.cfg.policies);
      if (res.result === 'deny')
        return { kind: 'import-map', map: d.importMap, clause: res.decidedBy };
      values = fromPolicy(values, res.route);
    }
    return { values };
  }

  private putImported(st: VrfState, r: Route, values: AttrValues, ops: RibOps): void {
    if (r.nlri.kind !== 'vpn') return;
    const prefix = r.nlri.prefix;
    const { key, nlri } = this.vrfDest(prefix);
    const fam = unicastFamily(prefix);
    this.conflictTracker.marks(st, fam).add(key);
    ops.put(st.def.name, fam, {
      key,
      nlri,
      attrs: this.rib.interner.intern(values),
      origin: r.origin,
      src: this.rdSource(r.nlri.rd),
      pathId: 0,
      seq: this.rib.nextSeq(),
      stale: false,
    });
  }

  private dropImported(
    st: VrfState,
    rd: { hi: number; lo: number },
    prefix: IpPrefix,
    ops: RibOps,
  ): void {
    const key = prefixKey(prefix);
    const fam = unicastFamily(prefix);
    this.conflictTracker.marks(st, fam).add(key);
    this.dropHeld(ops, st.def.name, fam, key, this.rdSource(rd));
  }

  /** Names of the VRFs importing one of a route's RTs, added to cand (created on the first). */
  private importers(r: Route | undefined, cand: Set<string> | undefined): Set<string> | undefined {
    if (!r) return cand;
    for (const k of r.attrs.rtKeys) {
      const vs = this.rtIndex.get(k);
      if (!vs?.size) continue;
      cand ??= new Set();
      for (const v of vs) cand.add(v);
    }
    return cand;
  }

  private onVpnChange(family: FamilyName, ch: BestChange, ops: RibOps): void {
    this.vpnIndex.update(family, ch);
    // Most VPN routes of a transit are imported by no VRF: no set built for them.
    const cand = this.importers(ch.newBest, this.importers(ch.oldBest, undefined));
    if (!cand) return;
    const ref = ch.newBest ?? ch.oldBest;
    if (!ref || ref.nlri.kind !== 'vpn') return;
    const { rd, prefix } = ref.nlri;
    void family;
    for (const name of cand) {
      const st = this.vrfs.get(name);
      if (!st) continue;
      const imp = ch.newBest ? this.importOf(st, ch.newBest) : undefined;
      if (imp && 'values' in imp) this.putImported(st, ch.newBest!, imp.values, ops);
      else this.dropImported(st, rd, prefix, ops);
    }
  }

  /** Imports every matching VPN best route into a (new or re-evaluated) VRF. */
  private importAll(st: VrfState, ops: RibOps): void {
    // Only the VPN destinations carrying one of the VRF's import RTs (the RT index), not the
    // whole VPN table: adding a VRF costs what it imports.
    for (const [f, keys] of this.vpnIndex.carrying(st.importRtKeys)) {
      const t = this.rib.table(f);
      for (const key of keys) {
        const r = t.bestOf(key);
        if (!r) continue;
        const imp = this.importOf(st, r);
        if ('values' in imp) this.putImported(st, r, imp.values, ops);
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // The default table <-> VRF, only through a named policy

  private leakFromDefault(st: VrfState, family: FamilyName, key: string, ops: RibOps): void {
    const pol = st.def.leakFromDefault?.policy;
    if (!pol) return;
    const best = this.rib.table(family).bestOf(key);
    const map = this.cfg.policies.routeMaps.get(pol);
    const prefix = best ? prefixOf(best) : undefined;
    let ok = false;
    // A leaked path that does not change the VRF's best is a conflict all the same (as putImported).
    this.conflictTracker.marks(st, family).add(key);
    if (best && map && prefix && !leakChain(best.origin).includes(st.def.name)) {
      const res = evaluateRouteMap(map, toPolicy(best, best.attrs, prefix), this.cfg.policies);
      if (res.result === 'permit') {
        ok = true;
        ops.put(st.def.name, family, {
          key,
          nlri: { kind: 'prefix', prefix },
          attrs: this.rib.interner.intern(fromPolicy(best.attrs, res.route)),
          origin: { kind: 'leaked', fromVrf: DEFAULT_VRF, origin: best.origin },
          src: st.fromDefaultSrc,
          pathId: 0,
          seq: this.rib.nextSeq(),
          stale: false,
        });
      }
    }
    if (!ok) this.dropHeld(ops, st.def.name, family, key, st.fromDefaultSrc);
  }

  private leakFromDefaultAll(st: VrfState, ops: RibOps): void {
    if (!st.def.leakFromDefault) return;
    for (const f of [V4_VRF, V6_VRF]) {
      for (const key of this.rib.table(f).dests.keys()) this.leakFromDefault(st, f, key, ops);
    }
  }

  private leakToDefault(st: VrfState, family: FamilyName, key: string, ops: RibOps): void {
    const pol = st.def.leakToDefault?.policy;
    if (!pol) return;
    const best = this.rib.table(family, st.def.name).bestOf(key);
    const map = this.cfg.policies.routeMaps.get(pol);
    const prefix = best ? prefixOf(best) : undefined;
    let ok = false;
    // Only the VRF's own routes go to the default table (no re-export of what it imported).
    if (best && map && prefix && (this.isOwn(best, st) || st.def.allowReexport)) {
      if (!leakChain(best.origin).includes(DEFAULT_VRF)) {
        const res = evaluateRouteMap(map, toPolicy(best, best.attrs, prefix), this.cfg.policies);
        if (res.result === 'permit') {
          ok = true;
          ops.put(GLOBAL_VIEW, family, {
            key,
            nlri: { kind: 'prefix', prefix },
            attrs: this.rib.interner.intern(fromPolicy(best.attrs, res.route)),
            origin: { kind: 'leaked', fromVrf: st.def.name, origin: best.origin },
            src: st.toDefaultSrc,
            pathId: 0,
            seq: this.rib.nextSeq(),
            stale: false,
          });
        }
      }
    }
    if (!ok) this.dropHeld(ops, GLOBAL_VIEW, family, key, st.toDefaultSrc);
  }

  /** True when a VRF route is one of the VRF's own (configured or from its CE neighbors). */
  ownRoute(vrf: string, r: Route): boolean {
    const st = this.vrfs.get(vrf);
    return st ? this.isOwn(r, st) : isLocal(r.origin);
  }
}
