// Attribute sets: one frozen, shared object per distinct set of path attributes (DESIGN.md,
// "Performance design"). Routes hold a reference to one; the interner in rib/ hands them out.

import type { AsPathSegment, ExtCommunity, LargeCommunity, PathAttribute } from '../wire/types.js';

/** A next hop as the RIB keeps it: the address only (RDs of VPN next hops are always 0). */
export type NextHopAddr =
  | { readonly afi: 1; readonly addr: number }
  | { readonly afi: 2; readonly addr: Uint8Array; readonly linkLocal?: Uint8Array };

/** The values of a path attribute set, as the decision process and policy read them. */
export interface AttrValues {
  readonly origin: number;
  /** The AS path in 4-octet form (AS4_PATH already merged for 2-octet peers, RFC 6793 §4.2.3). */
  readonly asPath: readonly AsPathSegment[];
  readonly nextHop?: NextHopAddr;
  readonly med?: number;
  readonly localPref?: number;
  readonly atomicAggregate: boolean;
  readonly aggregator?: { readonly asn: number; readonly id: number };
  readonly communities: readonly number[];
  readonly extCommunities: readonly ExtCommunity[];
  readonly largeCommunities: readonly LargeCommunity[];
  readonly originatorId?: number;
  readonly clusterList: readonly number[];
  /** RFC 9234 Only-To-Customer. */
  readonly otc?: number;
  /** Attributes vrfleak does not interpret (unknown types, IPv6 ext communities): kept byte-exact. */
  readonly others: readonly PathAttribute[];
  /** Local weight (never on the wire); set by policy. */
  readonly weight: number;
}

export interface AttrSet extends AttrValues {
  /** Interning id: equal ids mean equal sets. */
  readonly id: number;
  /** The canonical key the interner found this set under. */
  readonly key: string;
  /** AS path length for the decision process (RFC 4271 §9.1.2.2 a: an AS_SET counts 1, confed 0). */
  readonly asPathLength: number;
  /** The neighbor AS (first AS of the first AS_SEQUENCE), for MED comparison. */
  readonly neighborAs: number | undefined;
  /** Byte-exact keys of the transitive route targets (for RT matching). */
  readonly rtKeys: readonly string[];
}

export const EMPTY_ATTR_VALUES: AttrValues = Object.freeze({
  origin: 0,
  asPath: Object.freeze([]),
  atomicAggregate: false,
  communities: Object.freeze([]),
  extCommunities: Object.freeze([]),
  largeCommunities: Object.freeze([]),
  clusterList: Object.freeze([]),
  others: Object.freeze([]),
  weight: 0,
});

export function asPathLength(segments: readonly AsPathSegment[]): number {
  let n = 0;
  for (const s of segments) {
    if (s.type === 2) n += s.asns.length;
    else if (s.type === 1) n += 1;
    // RFC 5065 §5.3: confederation segments do not count.
  }
  return n;
}

export function neighborAsOf(segments: readonly AsPathSegment[]): number | undefined {
  for (const s of segments) {
    if (s.type === 3 || s.type === 4) continue;
    return s.type === 2 ? s.asns[0] : undefined;
  }
  return undefined;
}

export function pathContainsAs(segments: readonly AsPathSegment[], asn: number): number {
  let count = 0;
  for (const s of segments) for (const a of s.asns) if (a === asn) count++;
  return count;
}

/**
 * The values of a set as a plain object of every field: what a changed copy starts from
 * (`{ ...valuesOf(set), med }`). A spread of an interned set itself copies only its own fields,
 * and the attributes most sets lack are not among them (rib/intern.ts keeps them aside).
 */
export function valuesOf(v: AttrValues): AttrValues {
  return {
    origin: v.origin,
    asPath: v.asPath,
    nextHop: v.nextHop,
    med: v.med,
    localPref: v.localPref,
    atomicAggregate: v.atomicAggregate,
    aggregator: v.aggregator,
    communities: v.communities,
    extCommunities: v.extCommunities,
    largeCommunities: v.largeCommunities,
    originatorId: v.originatorId,
    clusterList: v.clusterList,
    otc: v.otc,
    others: v.others,
    weight: v.weight,
  };
}
