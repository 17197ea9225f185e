// What the daemon advertises to each peer: update-group membership (the outbound profile and the
// export filter that choose a peer's group), the initial table and End-of-RIB, the table again when
// the peer asks (route refresh), and the changes an operator makes on a live session: policy edits
// applied without a reset, and `clear bgp`.

import type { OutEntry } from '../rib/adj-out.js';
import { outboundValues, type OutProfile, type OutRefusal } from '../rib/outbound.js';
import type { AttrValues } from '../model/attrset.js';
import type { Route } from '../model/route.js';
import { packWithdraw } from '../wire/update-pack.js';
import { RIB_FAMILIES, VRF_FAMILIES, type GroupMember } from '../rib/rib.js';
import { applyRouteMap } from '../vrf/policy-bridge.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import { extCommunityKey } from '../wire/ext-community.js';
import { ipv6FromText } from '../wire/nlri/text.js';
import { FAMILIES, familyKey, familyName, type FamilyName } from '../wire/afi.js';
import { sendModeText, type AddPathSendMode } from '../rib/add-path.js';
import type { RouteRefreshMessage } from '../wire/types.js';
import { nlriFromKey } from '../wire/nlri/key.js';
import type { EventLog } from '../log/events.js';
import type { Rib } from '../rib/rib.js';
import type { StopReason } from '../session/shell.js';
import type { DaemonOptions, NeighborOptions } from './options.js';
import type { SessionInfo } from './peer-link.js';
import type { PeerRuntime } from './peers.js';
import type { RtcService } from './rtc.js';

/** What advertising reads and asks of the daemon. */
export interface AdvertiseHost {
  readonly rib: Rib;
  readonly log: EventLog;
  readonly opts: DaemonOptions;
  readonly peers: ReadonlyMap<string, PeerRuntime>;
  readonly routerIdNum: number;
  /** RT-constrain (RFC 4684): a peer's membership is part of its group key and filter. */
  readonly rtc: RtcService;
  /** The CLUSTER_ID towards a neighbor (RFC 4456 §7). */
  clusterIdOf(n: NeighborOptions): number;
  viewOf(p: PeerRuntime): string;
  /** Whether the peer still waits for the selection deferral after our restart. */
  deferred(p: PeerRuntime): boolean;
  requestRefresh(address: string, fam: FamilyName): boolean;
  addPeer(n: NeighborOptions): PeerRuntime;
  removePeer(address: string, why?: StopReason): boolean;
  commitNow(): void;
  /** Soft reconfiguration inbound from the kept routes; false when none are kept. */
  softIn(p: PeerRuntime): boolean;
  /** Starts or stops keeping a peer's routes as received. */
  keepReceived(p: PeerRuntime, on: boolean): void;
}

/** Whether a route goes to a peer: sent with these attributes, or refused and why. */
export type SendVerdict =
  | { readonly kind: 'sent'; readonly values: AttrValues }
  | { readonly kind: 'refused'; readonly reason: OutRefusal | 'route-map-out' | 'its-own' };

export class Advertiser {
  constructor(private readonly d: AdvertiseHost) {}

  private groupKeyOf(p: PeerRuntime, info: SessionInfo): string {
    const n = p.opts;
    return [
      p.opts.vrf ?? '',
      p.ref.ibgp ? 'i' : 'e',
      n.routeReflectorClient ? (this.d.opts.clientToClient === false ? 'C' : 'c') : '-',
      n.clusterId ?? '',
      n.nextHopSelf ? 's' : '-',
      n.nextHopAddress ?? info.localAddress,
      n.routeMapOut ?? '',
      info.fourOctetAs ? '4' : '2',
      info.tx.extendedMessage ? 'x' : '-',
      info.llgr ? 'L' : '-',
      [...sendModes(p, info)].map(([f, m]) => `${f}:${sendModeText(m)}`).join('.'),
      info.families.join(','),
      this.d.rtc.token(p),
      // pe-ce.ts: the AS replaced is the member's own, the SoO filter is the member's site.
      n.asOverride ? `o${n.asn}` : '-',
      n.soo ? extCommunityKey(n.soo) : '',
    ].join('|');
  }

  /** Joins a peer's update group: its whole table goes out, then End-of-RIB (RFC 4724 §4). */
  startAdvertising(p: PeerRuntime, info: SessionInfo): void {
    // RFC 4684 §6: memberships first; VPN routes (and their End-of-RIB) wait for the peer's.
    const held = this.d.rtc.sessionUp(p, info);
    this.joinGroup(p, info);
    const eor = this.d.rib.endOfRib(info.families.filter((f) => !held.includes(f)));
    // Every UPDATE counts, End-of-RIB markers too (peers count them: FRR updatesRecv).
    p.updatesOut += eor.length;
    p.shell.send(eor);
  }

  /** The peer asks for a family's routes again (RFC 2918 §3, RFC 7313). */
  refreshRequested(p: PeerRuntime, m: RouteRefreshMessage): void {
    const fam = familyName(m.afi, m.safi);
    // RFC 7313 §4: only subtype 0 is a request; BoRR/EoRR (1/2) come from the peer's own refresh.
    if (!fam || !p.info?.families.includes(fam) || m.subtype !== 0) return;
    this.d.commitNow();
    const msgs =
      fam === 'rtc'
        ? [...this.d.rtc.refresh(p), ...this.d.rib.endOfRib([fam])]
        : this.d.rib.refresh(p.id, fam);
    p.updatesOut += msgs.length;
    p.shell.send(msgs);
  }

  /**
   * Applies a neighbor's new options without a reset when only its policy changed: outbound keys
   * (route-map-out, next-hop-self) re-evaluate what it is sent; inbound ones (route-map-in,
   * allowas-in) ask it for its routes again (RFC 2918 / RFC 7313 route refresh). False when that
   * cannot be done softly (inbound change and a peer without route refresh): the caller resets.
   */
  softChange(n: NeighborOptions, what: { readonly in: boolean; readonly out: boolean }): boolean {
    const p = this.d.peers.get(n.address);
    if (!p) return false;
    const info = p.info;
    // Routes kept as received before and after the change: applied from them, nothing asked.
    const fromKept = p.adjRibIn !== undefined && n.softReconfigurationInbound === true;
    if (what.in && info && !info.routeRefresh && !fromKept) return false;
    p.opts = n;
    this.d.keepReceived(p, n.softReconfigurationInbound === true);
    if (!info) return true; // the new options apply when the session comes up
    // Still deferred after our restart (RFC 4724 §4.1): it joins a group, with these options, later.
    if (what.out && !this.d.deferred(p)) this.regroup(p, info);
    if (what.in && !(fromKept && this.d.softIn(p)))
      for (const f of info.families) this.d.requestRefresh(n.address, f);
    this.d.log.emit({ event: 'neighbor-soft-change', peer: n.address, in: what.in, out: what.out });
    return true;
  }

  /**
   * `clear bgp ADDR [soft in|out]`. `in`: asks the peer for its routes again (RFC 2918 route
   * refresh); `out`: sends it again everything it is told; `hard`: restarts the session with a
   * Cease, Administrative Reset (RFC 4486 §3). Returns why it could not, or undefined when done.
   */
  clearPeer(address: string, how: 'hard' | 'in' | 'out' | 'both'): string | undefined {
    const p = this.d.peers.get(address);
    if (!p) return `no neighbor ${address}`;
    if (how === 'hard') {
      const n = p.opts;
      this.d.removePeer(address, { kind: 'admin-reset' });
      this.d.addPeer(n);
      return undefined;
    }
    const info = p.info;
    if (!info) return `the session with ${address} is not established`;
    const kept = p.adjRibIn !== undefined;
    if (how !== 'out' && !info.routeRefresh && !kept) {
      return `${address} did not advertise route refresh (RFC 2918): only a hard clear re-reads its routes`;
    }
    if (how !== 'in') {
      this.d.commitNow();
      for (const f of info.families) {
        const msgs = this.d.rib.resend(p.id, f);
        p.updatesOut += msgs.length;
        p.shell.send(msgs);
      }
    }
    // Soft reconfiguration inbound: from the routes kept as received, without asking the peer.
    if (how !== 'out' && !this.d.softIn(p))
      for (const f of info.families) this.d.requestRefresh(address, f);
    return undefined;
  }

  /**
   * Route maps were edited: the peers whose outbound map changed are re-evaluated (once per
   * update group), those whose inbound map changed are asked for a route refresh, or reset when
   * they cannot refresh.
   */
  routeMapsChanged(changed: ReadonlySet<string>): string[] {
    const touched: string[] = [];
    const groups = new Set<unknown>();
    for (const p of [...this.d.peers.values()]) {
      const out = p.opts.routeMapOut !== undefined && changed.has(p.opts.routeMapOut);
      const inb = p.opts.routeMapIn !== undefined && changed.has(p.opts.routeMapIn);
      if (!out && !inb) continue;
      touched.push(p.opts.address);
      const info = p.info;
      if (!info) continue;
      if (inb && !info.routeRefresh && !p.adjRibIn) {
        // No way to see its routes again: restart the session (as a neighbor change would).
        const n = p.opts;
        this.d.removePeer(n.address);
        this.d.addPeer(n);
        continue;
      }
      if (out) {
        const g = this.d.rib.groupOf(p.id);
        if (g && !groups.has(g)) {
          groups.add(g);
          this.d.rib.reevaluate(p.id, this.exportFilterOf(p).exportFilter);
        }
      }
      if (inb && !this.d.softIn(p))
        for (const f of info.families) this.d.requestRefresh(p.opts.address, f);
    }
    this.d.commitNow();
    return touched;
  }

  /** RT-constrain changed what the peer wants (RFC 4684): it moves to the group of its filter. */
  rtcChanged(p: PeerRuntime): void {
    const info = p.info;
    if (info && !this.d.deferred(p) && this.d.rib.groupOf(p.id)) this.regroup(p, info);
  }

  /**
   * Moves a peer to the update group its (new) outbound options select. The new group sends it its
   * table; what the old group had sent and the new one does not is withdrawn.
   */
  private regroup(p: PeerRuntime, info: SessionInfo): void {
    const old = this.d.rib.groupOf(p.id);
    if (old?.key === this.groupKeyOf(p, info)) {
      this.d.rib.reevaluate(p.id, this.exportFilterOf(p).exportFilter);
      this.d.commitNow();
      return;
    }
    // What the peer was told (its own routes never were), per family, before it moves.
    const told = new Map<FamilyName, [string, OutEntry][]>();
    for (const f of old?.sentFamilies() ?? []) {
      told.set(
        f,
        [...old!.sent(f)].filter(([, e]) => e.src !== p.id),
      );
    }
    this.d.rib.leave(p.id);
    this.joinGroup(p, info);
    const now = this.d.rib.groupOf(p.id);
    for (const [f, entries] of told) {
      const has = new Set<string>();
      for (const [key, e] of now?.sent(f) ?? []) if (e.src !== p.id) has.add(`${e.pathId}:${key}`);
      const gone = entries
        .filter(([key, e]) => !has.has(`${e.pathId}:${key}`))
        .map(([key, e]) => nlriFromKey(f, key, e.labels, e.pathId));
      if (gone.length === 0) continue;
      const msgs = packWithdraw(f, gone, info.tx);
      p.updatesOut += msgs.length;
      p.shell.send(msgs);
    }
  }

  /**
   * Whether a route is sent to a peer, as its update group decides (the same profile and export
   * filter): the attributes it goes with, or the typed reason it does not (`show`/explain).
   */
  sendVerdict(p: PeerRuntime, info: SessionInfo, route: Route): SendVerdict {
    // The group never sends a route back to its source (groups.ts flush).
    if (route.src === p.id) return { kind: 'refused', reason: 'its-own' };
    // The RT-constrain membership comes first, as in the group's flush (groups.ts).
    const wants = this.d.rtc.admits(p);
    if (wants && !wants(route)) return { kind: 'refused', reason: 'rt-constrain' };
    const v = outboundValues(route, this.profileOf(p, info));
    if (typeof v === 'string') return { kind: 'refused', reason: v };
    const filter = this.exportFilterOf(p).exportFilter;
    const out = filter ? filter(route, v) : v;
    return out ? { kind: 'sent', values: out } : { kind: 'refused', reason: 'route-map-out' };
  }

  /** Puts a peer in its update group and sends what the group has (the initial table). */
  private joinGroup(p: PeerRuntime, info: SessionInfo): void {
    const wants = this.d.rtc.admits(p);
    this.d.rib.join(this.groupKeyOf(p, info), {
      peerId: p.id,
      view: this.d.viewOf(p),
      profile: this.profileOf(p, info),
      ctx: info.tx,
      ...this.exportFilterOf(p),
      ...(wants ? { wants } : {}),
      addPath: sendModes(p, info),
      // RT-constrain memberships are sent per peer (daemon/rtc.ts), not by the groups.
      families: info.families.filter(
        (f) => f !== 'rtc' && (p.opts.vrf !== undefined ? VRF_FAMILIES : RIB_FAMILIES).includes(f),
      ),
    });
    // The initial table goes out with this commit.
    this.d.commitNow();
  }

  /** How routes look when sent to the peer (rib/outbound.ts). */
  profileOf(p: PeerRuntime, info: SessionInfo): OutProfile {
    const self = p.opts.nextHopAddress ?? info.localAddress;
    const local = ipv4FromText(self);
    // Over an IPv6 session, next hop self is the session's IPv6 address (RFC 2545 §3).
    const localV6 = local === undefined ? ipv6FromText(self) : undefined;
    return {
      localAs: this.d.opts.asn,
      routerId: this.d.routerIdNum,
      clusterId: this.d.clusterIdOf(p.opts),
      ibgp: p.ref.ibgp,
      rrClient: p.opts.routeReflectorClient,
      nextHopSelf: p.opts.nextHopSelf,
      ...(this.d.opts.clientToClient === false ? { clientToClient: false } : {}),
      ...(local !== undefined ? { localV4: local } : {}),
      // RFC 9494 §4.3: long-lived stale routes go only to peers that sent the capability.
      ...(info.llgr ? { llgr: true } : {}),
      ...(localV6 !== undefined ? { localV6 } : {}),
      ...(p.opts.asOverride && !p.ref.ibgp ? { asOverride: { peerAs: p.opts.asn } } : {}),
      ...(p.opts.soo ? { sooKey: extCommunityKey(p.opts.soo) } : {}),
    };
  }

  /** The neighbor's outbound route map as the RIB's export filter (none: no filter). */
  private exportFilterOf(p: PeerRuntime): Pick<GroupMember, 'exportFilter'> {
    const map = p.opts.routeMapOut
      ? this.d.opts.policies.routeMaps.get(p.opts.routeMapOut)
      : undefined;
    if (!map) return {};
    return {
      exportFilter: (route, values) => {
        const prefix = route.nlri.kind === 'rtc' ? undefined : route.nlri.prefix;
        return (
          (prefix && applyRouteMap(map, this.d.opts.policies, route.origin, values, prefix)) ?? null
        );
      },
    };
  }
}

/**
 * The families a peer is sent with ADD-PATH and their send modes: configured to send and
 * negotiated for sending (RFC 7911 §4: we said send, the peer said receive).
 */
function sendModes(p: PeerRuntime, info: SessionInfo): Map<FamilyName, AddPathSendMode> {
  const out = new Map<FamilyName, AddPathSendMode>();
  for (const e of p.opts.addPath ?? []) {
    const { afi, safi } = FAMILIES[e.family];
    if (e.send && info.tx.addPath.has(familyKey(afi, safi))) out.set(e.family, e.send);
  }
  return out;
}
