// Long-lived graceful restart (RFC 9494) as helper, after the graceful restart of RFC 4724
// (graceful-restart.ts): when the Restart Time of a restarting peer ends, the families it
// negotiated LLGR for keep their stale routes as long-lived stale (LLGR_STALE attached, NO_LLGR
// ones deleted, least preferred, not sent to peers without the capability: rib/llgr.ts,
// rib/decision.ts, rib/outbound.ts) until the family's Long-lived Stale Time ends or the peer's
// End-of-RIB sweeps them; the other families' stale routes go.

import type { EventLog } from '../log/events.js';
import { enterLongLivedStale } from '../rib/llgr.js';
import type { Rib } from '../rib/rib.js';
import type { Negotiated } from '../session/negotiate.js';
import { familyName, type FamilyName } from '../wire/afi.js';
import type { SessionInfo } from './peer-link.js';
import { sweepPeerStale, type PeerRuntime } from './peers.js';

const MAX_TIMEOUT = 2 ** 31 - 1;

/** What the LLGR helper reads and asks of the daemon. */
export interface LlgrHost {
  readonly rib: Rib;
  readonly log: EventLog;
  queueCommit(): void;
}

/**
 * The LLGR part of SessionInfo: present when the peer sent the capability with GR's (RFC 9494
 * §4.5), with the families both advertised and the peer's stale time for each.
 */
export function llgrInfo(neg: Negotiated): Pick<SessionInfo, 'llgr'> {
  if (!neg.peerLlgr) return {};
  const families = new Map<FamilyName, number>();
  const preserved = new Set<FamilyName>();
  for (const e of neg.llgr) {
    const f = familyName(e.afi, e.safi);
    if (f === undefined) continue;
    families.set(f, e.staleTime);
    if (e.forwarding) preserved.add(f);
  }
  return { llgr: { families, preserved } };
}

/** One peer's long-lived stale state. */
interface PeerLlgr {
  /** The families and stale times negotiated on the last session (what a restart would use). */
  families: ReadonlyMap<FamilyName, number>;
  /** Running Long-lived Stale Time timers, per family. */
  readonly timers: Map<FamilyName, NodeJS.Timeout>;
  /** Families whose stale time ended on a session not yet synchronized (no End-of-RIB). */
  readonly expiredUnsynced: Set<FamilyName>;
}

export class LongLivedGr {
  private readonly peers = new Map<number, PeerLlgr>();

  constructor(private readonly h: LlgrHost) {}

  private of(p: PeerRuntime): PeerLlgr {
    let s = this.peers.get(p.id);
    if (!s) {
      s = { families: new Map(), timers: new Map(), expiredUnsynced: new Set() };
      this.peers.set(p.id, s);
    }
    return s;
  }

  /**
   * A session came up: its negotiated families are the ones a later restart keeps long-lived, each
   * for the peer's stale time reduced to ours (RFC 9494 §4.2: it "MAY be reduced by local
   * configuration"); a family whose time is zero is left out (§4.2: then only the GR procedures
   * apply to it).
   */
  sessionUp(p: PeerRuntime, info: SessionInfo): void {
    const families = new Map<FamilyName, number>();
    for (const [f, peer] of info.llgr?.families ?? []) {
      const ours = p.opts.longLivedGracefulRestart?.find((x) => x.family === f)?.staleTime;
      const t = Math.min(peer, ours ?? 0);
      if (t > 0) families.set(f, t);
    }
    this.of(p).families = families;
  }

  /** Families whose long-lived stale timer runs: their stale routes wait for it or End-of-RIB. */
  running(p: PeerRuntime): ReadonlySet<FamilyName> {
    return new Set(this.peers.get(p.id)?.timers.keys() ?? []);
  }

  /**
   * The session went down and its routes were marked stale. RFC 9494 §4.2: "If the session
   * subsequently resets prior to becoming synchronized, any remaining routes (for the AFI/SAFI
   * whose LLST timer expired) MUST be removed immediately."
   */
  sessionDown(p: PeerRuntime): void {
    const s = this.peers.get(p.id);
    if (!s) return;
    for (const f of s.expiredUnsynced) {
      const n = sweepPeerStale(this.h.rib, p, f);
      this.h.log.emit({
        event: 'long-lived-graceful-restart',
        peer: p.opts.address,
        family: f,
        phase: 'not-synchronized',
        routes: n,
      });
    }
    s.expiredUnsynced.clear();
  }

  /**
   * The Restart Time ended (RFC 9494 §4.2, also when it is zero): each family with a nonzero
   * Long-lived Stale Time keeps its stale routes as long-lived stale and starts its timer (a timer
   * already running from an earlier restart goes on: "it MUST NOT be updated ... until the peer has
   * established and synchronized a new session"). Returns the families so kept; the caller sweeps
   * the others ("all stale routes MUST be deleted" for them).
   */
  restartTimeEnded(p: PeerRuntime): ReadonlySet<FamilyName> {
    const s = this.peers.get(p.id);
    const kept = new Set<FamilyName>();
    if (!s) return kept;
    for (const [f, staleTime] of s.families) {
      kept.add(f);
      const { kept: routes, dropped } = enterLongLivedStale(this.h.rib, p.id, f);
      const running = s.timers.has(f);
      if (!running) this.startTimer(p, s, f, staleTime);
      this.h.log.emit({
        event: 'long-lived-graceful-restart',
        peer: p.opts.address,
        family: f,
        phase: 'stale',
        routes,
        dropped,
        ...(running ? {} : { staleTime }),
      });
    }
    if (kept.size) this.h.queueCommit();
    return kept;
  }

  /**
   * The peer's End-of-RIB for a family: the session is synchronized for it (RFC 9494 §4.2), its
   * timer stops (the stale routes it did not send again were swept by graceful-restart.ts).
   */
  synchronized(p: PeerRuntime, f: FamilyName): void {
    const s = this.peers.get(p.id);
    if (!s) return;
    const t = s.timers.get(f);
    if (t) clearTimeout(t);
    s.timers.delete(f);
    s.expiredUnsynced.delete(f);
  }

  /** The peer is removed or the daemon stops: no timer of its runs on. */
  forget(p: PeerRuntime): void {
    const s = this.peers.get(p.id);
    if (!s) return;
    for (const t of s.timers.values()) clearTimeout(t);
    this.peers.delete(p.id);
  }

  stop(): void {
    for (const s of this.peers.values()) for (const t of s.timers.values()) clearTimeout(t);
    this.peers.clear();
  }

  /**
   * RFC 9494 §4.2: at the end of the Long-lived Stale Time the family's stale routes go, whether
   * the session is down or back and not yet synchronized ("any stale routes that the peer has not
   * refreshed, are removed").
   */
  private startTimer(p: PeerRuntime, s: PeerLlgr, f: FamilyName, seconds: number): void {
    // A stale time may exceed what one setTimeout can wait (2^31 - 1 ms, 24.8 days; the field
    // allows 194 days): wait in steps.
    const arm = (left: number): void => {
      const step = Math.min(left, MAX_TIMEOUT);
      const t = setTimeout(() => {
        if (left > step) return arm(left - step);
        s.timers.delete(f);
        this.expired(p, s, f);
      }, step);
      t.unref?.();
      s.timers.set(f, t);
    };
    arm(seconds * 1000);
  }

  private expired(p: PeerRuntime, s: PeerLlgr, f: FamilyName): void {
    const n = sweepPeerStale(this.h.rib, p, f);
    if (p.info && !p.eorReceived.has(f)) s.expiredUnsynced.add(f);
    this.h.log.emit({
      event: 'long-lived-graceful-restart',
      peer: p.opts.address,
      family: f,
      phase: 'expired',
      routes: n,
    });
    this.h.queueCommit();
  }
}
