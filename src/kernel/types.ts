// What vrfleak asks of the kernel's routing tables, as values: a route to put or take away in a
// numbered table, and how a VRF's interfaces are bound to its table. The daemon decides these from
// the RIB's best paths; this layer only carries them to the kernel and says what it answered.

import type { IpPrefix } from '../wire/types.js';

/**
 * The protocol number of every route and rule vrfleak installs (rtnetlink's rtm_protocol, FRA_PROTOCOL).
 * Everything else in a table is somebody else's and is never replaced or removed. FRR names
 * 186-197 (its daemons, /etc/iproute2/rt_protos.d/frr.conf), the kernel 0-99: 201 is nobody's.
 */
export const VRFLEAK_PROTO = 201;

/** The route metric of our routes: another protocol's route for a prefix at another metric stays. */
export const VRFLEAK_METRIC = 20;

/** How a route leaves the router. */
export type KernelNextHop =
  /** Directly connected through an interface (a connected route, in whichever VRF it is leaked). */
  | { readonly kind: 'dev'; readonly ifname: string }
  /**
   * Through a gateway; with `ifname`, on that interface without asking the table again (onlink),
   * so a gateway of another VRF (a leak, a static with next-hop-vrf) needs no route in this table.
   */
  | { readonly kind: 'via'; readonly gateway: KernelAddr; readonly ifname?: string };

/** An address as rtnetlink carries it: IPv4 as a number, IPv6 as 16 octets. */
export type KernelAddr =
  { readonly afi: 1; readonly addr: number } | { readonly afi: 2; readonly addr: Uint8Array };

export interface KernelRoute {
  readonly table: number;
  readonly prefix: IpPrefix;
  readonly nh: KernelNextHop;
}

/** One change to a table: the operations are named symmetrically, put and remove. */
export type KernelOp =
  | { readonly op: 'put'; readonly route: KernelRoute }
  | { readonly op: 'remove'; readonly table: number; readonly prefix: IpPrefix };

/** What the kernel answered to one operation. */
export type KernelResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** A VRF's binding of its interfaces to its table. */
export interface TableBinding {
  readonly vrf: string;
  readonly table: number;
  readonly interfaces: readonly string[];
}
