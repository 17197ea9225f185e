// Graceful restart (RFC 4724), both roles. As helper: a peer's routes kept as stale while it
// restarts, swept by its End-of-RIB or a deadline. As restarting speaker: route selection, and so
// advertisement, deferred until the peers sent End-of-RIB or the deferral timer ran out.

import type { EventLog } from '../log/events.js';
import type { Rib } from '../rib/rib.js';
import { RIB_FAMILIES } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';
import type { DaemonOptions } from './options.js';
import type { SessionInfo } from './peer-link.js';
import { dropPeerRoutes, markPeerStale, sweepPeerStale, type PeerRuntime } from './peers.js';
import { LongLivedGr } from './llgr.js';

/** What graceful restart reads and asks of the daemon. */
export interface RestartHost {
  readonly rib: Rib;
  readonly log: EventLog;
  readonly peers: ReadonlyMap<string, PeerRuntime>;
  queueCommit(): void;
  /** A deferred peer may now be advertised to. */
  startAdvertising(p: PeerRuntime, info: SessionInfo): void;
}

export class GracefulRestart {
  /**
   * Selection deferral after our own graceful restart (RFC 4724 §4.1): peers that came up wait
   * here until every graceful-restart neighbor sent End-of-RIB for all its families.
   */
  private deferral: { pending: Set<PeerRuntime>; timer: NodeJS.Timeout } | undefined;

  /** RFC 9494: what follows the Restart Time for the families that negotiated LLGR. */
  private readonly llgr: LongLivedGr;

  constructor(private readonly h: RestartHost) {
    this.llgr = new LongLivedGr(h);
  }

  /** At start, after our own restart: defer selection for at most the deferral time. */
  startDeferral(gr: DaemonOptions['gracefulRestart']): void {
    if (!gr?.restarting) return;
    const timer = setTimeout(
      () => this.endDeferral('timer'),
      (gr.deferralTime ?? gr.restartTime) * 1000,
    );
    timer.unref?.();
    this.deferral = { pending: new Set(), timer };
  }

  /** The daemon stops: no timer of ours runs on. */
  stop(): void {
    if (this.deferral) clearTimeout(this.deferral.timer);
    for (const p of this.h.peers.values()) this.forget(p);
    this.llgr.stop();
  }

  /** The peer is removed: its stale deadlines go with it. */
  forget(p: PeerRuntime): void {
    if (p.grTimer) clearTimeout(p.grTimer);
    this.llgr.forget(p);
  }

  /** Whether a peer waits for the selection deferral after our restart (RFC 4724 §4.1). */
  deferred(p: PeerRuntime): boolean {
    return this.deferral?.pending.has(p) ?? false;
  }

  /** Whether advertisement is still deferred after our own restart. */
  get deferring(): boolean {
    return this.deferral !== undefined;
  }

  /** A session came up: what was kept stale from the last one is judged again. */
  sessionUp(p: PeerRuntime, info: SessionInfo): void {
    this.llgr.sessionUp(p, info);
    // RFC 9494 §4.2: "Once the session is re-established, the procedures specified in [RFC4724]
    // apply for the stale routes irrespective of whether [they] are retained during the 'Restart
    // Time' period or the 'Long-lived Stale Time' period."
    if (!p.grTimer && this.llgr.running(p).size === 0) return;
    if (p.grTimer) clearTimeout(p.grTimer);
    p.grTimer = undefined;
    this.dropUnpreserved(p, info);
    // RFC 4724 §4.2: an upper bound on keeping stale routes while End-of-RIB is awaited.
    const staleTime = p.opts.gracefulRestart?.staleTime;
    if (staleTime !== undefined && this.h.rib.countStale(p.id) > 0) {
      this.staleDeadline(p, staleTime);
    }
  }

  /**
   * RFC 4724 §4.1: after our own restart, route selection (and so advertisement) is deferred
   * until the peers' End-of-RIB markers arrived or the deferral timer ran out. True when the peer
   * waits.
   */
  defer(p: PeerRuntime): boolean {
    if (!this.deferral) return false;
    this.deferral.pending.add(p);
    return true;
  }

  /**
   * An established session went down. `keep`: the peer restarts gracefully and we are not
   * stopping, so its routes stay as stale (RFC 4724 §4.2); else they go.
   */
  sessionDown(p: PeerRuntime, keep: boolean): void {
    const gr = keep ? p.lastGr : undefined;
    if (gr) {
      const n = markPeerStale(this.h.rib, p);
      this.llgr.sessionDown(p);
      this.h.log.emit({
        event: 'graceful-restart',
        peer: p.opts.address,
        phase: 'stale',
        routes: n,
      });
      this.staleDeadline(p, gr.restartTime, true);
    } else {
      if (p.grTimer) clearTimeout(p.grTimer);
      p.grTimer = undefined;
      this.llgr.forget(p);
      dropPeerRoutes(this.h.rib, p);
    }
  }

  /** The peer's End-of-RIB for a family (RFC 4724 §2). */
  endOfRib(p: PeerRuntime, fam: FamilyName): void {
    p.eorReceived.add(fam);
    this.llgr.synchronized(p, fam);
    if (this.deferral) this.maybeEndDeferral();
    // RFC 4724 §4.2: End-of-RIB from a restarted peer sweeps what it did not send again.
    const swept = sweepPeerStale(this.h.rib, p, fam);
    if (swept) {
      this.h.log.emit({
        event: 'graceful-restart',
        peer: p.opts.address,
        phase: 'swept',
        routes: swept,
      });
    }
    if (p.grTimer && this.h.rib.countStale(p.id) === 0) {
      clearTimeout(p.grTimer);
      p.grTimer = undefined;
    }
    this.h.queueCommit();
  }

  /** Deferral ends when every graceful-restart neighbor is up and sent End-of-RIB for all families. */
  private maybeEndDeferral(): void {
    for (const p of this.h.peers.values()) {
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
    this.h.log.emit({ event: 'selection-deferral-ended', reason: why, peers: d.pending.size });
    for (const p of d.pending) if (p.info) this.h.startAdvertising(p, p.info);
  }

  /**
   * RFC 4724 §4.2: on the re-established session, stale routes of a family the peer no longer
   * lists with the Forwarding State bit set (or all of them, without the capability) go at once;
   * the others wait for its End-of-RIB.
   */
  private dropUnpreserved(p: PeerRuntime, info: SessionInfo): void {
    const kept = new Set(info.peerGracefulRestart?.preserved ?? []);
    // RFC 9494 §3.1: the F bit of the LLGR capability means for the long-lived stale routes what
    // RFC 4724's means for the stale ones.
    const longLived = this.llgr.running(p);
    for (const f of longLived) kept.delete(f);
    for (const f of info.llgr?.preserved ?? []) if (longLived.has(f)) kept.add(f);
    let n = 0;
    for (const f of RIB_FAMILIES) {
      if (kept.has(f)) continue;
      n += sweepPeerStale(this.h.rib, p, f);
    }
    if (n) {
      this.h.log.emit({
        event: 'graceful-restart',
        peer: p.opts.address,
        phase: 'not-preserved',
        routes: n,
      });
      this.h.queueCommit();
    }
  }

  /**
   * The peer's stale routes go after `seconds` (restart time, then stale time) unless swept; those
   * of families in their long-lived stale period stay for its timer (RFC 9494 §4.2). `restart`:
   * this is the Restart Time, at whose end that period begins.
   */
  private staleDeadline(p: PeerRuntime, seconds: number, restart = false): void {
    if (p.grTimer) clearTimeout(p.grTimer);
    p.grTimer = setTimeout(() => {
      p.grTimer = undefined;
      if (restart) this.llgr.restartTimeEnded(p);
      const longLived = this.llgr.running(p);
      let swept = 0;
      if (longLived.size === 0) swept = sweepPeerStale(this.h.rib, p);
      else
        for (const f of RIB_FAMILIES)
          if (!longLived.has(f)) swept += sweepPeerStale(this.h.rib, p, f);
      this.h.log.emit({
        event: 'graceful-restart',
        peer: p.opts.address,
        phase: 'expired',
        routes: swept,
      });
      this.h.queueCommit();
    }, seconds * 1000);
    p.grTimer.unref?.();
  }
}
