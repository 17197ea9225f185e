// The origin of a route from peer `id` on 127.0.0.`id` (eBGP from AS 65000 + id, or iBGP in AS
// 65000), shared by the RIB tests that build routes by hand.

import type { RouteOrigin } from '../../src/model/route.js';

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
