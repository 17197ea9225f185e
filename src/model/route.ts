// Routes: a prefix (with its RD and labels for VPN routes), an interned attribute set, where it
// came from, and a few numbers. Kept small: one per path in a table.

import type { AttrSet } from './attrset.js';
import type { Nlri } from '../wire/types.js';

/** Where a route came from, for the decision process, split horizon and reflection. */
export interface PeerRef {
  /** Stable numeric id of the peer inside the daemon. */
  readonly id: number;
  /** Peer address text (also the last decision tie-breaker, compared as bytes via addrKey). */
  readonly address: string;
  /** Address bytes for comparison (RFC 4271 §9.1.2.2 g: lowest peer address). */
  readonly addrKey: string;
  readonly asn: number;
  /** The peer's BGP identifier (router-id) as an unsigned 32-bit number. */
  readonly bgpId: number;
  readonly ibgp: boolean;
  readonly rrClient: boolean;
  /** A client's own cluster (neighbor `cluster-id`): the CLUSTER_ID its reflected routes get. */
  readonly clusterId?: number;
}

export type RouteOrigin =
  | { readonly kind: 'peer'; readonly peer: PeerRef }
  /** Configured in vrfleak (network, connected, static), possibly in a VRF. */
  | {
      readonly kind: 'local';
      readonly source: 'local' | 'connected' | 'static';
      readonly vrf?: string;
      /** A static inter-VRF route: the table its next hop resolves in (`default`: the global one). */
      readonly nextHopVrf?: string;
    }
  /** Leaked from a VRF's table into another (or exported into the VPN table). */
  | { readonly kind: 'leaked'; readonly fromVrf: string; readonly origin: RouteOrigin };

export interface Route {
  /** The destination key in its table (prefix, or RD + prefix for VPN tables). */
  readonly key: string;
  readonly nlri: Nlri;
  readonly attrs: AttrSet;
  readonly origin: RouteOrigin;
  /**
   * Numeric id of the source that owns this path in its table (a peer's id, or an id the daemon
   * gives each local or leaking source). A table holds at most one path per (src, pathId).
   */
  readonly src: number;
  /** RFC 7911 path id as received (0 when add-path is not in use). */
  readonly pathId: number;
  /** Arrival order, for "prefer the oldest" (RFC 5004) and stable output. */
  readonly seq: number;
  /** RFC 4724: kept while the peer restarts, swept at End-of-RIB or when the restart time runs out. */
  stale: boolean;
}

export function isLocal(o: RouteOrigin): boolean {
  return o.kind === 'local' || (o.kind === 'leaked' && isLocal(o.origin));
}

export function peerOf(o: RouteOrigin): PeerRef | undefined {
  if (o.kind === 'peer') return o.peer;
  if (o.kind === 'leaked') return peerOf(o.origin);
  return undefined;
}

/** The VRFs a leaked route passed through, innermost (the original source) last. */
export function leakChain(o: RouteOrigin): string[] {
  const out: string[] = [];
  let x: RouteOrigin = o;
  while (x.kind === 'leaked') {
    out.push(x.fromVrf);
    x = x.origin;
  }
  if (x.kind === 'local' && x.vrf !== undefined) out.push(x.vrf);
  return out;
}

/**
 * The one place Route objects are made (received, originated, leaked, exported), so every table
 * holds routes of one shape. A new route is not stale; see staleCopy.
 */
export function makeRoute(
  key: string,
  nlri: Nlri,
  attrs: AttrSet,
  origin: RouteOrigin,
  src: number,
  pathId: number,
  seq: number,
): Route {
  return { key, nlri, attrs, origin, src, pathId, seq, stale: false };
}

/**
 * RFC 4724 §4.2: the route kept while its peer restarts, marked stale; with `attrs` when the stale
 * route's attributes change (RFC 9494 §4.2: LLGR_STALE attached).
 */
export function staleCopy(r: Route, attrs: AttrSet = r.attrs): Route {
  return { ...r, attrs, stale: true };
}
