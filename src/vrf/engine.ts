// The leak engine, the coordinator of its parts (DESIGN.md "Semantics (decided)"): the VRFs and
// their source ids; own-routes.ts (a VRF's connected and configured routes), statics.ts (static and
// inter-VRF routes), vpn-import.ts / vpn-export.ts (route-target import and export through the VPN
// tables, a symmetric pair), default-leak.ts (leaks from and to the default table through a
// policy, a symmetric pair) and conflicts.ts. It reads the RIB and never writes into it: every
// entry point (a load, a reconfigure, the best-path changes of a recompute) returns the RIB
// operations it derives, and the propagation loop (daemon/propagate.ts) applies them. Every derived
// route is keyed by the source that produced it, so removing a source removes exactly its routes.
// Pure over rib/ and policy/: no sockets, no timers.

import type { AttrValues, NextHopAddr } from '../model/attrset.js';
import { copyRoute, type Route } from '../model/route.js';
import { isLocal } from '../model/route-origin.js';
import type { RibOps } from '../rib/ops.js';
import { GLOBAL_VIEW, type ChangeBatch, type Rib } from '../rib/rib.js';
import { extCommunityKey } from '../wire/ext-community.js';
import type { ExtCommunity, IpPrefix, Rd, VpnNlri } from '../wire/types.js';
import { ConflictTracker } from './conflicts.js';
import { LeakContext } from './context.js';
import { DEFAULT_VRF, type LeakConfig, type VrfDef } from './defs.js';
import { DefaultLeak } from './default-leak.js';
import { originate } from './own-routes.js';
import {
  isOwnRoute,
  isRt,
  isVpn,
  SRC_BASE,
  V4_VRF,
  V6_VRF,
  type Conflict,
  type ImportRefusal,
  type VrfState,
} from './state.js';
import { StaticRoutes } from './statics.js';
import { VpnExport } from './vpn-export.js';
import { VpnImport } from './vpn-import.js';

export { maskTo, type Conflict, type ImportRefusal, type VrfState } from './state.js';

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
  private readonly ctx: LeakContext;
  private readonly conflictTracker: ConflictTracker;
  private readonly statics: StaticRoutes;
  private readonly vpnImport: VpnImport;
  private readonly vpnExport: VpnExport;
  private readonly defaultLeak: DefaultLeak;
  /** VRFs removed whose views wait for the commit that sends their withdrawals. */
  private readonly pendingRemoval = new Set<string>();

  constructor(
    private readonly rib: Rib,
    cfg: LeakConfig,
    opts: { onConflict?: (c: Conflict) => void } = {},
  ) {
    this.conflictTracker = new ConflictTracker(rib, isOwnRoute, opts.onConflict);
    this.ctx = new LeakContext(rib, cfg, this.conflictTracker);
    this.statics = new StaticRoutes(this.ctx);
    this.vpnImport = new VpnImport(this.ctx, this.vrfs);
    this.vpnExport = new VpnExport(this.ctx);
    this.defaultLeak = new DefaultLeak(this.ctx);
  }

  /**
   * The configured VRFs, one step each (their own routes, what they import). The owner applies each
   * step and may commit between them, so a large load settles in parts. Run it to the end.
   */
  *load(): Generator<LoadStep> {
    for (const v of this.ctx.cfg.vrfs) yield { ops: this.addVrf(v), commitPoint: true };
  }

  /** vrf + family + destination key -> conflict, for `show leak conflicts`. */
  get conflicts(): ReadonlyMap<string, Conflict> {
    return this.conflictTracker.conflicts;
  }

  get config(): LeakConfig {
    return this.ctx.cfg;
  }

  /** Whether any VRF imports one of these route targets (DESIGN.md "Retention"). */
  importsAny(exts: readonly ExtCommunity[]): boolean {
    return this.vpnImport.importsAny(exts);
  }

  /** The source id of paths imported from VPN routes of one RD. */
  rdSource(rd: Rd): number {
    return this.vpnImport.rdSource(rd);
  }

  /** A VRF's own route: configured in it, or learned from its CE neighbors. */
  isOwn(r: Route, st: VrfState): boolean {
    return isOwnRoute(r, st);
  }

  /** True when a VRF route is one of the VRF's own (configured or from its CE neighbors). */
  ownRoute(vrf: string, r: Route): boolean {
    const st = this.vrfs.get(vrf);
    return st ? isOwnRoute(r, st) : isLocal(r.origin);
  }

  /** Whether (and how) a VPN route enters a VRF (vpn-import.ts). */
  importOf(st: VrfState, r: Route): { values: AttrValues } | ImportRefusal {
    return this.vpnImport.importOf(st, r);
  }

  /** The VPN route a VRF's best route becomes, or the reason it does not (vpn-export.ts). */
  exportOf(st: VrfState, r: Route): { values: AttrValues; nlri: VpnNlri } | string {
    return this.vpnExport.exportOf(st, r);
  }

  /** Whether a next hop resolves in a VRF or `default` (statics.ts). */
  resolves(nh: NextHopAddr, vrf: string, self?: { vrf: string; prefix: IpPrefix }): boolean {
    return this.statics.resolves(nh, vrf, self);
  }

  // ------------------------------------------------------------------------------------------
  // Setup and live changes

  /** A VRF's tables, own routes, statics, imports and leaks from the default table, as operations. */
  addVrf(def: VrfDef): RibOps {
    const ops = this.ctx.newOps();
    const st: VrfState = {
      def,
      ownSrc: this.ctx.newSrc(),
      exportSrc: this.ctx.newSrc(),
      toDefaultSrc: this.ctx.newSrc(),
      fromDefaultSrc: this.ctx.newSrc(),
      importRtKeys: new Set(def.importRts.filter(isRt).map(extCommunityKey)),
    };
    this.vrfs.set(def.name, st);
    // DESIGN.md "Conflict": with prefer-local the VRF's own routes are the only candidates when
    // there is one; the decision process picks among them, and the leaked ones wait.
    const name = def.name;
    ops.addView({
      view: name,
      families: [V4_VRF, V6_VRF],
      candidates: (paths) => {
        const cur = this.vrfs.get(name);
        if (!cur || cur.def.conflict !== 'prefer-local' || paths.length < 2) return paths;
        const own = paths.filter((p) => isOwnRoute(p, cur));
        return own.length > 0 && own.length < paths.length ? own : paths;
      },
    });
    originate(this.ctx, st, ops);
    this.statics.addVrf(st, ops);
    this.vpnImport.addVrf(st, ops);
    this.defaultLeak.addVrf(st, ops);
    return ops;
  }

  /** Withdraws everything a VRF produced, everywhere, and forgets it. */
  removeVrf(name: string): RibOps {
    const ops = this.ctx.newOps();
    this.withdrawVrf(name, ops);
    return ops;
  }

  private withdrawVrf(name: string, ops: RibOps): void {
    const st = this.vrfs.get(name);
    if (!st) return;
    this.vrfs.delete(name);
    this.statics.removeVrf(st);
    this.vpnImport.removeVrf(st);
    this.vpnExport.removeVrf(st, ops);
    this.defaultLeak.removeVrf(st, ops);
    for (const f of [V4_VRF, V6_VRF]) {
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
    this.ctx.cfg = next;
    const removals = this.ctx.newOps();
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
        for (const p of d.paths) if (p.src < SRC_BASE) ops.put(name, f, copyRoute(p));
      }
    }
  }

  // ------------------------------------------------------------------------------------------
  // Reacting to best-path changes

  /**
   * The best-path changes of one recompute of every table: what they make the VRFs import, export
   * and leak, as operations. Static routes are re-resolved once per VRF whose next-hop table changed.
   */
  react(batches: readonly ChangeBatch[]): RibOps {
    const ops = this.ctx.newOps();
    const changedVrfs = new Set<string>();
    for (const { view, family, changes } of batches) {
      if (view === GLOBAL_VIEW) {
        if (isVpn(family)) {
          if (this.vpnImport.idle) continue;
          for (let i = 0; i < changes.length; i++) {
            const oldBest = changes.oldBest(i);
            const newBest = changes.newBest(i);
            // Asked first: a VPNv4 route makes its key when read (model/v4-key-code.ts).
            if (this.vpnImport.ignores(oldBest, newBest)) continue;
            this.vpnImport.importChange(family, changes.key(i), oldBest, newBest, ops);
          }
          continue;
        }
        // Labeled unicast (SAFI 4) is carried, not leaked: the default table is ipv4/ipv6.
        if (family !== 'ipv4' && family !== 'ipv6') continue;
        for (const st of this.vrfs.values()) {
          if (!st.def.leakFromDefault) continue;
          for (let i = 0; i < changes.length; i++)
            this.defaultLeak.leakFromDefault(st, family, changes.key(i), ops);
        }
        changedVrfs.add(DEFAULT_VRF);
        continue;
      }
      const st = this.vrfs.get(view);
      if (!st) continue;
      const check = this.conflictTracker.marks(st, family);
      for (let i = 0; i < changes.length; i++) {
        const key = changes.key(i);
        this.vpnExport.exportChange(st, family, key, changes.oldBest(i), changes.newBest(i), ops);
        if (st.def.leakToDefault) this.defaultLeak.leakToDefault(st, family, key, ops);
        // A conflict needs two paths (a second path that does not change the best is marked where
        // it is put): a lone path is looked at only while a recorded conflict may have to go. The
        // destination's paths are the table's as of this recompute (nothing applied since).
        if (changes.count(i) >= 2 || this.conflictTracker.conflicts.size > 0) check.add(key);
      }
      changedVrfs.add(view);
    }
    this.statics.tablesChanged(changedVrfs, ops);
    return ops;
  }

  /** Once the propagation is quiet: the conflicts of the destinations marked on the way. */
  settled(): void {
    this.vpnImport.settled();
    this.conflictTracker.settle(this.vrfs);
  }
}
