// The policy engine's inputs, definitions and results. The route type is deliberately minimal and
// uses the field names of model/attrset.ts (AttrValues) so the RIB can pass a view of a route
// without converting values.

import type { AsPathSegment, ExtCommunity, IpPrefix, LargeCommunity } from '../wire/types.js';

/** Where a route came from, as `match source-protocol` sees it (DESIGN.md JSON `source`). */
export type SourceProtocol = 'connected' | 'static' | 'local' | 'bgp' | 'leaked';

export const SOURCE_PROTOCOLS: readonly SourceProtocol[] = [
  'connected',
  'static',
  'local',
  'bgp',
  'leaked',
];

/** A next hop address (the shape of model's NextHopAddr). */
export type PolicyNextHop =
  | { readonly afi: 1; readonly addr: number }
  | { readonly afi: 2; readonly addr: Uint8Array; readonly linkLocal?: Uint8Array };

/** What a route map reads and writes. Evaluation never mutates it; sets produce a copy. */
export interface PolicyRoute {
  readonly prefix: IpPrefix;
  readonly source: SourceProtocol;
  /** The VRF the route was leaked from (or belongs to, for local routes); undefined: default table. */
  readonly sourceVrf?: string;
  readonly localPref?: number;
  readonly med?: number;
  readonly weight: number;
  readonly nextHop?: PolicyNextHop;
  /** Standard communities as unsigned 32-bit numbers (ASN << 16 | value). */
  readonly communities: readonly number[];
  readonly largeCommunities: readonly LargeCommunity[];
  readonly extCommunities: readonly ExtCommunity[];
  readonly asPath: readonly AsPathSegment[];
}

export type Action = 'permit' | 'deny';

// ---------------------------------------------------------------------------------------------
// Plain definitions, as the config layer passes them (camelCase keys).

export interface PrefixListEntryDef {
  readonly seq: number;
  readonly action: Action;
  /** `10.0.0.0/8` or `2001:db8::/32`; a list may hold both families (each route sees its own). */
  readonly prefix: string;
  readonly ge?: number;
  readonly le?: number;
}

export interface CommunityListEntryDef {
  readonly seq: number;
  readonly action: Action;
  /** `65000:1` or a well-known name (`no-export`, ...); all must be present for a match. */
  readonly communities: readonly string[];
}

export interface LargeCommunityListEntryDef {
  readonly seq: number;
  readonly action: Action;
  /** `GLOBAL:LOCAL1:LOCAL2`; all must be present for a match. */
  readonly communities: readonly string[];
}

export interface ExtCommunityListEntryDef {
  readonly seq: number;
  readonly action: Action;
  /** Route targets (`65000:10`, `10.0.0.1:5`, `4200000000:7`, `65000L:10`). */
  readonly rt?: readonly string[];
  /** Route origins (site of origin), same text forms. */
  readonly soo?: readonly string[];
}

export interface RouteMapMatchDef {
  readonly prefixList?: string;
  readonly communityList?: string;
  readonly largeCommunityList?: string;
  readonly extCommunityList?: string;
  readonly sourceVrf?: string;
  readonly sourceProtocol?: SourceProtocol;
}

export interface CommunitySetDef {
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
  /** Remove each community that the first matching clause of this community list permits. */
  readonly removeList?: string;
  readonly replace?: readonly string[];
  readonly none?: boolean;
}

export interface LargeCommunitySetDef {
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
  readonly removeList?: string;
  /** Strip every large community, then set these. */
  readonly replace?: readonly string[];
}

export interface RouteTargetSetDef {
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
  /** Strip every route target (transitive or not), then add these. */
  readonly replace?: readonly string[];
}

export interface RouteMapSetDef {
  readonly localPreference?: number;
  readonly med?: number;
  readonly weight?: number;
  /** An IPv4 or IPv6 address. */
  readonly nextHop?: string;
  readonly community?: CommunitySetDef;
  readonly largeCommunity?: LargeCommunitySetDef;
  readonly routeTarget?: RouteTargetSetDef;
  /** ASNs to put in front of the AS path, leftmost first (`[65000, 65000]` or `'65000 65000'`). */
  readonly asPathPrepend?: readonly number[] | string;
}

export interface RouteMapClauseDef {
  readonly seq: number;
  readonly action: Action;
  readonly match?: RouteMapMatchDef;
  readonly set?: RouteMapSetDef;
  /** After a permit: go on at this seq (`true`: at the next clause). */
  readonly continue?: number | true;
  /** `next`: go on at the next clause; `{ goto: N }`: at seq N (permit clauses only). */
  readonly onMatch?: 'next' | { readonly goto: number };
}

export interface PolicyDefs {
  readonly prefixLists?: Readonly<Record<string, readonly PrefixListEntryDef[]>>;
  readonly communityLists?: Readonly<Record<string, readonly CommunityListEntryDef[]>>;
  readonly largeCommunityLists?: Readonly<Record<string, readonly LargeCommunityListEntryDef[]>>;
  readonly extCommunityLists?: Readonly<Record<string, readonly ExtCommunityListEntryDef[]>>;
  readonly routeMaps?: Readonly<Record<string, readonly RouteMapClauseDef[]>>;
}

/** A definition problem: `where` is a key path such as `routeMaps.IMPORT[seq 10].match.prefixList`. */
export interface PolicyError {
  readonly where: string;
  readonly message: string;
}

// ---------------------------------------------------------------------------------------------
// Evaluation results

export type MatchKind =
  | 'prefix-list'
  | 'community-list'
  | 'large-community-list'
  | 'ext-community-list'
  | 'source-vrf'
  | 'source-protocol';

export interface TraceCondition {
  readonly match: MatchKind;
  readonly ok: boolean;
  /** Why, in words: `prefix 10.1.0.0/24 not in prefix-list X (implicit deny)`. */
  readonly detail: string;
}

/** What happened after a clause. */
export type TraceOutcome =
  | { readonly kind: 'no-match' }
  | { readonly kind: 'permit' }
  | { readonly kind: 'deny' }
  /** Permit, then evaluation goes on at `seq` (undefined: no later clause, so it ends here). */
  | { readonly kind: 'continue'; readonly seq: number | undefined };

export interface TraceStep {
  readonly seq: number;
  readonly action: Action;
  /** All match conditions held. */
  readonly matched: boolean;
  readonly conditions: readonly TraceCondition[];
  /** The sets applied, in order: `local-preference 100 -> 50`. */
  readonly sets: readonly string[];
  readonly outcome: TraceOutcome;
}

export interface RouteMapResult {
  readonly result: Action;
  /** The modified copy, or the input object itself when nothing changed (or on deny). */
  readonly route: PolicyRoute;
  /** Empty unless tracing was asked for. */
  readonly trace: readonly TraceStep[];
  /** The seq of the clause that decided, or undefined for the implicit deny. */
  readonly decidedBy: number | undefined;
}
