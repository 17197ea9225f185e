// `show bgp neighbors ADDR received-routes | routes | advertised-routes` in FRR's layout: one
// table per family, VPN routes under their route distinguisher, the total at the end.

import type { AdjRibAnswer, AdjRouteView } from '../api/adj-rib.js';
import { byPrefix, pathIdText } from './format.js';

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);
const ORIGIN_CODE = { igp: 'i', egp: 'e', incomplete: '?' } as const;

/** FRR's status column: `*>` best (accepted routes), `*` otherwise; S for stale. */
function status(r: AdjRouteView): string {
  return `${r.llgrStale ? 'L' : r.stale ? 'S' : ' '}*${r.best ? '>' : ' '} `;
}

export function formatAdjRib(a: AdjRibAnswer, routerId: string, localAs: number): string {
  const out = [
    `BGP table version is 0, local router ID is ${routerId}, vrf id 0`,
    `Default local pref 100, local AS ${localAs}`,
    'Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,',
    '               i internal, r RIB-failure, S Stale, R Removed',
    'Origin codes:  i - IGP, e - EGP, ? - incomplete',
  ];
  for (const family of a.families) {
    const rows = byPrefix(a.routes.filter((r) => r.family === family)).sort((x, y) =>
      (x.rd ?? '').localeCompare(y.rd ?? '', 'en', { numeric: true }),
    );
    out.push(
      '',
      `For address family: ${family}`,
      `   ${pad('Network', 17)}${pad('Next Hop', 20)}${lpad('Metric', 6)} ${lpad('LocPrf', 6)} ${lpad('Weight', 6)} Path`,
    );
    let rd: string | undefined;
    for (const r of rows) {
      if (r.rd !== undefined && r.rd !== rd) {
        rd = r.rd;
        out.push(`Route Distinguisher: ${rd}`);
      }
      const nh = r.nextHop ?? (r.prefix.includes(':') ? '::' : '0.0.0.0');
      const path = `${r.asPath ? `${r.asPath} ` : ''}${ORIGIN_CODE[r.origin]}`;
      out.push(
        `${status(r)}${pad(r.prefix, 17)}${pad(nh, 20)}${lpad(r.med ?? '', 6)} ${lpad(r.localPref ?? '', 6)} ${lpad(r.weight ?? 0, 6)} ${path}`,
      );
      // RFC 7911: the path id sent (advertised-routes) or received (the others).
      const id = pathIdText(r.pathId);
      if (r.label !== undefined)
        out.push(`    EC{${r.routeTargets.map((x) => `RT:${x}`).join(' ')}} label=${r.label}${id}`);
      else if (id) out.push(`   ${id}`);
    }
    out.push('', `Total number of prefixes ${rows.length}`);
  }
  return out.join('\n') + '\n';
}
