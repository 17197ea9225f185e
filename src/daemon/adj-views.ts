// JSON views of one neighbor's Adj-RIBs for the API, the CLI and the library API: the routes it
// sent as received (pre-policy, soft-reconfiguration inbound), the routes accepted from it
// (post-policy: its paths in the tables) and the routes it was sent (Adj-RIB-Out). Field names
// are those of RouteView (DESIGN.md, "The operator contract").

import type { AttrSet } from '../model/attrset.js';
import type { AdjRibIn } from '../rib/adj-in.js';
import type { AdjRibOut } from '../rib/adj-rib-out.js';
import { samePath } from '../rib/destination.js';
import type { Rib } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';
import type { Nlri } from '../wire/types.js';
import { attrsView, nlriFields, nlriPrefixText, type RouteView } from './views.js';

/** Which Adj-RIB of a neighbor: FRR's received-routes, routes and advertised-routes. */
export type AdjRibKind = 'received' | 'accepted' | 'advertised';

export type AdjRouteView = Omit<
  RouteView,
  'source' | 'best' | 'bestReason' | 'peer' | 'fromVrf' | 'nextHopVrf' | 'fib'
> & {
  family: FamilyName;
  /** Accepted routes: whether the path is its table's best. */
  best?: boolean;
};

function view(family: FamilyName, nlri: Nlri, attrs: AttrSet): AdjRouteView {
  return { family, prefix: nlriPrefixText(nlri), ...attrsView(attrs), ...nlriFields(nlri) };
}

/** The pre-policy routes, as the peer sent them. */
export function receivedViews(adj: AdjRibIn, families: readonly FamilyName[]): AdjRouteView[] {
  const out: AdjRouteView[] = [];
  for (const f of families) {
    for (const r of adj.routes(f)) {
      const v = view(f, r.nlri, r.attrs);
      if (r.stale) v.stale = true;
      out.push(v);
    }
  }
  return out;
}

/** The peer's paths in the tables of `view` (after inbound policy), best marked. */
export function acceptedViews(
  rib: Rib,
  peerId: number,
  tableView: string,
  families: readonly FamilyName[],
): AdjRouteView[] {
  const out: AdjRouteView[] = [];
  if (!rib.hasView(tableView)) return out;
  for (const f of families) {
    const t = tryTable(rib, f, tableView);
    if (!t) continue;
    for (const r of t.pathsOf(peerId)) {
      const v = view(f, r.nlri, r.attrs);
      const best = t.bestOf(r.key);
      v.best = best !== undefined && samePath(best, r);
      if (r.stale) v.stale = true;
      out.push(v);
    }
  }
  return out;
}

function tryTable(
  rib: Rib,
  f: FamilyName,
  tableView: string,
): ReturnType<Rib['table']> | undefined {
  try {
    return rib.table(f, tableView);
  } catch {
    return undefined; // a VRF has no VPN tables
  }
}

/** What the peer was sent, with the attributes as sent. */
export function advertisedViews(out: AdjRibOut, families: readonly FamilyName[]): AdjRouteView[] {
  const res: AdjRouteView[] = [];
  for (const f of families) for (const r of out.routes(f)) res.push(view(f, r.nlri, r.attrs));
  return res;
}
