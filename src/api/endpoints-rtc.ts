// RT-constrain (RFC 4684) in the API: the membership table (what vrfleak originates and what
// peers sent, every path), each rtc neighbor's membership and wait, and why a VPN route is or is
// not sent to a neighbor (`show bgp ipv4 rtc`, `show bgp ipv4 rtc why ...`).

import type { Daemon } from '../daemon/daemon.js';
import type { RtcRefusal } from '../daemon/rtc.js';
import { routeView, type RouteView } from '../daemon/views.js';
import { nlriKey } from '../rib/keys.js';
import { formatAdminPair } from '../wire/admin-pair.js';
import { decodeExtCommunity } from '../wire/ext-community.js';
import type { RtcNlri } from '../wire/types.js';
import { Q, type Endpoint } from './endpoint.js';
import { ApiError, parsePrefix, parseRd, type ApiService } from './service.js';

export interface RtcRouteView extends RouteView {
  originAs: number;
  /** `default` (length 0), a route target (`65000:1`), or `HEX/BITS` for a shorter prefix. */
  routeTarget: string;
  /** The route target prefix length in bits (0..64). */
  rtLength: number;
}

export interface RtcNeighborView {
  address: string;
  /** Both sides advertised rtc (RFC 4684 §5) on the current session. */
  negotiated: boolean;
  /** Its VPN routes wait for its RTC End-of-RIB (RFC 4684 §6). */
  waitingEndOfRib: boolean;
  /** AFI/SAFI disabled for the session after a malformed RTC NLRI (RFC 7606 §2). */
  disabled: boolean;
  /** What it asked for: route targets as routeTarget prints them. */
  memberships: string[];
}

export interface RtcAnswer {
  routes: RtcRouteView[];
  neighbors: RtcNeighborView[];
}

export interface RtcWhy {
  neighbor: string;
  rd: string;
  prefix: string;
  /** Whether the neighbor's update group sent it the route. */
  sent: boolean;
  /** Why RT-constrain holds it back (absent: RT-constrain does not). */
  reason?: RtcRefusal;
}

export function rtcTargetText(n: RtcNlri): string {
  if (n.len === 0) return 'default';
  if (n.len === 64) {
    const ec = decodeExtCommunity(n.rt, 0);
    if (ec.kind === 'route-target')
      return formatAdminPair({ form: ec.form, global: ec.global, local: ec.local });
  }
  return `${Buffer.from(n.rt).toString('hex')}/${n.len}`;
}

export function rtcAnswer(d: Daemon): RtcAnswer {
  const routes: RtcRouteView[] = [];
  for (const dest of d.rib.table('rtc').dests.values())
    for (const r of dest.paths) {
      if (r.nlri.kind !== 'rtc') continue;
      const n = r.nlri;
      routes.push({
        ...routeView(r, r === dest.best, dest),
        originAs: n.originAs,
        routeTarget: rtcTargetText(n),
        rtLength: n.len,
      });
    }
  const neighbors: RtcNeighborView[] = [];
  for (const p of d.peers.values()) {
    if (!p.opts.families.includes('rtc')) continue;
    const token = d.rtc.token(p);
    const m: string[] = [];
    for (const r of d.rib.table('rtc').pathsOf(p.id))
      if (r.nlri.kind === 'rtc') m.push(rtcTargetText(r.nlri));
    neighbors.push({
      address: p.opts.address,
      negotiated: p.info?.families.includes('rtc') === true,
      waitingEndOfRib: token === 'rtc-wait',
      disabled: d.rtc.isDisabled(p),
      memberships: [...new Set(m)].sort(),
    });
  }
  return { routes, neighbors };
}

/** Why the best VPN route at (rd, prefix) is or is not sent to a neighbor. */
export function rtcWhy(d: Daemon, neighbor: string, rdText: unknown, prefixText: unknown): RtcWhy {
  const p = d.peers.get(neighbor);
  if (!p) throw new ApiError(404, `no neighbor ${neighbor}`);
  const rd = parseRd(rdText);
  const prefix = parsePrefix(prefixText);
  const fam = prefix.afi === 1 ? 'vpnv4' : 'vpnv6';
  const key = nlriKey({ kind: 'vpn', rd, prefix, labels: [] });
  const best = d.rib.table(fam).bestOf(key);
  if (!best) throw new ApiError(404, `no ${fam} route ${String(rdText)} ${String(prefixText)}`);
  const sent = d.rib.groupOf(p.id)?.advertised.get(fam)?.has(key) === true;
  const reason = d.rtc.refusal(p, best.attrs);
  return {
    neighbor,
    rd: String(rdText),
    prefix: String(prefixText),
    sent,
    ...(reason ? { reason } : {}),
  };
}

export function rtcEndpoints(s: ApiService): Endpoint[] {
  return [
    [
      {
        method: 'GET',
        url: '/api/v1/rtc',
        summary: 'RT-constrain (RFC 4684): the membership table and each rtc neighbor',
      },
      () => rtcAnswer(s.daemon),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/rtc/why',
        summary: 'Whether a VPN route is sent to a neighbor, and why RT-constrain holds it back',
        params: [
          Q('neighbor', 'neighbor address'),
          Q('rd', 'route distinguisher'),
          Q('prefix', 'the prefix'),
        ],
      },
      (r) => rtcWhy(s.daemon, r.query.neighbor ?? '', r.query.rd, r.query.prefix),
    ],
  ];
}
