// One configured neighbor as the daemon keeps it: its options, its reference in routes, its
// session shell and the counters and markers of its current session.

import type { EventLog } from '../log/events.js';
import type { PeerRef } from '../model/route-origin.js';
import type { AdjRibIn } from '../rib/adj-in.js';
import { RIB_FAMILIES, type Rib } from '../rib/rib.js';
import type { MessageLink, PeerShell } from '../session/shell.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import type { FamilyName } from '../wire/afi.js';
import type { DaemonOptions, NeighborOptions } from './options.js';
import type { PeerLinkEvents, SessionInfo } from './peer-link.js';

/** What a shell factory may read of the daemon: its options, its log, its MRT message log. */
export interface ShellHost {
  readonly opts: DaemonOptions;
  readonly log: EventLog;
  readonly mrt?: {
    message(n: NeighborOptions, dir: 'received' | 'sent', frame: Buffer, link: MessageLink): void;
  };
}

export type ShellFactory = (
  n: NeighborOptions,
  events: PeerLinkEvents,
  daemon: ShellHost,
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
  /**
   * Families that may hold stale routes of the peer (marked, not yet swept). A sweep scans the
   * peer's whole table, so the End-of-RIB that closes every normal session's initial table skips
   * it here: 0.1 s of blocked event loop per 1M routes for nothing.
   */
  staleFamilies: Set<FamilyName>;
}

/**
 * The shell with what it is asked to send reported to `sent` too: every UPDATE a peer is sent
 * passes here (the initial table, each commit's changes, refreshes), which BMP's Adj-RIB-Out
 * (RFC 8671) mirrors.
 */
export function reportingSends(
  shell: PeerShell,
  sent: (messages: readonly Buffer[]) => void,
): PeerShell {
  return {
    start: () => shell.start(),
    stop: (why) => shell.stop(why),
    send(messages, octets) {
      shell.send(messages, octets);
      sent(messages);
    },
    accept: (socket) => shell.accept(socket),
    get state() {
      return shell.state;
    },
  };
}

/** The address as bytes to compare (RFC 4271 §9.1.2.2 g): IPv4 as 8 hex digits. */
function addrKey(address: string): string {
  const v4 = ipv4FromText(address);
  return v4 !== undefined ? v4.toString(16).padStart(8, '0') : address;
}

/** A neighbor with no session yet; `shell` is made from the runtime's events (newPeer). */
export function newPeer(
  id: number,
  n: NeighborOptions,
  localAs: number,
  /** The CLUSTER_ID towards it (its own cluster-id, else the global one); kept when it has one. */
  clusterId: number,
  adjRibIn: AdjRibIn | undefined,
  shell: (rt: PeerRuntime) => PeerShell,
): PeerRuntime {
  const rt: PeerRuntime = {
    id,
    opts: n,
    ref: {
      id,
      address: n.address,
      addrKey: addrKey(n.address),
      asn: n.asn,
      bgpId: 0,
      ibgp: n.asn === localAs,
      rrClient: n.routeReflectorClient,
      ...(n.clusterId !== undefined ? { clusterId } : {}),
    },
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
    adjRibIn,
    staleFamilies: new Set(),
  };
  rt.shell = shell(rt);
  return rt;
}

// A peer's routes live twice when it keeps them as received (soft-reconfiguration inbound): its
// accepted paths in the tables and its Adj-RIB-In. These change both, so neither keeps what the
// other dropped.

/** Everything the peer gave us goes (session down without graceful restart, neighbor removed). */
export function dropPeerRoutes(rib: Rib, p: PeerRuntime): number {
  p.staleFamilies.clear();
  p.adjRibIn?.clear();
  return rib.removeSource(p.id);
}

/** RFC 4724 §4.2: the peer restarts; its routes stay, marked stale. */
export function markPeerStale(rib: Rib, p: PeerRuntime): number {
  for (const f of RIB_FAMILIES) p.staleFamilies.add(f);
  p.adjRibIn?.markStale();
  return rib.markStale(p.id);
}

/** RFC 4724 §4.2: the peer's stale routes of a family (of all, without one) go. */
export function sweepPeerStale(rib: Rib, p: PeerRuntime, family?: FamilyName): number {
  if (family ? !p.staleFamilies.has(family) : p.staleFamilies.size === 0) return 0;
  if (family) p.staleFamilies.delete(family);
  else p.staleFamilies.clear();
  p.adjRibIn?.sweepStale(family);
  return rib.removeSource(p.id, family, true);
}
