// The API's reads of everything the CLI shows (summary, neighbors, tables, VRFs, policies, leaks,
// explain) and the route writes (originate / withdraw) and `clear`, which act on the daemon itself.

import { adjRibRoutes } from './adj-rib.js';
import { graphToDot } from './graph.js';
import { graphToSvg } from './svg.js';
import { body, P, Q, type Endpoint } from './endpoint.js';
import { ApiError, type ApiService } from './service.js';

const ROUTE_BODY = {
  prefix: 'the prefix, e.g. 10.1.0.0/24',
  rd: 'route distinguisher (VPN tables only)',
  nextHop: 'next hop address (default: next-hop-self)',
  label: 'MPLS label for VPN routes (default 3)',
  routeTargets: 'route targets, e.g. ["65000:10"]',
  communities: 'communities, e.g. ["65000:1"]',
  localPref: 'LOCAL_PREF',
  med: 'MULTI_EXIT_DISC',
};

/** A collection read whole at `url` and one member at `url/:name` (policy objects). */
function listAndOne(
  url: string,
  summary: string,
  what: string,
  read: (name?: string) => unknown,
): Endpoint[] {
  return [
    [{ method: 'GET', url, summary }, () => read()],
    [
      {
        method: 'GET',
        url: `${url}/:name`,
        summary: `One ${what}`,
        params: [P('name', `${what} name`)],
      },
      (r) => read(r.params.name),
    ],
  ];
}

export function stateEndpoints(s: ApiService): Endpoint[] {
  return [
    [
      { method: 'GET', url: '/api/v1/summary', summary: 'BGP summary: tables and neighbors' },
      () => s.summary(),
    ],
    [{ method: 'GET', url: '/api/v1/neighbors', summary: 'Every neighbor' }, () => s.neighbors()],
    [
      {
        method: 'GET',
        url: '/api/v1/neighbors/:addr',
        summary: 'One neighbor',
        params: [P('addr', 'neighbor address')],
      },
      (r) => s.neighbor(r.params.addr!),
    ],
    [
      {
        method: 'POST',
        url: '/api/v1/neighbors/:addr/clear',
        summary:
          'Clear a neighbor: hard (session reset, Cease/Administrative Reset) or soft in (route refresh) / out (send again) / both',
        params: [P('addr', 'neighbor address')],
        body: { soft: '"in" | "out" | "both"; absent: hard reset' },
      },
      (r) => s.clearNeighbor(r.params.addr!, (body(r) as Record<string, unknown>)['soft']),
    ],
    ...adjRibRoutes(s.daemon),
    [
      {
        method: 'GET',
        url: '/api/v1/routes/:family',
        summary:
          'A global table (vpnv4, vpnv6, ipv4, ipv6, ipv4-labeled, ipv6-labeled), every path, best first',
        params: [
          P('family', 'vpnv4 | vpnv6 | ipv4 | ipv6 | ipv4-labeled | ipv6-labeled'),
          Q('rd', 'only this route distinguisher'),
          Q('prefix', 'exact prefix, or an address for the longest match'),
        ],
      },
      (r) => s.routes(r.params.family!, { rd: r.query.rd, prefix: r.query.prefix }),
    ],
    [
      {
        method: 'POST',
        url: '/api/v1/routes/:family',
        summary: 'Originate a route in a global table',
        params: [P('family', 'vpnv4 | vpnv6 | ipv4 | ipv6')],
        body: ROUTE_BODY,
      },
      (r) => s.addRoute(r.params.family!, body(r)),
    ],
    [
      {
        method: 'DELETE',
        url: '/api/v1/routes/:family',
        summary: 'Withdraw a route added through the API',
        params: [
          P('family', 'vpnv4 | vpnv6 | ipv4 | ipv6'),
          Q('prefix', 'the prefix'),
          Q('rd', 'route distinguisher (VPN)'),
        ],
      },
      (r) => s.deleteRoute(r.params.family!, { prefix: r.query.prefix, rd: r.query.rd }),
    ],
    [
      { method: 'GET', url: '/api/v1/vrfs', summary: 'Every VRF: RD, RTs, tags, policies, counts' },
      () => s.vrf.vrfs(),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/vrfs/:name',
        summary: 'One VRF',
        params: [P('name', 'VRF name')],
      },
      (r) => s.vrfOne(r.params.name!),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/vrfs/:name/routes',
        summary: "A VRF's table",
        params: [
          P('name', 'VRF name'),
          Q('family', 'ipv4 (default) | ipv6'),
          Q('prefix', 'exact prefix or an address'),
        ],
      },
      (r) => s.vrfRoutes(r.params.name!, r.query.family ?? 'ipv4', r.query.prefix),
    ],
    [
      {
        method: 'POST',
        url: '/api/v1/vrfs/:name/routes',
        summary: 'Originate a route in a VRF',
        params: [P('name', 'VRF name')],
        body: ROUTE_BODY,
      },
      (r) => s.addVrfRoute(r.params.name!, body(r)),
    ],
    [
      {
        method: 'DELETE',
        url: '/api/v1/vrfs/:name/routes',
        summary: 'Withdraw a VRF route added through the API',
        params: [P('name', 'VRF name'), Q('prefix', 'the prefix')],
      },
      (r) => s.deleteVrfRoute(r.params.name!, { prefix: r.query.prefix }),
    ],
    ...listAndOne('/api/v1/policy/prefix-lists', 'Prefix lists', 'prefix list', (n) =>
      s.prefixLists(n),
    ),
    ...listAndOne('/api/v1/policy/route-maps', 'Route maps', 'route map', (n) => s.routeMaps(n)),
    [
      {
        method: 'GET',
        url: '/api/v1/leak/conflicts',
        summary: 'Leak conflicts (a VRF route beat a leaked one)',
      },
      () => s.vrf.conflicts(),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/leak/violations',
        summary:
          'Leak violations: routes leaked into a VRF against its expect section (unexpected, missing, over the bound)',
      },
      () => s.vrf.violations(),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/leak/graph',
        summary: 'The leak graph: VRFs and RT edges',
        params: [Q('format', 'json (default) | dot | svg')],
      },
      (r, reply) => {
        const g = s.vrf.graph();
        if (r.query.format === undefined || r.query.format === 'json') return g;
        if (r.query.format === 'svg') return reply.type('image/svg+xml').send(graphToSvg(g));
        if (r.query.format !== 'dot')
          throw new ApiError(400, `unknown format "${r.query.format}"; use json, dot or svg`);
        return reply.type('text/vnd.graphviz').send(graphToDot(g));
      },
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/explain/:vrf',
        summary: 'Why a prefix is or is not in a VRF',
        params: [P('vrf', 'VRF name'), Q('prefix', 'the prefix')],
      },
      (r) => s.explain(r.params.vrf!, r.query.prefix ?? ''),
    ],
  ];
}
