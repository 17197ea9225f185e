// Between the RIB's attribute values and the policy engine's route view, both ways. Used by the
// leak engine (import/export maps, default-table leaks) and by neighbor route maps (in/out).

import { valuesOf, type AttrValues } from '../model/attrset.js';
import { leakChain, type RouteOrigin } from '../model/route-origin.js';
import type { CompiledRouteMap, PolicyLists } from '../policy/route-map.js';
import { evaluateRouteMap } from '../policy/route-map.js';
import type { PolicyRoute, SourceProtocol } from '../policy/types.js';
import type { IpPrefix } from '../wire/types.js';

export function sourceProtocol(o: RouteOrigin): SourceProtocol {
  return o.kind === 'peer' ? 'bgp' : o.kind === 'local' ? o.source : 'leaked';
}

export function toPolicyRoute(origin: RouteOrigin, v: AttrValues, prefix: IpPrefix): PolicyRoute {
  const from = leakChain(origin)[0];
  return {
    prefix,
    source: sourceProtocol(origin),
    ...(from !== undefined ? { sourceVrf: from } : {}),
    ...(v.localPref !== undefined ? { localPref: v.localPref } : {}),
    ...(v.med !== undefined ? { med: v.med } : {}),
    weight: v.weight,
    ...(v.nextHop ? { nextHop: v.nextHop } : {}),
    communities: v.communities,
    largeCommunities: v.largeCommunities,
    extCommunities: v.extCommunities,
    asPath: v.asPath,
  };
}

export function fromPolicyRoute(v: AttrValues, p: PolicyRoute): AttrValues {
  return {
    ...valuesOf(v),
    localPref: p.localPref,
    med: p.med,
    weight: p.weight,
    nextHop: p.nextHop,
    communities: p.communities,
    largeCommunities: p.largeCommunities,
    extCommunities: p.extCommunities,
    asPath: p.asPath,
  };
}

/** Runs a route map over a route: the new values, or undefined when denied. */
export function applyRouteMap(
  map: CompiledRouteMap,
  lists: PolicyLists,
  origin: RouteOrigin,
  v: AttrValues,
  prefix: IpPrefix,
): AttrValues | undefined {
  const res = evaluateRouteMap(map, toPolicyRoute(origin, v, prefix), lists);
  return res.result === 'permit' ? fromPolicyRoute(v, res.route) : undefined;
}
