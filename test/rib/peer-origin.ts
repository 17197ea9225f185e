// The origin of a route from peer `id` on 127.0.0.`id` (eBGP from AS 65000 + id, or iBGP in AS
// 65000), and our eBGP outbound profile towards such a peer, shared by the RIB tests that build
// routes and update-group members by hand.

import type { RouteOrigin } from '../../src/model/route-origin.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';

export const peerOrigin = (id: number, ibgp = false): RouteOrigin => ({
  kind: 'peer',
  peer: {
    id,
    address: `127.0.0.${id}`,
    addrKey: String(id),
    asn: ibgp ? 65000 : 65000 + id,
    bgpId: id,
    ibgp,
    rrClient: false,
  },
});

/** Our side of an eBGP session (AS 65000, router id 1, local address 127.0.0.10), as a member's. */
export const EBGP_PROFILE = {
  localAs: 65000,
  routerId: 1,
  clusterId: 1,
  ibgp: false,
  rrClient: false,
  nextHopSelf: false,
  localV4: 0x7f00000a,
};

/** An update-group member on IPv4 unicast towards which we speak eBGP (EBGP_PROFILE). */
export const ebgpMember = (peerId: number) => ({
  peerId,
  view: '',
  profile: EBGP_PROFILE,
  ctx: DEFAULT_CONTEXT,
  families: ['ipv4' as const],
});
