// The composition root: the one owner of mutable state. Peer events, timers and API calls all end
// up here, on Node's single thread, and every change goes through the RIB and one commit per batch.

import type { AttrValues } from '../model/attrset.js';
import type { RouteOrigin } from '../model/route-origin.js';
import { API_SRC, FIRST_PEER_SRC } from '../model/sources.js';
import { createAdjRibIn } from '../rib/adj-in.js';
import { GLOBAL_VIEW, Rib } from '../rib/rib.js';
import type { EventLog } from '../log/events.js';
import type { FamilyName } from '../wire/afi.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import type { ExtCommunity, Nlri } from '../wire/types.js';
import type { LeakEngine } from '../vrf/engine.js';
import type { LeakMonitor } from '../vrf/monitor.js';
import type { StopReason } from '../session/shell.js';
import type { DaemonOptions, NeighborOptions, NetworkOptions } from './options.js';
import { Advertiser } from './advertise.js';
import { LOAD_BATCH_PATHS, Propagation, type Outbound } from './propagate.js';
import { leakConfig, leakParts } from './leak-parts.js';
import { Listener } from './listener.js';
import { transportSecurity } from './shells.js';
import type { DownDetail, SessionInfo } from './peer-link.js';
import { GracefulRestart } from './graceful-restart.js';
import { announceNetworks, withdrawNetworks } from './networks.js';
import { RtcService } from './rtc.js';
import { dropPeerRoutes, newPeer, reportingSends, type PeerRuntime } from './peers.js';
import type { ShellFactory } from './peers.js';
import type { BmpExporter } from './bmp.js';
import { Receiver } from './receive.js';
import { MrtService } from './mrt.js';
import { CommitSchedule } from './commit-schedule.js';
import { Joins } from '../session/coalesce.js';
import type { FibSync } from './fib.js';

export type { PeerRuntime, ShellFactory } from './peers.js';

export class Daemon {
  readonly rib = new Rib();
  readonly peers = new Map<string, PeerRuntime>();
  readonly advertiser: Advertiser = new Advertiser(this);
  readonly rtc: RtcService = new RtcService(this, this.advertiser);
  private readonly restart = new GracefulRestart(this);
  private readonly receiver = new Receiver(this);
  readonly mrt = new MrtService(this);
  readonly routerIdNum: number;
  readonly clusterIdNum: number;
  private nextPeerId = FIRST_PEER_SRC;
  private readonly commits = new CommitSchedule(() => this.commit());
  /** The VRFs and their leaks (undefined until start). */
  leak: LeakEngine | undefined;
  /** What may leak into each VRF and the violations now (undefined until start; issue 16). */
  monitor: LeakMonitor | undefined;
  /** The one loop between the RIB and the leak engine (remade with the engine at start). */
  private propagation = new Propagation(this.rib);
  private stopped = false;
  private listener: Listener | undefined;
  /** The kernel FIB (attachFib, src/daemon/fib-attach.ts); none on a shadow daemon. */
  fibSync: FibSync | undefined;
  /** The BMP exporter, when the runner made one (src/daemon/bmp.ts): told of sessions and routes. */
  bmp: BmpExporter | undefined;

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
    this.restart.startDeferral(this.opts.gracefulRestart);
    this.mrt.configure(this.opts.mrt);
    for (const n of this.opts.neighbors) this.addPeer(n);
    this.queueCommit();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.restart.stop();
    this.mrt.stop();
    for (const p of this.peers.values()) p.shell.stop({ kind: 'admin-stop' });
    this.bmp?.stop();
    await this.listener?.close();
    await this.fibSync?.stop();
    this.log.emit({ event: 'daemon-stop', reason: 'stopped' });
  }

  get listenPort(): number | undefined {
    return this.listener?.port;
  }

  addPeer(n: NeighborOptions): PeerRuntime {
    const adjRibIn = n.softReconfigurationInbound ? createAdjRibIn(this.rib.interner) : undefined;
    const rt = newPeer(this.nextPeerId++, n, this.opts.asn, this.clusterIdOf(n), adjRibIn, (rt) =>
      reportingSends(
        this.makeShell(
          n,
          {
            established: (info) => this.onEstablished(rt, info),
            update: (r) => this.receiver.update(rt, r),
            inputEnd: () => this.commits.settleInput(),
            inputDue: (msLeft) => this.commits.due(msLeft),
            routeRefresh: (m) => this.advertiser.refreshRequested(rt, m),
            down: (reason, graceful, detail) => this.onDown(rt, reason, graceful, detail),
          },
          this,
        ),
        (m) => this.bmp?.sent(rt, m),
      ),
    );
    this.peers.set(n.address, rt);
    this.listener?.setSecurity(n.address, transportSecurity(n));
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
    this.restart.forget(p);
    p.shell.stop(why);
    this.rib.leave(p.id);
    dropPeerRoutes(this.rib, p);
    this.peers.delete(address);
    this.listener?.setSecurity(address, undefined);
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
    this.rib.announce(family, API_SRC, origin, values, nlri, view);
    this.queueCommit();
  }

  /** Withdraws routes added by originate(); returns how many paths went away. */
  withdrawLocal(family: FamilyName, nlri: readonly Nlri[], view: string = GLOBAL_VIEW): number {
    const n = this.rib.withdraw(family, API_SRC, nlri, view);
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
    withdrawNetworks(this.rib, removed);
    announceNetworks(this.rib, added);
    this.queueCommit();
  }

  // ------------------------------------------------------------------------------------------
  // Local routes

  private originateAll(): void {
    announceNetworks(this.rib, this.opts.networks);
    this.rtc.originate();
    // VRFs, their own routes, imports and exports: the leak engine (src/vrf); what may leak into
    // each: the leak monitor, fed by the same loop.
    const { engine, monitor } = leakParts(this.rib, this.opts, this.log);
    this.leak = engine;
    this.monitor = monitor;
    this.propagation = new Propagation(this.rib, engine, LOAD_BATCH_PATHS, monitor);
    // A large configuration load is committed in parts (LOAD_BATCH_PATHS).
    for (const out of this.propagation.load(engine.load())) this.sendOut(out);
  }

  /**
   * A reload's VRF and policy changes: the leak engine re-evaluates the VRFs that changed (or use a
   * changed policy) and leaves the others alone. Returns the VRFs it touched.
   */
  reconfigureVrfs(next: DaemonOptions, changedPolicies: ReadonlySet<string> = new Set()): string[] {
    // The engine's scans read the tables' best routes: decide what is waiting first, under the
    // configuration it came in under. A destination born in an uncommitted batch and changed
    // again in it still shows its first path as best, and the recompute reports its change from no
    // best, so a VRF that imported that first path from the scan would never hear that it went.
    this.commitNow();
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
      ...(next.expects ? { expects: next.expects } : {}),
      clientToClient: next.clientToClient !== false,
    };
    // Before the engine's steps: the monitor follows them through the loop's changes.
    this.monitor?.configure(this.opts.expects ?? [], this.opts.policies);
    const plan = this.leak?.reconfigure(leakConfig(this.opts), changedPolicies);
    if (plan) for (const out of this.propagation.load(plan.steps)) this.sendOut(out);
    this.rtc.originate();
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
    return this.restart.deferred(p);
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
    this.restart.sessionUp(p, info);
    this.log.emit({
      event: 'session-up',
      peer: p.opts.address,
      asn: info.peerAs,
      families: [...info.families],
      holdTime: info.holdTime,
    });
    this.bmp?.peerUp(p);
    if (this.restart.defer(p)) return;
    this.advertiser.startAdvertising(p, info);
  }

  /** See Advertiser.startAdvertising (also when a deferral ends). */
  startAdvertising(p: PeerRuntime, info: SessionInfo): void {
    this.advertiser.startAdvertising(p, info);
  }

  /** Whether advertisement is still deferred after our own restart. */
  get deferring(): boolean {
    return this.restart.deferring;
  }

  private onDown(p: PeerRuntime, reason: string, graceful: boolean, detail?: DownDetail): void {
    const wasUp = p.info !== undefined;
    p.info = undefined;
    p.establishedAt = undefined;
    p.lastDown = reason;
    this.rib.leave(p.id);
    this.rtc.sessionDown(p);
    if (!wasUp) return;
    this.log.emit({ event: 'session-down', peer: p.opts.address, reason });
    if (detail) this.bmp?.peerDown(p, detail);
    this.restart.sessionDown(p, graceful && !this.stopped);
    this.queueCommit();
  }

  /** See Receiver.requestRefresh. */
  requestRefresh(address: string, fam: FamilyName): boolean {
    const p = this.peers.get(address);
    return p !== undefined && this.receiver.requestRefresh(p, fam);
  }

  // ------------------------------------------------------------------------------------------
  // UPDATE ingestion

  /** See Receiver.softIn. */
  softIn(p: PeerRuntime): boolean {
    return this.receiver.softIn(p);
  }

  /** See Receiver.keepReceived. */
  keepReceived(p: PeerRuntime, on: boolean): void {
    this.receiver.keepReceived(p, on);
  }

  /** See CommitSchedule.received. */
  received(announced: number, withdrawn: number): void {
    this.commits.received(announced, withdrawn);
  }

  /** The tables a peer's routes go into: its VRF's (PE-CE) or the global ones. */
  viewOf(p: PeerRuntime): string {
    return p.opts.vrf ?? GLOBAL_VIEW;
  }

  /** The peer's End-of-RIB for a family (RFC 4724 §2). */
  endOfRib(p: PeerRuntime, fam: FamilyName): void {
    this.restart.endOfRib(p, fam);
    this.rtc.endOfRib(p, fam);
  }

  /** Whether some local VRF imports one of these route targets (retention). */
  importsAny(exts: readonly ExtCommunity[]): boolean {
    return this.leak?.importsAny(exts) ?? false;
  }

  /** Whether the peer is still configured and the daemon runs. */
  current(p: PeerRuntime): boolean {
    return !this.stopped && this.peers.get(p.opts.address) === p;
  }

  // ------------------------------------------------------------------------------------------
  // Commit

  /** A commit in this turn's check phase (see CommitSchedule). */
  queueCommit(): void {
    this.commits.queue();
  }

  commitNow(): void {
    this.commits.now();
  }

  private commit(): void {
    this.sendOut(this.propagation.commit());
    this.rtc.settled();
    this.fibSync?.flush();
  }

  private sendOut(out: Outbound): void {
    // An update group's members are sent the same UPDATEs: joined once (coalesce.ts Joins).
    const joins = new Joins();
    for (const [peerId, msgs] of out) {
      for (const p of this.peers.values()) {
        if (p.id === peerId && p.info) {
          p.updatesOut += msgs.length;
          p.shell.send(msgs, joins.octetsOf(msgs));
        }
      }
    }
  }
}
