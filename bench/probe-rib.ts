// What the in-process probes (mem-probe.ts, heap-by-type.ts) share: the receiving side of the
// bench's transit, as the daemon sets it up for its eBGP monitor session (AS 65002 in the bench):
// one update group sending VPNv4 from the default view, no next-hop-self, our router id 9.

import type { Rib } from '../src/rib/rib.js';
import { DEFAULT_CONTEXT } from '../src/wire/context.js';

/** Joins peer 2 to an eBGP VPNv4 update group `g` of `rib`. Commit afterwards. */
export function joinEbgpMonitor(rib: Rib): void {
  rib.join('g', {
    peerId: 2,
    view: '',
    profile: {
      localAs: 65000,
      routerId: 9,
      clusterId: 9,
      ibgp: false,
      rrClient: false,
      nextHopSelf: false,
      localV4: 0x7f000009,
    },
    ctx: DEFAULT_CONTEXT,
    families: ['vpnv4'],
  });
}
