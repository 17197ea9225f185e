// One neighbor's Adj-RIBs for the operator: FRR's `show bgp neighbors ADDR received-routes`
// (pre-policy, only with soft-reconfiguration inbound), `routes` (accepted, post-policy) and
// `advertised-routes` (Adj-RIB-Out). One implementation for the HTTP API, the CLI (through it) and
// the library API; a refusal is a status and a message the caller turns into its own error.

import {
  acceptedViews,
  advertisedViews,
  receivedViews,
  type AdjRibKind,
  type AdjRouteView,
} from '../daemon/adj-views.js';
import type { Daemon } from '../daemon/daemon.js';
import { adjRibOutOf } from '../rib/adj-rib-out.js';
import { RIB_FAMILIES, VRF_FAMILIES } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';
import type { RouteDoc } from './openapi.js';
import { ApiError } from './service.js';

export type { AdjRibKind, AdjRouteView };

/** The API's path word for each Adj-RIB (as FRR's show commands name them). */
export const ADJ_RIB_WORDS: Readonly<Record<string, AdjRibKind>> = {
  'received-routes': 'received',
  routes: 'accepted',
  'advertised-routes': 'advertised',
};

export interface AdjRibAnswer {
  readonly address: string;
  readonly kind: AdjRibKind;
  readonly families: FamilyName[];
  readonly routes: AdjRouteView[];
}

export type AdjRibResult =
  | { readonly ok: true; readonly answer: AdjRibAnswer }
  | { readonly ok: false; readonly status: 400 | 404 | 409; readonly message: string };

/** The routes of one Adj-RIB of a neighbor, for one family or every family of its session. */
export function neighborAdjRib(
  d: Daemon,
  address: string,
  kind: AdjRibKind,
  family?: string,
): AdjRibResult {
  const p = d.peerByAddress(address);
  if (!p) return { ok: false, status: 404, message: `no neighbor ${address}` };
  const known = p.opts.vrf !== undefined ? VRF_FAMILIES : RIB_FAMILIES;
  const session = (p.info?.families ?? p.opts.families).filter((f) => known.includes(f));
  let families: FamilyName[];
  if (family === undefined || family === '') families = session;
  else if ((known as readonly string[]).includes(family)) families = [family as FamilyName];
  else {
    return {
      ok: false,
      status: 400,
      message: `unknown family "${family}" for ${address}; use one of ${known.join(', ')}`,
    };
  }
  let routes: AdjRouteView[];
  switch (kind) {
    case 'received': {
      // FRR answers "Inbound soft reconfiguration not enabled": without the key nothing is kept.
      if (!p.adjRibIn) {
        return {
          ok: false,
          status: 409,
          message: `inbound soft reconfiguration is not enabled for ${address}: routes are kept as received only with "soft-reconfiguration: inbound" on the neighbor`,
        };
      }
      routes = receivedViews(p.adjRibIn, families);
      break;
    }
    case 'accepted':
      routes = acceptedViews(d.rib, p.id, d.viewOf(p), families);
      break;
    case 'advertised':
      routes = advertisedViews(adjRibOutOf(d.rib.groupOf(p.id), p.id), families);
      break;
    default: {
      const never: never = kind;
      return never;
    }
  }
  return { ok: true, answer: { address, kind, families, routes } };
}

/** The HTTP API's reads: GET /api/v1/neighbors/:addr/{received-routes,routes,advertised-routes}. */
export function adjRibRoutes(
  d: Daemon,
): [
  RouteDoc,
  (r: {
    params: Record<string, string>;
    query: Record<string, string | undefined>;
  }) => AdjRibAnswer,
][] {
  const doc = (word: string, summary: string): RouteDoc => ({
    method: 'GET',
    url: `/api/v1/neighbors/:addr/${word}`,
    summary,
    params: [
      { name: 'addr', in: 'path', description: 'neighbor address' },
      {
        name: 'family',
        in: 'query',
        description: 'vpnv4 | vpnv6 | ipv4 | ipv6 (default: every family of the session)',
      },
    ],
  });
  const summaries: Record<AdjRibKind, string> = {
    received:
      'Routes the neighbor sent, as received, before inbound policy (needs soft-reconfiguration: inbound; else 409)',
    accepted: 'Routes accepted from the neighbor, after inbound policy (its paths in the tables)',
    advertised: 'Routes sent to the neighbor, with the attributes as sent (its Adj-RIB-Out)',
  };
  return Object.entries(ADJ_RIB_WORDS).map(([word, kind]) => [
    doc(word, summaries[kind]),
    (r) => {
      const res = neighborAdjRib(d, r.params['addr'] ?? '', kind, r.query['family']);
      if (!res.ok) throw new ApiError(res.status, res.message);
      return res.answer;
    },
  ]);
}
