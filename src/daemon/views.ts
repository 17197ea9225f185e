// JSON views of the RIB for the API, the CLI and the library API. Field names are camelCase and
// stable (DESIGN.md, "The operator contract").

import type { AttrSet, NextHopAddr } from '../model/attrset.js';
import type { Route } from '../model/route.js';
import type { RouteOrigin } from '../model/route-origin.js';
import type { Destination } from '../rib/destination.js';
import { isLlgrStale } from '../rib/llgr-community.js';
import type { FamilyName } from '../wire/afi.js';
import { formatAdminPair, ipv4ToText } from '../wire/admin-pair.js';
import { formatCommunity, formatLargeCommunity } from '../wire/community.js';
import { formatExtCommunity } from '../wire/ext-community.js';
import { labelValue } from '../wire/nlri/labeled.js';
import { ipv6ToText, prefixToText } from '../wire/nlri/text.js';
import { rdToText } from '../wire/rd.js';
import type { ExtCommunity, Nlri } from '../wire/types.js';

export type RouteSource = 'connected' | 'static' | 'local' | 'bgp' | 'leaked';

export interface RouteView {
  prefix: string;
  nextHop: string | null;
  source: RouteSource;
  best: boolean;
  /** Installed in a forwarding table (a FIB): `*` in `show ip route vrf`. */
  fib: boolean;
  /** Selected but not installed in the FIB, and why. */
  fibError?: string;
  bestReason?: string;
  stale?: boolean;
  /** Long-lived stale (RFC 9494): carries LLGR_STALE, least preferred. */
  llgrStale?: boolean;
  peer?: string;
  rd?: string;
  label?: number;
  labels?: number[];
  routeTargets: string[];
  extCommunities: string[];
  communities: string[];
  largeCommunities: string[];
  localPref: number | null;
  med: number | null;
  asPath: string;
  origin: 'igp' | 'egp' | 'incomplete';
  originatorId?: string;
  clusterList?: string[];
  atomicAggregate?: boolean;
  aggregator?: string;
  weight?: number;
  fromVrf?: string;
  /** Static inter-VRF routes: the VRF the next hop resolves in. */
  nextHopVrf?: string;
  pathId?: number;
}

const ORIGIN = ['igp', 'egp', 'incomplete'] as const;

/** What a forwarding table installed (src/daemon/fib.ts): `*` in `show ip route vrf`. */
export interface Fib {
  installed(route: Route): boolean;
  /** Why a selected route is not in the kernel (a failure, shown rather than silent). */
  failure(route: Route): string | undefined;
}

/** No FIB (not enabled, or a shadow daemon): nothing is installed, so no route is marked `*`. */
export const NO_FIB: Fib = { installed: () => false, failure: () => undefined };

/** The codec's text (`RT:65000:1`, `RT-NT:...`, `0x` + 16 hex digits): what the config and the API read back. */
export function extCommunityText(ec: ExtCommunity): string {
  return formatExtCommunity(ec);
}

export function nextHopText(nh: NextHopAddr | undefined): string | null {
  if (!nh) return null;
  return nh.afi === 1 ? ipv4ToText(nh.addr) : ipv6ToText(nh.addr);
}

function sourceOf(o: RouteOrigin): RouteSource {
  switch (o.kind) {
    case 'peer':
      return 'bgp';
    case 'local':
      return o.source;
    case 'leaked':
      return 'leaked';
    default: {
      const never: never = o;
      return never;
    }
  }
}

type AttrsView = Omit<RouteView, 'prefix' | 'source' | 'best' | 'fib'>;

/** The attribute fields of a route view (shared by the Adj-RIB views). */
export function attrsView(a: AttrSet): AttrsView {
  const rts: string[] = [];
  for (const ec of a.extCommunities) {
    if (ec.kind === 'route-target' && ec.transitive) {
      rts.push(formatAdminPair({ form: ec.form, global: ec.global, local: ec.local }));
    }
  }
  const v: AttrsView = {
    nextHop: nextHopText(a.nextHop),
    routeTargets: rts,
    extCommunities: a.extCommunities.map(extCommunityText),
    communities: a.communities.map(formatCommunity),
    largeCommunities: a.largeCommunities.map(formatLargeCommunity),
    localPref: a.localPref ?? null,
    med: a.med ?? null,
    asPath: a.asPath
      .map((s) =>
        s.type === 2
          ? s.asns.join(' ')
          : s.type === 1
            ? `{${s.asns.join(',')}}`
            : s.type === 3
              ? `(${s.asns.join(' ')})`
              : `[${s.asns.join(',')}]`,
      )
      .join(' '),
    origin: ORIGIN[a.origin] ?? 'incomplete',
  };
  if (a.originatorId !== undefined) v.originatorId = ipv4ToText(a.originatorId);
  if (a.clusterList.length) v.clusterList = a.clusterList.map(ipv4ToText);
  if (a.atomicAggregate) v.atomicAggregate = true;
  if (isLlgrStale(a)) v.llgrStale = true;
  if (a.aggregator) v.aggregator = `${a.aggregator.asn} ${ipv4ToText(a.aggregator.id)}`;
  if (a.weight) v.weight = a.weight;
  return v;
}

export function nlriPrefixText(n: Nlri): string {
  switch (n.kind) {
    case 'prefix':
    case 'labeled':
    case 'vpn':
      return prefixToText(n.prefix);
    case 'rtc':
      return `rtc:${n.originAs}:${n.len}`;
    default: {
      const never: never = n;
      return never;
    }
  }
}

export function routeView(r: Route, best: boolean, d?: Destination, fib = NO_FIB): RouteView {
  const v: RouteView = {
    prefix: nlriPrefixText(r.nlri),
    source: sourceOf(r.origin),
    best,
    fib: fib.installed(r),
    ...attrsView(r.attrs),
  };
  if (best && d) v.bestReason = d.reason;
  const fibError = best ? fib.failure(r) : undefined;
  if (fibError !== undefined) v.fibError = fibError;
  if (r.stale) v.stale = true;
  if (r.origin.kind === 'peer') v.peer = r.origin.peer.address;
  if (r.origin.kind === 'leaked') v.fromVrf = r.origin.fromVrf;
  if (r.origin.kind === 'local' && r.origin.nextHopVrf !== undefined) {
    v.nextHopVrf = r.origin.nextHopVrf;
  }
  Object.assign(v, nlriFields(r.nlri));
  return v;
}

/** The NLRI fields of a route view beyond the prefix: RD, labels, path id. */
export function nlriFields(n: Nlri): Pick<RouteView, 'rd' | 'label' | 'labels' | 'pathId'> {
  const v: Pick<RouteView, 'rd' | 'label' | 'labels' | 'pathId'> = {};
  if (n.kind === 'vpn') v.rd = rdToText(n.rd);
  if (n.kind === 'vpn' || n.kind === 'labeled') {
    v.labels = n.labels.map(labelValue);
    v.label = v.labels[0] ?? 0;
  }
  if (n.pathId) v.pathId = n.pathId;
  return v;
}

/** Every path of a table as views, best first within each destination. */
export function tableView(
  dests: Iterable<Destination>,
  _family?: FamilyName,
  fib = NO_FIB,
): RouteView[] {
  const out: RouteView[] = [];
  for (const d of dests) {
    if (d.best) out.push(routeView(d.best, true, d, fib));
    for (const p of d.paths) if (p !== d.best) out.push(routeView(p, false, d, fib));
  }
  return out;
}
