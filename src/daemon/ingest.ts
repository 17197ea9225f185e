// Ingestion: what one received UPDATE does to the RIB, as a pure function of the decoded UPDATE
// and the receiving peer's context. It returns the RIB operations in the order they are to be
// applied, the notes to log between them, and where the max-prefix rule is to be judged; the
// daemon applies them (daemon.ts onUpdate) and owns no ingestion rule of its own.

import type { AttrValues } from '../model/attrset.js';
import type { ExtCommunity } from '../wire/types.js';
import type { RouteOrigin } from '../model/route-origin.js';
import type { CompiledRouteMap } from '../policy/route-map.js';
import type { Policies } from '../policy/compile.js';
import { valuesFromWire } from '../rib/convert.js';
import { tagSiteOfOrigin } from '../rib/pe-ce.js';
import { applyRouteMap } from '../vrf/policy-bridge.js';
import { familyName, FAMILIES, type FamilyName } from '../wire/afi.js';
import type { ErrorAction } from '../wire/errors.js';
import type { Nlri, PathAttribute } from '../wire/types.js';
import type { UpdateDecodeResult } from '../wire/update.js';
import type { StopReason } from '../session/shell.js';
import { validateInbound, type InboundContext, type InboundVerdict } from './validate.js';

/** What ingestion needs to know about the peer an UPDATE came from. */
export interface IngestContext {
  /** The origin its routes carry (the peer's reference: id, AS, iBGP, route-reflector client). */
  readonly origin: RouteOrigin;
  /** The view its routes go into: GLOBAL_VIEW, or its VRF (PE-CE). */
  readonly view: string;
  /** The families negotiated on the session. */
  readonly negotiated: readonly FamilyName[];
  /** The families the view has tables for (a VRF's are fewer than the global view's). */
  readonly tables: readonly FamilyName[];
  /** RFC 6793: 4-octet AS negotiated on this session. */
  readonly fourOctetAs: boolean;
  /** Receive-side rules that need the session (validate.ts): loops, first AS, own next hop. */
  readonly inbound: InboundContext;
  /** The neighbor's route-map-in, compiled, and the lists it refers to. */
  readonly routeMapIn?: CompiledRouteMap;
  readonly policies: Policies;
  /** DESIGN.md "Retention": `imported-only` drops VPN routes no local VRF imports. */
  readonly retainImportedOnly: boolean;
  /** Whether some local VRF imports one of these route targets (read only with retention). */
  importsAny(exts: readonly ExtCommunity[]): boolean;
  /** Whether the daemon judges the max-prefix rule after each announced family. */
  readonly maxPrefix: boolean;
  /** Soft-reconfiguration inbound: the routes are also kept as received (src/rib/adj-in.ts). */
  readonly keepReceived?: boolean;
  /** The neighbor's site of origin: its routes are tagged with it (src/rib/pe-ce.ts). */
  readonly soo?: ExtCommunity;
}

/** Why NLRI are withdrawn. */
export type WithdrawReason =
  /** The peer withdrew them (WITHDRAWN ROUTES, MP_UNREACH_NLRI). */
  | { readonly kind: 'withdrawn' }
  /** RFC 7606 §2 treat-as-withdraw (or AFI/SAFI disable) from the codec. */
  | { readonly kind: 'malformed'; readonly action: ErrorAction }
  /** A receive-side rule refused the announcement (validate.ts). */
  | { readonly kind: 'refused'; readonly verdict: InboundVerdict }
  /** Retention imported-only: no local VRF imports the route. */
  | { readonly kind: 'not-imported' }
  /** The neighbor's route-map-in denied the prefix. */
  | { readonly kind: 'route-map-in'; readonly map: string };

export type IngestNote =
  | {
      readonly kind: 'malformed';
      readonly action: string;
      readonly problems: readonly {
        readonly typeCode: number;
        readonly action: string;
        readonly reason: string;
      }[];
    }
  /** RFC 4760 §7: NLRI of a family not negotiated (or without a table here) are ignored. */
  | { readonly kind: 'afi-safi-ignored'; readonly afi: number; readonly safi: number }
  /** RFC 7606 §2 / RFC 4760 §7: the family's NLRI did not parse; it is disabled for the session. */
  | { readonly kind: 'afi-safi-disable'; readonly family: FamilyName; readonly reason: string };

export type IngestOp =
  | {
      readonly kind: 'announce';
      readonly family: FamilyName;
      readonly values: AttrValues;
      readonly nlri: readonly Nlri[];
    }
  | {
      readonly kind: 'withdraw';
      readonly family: FamilyName;
      readonly nlri: readonly Nlri[];
      readonly reason: WithdrawReason;
    }
  /**
   * Soft-reconfiguration inbound: keep (or forget) routes as received, before the receive rules
   * and inbound policy, in the peer's pre-policy Adj-RIB-In.
   */
  | {
      readonly kind: 'keep-received';
      readonly family: FamilyName;
      readonly values: AttrValues;
      readonly nlri: readonly Nlri[];
    }
  | { readonly kind: 'drop-received'; readonly family: FamilyName; readonly nlri: readonly Nlri[] }
  /** RFC 4724 §2: the peer's End-of-RIB for a family. */
  | { readonly kind: 'end-of-rib'; readonly family: FamilyName }
  /** Judge the max-prefix rule for the family now (maxPrefixVerdict); stop here if exceeded. */
  | { readonly kind: 'check-max-prefix'; readonly family: FamilyName }
  | { readonly kind: 'note'; readonly note: IngestNote };

export interface IngestResult {
  /** In order; every RIB operation goes into the context's view. */
  readonly ops: readonly IngestOp[];
  /** How many NLRI the UPDATE carried (for the commit batch). */
  readonly nlri: number;
  /** How many of them it withdrew (a withdrawal's commit costs another price than an announcement's). */
  readonly withdrawn: number;
}

type MpReach = Extract<PathAttribute, { kind: 'mp-reach' }>;
type MpUnreach = Extract<PathAttribute, { kind: 'mp-unreach' }>;

export function ingest(r: UpdateDecodeResult, c: IngestContext): IngestResult {
  const ops: IngestOp[] = [];
  if (r.problems.length) {
    ops.push({
      kind: 'note',
      note: {
        kind: 'malformed',
        action: r.action ?? 'none',
        problems: r.problems.map((x) => ({
          typeCode: x.typeCode,
          action: x.action,
          reason: x.reason,
        })),
      },
    });
  }
  for (const x of r.problems) {
    const fam =
      x.action === 'afi-safi-disable' && x.family && familyName(x.family.afi, x.family.safi);
    if (fam)
      ops.push({ kind: 'note', note: { kind: 'afi-safi-disable', family: fam, reason: x.reason } });
  }
  const u = r.update;
  let mpReach: MpReach | undefined;
  let mpUnreach: MpUnreach | undefined;
  for (const a of u.attributes) {
    if (a.kind === 'mp-reach') mpReach = a;
    else if (a.kind === 'mp-unreach') mpUnreach = a;
  }
  // RFC 4724 §2: an UPDATE with nothing in it is the IPv4 unicast End-of-RIB.
  if (u.withdrawn.length === 0 && u.nlri.length === 0 && u.attributes.length === 0) {
    ops.push({ kind: 'end-of-rib', family: 'ipv4' });
    return { ops, nlri: 0, withdrawn: 0 };
  }
  const ipv4 = c.negotiated.includes('ipv4');
  const withdrawn: WithdrawReason = { kind: 'withdrawn' };
  if (u.withdrawn.length && ipv4) {
    ops.push({ kind: 'withdraw', family: 'ipv4', nlri: u.withdrawn, reason: withdrawn });
    if (c.keepReceived) ops.push({ kind: 'drop-received', family: 'ipv4', nlri: u.withdrawn });
  }
  if (mpUnreach) {
    const fam = demux(mpUnreach.afi, mpUnreach.safi, c, ops);
    // RFC 4724 §2: an MP_UNREACH_NLRI with no NLRI and nothing else is that family's End-of-RIB.
    if (fam && mpUnreach.nlri.length === 0 && !mpReach && u.nlri.length === 0) {
      ops.push({ kind: 'end-of-rib', family: fam });
    } else if (fam) {
      ops.push({ kind: 'withdraw', family: fam, nlri: mpUnreach.nlri, reason: withdrawn });
      if (c.keepReceived) ops.push({ kind: 'drop-received', family: fam, nlri: mpUnreach.nlri });
    }
  }
  const announce: [FamilyName, readonly Nlri[]][] = [];
  if (u.nlri.length && ipv4) announce.push(['ipv4', u.nlri]);
  if (mpReach) {
    const fam = demux(mpReach.afi, mpReach.safi, c, ops);
    if (fam && mpReach.nlri.length) announce.push([fam, mpReach.nlri]);
  }
  const withdrawnNlri = u.withdrawn.length + (mpUnreach?.nlri.length ?? 0);
  let nlri = withdrawnNlri;
  for (const [, l] of announce) nlri += l.length;
  if (announce.length === 0) return { ops, nlri, withdrawn: withdrawnNlri };

  // RFC 7606 §2: treat-as-withdraw turns every announcement of this UPDATE into a withdrawal.
  if (r.action === 'treat-as-withdraw' || r.action === 'afi-safi-disable') {
    const refused: WithdrawReason = { kind: 'malformed', action: r.action };
    for (const [family, list] of announce) {
      if (c.keepReceived) ops.push({ kind: 'drop-received', family, nlri: list });
      admit(family, list, undefined, refused, c, ops);
    }
    return { ops, nlri, withdrawn: withdrawnNlri };
  }
  const received = valuesFromWire(u.attributes, c.fourOctetAs, mpReach?.nextHop);
  const { values, refused } = judge(received, c, ops);
  for (const [family, list] of announce) {
    if (c.keepReceived) {
      // Kept as received: before loop checks and policy (as FRR's adj-in), but a malformed route
      // (validate.ts treat-as-withdraw, RFC 7606 §2) is no route.
      if (refused?.kind === 'refused' && refused.verdict.action === 'treat-as-withdraw')
        ops.push({ kind: 'drop-received', family, nlri: list });
      else ops.push({ kind: 'keep-received', family, values: received, nlri: list });
    }
    admit(family, list, values, refused, c, ops);
  }
  return { ops, nlri, withdrawn: withdrawnNlri };
}

/** Routes kept as received with one attribute set (soft-reconfiguration inbound). */
export interface KeptRoutes {
  readonly family: FamilyName;
  readonly values: AttrValues;
  readonly nlri: readonly Nlri[];
}

/**
 * Soft-reconfiguration inbound: routes kept as received go through the receive rules, retention
 * and route-map-in of the context again (after a policy change, or `clear bgp ADDR soft in`),
 * giving the operations an UPDATE carrying them would give, without asking the peer.
 */
export function reapply(kept: Iterable<KeptRoutes>, c: IngestContext): IngestOp[] {
  const ops: IngestOp[] = [];
  for (const k of kept) {
    const { values, refused } = judge(k.values, c, ops);
    admit(k.family, k.nlri, values, refused, c, ops);
  }
  return ops;
}

/** The receive rules (validate.ts) on received values: kept values, or why they are refused. */
function judge(
  received: AttrValues,
  c: IngestContext,
  ops: IngestOp[],
): { values: AttrValues | undefined; refused: WithdrawReason | undefined } {
  const verdict = validateInbound(received, c.inbound);
  // Tagged before route-map-in, so the neighbor's map can match (or strip) the site of origin.
  if (!verdict)
    return { values: c.soo ? tagSiteOfOrigin(received, c.soo) : received, refused: undefined };
  // Malformations are logged; loops are silent (validate.ts).
  if (verdict.action === 'treat-as-withdraw') {
    ops.push({
      kind: 'note',
      note: {
        kind: 'malformed',
        action: verdict.action,
        problems: [{ typeCode: verdict.typeCode, action: verdict.action, reason: verdict.reason }],
      },
    });
  }
  return { values: undefined, refused: { kind: 'refused', verdict } };
}

/**
 * One family's announced NLRI with one attribute set (undefined: refused, and why) through
 * retention and route-map-in: the announcements and withdrawals, then the max-prefix check.
 */
function admit(
  family: FamilyName,
  list: readonly Nlri[],
  values: AttrValues | undefined,
  refused: WithdrawReason | undefined,
  c: IngestContext,
  ops: IngestOp[],
): void {
  const withdrawn: WithdrawReason = { kind: 'withdrawn' };
  const notImported =
    values !== undefined && c.retainImportedOnly && !c.importsAny(values.extCommunities);
  {
    if (notImported && (family === 'vpnv4' || family === 'vpnv6')) {
      // DESIGN.md "Retention", imported-only: a VPN route no local VRF imports is not kept.
      ops.push({ kind: 'withdraw', family, nlri: list, reason: { kind: 'not-imported' } });
      return;
    }
    if (values === undefined) {
      ops.push({ kind: 'withdraw', family, nlri: list, reason: refused ?? withdrawn });
    } else if (c.routeMapIn) {
      // The neighbor's inbound route map runs per prefix (a prefix list may decide); a denied
      // prefix is withdrawn, so a route it replaced does not survive.
      const map = c.routeMapIn;
      for (const n of list) {
        const prefix = n.kind === 'rtc' ? undefined : n.prefix;
        const v = prefix && applyRouteMap(map, c.policies, c.origin, values, prefix);
        if (v) ops.push({ kind: 'announce', family, values: v, nlri: [n] });
        else {
          ops.push({
            kind: 'withdraw',
            family,
            nlri: [n],
            reason: { kind: 'route-map-in', map: map.name },
          });
        }
      }
    } else ops.push({ kind: 'announce', family, values, nlri: list });
    if (c.maxPrefix) ops.push({ kind: 'check-max-prefix', family });
  }
}

/** The family of MP NLRI when it was negotiated and the view has a table for it. */
function demux(
  afi: number,
  safi: number,
  c: IngestContext,
  ops: IngestOp[],
): FamilyName | undefined {
  const fam = familyName(afi, safi);
  if (!fam || !c.negotiated.includes(fam) || !c.tables.includes(fam)) {
    // RFC 4760 §7 / RFC 7606 malformed-input case 24: NLRI of a family not negotiated are
    // ignored (as FRR does).
    ops.push({ kind: 'note', note: { kind: 'afi-safi-ignored', afi, safi } });
    return undefined;
  }
  return fam;
}

export interface MaxPrefixSettings {
  readonly limit: number;
  /** Percent of the limit at which a warning is logged (once per family and session). */
  readonly warningPct: number;
}

export type MaxPrefixVerdict =
  | { readonly kind: 'within' }
  | { readonly kind: 'warning'; readonly count: number }
  | { readonly kind: 'exceeded'; readonly count: number; readonly stop: StopReason };

/**
 * The max-prefix rule for a family holding `count` routes from the peer. `warned`: a warning was
 * already given for this family on this session.
 */
export function maxPrefixVerdict(
  mp: MaxPrefixSettings,
  family: FamilyName,
  count: number,
  warned: boolean,
): MaxPrefixVerdict {
  if (count > mp.limit) {
    // RFC 4486 §4: Cease / Maximum Number of Prefixes Reached, with the family and the limit.
    const { afi, safi } = FAMILIES[family];
    return { kind: 'exceeded', count, stop: { kind: 'max-prefix', afi, safi, limit: mp.limit } };
  }
  if (count * 100 >= mp.limit * mp.warningPct && !warned) return { kind: 'warning', count };
  return { kind: 'within' };
}
