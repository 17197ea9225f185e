// Capability negotiation (RFC 5492): from our OPEN and the peer's, what this session may use, and
// the codec contexts for each direction. Pure; the FSM calls it when an OPEN arrives.

import type { AfiSafi, FamilyName } from '../wire/afi.js';
import { AFI_IPV4, SAFI_UNICAST, familyKey, familyName } from '../wire/afi.js';
import { encodeCapabilities } from '../wire/capabilities.js';
import type { CodecContext } from '../wire/context.js';
import { ERR_OPEN, notify } from '../wire/errors.js';
import type { Notify } from '../wire/errors.js';
import { ADD_PATH_RECEIVE, ADD_PATH_SEND } from '../wire/types.js';
import type { Capability, ExtNextHopEntry, GrFamily, OpenMessage } from '../wire/types.js';
import { Writer } from '../wire/writer.js';

const OPEN_UNACCEPTABLE_HOLD_TIME = 6;
const OPEN_UNSUPPORTED_CAPABILITY = 7;
const LLGR_FORWARDING = 0x80;

export interface GracefulRestartNegotiated {
  /** The peer's Restart Time (seconds): how long we keep its routes while it restarts. */
  readonly restartTime: number;
  /** The peer's R bit: it has just restarted (RFC 4724 §3). */
  readonly restarting: boolean;
  /** Both set the N bit (RFC 8538 §2): NOTIFICATIONs other than Hard Reset keep routes too. */
  readonly notification: boolean;
  /** The peer's preserved families among the negotiated ones, with their F bits. */
  readonly families: readonly GrFamily[];
  /**
   * We retain the peer's routes when its session drops: both advertised GR, the peer named at
   * least one negotiated family, and we are configured as helper (RFC 4724 §4.2).
   */
  readonly helper: boolean;
}

export interface LlgrNegotiated {
  readonly afi: number;
  readonly safi: number;
  /** The peer's long-lived stale time for the family (RFC 9494 §3), seconds. */
  readonly staleTime: number;
  readonly forwarding: boolean;
}

export interface Negotiated {
  /** Families both sides carry, ordered by familyKey. */
  readonly families: readonly AfiSafi[];
  /** The same, by name, for the families vrfleak names. */
  readonly familyNames: readonly FamilyName[];
  readonly fourOctetAs: boolean;
  readonly localAs: number;
  readonly peerAs: number;
  readonly peerBgpId: number;
  readonly ibgp: boolean;
  /** Negotiated Hold Time (RFC 4271 §4.2): the smaller of both; 0 disables keepalives. */
  readonly holdTime: number;
  readonly keepaliveTime: number;
  readonly routeRefresh: boolean;
  readonly enhancedRouteRefresh: boolean;
  readonly extendedMessage: boolean;
  /** RFC 7911 §4: families whose NLRI carry path identifiers, per direction. */
  readonly addPath: { readonly send: readonly AfiSafi[]; readonly receive: readonly AfiSafi[] };
  /** Present when the peer advertised graceful restart and we did too. */
  readonly gracefulRestart?: GracefulRestartNegotiated;
  readonly llgr: readonly LlgrNegotiated[];
  /**
   * The peer sent the LLGR capability with the GR one (RFC 9494 §4.5: alone it is ignored), whether
   * or not we sent ours: RFC 9494 §4.3 keeps long-lived stale routes from peers without it.
   */
  readonly peerLlgr: boolean;
  /** RFC 8950: entries both advertised (next hops of nextHopAfi allowed for afi/safi). */
  readonly extendedNextHop: readonly ExtNextHopEntry[];
  readonly peerHostname?: { readonly hostname: string; readonly domain: string };
}

export interface NegotiationConfig {
  /** A configured keepalive interval; used when smaller than a third of the hold time. */
  readonly keepaliveTime?: number;
  /**
   * Capabilities the peer must advertise (multiprotocol ones compare AFI/SAFI, unknown ones the
   * code, the rest the kind). Missing ones refuse the OPEN with 2/7 (RFC 5492 §3).
   */
  readonly required?: readonly Capability[];
  /**
   * Refuse a peer with which no family is in common, with 2/7 listing our multiprotocol
   * capabilities (as FRR does). Default true: such a session could carry nothing.
   */
  readonly refuseWithoutCommonFamily?: boolean;
  /** Act as graceful restart helper for a peer that advertises GR. Default true. */
  readonly gracefulRestartHelper?: boolean;
}

export type NegotiationResult =
  | { readonly ok: true; readonly negotiated: Negotiated }
  | { readonly ok: false; readonly notify: Notify };

function capsOf(open: OpenMessage): Capability[] {
  const caps: Capability[] = [];
  for (const p of open.params) if (p.kind === 'capabilities') caps.push(...p.capabilities);
  return caps;
}

function first<K extends Capability['kind']>(
  caps: readonly Capability[],
  kind: K,
): Extract<Capability, { kind: K }> | undefined {
  return caps.find((c): c is Extract<Capability, { kind: K }> => c.kind === kind);
}

/** RFC 6793 §4.1: the 4-octet AS capability carries the real AS; else My AS. */
function asOf(caps: readonly Capability[], open: OpenMessage): number {
  return first(caps, 'four-octet-as')?.asn ?? open.myAs;
}

/** Family keys a side advertises; none at all implies IPv4 unicast (RFC 4760 §8 and §1). */
function familiesOf(caps: readonly Capability[]): Set<number> {
  const keys = new Set<number>();
  for (const c of caps) if (c.kind === 'multiprotocol') keys.add(familyKey(c.afi, c.safi));
  if (keys.size === 0) keys.add(familyKey(AFI_IPV4, SAFI_UNICAST));
  return keys;
}

function afiSafiOf(key: number): AfiSafi {
  return { afi: key >>> 8, safi: key & 0xff };
}

/** RFC 7911 §4: the last entry for a family wins when a side repeats one. */
function addPathModes(caps: readonly Capability[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const c of caps) {
    if (c.kind !== 'add-path') continue;
    for (const e of c.entries) m.set(familyKey(e.afi, e.safi), e.sendReceive);
  }
  return m;
}

/** RFC 4271 §4.2 and §6.2 (hold time), §4.4 (keepalive: a third of the hold time). */
export function negotiateHoldTime(
  local: number,
  peer: number,
  keepaliveTime?: number,
): { holdTime: number; keepaliveTime: number } | Notify {
  // RFC 4271 §6.2: "An implementation MUST reject Hold Time values of one or two seconds."
  if (peer === 1 || peer === 2) return notify(ERR_OPEN, OPEN_UNACCEPTABLE_HOLD_TIME);
  const holdTime = Math.min(local, peer);
  if (holdTime === 0) return { holdTime: 0, keepaliveTime: 0 };
  const third = Math.floor(holdTime / 3);
  const ka =
    keepaliveTime !== undefined && keepaliveTime > 0 ? Math.min(keepaliveTime, third) : third;
  return { holdTime, keepaliveTime: ka };
}

function hasCapability(caps: readonly Capability[], want: Capability): boolean {
  return caps.some((c) => {
    if (c.kind !== want.kind) return false;
    if (c.kind === 'multiprotocol' && want.kind === 'multiprotocol') {
      return c.afi === want.afi && c.safi === want.safi;
    }
    if (c.kind === 'unknown' && want.kind === 'unknown') return c.code === want.code;
    return true;
  });
}

/** RFC 5492 §3: 2/7 whose data lists the capabilities, each encoded as in an OPEN. */
export function unsupportedCapability(missing: readonly Capability[]): Notify {
  const w = new Writer(64);
  encodeCapabilities(w, missing);
  return notify(ERR_OPEN, OPEN_UNSUPPORTED_CAPABILITY, Uint8Array.from(w.view()));
}

function negotiateGr(
  ours: readonly Capability[],
  theirs: readonly Capability[],
  families: ReadonlySet<number>,
  helperWanted: boolean,
  llgr: readonly LlgrNegotiated[],
): GracefulRestartNegotiated | undefined {
  const mine = first(ours, 'graceful-restart');
  const peer = first(theirs, 'graceful-restart');
  if (mine === undefined || peer === undefined) return undefined;
  const fams = peer.families.filter((f) => families.has(familyKey(f.afi, f.safi)));
  return {
    restartTime: peer.restartTime,
    restarting: peer.restarting,
    // RFC 8538 §2: the N bit takes effect only when both sides set it.
    notification: mine.notification && peer.notification,
    families: fams,
    // RFC 9494 §4.2: a peer may list no family in GR (or a Restart Time of 0) and use LLGR only;
    // its routes are kept for that too.
    helper: helperWanted && (fams.length > 0 || llgr.length > 0),
  };
}

function negotiateLlgr(
  ours: readonly Capability[],
  theirs: readonly Capability[],
  families: ReadonlySet<number>,
): LlgrNegotiated[] {
  // RFC 9494 §4: LLGR is used only together with the GR capability, by both sides.
  const mine = first(ours, 'llgr');
  const peer = first(theirs, 'llgr');
  if (mine === undefined || peer === undefined) return [];
  if (first(ours, 'graceful-restart') === undefined) return [];
  if (first(theirs, 'graceful-restart') === undefined) return [];
  const ourKeys = new Set(mine.families.map((f) => familyKey(f.afi, f.safi)));
  return peer.families
    .filter((f) => families.has(familyKey(f.afi, f.safi)) && ourKeys.has(familyKey(f.afi, f.safi)))
    .map((f) => ({
      afi: f.afi,
      safi: f.safi,
      staleTime: f.staleTime,
      forwarding: (f.flags & LLGR_FORWARDING) !== 0,
    }));
}

function negotiateExtNextHop(
  ours: readonly Capability[],
  theirs: readonly Capability[],
): ExtNextHopEntry[] {
  const key = (e: ExtNextHopEntry): string => `${e.afi}/${e.safi}/${e.nextHopAfi}`;
  const mine = new Set<string>();
  for (const c of ours)
    if (c.kind === 'extended-next-hop') for (const e of c.entries) mine.add(key(e));
  const out: ExtNextHopEntry[] = [];
  for (const c of theirs) {
    if (c.kind !== 'extended-next-hop') continue;
    for (const e of c.entries) if (mine.has(key(e))) out.push(e);
  }
  return out;
}

/** Negotiates a session from our OPEN and the peer's (already checked by checkOpen). */
export function negotiate(
  local: OpenMessage,
  peer: OpenMessage,
  cfg: NegotiationConfig = {},
): NegotiationResult {
  const ours = capsOf(local);
  const theirs = capsOf(peer);

  const hold = negotiateHoldTime(local.holdTime, peer.holdTime, cfg.keepaliveTime);
  if ('code' in hold) return { ok: false, notify: hold };

  const missing = (cfg.required ?? []).filter((c) => !hasCapability(theirs, c));
  if (missing.length > 0) return { ok: false, notify: unsupportedCapability(missing) };

  const ourFams = familiesOf(ours);
  const peerFams = familiesOf(theirs);
  const keys = [...ourFams].filter((k) => peerFams.has(k)).sort((a, b) => a - b);
  if (keys.length === 0 && cfg.refuseWithoutCommonFamily !== false) {
    const mp = ours.filter((c) => c.kind === 'multiprotocol');
    return { ok: false, notify: unsupportedCapability(mp) };
  }
  const common = new Set(keys);
  const families = keys.map(afiSafiOf);
  const familyNames = families
    .map((f) => familyName(f.afi, f.safi))
    .filter((n): n is FamilyName => n !== undefined);

  // RFC 7911 §4: we send path ids where we said "send" and the peer "receive", and receive them
  // where we said "receive" and the peer "send".
  const ourAp = addPathModes(ours);
  const peerAp = addPathModes(theirs);
  const send: AfiSafi[] = [];
  const receive: AfiSafi[] = [];
  for (const k of keys) {
    const o = ourAp.get(k) ?? 0;
    const p = peerAp.get(k) ?? 0;
    if ((o & ADD_PATH_SEND) !== 0 && (p & ADD_PATH_RECEIVE) !== 0) send.push(afiSafiOf(k));
    if ((o & ADD_PATH_RECEIVE) !== 0 && (p & ADD_PATH_SEND) !== 0) receive.push(afiSafiOf(k));
  }

  const both = (kind: Capability['kind']): boolean =>
    ours.some((c) => c.kind === kind) && theirs.some((c) => c.kind === kind);
  const localAs = asOf(ours, local);
  const peerAs = asOf(theirs, peer);
  const llgr = negotiateLlgr(ours, theirs, common);
  const gr = negotiateGr(ours, theirs, common, cfg.gracefulRestartHelper !== false, llgr);
  const host = first(theirs, 'hostname');

  const n: Negotiated = {
    families,
    familyNames,
    // RFC 6793 §4: 4-octet AS numbers on the wire only when both sides advertised it.
    fourOctetAs: both('four-octet-as'),
    localAs,
    peerAs,
    peerBgpId: peer.bgpId >>> 0,
    ibgp: localAs === peerAs,
    holdTime: hold.holdTime,
    keepaliveTime: hold.keepaliveTime,
    // RFC 2918 §3, RFC 7313 §3: usable when both advertised.
    routeRefresh: both('route-refresh'),
    enhancedRouteRefresh: both('enhanced-route-refresh'),
    // RFC 8654 §3: larger messages only when both advertised.
    extendedMessage: both('extended-message'),
    addPath: { send, receive },
    ...(gr !== undefined ? { gracefulRestart: gr } : {}),
    llgr,
    peerLlgr:
      first(theirs, 'llgr') !== undefined && first(theirs, 'graceful-restart') !== undefined,
    extendedNextHop: negotiateExtNextHop(ours, theirs),
    ...(host !== undefined
      ? { peerHostname: { hostname: host.hostname, domain: host.domain } }
      : {}),
  };
  return { ok: true, negotiated: n };
}

export interface ContextOptions {
  /** The session runs over loopback: accept loopback next hops (see CodecContext). */
  readonly allowLoopbackNextHop?: boolean;
}

/** The codec contexts of a session: rx decodes what the peer sends, tx encodes what we send. */
export function codecContexts(
  n: Negotiated,
  opts: ContextOptions = {},
): { rx: CodecContext; tx: CodecContext } {
  const keys = (fs: readonly AfiSafi[]): ReadonlySet<number> =>
    new Set(fs.map((f) => familyKey(f.afi, f.safi)));
  const common = {
    fourOctetAs: n.fourOctetAs,
    extendedMessage: n.extendedMessage,
    ibgp: n.ibgp,
    ...(opts.allowLoopbackNextHop === true ? { allowLoopbackNextHop: true } : {}),
  };
  return {
    rx: { ...common, addPath: keys(n.addPath.receive) },
    tx: { ...common, addPath: keys(n.addPath.send) },
  };
}
