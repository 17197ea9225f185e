// Configured networks of the default table: their attribute values as the daemon originates them,
// and their announcement and withdrawal (at start, and when a reload changes them).

import { EMPTY_ATTR_VALUES, type AttrValues } from '../model/attrset.js';
import type { RouteOrigin } from '../model/route-origin.js';
import { NETWORK_SRC } from '../model/sources.js';
import type { Rib } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';
import type { NetworkOptions } from './options.js';

function familyOf(n: NetworkOptions): FamilyName {
  return n.prefix.afi === 1 ? 'ipv4' : 'ipv6';
}

/** Originates default-table networks (one source, NETWORK_SRC: they never replace API routes). */
export function announceNetworks(rib: Rib, nets: readonly NetworkOptions[]): void {
  const origin: RouteOrigin = { kind: 'local', source: 'local' };
  for (const n of nets)
    rib.announce(familyOf(n), NETWORK_SRC, origin, networkValues(n), [
      { kind: 'prefix', prefix: n.prefix },
    ]);
}

export function withdrawNetworks(rib: Rib, nets: readonly NetworkOptions[]): void {
  for (const n of nets)
    rib.withdraw(familyOf(n), NETWORK_SRC, [{ kind: 'prefix', prefix: n.prefix }]);
}

export function networkValues(n: NetworkOptions): AttrValues {
  return {
    ...EMPTY_ATTR_VALUES,
    // RFC 4271 §5.1.1: IGP, the route is interior to the originating AS.
    origin: 0,
    communities: n.communities ?? [],
    largeCommunities: n.largeCommunities ?? [],
    extCommunities: n.extCommunities ?? [],
    med: n.med,
    localPref: n.localPref,
    nextHop:
      n.nextHop === undefined
        ? undefined
        : typeof n.nextHop === 'number'
          ? { afi: 1, addr: n.nextHop }
          : { afi: 2, addr: n.nextHop },
  };
}
