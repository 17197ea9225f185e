// The composition root: the one owner of mutable state. Peer events, timers and API calls all end
// up here, on Node's single thread, and every change goes through the RIB and one commit per batch.

import { EMPTY_ATTR_VALUES, type AttrSet, type AttrValues } from '../model/attrset.js';
import type { PeerRef, RouteOrigin } from '../model/route.js';
import { createAdjRibIn, type AdjRibIn } from '../rib/adj-in.js';
import { GLOBAL_VIEW, Rib, RIB_FAMILIES, VRF_FAMILIES } from '../rib/rib.js';
import type { EventLog } from '../log/events.js';
import { FAMILIES, familyName, type FamilyName } from '../wire/afi.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import { encodeMessage } from '../wire/message.js';
import type { UpdateDecodeResult } from '../wire/update.js';
import type { Nlri, RouteRefreshMessage } from '../wire/types.js';
import type { LeakConfig } from '../vrf/defs.js';
import { LeakEngine } from '../vrf/engine.js';
import { prefixToText } from '../wire/nlri/text.js';
import type { PeerShell, StopReason } from '../session/shell.js';
import type { DaemonOptions, NeighborOptions, NetworkOptions } from './options.js';
import { Advertiser } from './advertise.js';
import { Propagation, type Outbound } from './propagate.js';
import { Listener } from './listener.js';
import {
  ingest,
  maxPrefixVerdict,
  reapply,
  type IngestContext,
  type IngestNote,
  type IngestOp,
  type KeptRoutes,
} from './ingest.js';
import { ownAddresses } from './validate.js';
import type { PeerLinkEvents, SessionInfo } from './peer-link.js';

export type ShellFactory = (
  n: NeighborOptions,
  events: PeerLinkEvents,
  daemon: Daemon,
) => PeerShell;

export interface PeerRuntime {
  readonly id: number;
  /** Replaced by softChange (policy keys only); session parameters never change in place. */
  opts: NeighborOptions;
  ref: PeerRef;
  shell: PeerShell;
  info: SessionInfo | undefined;
  establishedAt: number | undefined;
  updatesIn: number;
  updatesOut: number;
  lastDown: string | undefined;
  grTimer: NodeJS.Timeout | undefined;
  /** Families whose End-of-RIB we received since the session came up. */
  eorReceived: Set<FamilyName>;
  maxPrefixWarned: Set<FamilyName>;
  /** The peer's graceful restart capability on the last session (RFC 4724 helper mode). */
  lastGr: { readonly restartTime: number } | undefined;
  /** Its routes as received, before inbound policy: only with soft-reconfiguration inbound. */
  adjRibIn: AdjRibIn | undefined;
}

/**
 * A commit runs at the latest after this many received NLRI, not only once per event-loop turn:
 * one turn may read megabytes from a fast peer (libuv reads up to 32 x 64 KiB per socket event),
 * and a batch that large outlives the young generation, so its decoded NLRI and keys are promoted
 * and wait for the next full GC. Bounded batches keep the transit's peak RSS near its live heap;
 * a few thousand routes still fill whole UPDATEs per attribute set.
 */
const COMMIT_BATCH = 2048;

function addrKey(address: string): string {
  const v4 = ipv4FromText(address);
  return v4 !== undefined ? v4.toString(16).padStart(8, '0') : address;
}

export class Daemon {
  readonly rib = new Rib();
  readonly peers = new Map<string, PeerRuntime>();
  private readonly advertiser = new Advertiser(this);
  readonly routerIdNum: number;
  readonly clusterIdNum: number;
  private nextPeerId = 1;
  private commitQueued = false;
  /** NLRI received since the last commit (see COMMIT_BATCH). */
  private batchNlri = 0;
  /**
   * Selection deferral after our own graceful restart (RFC 4724 §4.1): peers that came up wait
   * here until every graceful-restart neighbor sent End-of-RIB for all its families.
   */
  private deferral: { pending: Set<PeerRuntime>; timer: NodeJS.Timeout } | undefined;

  /** The VRFs and their leaks (undefined until start). */
  leak: LeakEngine | undefined;
  /** The one loop between the RIB and the leak engine (remade with the engine at start). */
  private propagation = new Propagation(this.rib);
  private readonly defaultSrc = 900_000;
  /** The source of routes added at run time through originate() (the API; dry-run copies them). */
  readonly apiSrc = 800_000;
  private stopped = false;
  private listener: Listener | undefined;

  constructor(
    readonly opts: DaemonOptions,
    readonly log: EventLog,
    private readonly makeShell: ShellFactory,
  ) {
    this.routerIdNum = ipv4FromText(opts.routerId) ?? 0;
    this.clusterIdNum = ipv4FromText(opts.clusterId ?? opts.routerId) ?? this.routerIdNum;
  }

  /** The CLUSTER_ID towards a neighbor: its own cluster-id, else the global one (RFC 4456 §7). */
  clusterIdOf(n: NeighborOptions): number {
    return (n.clusterId !== undefined ? ipv4FromText(n.clusterId) : undefined) ?? this.clusterIdNum;
  }

  /** Originates the configured routes, listens (when configured), and starts every neighbor. */
  async start(): Promise<void> {
    this.originateAll();
    const l = this.opts.listen;
    if (l) {
      this.listener = new Listener((remote) => this.peers.get(remote)?.shell, this.log);
      await this.listener.listen(l.address, l.port);
    }
    this.log.emit({
      event: 'daemon-start',
      asn: this.opts.asn,
      routerId: this.opts.routerId,
      ...(l ? { listen: `${l.address}:${l.port}` } : {}),
    });
    // The tables settle before any session starts, so a started daemon answers queries at once.
    this.commitNow();
    const gr = this.opts.gracefulRestart;
    if (gr?.restarting) {
      const timer = setTimeout(
        () => this.endDeferral('timer'),
        (gr.deferralTime ?? gr.restartTime) * 1000,
      );
      timer.unref?.();
      this.deferral = { pending: new Set(), timer };
    }
    for (const n of this.opts.neighbors) this.addPeer(n);
    this.queueCommit();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.deferral) clearTimeout(this.deferral.timer);
    for (const p of this.peers.values()) {
      if (p.grTimer) clearTimeout(p.grTimer);
      p.shell.stop({ kind: 'admin-stop' });
    }
    await this.listener?.close();
    this.log.emit({ event: 'daemon-stop', reason: 'stopped' });
  }

  get listenPort(): number | undefined {
    return this.listener?.port;
  }

  addPeer(n: NeighborOptions): PeerRuntime {
    const id = this.nextPeerId++;
    const ref: PeerRef = {
      id,
      address: n.address,
      addrKey: addrKey(n.address),
      asn: n.asn,
      bgpId: 0,
      ibgp: n.asn === this.opts.asn,
      rrClient: n.routeReflectorClient,
      ...(n.clusterId !== undefined ? { clusterId: this.clusterIdOf(n) } : {}),
    };
    const rt: PeerRuntime = {
      id,
      opts: n,
      ref,
      shell: undefined as unknown as PeerShell,
      info: undefined,
      establishedAt: undefined,
      updatesIn: 0,
      updatesOut: 0,
      lastDown: undefined,
      grTimer: undefined,
      eorReceived: new Set(),
      maxPrefixWarned: new Set(),
      lastGr: undefined,
      adjRibIn: n.softReconfigurationInbound ? createAdjRibIn(this.rib.interner) : undefined,
    };
    rt.shell = this.makeShell(
      n,
      {
        established: (info) => this.onEstablished(rt, info),
        update: (r) => this.onUpdate(rt, r),
        routeRefresh: (m) => this.onRouteRefresh(rt, m),
        down: (reason, graceful) => this.onDown(rt, reason, graceful),
      },
      this,
    );
    this.peers.set(n.address, rt);
    if (!n.shutdown) rt.shell.start();
    return rt;
  }

  peerByAddress(address: string): PeerRuntime | undefined {
    return this.peers.get(address);
  }

  /** Stops a neighbor's session (de-configured unless told otherwise) and drops its routes. */
  removePeer(address: string, why: StopReason = { kind: 'deconfigured' }): boolean {
    const p = this.peers.get(address);
    if (!p) return false;
    if (p.grTimer) clearTimeout(p.grTimer);
    p.shell.stop(why);
    this.rib.leave(p.id);
    this.rib.removeSource(p.id);
    p.adjRibIn?.clear();
    this.peers.delete(address);
    this.queueCommit();
    return true;
  }

  /**
   * Routes originated at run time (the API, the library): one source id of their own, so they
   * never replace or withdraw configured routes. `vrf` names the VRF they belong to, if any.
   */
  originate(
    family: FamilyName,
    nlri: readonly Nlri[],
    values: AttrValues,
    view: string = GLOBAL_VIEW,
    vrf?: string,
  ): void {
    const origin: RouteOrigin = { kind: 'local', source: 'local', ...(vrf ? { vrf } : {}) };
    this.rib.announce(family, this.apiSrc, origin, values, nlri, view);
    this.queueCommit();
  }

  /** Withdraws routes added by originate(); returns how many paths went away. */
  withdrawLocal(family: FamilyName, nlri: readonly Nlri[], view: string = GLOBAL_VIEW): number {
    const n = this.rib.withdraw(family, this.apiSrc, nlri, view);
    this.queueCommit();
    return n;
  }

  /**
   * A config reload's network changes: default-table networks (vrf undefined) or a VRF's own
   * networks exported as VPN routes with its RD, export RTs and label.
   */
  changeNetworks(
    vrf: string | undefined,
    added: readonly NetworkOptions[],
    removed: readonly NetworkOptions[],
  ): void {
    // A VRF's networks are part of its definition: reconfigureVrfs re-evaluates the VRF.
    if (vrf !== undefined) return;
    const src = this.defaultSrc;
    for (const n of removed) {
      const f: FamilyName = n.prefix.afi === 1 ? 'ipv4' : 'ipv6';
      this.rib.withdraw(f, src, [{ kind: 'prefix', prefix: n.prefix }]);
    }
    {
      const origin: RouteOrigin = { kind: 'local', source: 'local' };
      for (const n of added) {
        const f: FamilyName = n.prefix.afi === 1 ? 'ipv4' : 'ipv6';
        this.rib.announce(f, src, origin, this.localAttrs(n), [
          { kind: 'prefix', prefix: n.prefix },
        ]);
      }
    }
    this.queueCommit();
  }

  // ------------------------------------------------------------------------------------------
  // Local routes

  private localAttrs(n: NetworkOptions, extra: Partial<AttrValues> = {}): AttrValues {
    return {
      ...EMPTY_ATTR_VALUES,
      origin: 0,
      communities: n.communities ?? [],
      largeCommunities: n.largeCommunities ?? [],
      extCommunities: n.extCommunities ?? [],
      med: n.med,
      localPref: n.localPref,
      nextHop:
        n.nextHop === undefined
          ? undefined
          : typeof n.nextHop === 'number'
            ? { afi: 1, addr: n.nextHop }
            : { afi: 2, addr: n.nextHop },
      ...extra,
    };
  }

  private originateAll(): void {
    const origin: RouteOrigin = { kind: 'local', source: 'local' };
    for (const n of this.opts.networks) {
      const fam: FamilyName = n.prefix.afi === 1 ? 'ipv4' : 'ipv6';
      this.rib.announce(fam, this.defaultSrc, origin, this.localAttrs(n), [
        { kind: 'prefix', prefix: n.prefix },
      ]);
    }
    // VRFs, their own routes, imports and exports: the leak engine (src/vrf).
    this.leak = new LeakEngine(this.rib, this.leakConfig(this.opts), {
      onConflict: (c) =>
        this.log.emit({
          event: 'leak-conflict',
          vrf: c.vrf,
          prefix: prefixToText(c.prefix),
          winner: c.winner.origin.kind,
          loser: c.losers.map((l) => l.origin.kind).join(','),
        }),
    });
    this.propagation = new Propagation(this.rib, this.leak);
    // A large configuration load is committed in parts (LOAD_BATCH_PATHS).
    for (const out of this.propagation.load(this.leak.load())) this.sendOut(out);
  }

  private leakConfig(o: DaemonOptions): LeakConfig {
    return {
      asn: o.asn,
      vrfs: o.vrfs,
      policies: o.policies,
      denyInterVrfStatic: o.denyInterVrfStatic,
    };
  }

  /**
   * A reload's VRF and policy changes: the leak engine re-evaluates the VRFs that changed (or use a
   * changed policy) and leaves the others alone. Returns the VRFs it touched.
   */
  reconfigureVrfs(next: DaemonOptions, changedPolicies: ReadonlySet<string> = new Set()): string[] {
    // With retain imported-only, VPN routes of a newly imported RT were dropped on arrival: ask the
    // VPN peers for their tables again (RFC 2918), as FRR does (bgp_vpnv4_noretain).
    const before = new Set(
      this.opts.vrfs.flatMap((v) => v.importRts.map((e) => JSON.stringify(e))),
    );
    const added = next.vrfs.some((v) => v.importRts.some((e) => !before.has(JSON.stringify(e))));
    (this as { opts: DaemonOptions }).opts = {
      ...this.opts,
      vrfs: next.vrfs,
      policies: next.policies,
      ...(next.retain ? { retain: next.retain } : {}),
    };
    const plan = this.leak?.reconfigure(this.leakConfig(this.opts), changedPolicies);
    if (plan) for (const out of this.propagation.load(plan.steps)) this.sendOut(out);
    this.commitNow();
    const touched = plan?.touched ?? [];
    if (added && this.opts.retain === 'imported-only') {
      for (const p of this.peers.values()) {
        // Kept as received (soft-reconfiguration inbound): the dropped routes are still here.
        if (this.softIn(p)) continue;
        for (const f of ['vpnv4', 'vpnv6'] as const) {
          if (p.info?.families.includes(f)) this.requestRefresh(p.opts.address, f);
        }
      }
    }
    return touched;
  }

  // ------------------------------------------------------------------------------------------
  // Session events

  /** Whether a peer waits for the selection deferral after our restart (RFC 4724 §4.1). */
  deferred(p: PeerRuntime): boolean {
    return this.deferral?.pending.has(p) ?? false;
  }

  /** See Advertiser.softChange. */
  softChange(n: NeighborOptions, what: { readonly in: boolean; readonly out: boolean }): boolean {
    return this.advertiser.softChange(n, what);
  }

  /** See Advertiser.clearPeer. */
  clearPeer(address: string, how: 'hard' | 'in' | 'out' | 'both'): string | undefined {
    return this.advertiser.clearPeer(address, how);
  }

  /** See Advertiser.routeMapsChanged. */
  routeMapsChanged(changed: ReadonlySet<string>): string[] {
    return this.advertiser.routeMapsChanged(changed);
  }

  private onEstablished(p: PeerRuntime, info: SessionInfo): void {
    p.info = info;
    p.establishedAt = Date.now();
    p.eorReceived = new Set();
    p.maxPrefixWarned = new Set();
    p.lastGr = info.peerGracefulRestart;
    p.ref = { ...p.ref, bgpId: info.peerBgpId, asn: info.peerAs };
    if (p.grTimer) {
      clearTimeout(p.grTimer);
      p.grTimer = undefined;
      this.dropUnpreserved(p, info);
      // RFC 4724 §4.2: an upper bound on keeping stale routes while End-of-RIB is awaited.
      const staleTime = p.opts.gracefulRestart?.staleTime;
      if (staleTime !== undefined && this.rib.countStale(p.id) > 0) {
        this.staleDeadline(p, staleTime);
      }
    }
    this.log.emit({
      event: 'session-up',
      peer: p.opts.address,
      asn: info.peerAs,
      families: [...info.families],
      holdTime: info.holdTime,
    });
    // RFC 4724 §4.1: after our own restart, route selection (and so advertisement) is deferred
    // until the peers' End-of-RIB markers arrived or the deferral timer ran out.
    if (this.deferral) {
      this.deferral.pending.add(p);
      return;
    }
    this.advertiser.startAdvertising(p, info);
  }

  /** Deferral ends when every graceful-restart neighbor is up and sent End-of-RIB for all families. */
  private maybeEndDeferral(): void {
    for (const p of this.peers.values()) {
      if (!p.opts.gracefulRestart || p.opts.shutdown) continue;
      if (!p.info) return;
      for (const f of p.info.families) if (!p.eorReceived.has(f)) return;
    }
    this.endDeferral('end-of-rib');
  }

  private endDeferral(why: 'end-of-rib' | 'timer'): void {
    const d = this.deferral;
    if (!d) return;
    clearTimeout(d.timer);
    this.deferral = undefined;
    this.log.emit({ event: 'selection-deferral-ended', reason: why, peers: d.pending.size });
    for (const p of d.pending) if (p.info) this.advertiser.startAdvertising(p, p.info);
  }

  /** Whether advertisement is still deferred after our own restart. */
  get deferring(): boolean {
    return this.deferral !== undefined;
  }

  /**
   * RFC 4724 §4.2: on the re-established session, stale routes of a family the peer no longer
   * lists with the Forwarding State bit set (or all of them, without the capability) go at once;
   * the others wait for its End-of-RIB.
   */
  private dropUnpreserved(p: PeerRuntime, info: SessionInfo): void {
    const kept = new Set(info.peerGracefulRestart?.preserved ?? []);
    let n = 0;
    for (const f of RIB_FAMILIES) {
      if (kept.has(f)) continue;
      n += this.rib.removeSource(p.id, f, true);
      p.adjRibIn?.sweepStale(f);
    }
    if (n) {
      this.log.emit({
        event: 'graceful-restart',
        peer: p.opts.address,
        phase: 'not-preserved',
        routes: n,
      });
      this.queueCommit();
    }
  }

  private onDown(p: PeerRuntime, reason: string, graceful: boolean): void {
    const wasUp = p.info !== undefined;
    p.info = undefined;
    p.establishedAt = undefined;
    p.lastDown = reason;
    this.rib.leave(p.id);
    if (!wasUp) return;
    this.log.emit({ event: 'session-down', peer: p.opts.address, reason });
    const gr = graceful ? p.lastGr : undefined;
    if (gr && !this.stopped) {
      // RFC 4724 §4.2: keep the routes as stale for the restart time.
      const n = this.rib.markStale(p.id);
      p.adjRibIn?.markStale();
      this.log.emit({ event: 'graceful-restart', peer: p.opts.address, phase: 'stale', routes: n });
      this.staleDeadline(p, gr.restartTime);
    } else {
      if (p.grTimer) clearTimeout(p.grTimer);
      p.grTimer = undefined;
      this.rib.removeSource(p.id);
      p.adjRibIn?.clear();
    }
    this.queueCommit();
  }

  /** The peer's stale routes go after `seconds` (restart time, then stale time) unless swept. */
  private staleDeadline(p: PeerRuntime, seconds: number): void {
    if (p.grTimer) clearTimeout(p.grTimer);
    p.grTimer = setTimeout(() => {
      p.grTimer = undefined;
      const swept = this.rib.removeSource(p.id, undefined, true);
      p.adjRibIn?.sweepStale();
      this.log.emit({
        event: 'graceful-restart',
        peer: p.opts.address,
        phase: 'expired',
        routes: swept,
      });
      this.queueCommit();
    }, seconds * 1000);
    p.grTimer.unref?.();
  }

  private onRouteRefresh(p: PeerRuntime, m: RouteRefreshMessage): void {
    const fam = familyName(m.afi, m.safi);
    // RFC 7313 §4: only subtype 0 is a request; BoRR/EoRR (1/2) come from the peer's own refresh.
    if (!fam || !p.info?.families.includes(fam) || m.subtype !== 0) return;
    this.commitNow();
    const msgs = this.rib.refresh(p.id, fam);
    p.updatesOut += msgs.length;
    p.shell.send(msgs);
  }

  /**
   * Asks a peer to send a family's routes again (RFC 2918 §3: ROUTE-REFRESH, subtype 0). False
   * when the session is not up, the family was not negotiated, or the peer lacks the capability.
   */
  requestRefresh(address: string, fam: FamilyName): boolean {
    const p = this.peers.get(address);
    const info = p?.info;
    if (!p || !info || !info.routeRefresh || !info.families.includes(fam)) return false;
    const { afi, safi } = FAMILIES[fam];
    p.shell.send([encodeMessage({ type: 'route-refresh', afi, safi, subtype: 0 }, info.tx)]);
    return true;
  }

  // ------------------------------------------------------------------------------------------
  // UPDATE ingestion

  private onUpdate(p: PeerRuntime, r: UpdateDecodeResult): void {
    const info = p.info;
    if (!info) return;
    p.updatesIn++;
    const view = this.viewOf(p);
    const ctx = this.ingestContext(p, info, view);
    const res = ingest(r, ctx);
    if (this.apply(p, res.ops, ctx)) this.received(res.nlri);
  }

  /** Applies ingestion's operations in order; false when max-prefix stopped the session. */
  private apply(p: PeerRuntime, ops: readonly IngestOp[], ctx: IngestContext): boolean {
    const view = ctx.view;
    for (const op of ops) {
      switch (op.kind) {
        case 'announce':
          this.rib.announce(op.family, p.id, ctx.origin, op.values, op.nlri, view);
          break;
        case 'withdraw':
          this.rib.withdraw(op.family, p.id, op.nlri, view);
          break;
        case 'end-of-rib':
          this.onEndOfRib(p, op.family);
          break;
        case 'keep-received':
          p.adjRibIn?.announce(op.family, this.rib.interner.intern(op.values), op.nlri);
          break;
        case 'drop-received':
          p.adjRibIn?.withdraw(op.family, op.nlri);
          break;
        case 'check-max-prefix':
          if (this.checkMaxPrefix(p, op.family)) return false;
          break;
        case 'note':
          this.logNote(p, op.note);
          break;
        default: {
          const never: never = op;
          return never;
        }
      }
    }
    return true;
  }

  /**
   * Soft reconfiguration inbound: the routes kept as received go through the inbound rules again
   * (a changed route-map-in or allowas-in, an edited route map, `clear bgp ADDR soft in`) without
   * asking the peer, as FRR does. Stale ones wait for the peer (RFC 4724 §4.2: sent again, or
   * swept). False when nothing is kept for the peer: the caller asks it for a route refresh.
   */
  softIn(p: PeerRuntime): boolean {
    const adj = p.adjRibIn;
    if (!adj) return false;
    const info = p.info;
    if (!info) return true;
    const kept: KeptRoutes[] = [];
    for (const family of adj.families()) {
      const bySet = new Map<AttrSet, Nlri[]>();
      for (const r of adj.routes(family)) {
        if (r.stale) continue;
        const l = bySet.get(r.attrs);
        if (l) l.push(r.nlri);
        else bySet.set(r.attrs, [r.nlri]);
      }
      for (const [values, nlri] of bySet) kept.push({ family, values, nlri });
    }
    const ctx = this.ingestContext(p, info, this.viewOf(p));
    this.apply(p, reapply(kept, ctx), ctx);
    this.commitNow();
    return true;
  }

  /** Starts or stops keeping a peer's routes as received (soft-reconfiguration inbound). */
  keepReceived(p: PeerRuntime, on: boolean): void {
    if (on) p.adjRibIn ??= createAdjRibIn(this.rib.interner);
    else {
      p.adjRibIn?.clear();
      p.adjRibIn = undefined;
    }
  }

  /** What ingestion needs to know about the peer (ingest.ts). */
  private ingestContext(p: PeerRuntime, info: SessionInfo, view: string): IngestContext {
    const own = ownAddresses([info.localAddress, p.opts.localAddress, this.opts.listen?.address]);
    const mapIn = p.opts.routeMapIn;
    const routeMapIn = mapIn !== undefined ? this.opts.policies.routeMaps.get(mapIn) : undefined;
    return {
      origin: { kind: 'peer', peer: p.ref },
      view,
      negotiated: info.families,
      tables: p.opts.vrf !== undefined ? VRF_FAMILIES : RIB_FAMILIES,
      fourOctetAs: info.fourOctetAs,
      inbound: {
        localAs: this.opts.asn,
        routerId: this.routerIdNum,
        clusterId: this.clusterIdOf(p.opts),
        peerAs: info.peerAs,
        ibgp: p.ref.ibgp,
        fourOctetAs: info.fourOctetAs,
        allowasIn: p.opts.allowasIn,
        ...own,
      },
      ...(routeMapIn ? { routeMapIn } : {}),
      policies: this.opts.policies,
      retainImportedOnly: this.opts.retain === 'imported-only',
      importsAny: (exts) => this.leak?.importsAny(exts) ?? false,
      maxPrefix: p.opts.maxPrefix !== undefined,
      keepReceived: p.adjRibIn !== undefined,
    };
  }

  private logNote(p: PeerRuntime, note: IngestNote): void {
    switch (note.kind) {
      case 'malformed':
        this.log.emit({
          event: 'malformed-update',
          peer: p.opts.address,
          action: note.action,
          problems: note.problems.map((x) => ({ ...x })),
        });
        return;
      case 'afi-safi-ignored':
        this.log.emit({
          event: 'afi-safi-ignored',
          peer: p.opts.address,
          afi: note.afi,
          safi: note.safi,
        });
        return;
      default: {
        const never: never = note;
        return never;
      }
    }
  }

  /** Counts what an UPDATE carried; commits at once when the batch is full (COMMIT_BATCH). */
  private received(nlri: number): void {
    this.batchNlri += nlri;
    if (this.batchNlri >= COMMIT_BATCH) this.commitNow();
    else this.queueCommit();
  }

  /** The tables a peer's routes go into: its VRF's (PE-CE) or the global ones. */
  viewOf(p: PeerRuntime): string {
    return p.opts.vrf ?? GLOBAL_VIEW;
  }

  /** Judges the max-prefix rule after an announcement; true when the session was stopped. */
  private checkMaxPrefix(p: PeerRuntime, fam: FamilyName): boolean {
    const mp = p.opts.maxPrefix;
    if (!mp) return false;
    const count = this.rib.adjRibIn(p.id, fam)?.size ?? 0;
    const v = maxPrefixVerdict(mp, fam, count, p.maxPrefixWarned.has(fam));
    switch (v.kind) {
      case 'within':
        return false;
      case 'warning':
        p.maxPrefixWarned.add(fam);
        this.log.emit({
          event: 'max-prefix-warning',
          peer: p.opts.address,
          family: fam,
          count,
          limit: mp.limit,
        });
        return false;
      case 'exceeded':
        this.log.emit({
          event: 'max-prefix-exceeded',
          peer: p.opts.address,
          family: fam,
          count,
          limit: mp.limit,
        });
        p.shell.stop(v.stop);
        if (mp.restartAfter !== undefined) {
          // FRR's `maximum-prefix N restart M`: start the session again after the pause.
          const t = setTimeout(() => {
            if (!this.stopped && this.peers.get(p.opts.address) === p) p.shell.start();
          }, mp.restartAfter * 1000);
          t.unref?.();
        }
        return true;
      default: {
        const never: never = v;
        return never;
      }
    }
  }

  private onEndOfRib(p: PeerRuntime, fam: FamilyName): void {
    p.eorReceived.add(fam);
    if (this.deferral) this.maybeEndDeferral();
    // RFC 4724 §4.2: End-of-RIB from a restarted peer sweeps what it did not send again.
    const swept = this.rib.removeSource(p.id, fam, true);
    p.adjRibIn?.sweepStale(fam);
    if (swept) {
      this.log.emit({
        event: 'graceful-restart',
        peer: p.opts.address,
        phase: 'swept',
        routes: swept,
      });
    }
    if (p.grTimer && this.rib.countStale(p.id) === 0) {
      clearTimeout(p.grTimer);
      p.grTimer = undefined;
    }
    this.queueCommit();
  }

  // ------------------------------------------------------------------------------------------
  // Commit

  queueCommit(): void {
    if (this.commitQueued) return;
    this.commitQueued = true;
    setImmediate(() => {
      this.commitQueued = false;
      this.commitNow();
    });
  }

  commitNow(): void {
    this.batchNlri = 0;
    this.sendOut(this.propagation.commit());
  }

  private sendOut(out: Outbound): void {
    for (const [peerId, msgs] of out) {
      for (const p of this.peers.values()) {
        if (p.id === peerId && p.info) {
          p.updatesOut += msgs.length;
          p.shell.send(msgs);
        }
      }
    }
  }
}
