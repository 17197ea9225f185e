// What the in-process probes (mem-probe.ts, heap-by-type.ts, vrf.ts) share: the leak engine and
// propagation loop as the daemon makes them, and the receiving side of the bench's transit as the
// daemon sets it up for its eBGP monitor session (AS 65002 in the bench): one update group sending
// VPNv4 from the default view, no next-hop-self, our router id 9.

import { Propagation } from '../src/daemon/propagate.js';
import { compilePolicies } from '../src/policy/compile.js';
import type { Rib } from '../src/rib/rib.js';
import type { VrfDef } from '../src/vrf/defs.js';
import { LeakEngine } from '../src/vrf/engine.js';
import { DEFAULT_CONTEXT } from '../src/wire/context.js';

/**
 * The engine and the propagation loop as the daemon makes them (AS 65000, no policies), with the
 * VRFs loaded: a load commits in parts. The daemon runs the engine even with no VRFs (it indexes
 * the VPN best routes by RT).
 */
export function engineOn(
  rib: Rib,
  vrfs: readonly VrfDef[],
): { engine: LeakEngine; propagation: Propagation } {
  const compiled = compilePolicies({});
  if (!compiled.ok) throw new Error('policies');
  const engine = new LeakEngine(rib, {
    asn: 65000,
    vrfs: [...vrfs],
    policies: compiled.policies,
    denyInterVrfStatic: false,
  });
  const propagation = new Propagation(rib, engine);
  propagation.loadAll(engine.load());
  return { engine, propagation };
}

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
