// RT-constrain (RFC 4684) in the daemon: the membership routes vrfleak originates for its VRFs'
// import route targets, what each peer that negotiated the family wants (its memberships, every
// path: §3.2), the membership routes each such peer is sent (§3.2's reflection rules), and the
// wait for a peer's RTC End-of-RIB before its VPN routes go (§6).
//
// The VPN filter itself lives in the update groups: a peer's membership is part of its group key
// (Advertiser.groupKeyOf), so peers that want the same route targets share one group and its
// packed UPDATEs, and a peer whose membership changes moves to the group of its new one; the move
// withdraws what the new filter refuses and sends what it admits (docs/ARCHITECTURE.md).

import { EMPTY_ATTR_VALUES, type AttrSet, type AttrValues } from '../model/attrset.js';
import { type Route } from '../model/route.js';
import { peerOf } from '../model/route-origin.js';
import { RTC_SRC } from '../model/sources.js';
import { UpdateGroup } from '../rib/adj-out.js';
import { outboundValues, type OutProfile } from '../rib/outbound.js';
import type { Rib } from '../rib/rib.js';
import { Membership, rtcNlriOf } from '../rib/rtc.js';
import type { FamilyName } from '../wire/afi.js';
import { nlriKey } from '../rib/keys.js';
import type { RtcNlri } from '../wire/types.js';
import type { EventLog } from '../log/events.js';
import type { DaemonOptions } from './options.js';
import type { SessionInfo } from './peer-link.js';
import type { PeerRuntime } from './peers.js';

/**
 * RFC 4684 §6: how long VPN routes wait for a peer's RTC End-of-RIB (a peer with graceful restart)
 * when it sends none ("MUST
 * limit that delay to an upper bound"); GoBGP's route-target-membership deferral-time and Junos'
 * wait are the same idea.
 */
export const RTC_EOR_WAIT_MS = 60_000;

/** The VPN families whose routes RT-constrain filters and whose End-of-RIB waits with them. */
const VPN_FAMILIES: readonly FamilyName[] = ['vpnv4', 'vpnv6'];

export interface RtcHost {
  readonly rib: Rib;
  readonly log: EventLog;
  readonly opts: DaemonOptions;
  readonly peers: ReadonlyMap<string, PeerRuntime>;
  readonly routerIdNum: number;
}

/** What the daemon lends the service: moving a peer to its group, its outbound profile. */
export interface RtcLinks {
  /** The peer's membership changed: it moves to the update group of its new filter. */
  rtcChanged(p: PeerRuntime): void;
  profileOf(p: PeerRuntime, info: SessionInfo): OutProfile;
}

/** Why a VPN route is not sent to a peer under RT-constrain (undefined: it is not held back). */
export type RtcRefusal =
  | { readonly kind: 'rtc-waiting-end-of-rib' }
  | { readonly kind: 'rtc-not-member'; readonly routeTargets: number };

/** One RT-constrain peer's state on its current session. */
interface PeerRtc {
  /** The membership its update group filters with (frozen when it joined). */
  filter: Membership | undefined;
  timer: NodeJS.Timeout | undefined;
  /** Its RTC Adj-RIB-Out: one group of its own (the rules of §3.2 choose per peer). */
  out: UpdateGroup;
}

export class RtcService {
  private readonly originated = new Map<string, RtcNlri>();
  private readonly state = new Map<number, PeerRtc>();
  /** Peers whose rtc family is disabled for the session (RFC 7606 §2, a malformed RTC NLRI). */
  private readonly disabled = new Set<number>();
  private busy = false;
  /** The rtc table as the last settle saw it (its path count and newest path): unchanged, no work. */
  private seen = '';

  constructor(
    private readonly h: RtcHost,
    private readonly links: RtcLinks,
    private readonly waitMs = RTC_EOR_WAIT_MS,
  ) {}

  /**
   * RFC 4684 §4: one membership route (origin AS = ours) per import route target of a VRF;
   * those of RTs no VRF imports any more are withdrawn. At start and after every reload.
   */
  originate(): void {
    const want = new Map<string, RtcNlri>();
    for (const v of this.h.opts.vrfs)
      for (const rt of v.importRts) {
        if (rt.kind !== 'route-target') continue;
        const n = rtcNlriOf(this.h.opts.asn, rt);
        want.set(nlriKey(n), n);
      }
    const gone = [...this.originated].filter(([k]) => !want.has(k)).map(([, n]) => n);
    const added = [...want].filter(([k]) => !this.originated.has(k)).map(([, n]) => n);
    if (gone.length) this.h.rib.withdraw('rtc', RTC_SRC, gone);
    // RFC 4271 §5.1.1: IGP; no next hop of its own (next hop self on the way out).
    if (added.length)
      this.h.rib.announce(
        'rtc',
        RTC_SRC,
        { kind: 'local', source: 'local' },
        EMPTY_ATTR_VALUES,
        added,
      );
    this.originated.clear();
    for (const [k, n] of want) this.originated.set(k, n);
  }

  /** Whether RT-constrain filters what the peer is sent on this session. */
  active(p: PeerRuntime): boolean {
    return p.info?.families.includes('rtc') === true && !this.disabled.has(p.id);
  }

  /** The part of the peer's update group key RT-constrain decides ('' when it does not filter). */
  token(p: PeerRuntime): string {
    const s = this.state.get(p.id);
    if (!s || !this.active(p)) return '';
    return s.filter ? `rtc:${s.filter.token}` : 'rtc-wait';
  }

  /** The filter of the peer's group: whether a VPN route may go (undefined: no filter). */
  admits(p: PeerRuntime): ((r: Route) => boolean) | undefined {
    const s = this.state.get(p.id);
    if (!s || !this.active(p)) return undefined;
    const m = s.filter;
    // RFC 4684 §6: nothing before the peer's memberships are known.
    if (!m) return () => false;
    return (r) => r.nlri.kind !== 'vpn' || m.admits(r.attrs);
  }

  /** Why a VPN route with these attributes is held back from the peer (undefined: it is not). */
  refusal(p: PeerRuntime, attrs: AttrSet): RtcRefusal | undefined {
    const s = this.state.get(p.id);
    if (!s || !this.active(p)) return undefined;
    if (!s.filter) return { kind: 'rtc-waiting-end-of-rib' };
    return s.filter.admits(attrs)
      ? undefined
      : { kind: 'rtc-not-member', routeTargets: s.filter.size };
  }

  /** The peer's memberships now: every RTC path it sent (RFC 4684 §3.2: all paths, not the best). */
  membershipOf(p: PeerRuntime): Membership {
    const out: RtcNlri[] = [];
    for (const r of this.h.rib.table('rtc').pathsOf(p.id))
      if (r.nlri.kind === 'rtc') out.push(r.nlri);
    return new Membership(out);
  }

  /**
   * The session came up (before its update group is joined): its membership routes go first, and
   * its VPN routes wait for its RTC End-of-RIB. Returns the families whose End-of-RIB waits too.
   */
  sessionUp(p: PeerRuntime, info: SessionInfo): FamilyName[] {
    this.sessionDown(p);
    if (!info.families.includes('rtc')) return [];
    const s: PeerRtc = {
      filter: undefined,
      timer: undefined,
      // The group holds a reference per membership route it sent (adj-out.ts, intern.ts).
      out: new UpdateGroup(`rtc|${p.id}`, {
        ctx: info.tx,
        ibgp: p.ref.ibgp,
        refs: this.h.rib.interner,
      }),
    };
    this.state.set(p.id, s);
    this.sendMemberships(p, info, s);
    // Wait only for a peer that said it sends End-of-RIB markers (graceful restart, RFC 4724 §2):
    // §6 asks for the RTC one "regardless", but GoBGP 3.10 sends none without graceful restart,
    // and a minute without VPN routes is worse than filtering on what has arrived (as GoBGP does).
    if (p.eorReceived.has('rtc') || !info.peerGracefulRestart) {
      s.filter = this.membershipOf(p);
      return [];
    }
    s.timer = setTimeout(() => this.release(p, 'timer'), this.waitMs);
    s.timer.unref?.();
    return VPN_FAMILIES.filter((f) => info.families.includes(f));
  }

  sessionDown(p: PeerRuntime): void {
    const s = this.state.get(p.id);
    if (s?.timer) clearTimeout(s.timer);
    s?.out.release();
    this.state.delete(p.id);
    this.disabled.delete(p.id);
  }

  /** The peer's End-of-RIB: its RTC one ends the wait (RFC 4684 §6). */
  endOfRib(p: PeerRuntime, fam: FamilyName): void {
    if (fam === 'rtc') this.release(p, 'end-of-rib');
  }

  /**
   * RFC 7606 §2 "AFI/SAFI disable" for rtc: the peer's membership routes go, later ones are
   * ignored, and it is sent every VPN route as a peer without RT-constrain (RFC 4684 §5: the
   * filter applies only to peers that exchange memberships). Returns the routes dropped.
   */
  disable(p: PeerRuntime): number {
    if (this.disabled.has(p.id)) return 0;
    this.disabled.add(p.id);
    const n = this.h.rib.removeSource(p.id, 'rtc');
    const s = this.state.get(p.id);
    if (s?.timer) clearTimeout(s.timer);
    if (s) this.links.rtcChanged(p);
    return n;
  }

  isDisabled(p: PeerRuntime): boolean {
    return this.disabled.has(p.id);
  }

  /** RFC 2918 route refresh of the rtc family: the memberships the peer is sent, again. */
  refresh(p: PeerRuntime): Buffer[] {
    return this.state.get(p.id)?.out.replay('rtc', -1) ?? [];
  }

  private release(p: PeerRuntime, reason: 'end-of-rib' | 'timer'): void {
    const s = this.state.get(p.id);
    const info = p.info;
    if (!s || !info || s.filter) return;
    if (s.timer) clearTimeout(s.timer);
    s.timer = undefined;
    s.filter = this.membershipOf(p);
    this.h.log.emit({ event: 'rtc-wait-ended', peer: p.opts.address, reason });
    this.links.rtcChanged(p);
    // The End-of-RIB of the VPN families held at session start (Advertiser.startAdvertising).
    const eor = this.h.rib.endOfRib(VPN_FAMILIES.filter((f) => info.families.includes(f)));
    p.updatesOut += eor.length;
    p.shell.send(eor);
  }

  /**
   * After each commit: a peer whose memberships changed moves to its new group (VPN routes
   * announced and withdrawn), and every RT-constrain peer is sent its membership changes.
   */
  settled(): void {
    if (this.busy || this.state.size === 0) return;
    const sig = this.signature();
    if (sig === this.seen) return;
    this.busy = true;
    try {
      this.seen = sig;
      for (const p of this.h.peers.values()) {
        const s = this.state.get(p.id);
        const info = p.info;
        if (!s || !info) continue;
        this.sendMemberships(p, info, s);
        if (!s.filter || !this.active(p)) continue;
        const now = this.membershipOf(p);
        if (now.token === s.filter.token) continue;
        s.filter = now;
        this.h.log.emit({
          event: 'rtc-membership',
          peer: p.opts.address,
          routeTargets: now.all ? 'all' : now.size,
        });
        this.links.rtcChanged(p);
      }
    } finally {
      this.busy = false;
    }
  }

  /** Changes with every path put into the rtc table (a newer seq) or dropped from it (fewer). */
  private signature(): string {
    const t = this.h.rib.table('rtc');
    let newest = -1;
    for (const d of t.dests.values()) for (const r of d.paths) if (r.seq > newest) newest = r.seq;
    return `${t.paths}:${newest}`;
  }

  /** Queues the peer's membership routes (RFC 4684 §3.2) and sends what changed. */
  private sendMemberships(p: PeerRuntime, info: SessionInfo, s: PeerRtc): void {
    const t = this.h.rib.table('rtc');
    const profile = this.links.profileOf(p, info);
    const want = new Map<string, { r: Route; attrs: AttrSet }>();
    for (const key of t.dests.keys()) {
      const chosen = chooseFor(p, t.ranked(key), profile);
      if (chosen) want.set(key, { r: chosen.r, attrs: this.h.rib.interner.intern(chosen.values) });
    }
    for (const [key] of s.out.sent('rtc')) if (!want.has(key)) s.out.enqueue('rtc', key, null);
    for (const [key, { r, attrs }] of want)
      s.out.enqueue('rtc', key, { nlri: r.nlri, attrs, src: r.src });
    const msgs = s.out.pendingCount === 0 ? [] : s.out.flush().flatMap((x) => x.messages);
    // The sets made for routes the group already had (or that went) have no reference: released.
    for (const { attrs } of want.values()) this.h.rib.interner.releaseUnused(attrs);
    if (msgs.length === 0) return;
    p.updatesOut += msgs.length;
    p.shell.send(msgs);
  }
}

/**
 * The membership path a peer is sent for one RT prefix, and its attributes (RFC 4684 §3.2): the
 * best path the peer may be sent that is not its own; to an iBGP non-client, a client's path
 * before a non-client's ("the attributes of the client path are advertised"); to a client, a
 * membership of our AS goes with ORIGINATOR_ID = our router id and next hop self ("the Originator
 * attribute shall be set to the router-id of the advertiser, and the Next-hop attribute shall be
 * set of the local address for that session").
 */
export function chooseFor(
  p: PeerRuntime,
  ranked: readonly Route[],
  profile: OutProfile,
): { r: Route; values: AttrValues } | undefined {
  let pick: { r: Route; values: AttrValues } | undefined;
  for (const r of ranked) {
    if (r.src === p.id || r.nlri.kind !== 'rtc') continue;
    const values = outboundValues(r, profile);
    if (typeof values === 'string') continue;
    const from = peerOf(r.origin);
    if (!pick) {
      pick = { r, values };
      // Only a non-client's path as best toward a non-client looks further for a client's.
      if (!(profile.ibgp && !profile.rrClient && from?.ibgp && !from.rrClient)) break;
      continue;
    }
    if (from?.ibgp && from.rrClient) {
      pick = { r, values };
      break;
    }
  }
  if (!pick) return undefined;
  const n = pick.r.nlri;
  if (profile.ibgp && profile.rrClient && n.kind === 'rtc' && n.originAs === profile.localAs) {
    const self = outboundValues(pick.r, { ...profile, nextHopSelf: true });
    if (typeof self !== 'string')
      return { r: pick.r, values: { ...self, originatorId: profile.routerId } };
  }
  return pick;
}
