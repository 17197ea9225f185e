// A VRF's own routes: its connected prefixes and configured networks, put in its tables under its
// own source id (static routes, the same source under path ids of their own, are in statics.ts).

import { EMPTY_ATTR_VALUES, type AttrSet, type AttrValues } from '../model/attrset.js';
import { keyedRoute } from '../model/route.js';
import { type RouteOrigin } from '../model/route-origin.js';
import type { RibOps } from '../rib/ops.js';
import { NO_LABELS } from '../wire/nlri/labeled.js';
import type { IpPrefix } from '../wire/types.js';
import type { LeakContext } from './context.js';
import { unicastFamily, type VrfState } from './state.js';

/** Puts a VRF's connected and configured routes (path id 0 of its own source). */
export function originate(ctx: LeakContext, st: VrfState, ops: RibOps): void {
  const { rib } = ctx;
  const d = st.def;
  // Arrival numbers for all of them at once (a fan-out VRF has a thousand networks).
  let seq = rib.nextSeqs(d.connected.length + d.networks.length);
  const put = (prefix: IpPrefix, origin: RouteOrigin, v: AttrValues | AttrSet): void => {
    const attrs = rib.interner.intern(v);
    const fam = unicastFamily(prefix);
    // Keyed: its NLRI is read back from the key (no object per route; a VRF route is read as
    // NLRI only at the edges: export, a CE neighbor, the FIB).
    ops.put(
      d.name,
      fam,
      keyedRoute(ctx.vrfKey(prefix), fam, NO_LABELS, attrs, origin, st.ownSrc, 0, seq++),
    );
  };
  for (const p of d.connected) {
    put(p, { kind: 'local', source: 'connected', vrf: d.name }, EMPTY_ATTR_VALUES);
  }
  // Networks without attributes of their own (the common case) share one set and one origin:
  // no canonical key computed per network.
  const origin: RouteOrigin = { kind: 'local', source: 'local', vrf: d.name };
  let bare: AttrSet | undefined;
  for (const n of d.networks) {
    if (
      !n.communities?.length &&
      !n.largeCommunities?.length &&
      !n.extCommunities?.length &&
      n.med === undefined &&
      n.localPref === undefined &&
      n.nextHop === undefined
    ) {
      // Re-fetched when stale (the put of the previous network holds a reference to it).
      if (!bare || !rib.interner.isLive(bare)) bare = rib.interner.intern(EMPTY_ATTR_VALUES);
      put(n.prefix, origin, bare);
      continue;
    }
    put(n.prefix, origin, {
      ...EMPTY_ATTR_VALUES,
      communities: n.communities ?? [],
      largeCommunities: n.largeCommunities ?? [],
      extCommunities: n.extCommunities ?? [],
      med: n.med,
      localPref: n.localPref,
      nextHop: n.nextHop,
    });
  }
}
