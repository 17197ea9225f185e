// Where a route came from (a peer, a local source, a leak from another VRF) and what the
// decision process, split horizon, reflection and loop prevention ask of it.

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

/** Whether a VRF is on a route's leak chain (leakChain(o).includes(vrf), without the array). */
export function leakChainHas(o: RouteOrigin, vrf: string): boolean {
  let x: RouteOrigin = o;
  while (x.kind === 'leaked') {
    if (x.fromVrf === vrf) return true;
    x = x.origin;
  }
  return x.kind === 'local' && x.vrf === vrf;
}
