// The attribute values of a configured network (default table) as the daemon originates it.

import { EMPTY_ATTR_VALUES, type AttrValues } from '../model/attrset.js';
import type { NetworkOptions } from './options.js';

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
