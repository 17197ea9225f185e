// The BGP decision process (RFC 4271 §9.1.2), extended the way FRR and GoBGP do it, with a typed
// reason for every choice. Pure: compares two routes of one destination.

import { type Route } from '../model/route.js';
import { isLocal, leakChain, peerOf } from '../model/route-origin.js';
import { isLlgrStale } from './llgr-community.js';

/** Why one path beat another, in the order the steps run. */
export type BestReason =
  | 'only-path'
  | 'llgr-stale'
  | 'not-stale'
  | 'weight'
  | 'local-pref'
  | 'local-origin'
  | 'as-path-length'
  | 'origin'
  | 'med'
  | 'ebgp-over-ibgp'
  | 'older'
  | 'router-id'
  | 'cluster-list-length'
  | 'peer-address'
  | 'leak-source'
  | 'path-id';

export const BEST_REASON_TEXT: Readonly<Record<BestReason, string>> = {
  'only-path': 'the only path',
  'llgr-stale': 'the other path is long-lived stale (LLGR_STALE, RFC 9494)',
  'not-stale': 'the other path is stale (graceful restart)',
  weight: 'higher weight',
  'local-pref': 'higher local preference',
  'local-origin': 'locally originated',
  'as-path-length': 'shorter AS path',
  origin: 'lower origin (IGP < EGP < incomplete)',
  med: 'lower MED (same neighbor AS)',
  'ebgp-over-ibgp': 'eBGP path over iBGP path',
  older: 'older path (RFC 5004)',
  'router-id': 'lower router-id (or ORIGINATOR_ID)',
  'cluster-list-length': 'shorter CLUSTER_LIST',
  'peer-address': 'lower peer address',
  'leak-source': 'leaked through VRFs whose names sort first (ties do not depend on arrival order)',
  'path-id': 'lower path id',
};

export interface DecisionOptions {
  /** Compare MED between paths from different neighbor ASes (FRR `bgp always-compare-med`). */
  readonly alwaysCompareMed: boolean;
  /** RFC 4271 §9.1.2.2: a missing MED is the lowest value (0); FRR's `bgp bestpath med missing-as-worst` flips it. */
  readonly missingMedWorst: boolean;
  /** Local preference assumed when a path carries none (RFC 4271 §5.1.5 default 100 in practice). */
  readonly defaultLocalPref: number;
}

export const DEFAULT_DECISION: DecisionOptions = {
  alwaysCompareMed: false,
  missingMedWorst: false,
  defaultLocalPref: 100,
};

export interface Comparison {
  /** Negative when a is better, positive when b is better. */
  readonly order: number;
  readonly reason: BestReason;
}

function rank(v: number, reason: BestReason): Comparison | undefined {
  return v === 0 ? undefined : { order: v, reason };
}

function routerIdOf(r: Route): number {
  // RFC 4456 §9: with route reflection, ORIGINATOR_ID stands in for the router id.
  if (r.attrs.originatorId !== undefined) return r.attrs.originatorId;
  const p = peerOf(r.origin);
  return p ? p.bgpId : 0;
}

/** Compares two paths of the same destination. */
export function compareRoutes(
  a: Route,
  b: Route,
  opt: DecisionOptions = DEFAULT_DECISION,
): Comparison {
  const A = a.attrs;
  const B = b.attrs;
  return (
    // RFC 9494 §4.4: a least-preferred (LLGR_STALE) route "MUST be treated as less preferred than
    // any other route that is not so treated"; between two of them normal tie-breaking applies.
    rank(Number(isLlgrStale(A)) - Number(isLlgrStale(B)), 'llgr-stale') ??
    rank(Number(a.stale) - Number(b.stale), 'not-stale') ??
    rank(B.weight - A.weight, 'weight') ??
    // RFC 4271 §9.1.2.2 (via §9.1.1): highest degree of preference = LOCAL_PREF.
    rank(
      (B.localPref ?? opt.defaultLocalPref) - (A.localPref ?? opt.defaultLocalPref),
      'local-pref',
    ) ??
    rank(Number(isLocal(b.origin)) - Number(isLocal(a.origin)), 'local-origin') ??
    // RFC 4271 §9.1.2.2 a: fewest AS numbers in AS_PATH.
    rank(A.asPathLength - B.asPathLength, 'as-path-length') ??
    // §9.1.2.2 b: lowest ORIGIN.
    rank(A.origin - B.origin, 'origin') ??
    compareMed(a, b, opt) ??
    // §9.1.2.2 d: eBGP-learned over iBGP-learned.
    rank(ibgpRank(a) - ibgpRank(b), 'ebgp-over-ibgp') ??
    // RFC 5004: between eBGP paths prefer the older one (avoids churn); FRR does the same.
    compareAge(a, b) ??
    // §9.1.2.2 f: lowest BGP Identifier.
    rank(routerIdOf(a) - routerIdOf(b), 'router-id') ??
    // RFC 4456 §9: shorter CLUSTER_LIST.
    rank(A.clusterList.length - B.clusterList.length, 'cluster-list-length') ??
    // §9.1.2.2 g: lowest peer address.
    comparePeerAddress(a, b) ??
    compareLeakSource(a, b) ?? { order: a.pathId - b.pathId, reason: 'path-id' }
  );
}

function ibgpRank(r: Route): number {
  const p = peerOf(r.origin);
  return p?.ibgp ? 1 : 0;
}

function compareMed(a: Route, b: Route, opt: DecisionOptions): Comparison | undefined {
  // §9.1.2.2 c: MED is compared only between paths from the same neighboring AS.
  if (!opt.alwaysCompareMed && a.attrs.neighborAs !== b.attrs.neighborAs) return undefined;
  const missing = opt.missingMedWorst ? 0xffffffff : 0;
  return rank((a.attrs.med ?? missing) - (b.attrs.med ?? missing), 'med');
}

function compareAge(a: Route, b: Route): Comparison | undefined {
  const pa = peerOf(a.origin);
  const pb = peerOf(b.origin);
  if (!pa || !pb || pa.ibgp || pb.ibgp) return undefined;
  // RFC 5004 prefers the path that arrived first from one of two neighbors. Two copies of one
  // neighbor's route (leaked into a VRF along two ways) arrived together: their seq is when the
  // engine made each copy, which a reload changes, so age does not decide between them.
  if (pa.id === pb.id) return undefined;
  return rank(a.seq - b.seq, 'older');
}

function comparePeerAddress(a: Route, b: Route): Comparison | undefined {
  const ka = peerOf(a.origin)?.addrKey ?? '';
  const kb = peerOf(b.origin)?.addrKey ?? '';
  if (ka === kb) return undefined;
  return { order: ka < kb ? -1 : 1, reason: 'peer-address' };
}

/**
 * Two paths equal up to here differ in where they were leaked from (the same route of two VRFs,
 * or two VRFs' own routes): the VRF names decide, so the best path is a function of the paths and
 * not of their order in the table (DESIGN.md "Reload equals restart": a reload re-adds paths in
 * another order than a start).
 */
function compareLeakSource(a: Route, b: Route): Comparison | undefined {
  const ka = leakChain(a.origin).join('\u0000');
  const kb = leakChain(b.origin).join('\u0000');
  if (ka === kb) return undefined;
  return { order: ka < kb ? -1 : 1, reason: 'leak-source' };
}

export interface BestPath {
  readonly best: Route | undefined;
  /** Why the best path beat the runner-up (only-path when alone). */
  readonly reason: BestReason;
}

/** Runs the decision process over all paths of a destination. */
export function selectBest(
  paths: readonly Route[],
  opt: DecisionOptions = DEFAULT_DECISION,
): BestPath {
  if (paths.length === 0) return { best: undefined, reason: 'only-path' };
  let best = paths[0]!;
  if (paths.length === 1) return { best, reason: 'only-path' };
  let reason: BestReason = 'only-path';
  // Find the best, then the reason it beats the second best.
  for (let i = 1; i < paths.length; i++) {
    const c = compareRoutes(paths[i]!, best, opt);
    if (c.order < 0) best = paths[i]!;
  }
  let runnerUp: Route | undefined;
  for (const p of paths) {
    if (p === best) continue;
    if (!runnerUp || compareRoutes(p, runnerUp, opt).order < 0) runnerUp = p;
  }
  if (runnerUp) reason = compareRoutes(best, runnerUp, opt).reason;
  return { best, reason };
}
