// Where a selected route leaves the router: its kernel next hop. A leaked route forwards the way it
// does in the VRF it came from (a connected route leaked from SHARED goes out of SHARED's
// interface; a static or BGP route leaked from it goes to SHARED's gateway, on SHARED's
// interface), and a static route with next-hop-vrf resolves its gateway in that VRF. Pure over
// the RIB and the VRFs' interfaces.

import type { NextHopAddr } from '../model/attrset.js';
import type { Route } from '../model/route.js';
import type { RouteOrigin } from '../model/route-origin.js';
import { prefixKey } from '../rib/keys.js';
import { GLOBAL_VIEW, type Rib } from '../rib/rib.js';
import type { KernelAddr, KernelNextHop } from '../kernel/types.js';
import { DEFAULT_VRF } from '../vrf/defs.js';
import { maskTo } from '../vrf/state.js';
import { ipv4ToText, ipv6ToText } from '../wire/nlri/text.js';
import type { IpPrefix } from '../wire/types.js';

/** An interface of a VRF and the subnet of its address. */
export interface FibInterface {
  readonly name: string;
  readonly prefix: IpPrefix;
}

/** Why a selected route is not in the kernel: the typed reasons the counters are labelled with. */
export type FibFailReason =
  'unresolved-next-hop' | 'vpn-next-hop' | 'no-interface' | 'kernel-refused' | 'no-kernel';

export type Resolution =
  | { readonly kind: 'forward'; readonly nh: KernelNextHop }
  /** Nothing to forward to (a network statement: an announcement, not a path). Not a failure. */
  | { readonly kind: 'none' }
  | { readonly kind: 'fail'; readonly reason: FibFailReason; readonly detail: string };

export interface ResolveContext {
  readonly rib: Rib;
  /** The interfaces of a view (a VRF name; GLOBAL_VIEW has none of its own). */
  interfaces(view: string): readonly FibInterface[];
  /** The VRF a peer is a PE-CE neighbor in, if any. */
  peerVrf(peerId: number): string | undefined;
}

/** Recursion through other routes to a gateway stops here (a loop guard, not a semantic). */
const MAX_DEPTH = 4;

function viewOf(vrf: string): string {
  return vrf === DEFAULT_VRF ? GLOBAL_VIEW : vrf;
}

function covers(p: IpPrefix, a: NextHopAddr): boolean {
  if (p.afi !== a.afi) return false;
  return prefixKey(maskTo(a, p.len)) === prefixKey(p);
}

function addrText(a: NextHopAddr): string {
  return a.afi === 1 ? ipv4ToText(a.addr) : ipv6ToText(a.addr);
}

function gateway(a: NextHopAddr): KernelAddr {
  return a.afi === 1 ? { afi: 1, addr: a.addr } : { afi: 2, addr: a.addr };
}

/** The innermost origin of a route and the view it lives in there (the source VRF of a leak). */
function home(o: RouteOrigin, view: string): { origin: RouteOrigin; view: string } {
  let x = o;
  let v = view;
  while (x.kind === 'leaked') {
    v = viewOf(x.fromVrf);
    x = x.origin;
  }
  return { origin: x, view: v };
}

/** The kernel next hop of `route`, selected in `view`. */
export function resolveRoute(
  ctx: ResolveContext,
  route: Route,
  view: string,
  depth = 0,
): Resolution {
  const h = home(route.origin, view);
  const o = h.origin;
  const nh = route.attrs.nextHop;
  switch (o.kind) {
    case 'local': {
      if (o.source === 'local') return { kind: 'none' };
      if (o.source === 'connected') {
        const n = route.nlri.kind === 'rtc' ? undefined : route.nlri.prefix;
        const i = n && ctx.interfaces(h.view).find((x) => prefixKey(x.prefix) === prefixKey(n));
        if (i) return { kind: 'forward', nh: { kind: 'dev', ifname: i.name } };
        return { kind: 'fail', reason: 'no-interface', detail: 'no interface for this subnet' };
      }
      if (!nh) return { kind: 'none' };
      return resolveAddr(
        ctx,
        nh,
        o.nextHopVrf !== undefined ? viewOf(o.nextHopVrf) : h.view,
        depth,
      );
    }
    case 'peer': {
      if (!nh) return { kind: 'none' };
      // A VPN route's next hop is another PE, reached through an MPLS label stack the kernel
      // table cannot carry here: it is not installed rather than sent somewhere it does not go.
      if (h.view !== GLOBAL_VIEW && ctx.peerVrf(o.peer.id) !== h.view) {
        return {
          kind: 'fail',
          reason: 'vpn-next-hop',
          detail: `next hop ${addrText(nh)} is a remote PE (needs MPLS)`,
        };
      }
      return resolveAddr(ctx, nh, h.view, depth);
    }
    default: {
      const never: never = o as never;
      return never;
    }
  }
}

/** How to reach address `a` in `view`: on one of its interfaces, or through the route covering it. */
export function resolveAddr(
  ctx: ResolveContext,
  a: NextHopAddr,
  view: string,
  depth = 0,
): Resolution {
  const on = ctx.interfaces(view).find((i) => covers(i.prefix, a));
  if (on) return { kind: 'forward', nh: { kind: 'via', gateway: gateway(a), ifname: on.name } };
  // The default table's routes: the kernel's own tables know how to reach the gateway.
  if (view === GLOBAL_VIEW) return { kind: 'forward', nh: { kind: 'via', gateway: gateway(a) } };
  const unresolved: Resolution = {
    kind: 'fail',
    reason: 'unresolved-next-hop',
    detail: `next hop ${addrText(a)} does not resolve in ${view}`,
  };
  if (depth >= MAX_DEPTH || !ctx.rib.hasView(view)) return unresolved;
  const t = ctx.rib.table(a.afi === 1 ? 'ipv4' : 'ipv6', view);
  for (let len = a.afi === 1 ? 32 : 128; len >= 0; len--) {
    const best = t.get(prefixKey(maskTo(a, len)))?.best;
    if (!best) continue;
    const r = resolveRoute(ctx, best, view, depth + 1);
    if (r.kind !== 'forward') return unresolved;
    // On the covering route's interface: the address itself is the gateway.
    if (r.nh.kind === 'dev') {
      return { kind: 'forward', nh: { kind: 'via', gateway: gateway(a), ifname: r.nh.ifname } };
    }
    return r;
  }
  return unresolved;
}

/** The text of a kernel next hop, for the views and the tests. */
export function nextHopText(nh: KernelNextHop): string {
  if (nh.kind === 'dev') return `dev ${nh.ifname}`;
  const g = nh.gateway.afi === 1 ? ipv4ToText(nh.gateway.addr) : ipv6ToText(nh.gateway.addr);
  return `via ${g}${nh.ifname !== undefined ? ` dev ${nh.ifname}` : ''}`;
}
