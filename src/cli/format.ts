// Text output in the style of FRR's vtysh: status codes, route distinguisher headings, fixed
// columns. The JSON output is the API's answer unchanged; this file only renders it.

import type { RouteView } from '../daemon/views.js';
import type { NeighborView, SummaryView } from '../api/service.js';
import type {
  ConflictView,
  ExplainView,
  LeakGraphView,
  ViolationView,
  VrfView,
} from '../api/vrf-source.js';

const pad = (s: string | number, n: number) => String(s).padEnd(n);
const lpad = (s: string | number, n: number) => String(s).padStart(n);

function uptime(ms: number | null): string {
  if (ms === null) return 'never';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export function formatSummary(s: SummaryView): string {
  const out = [`BGP router identifier ${s.routerId}, local AS number ${s.asn}`];
  if (s.listen) out.push(`Listening on ${s.listen}`);
  out.push(
    `Tables: ${s.tables.map((t) => `${t.family} ${t.destinations} prefixes/${t.paths} paths`).join(', ')}`,
  );
  out.push('');
  out.push(
    `${pad('Neighbor', 16)}V ${lpad('AS', 10)} ${lpad('UpdRcvd', 8)} ${lpad('UpdSent', 8)} ${lpad('Up/Down', 8)} ${pad('State/PfxRcd', 12)} Desc`,
  );
  for (const n of s.neighbors) {
    const pfx = Object.values(n.prefixesReceived).reduce((a, b) => a + b, 0);
    const state = n.state === 'Established' ? String(pfx) : n.state;
    out.push(
      `${pad(n.address, 16)}4 ${lpad(n.asn, 10)} ${lpad(n.updatesIn, 8)} ${lpad(n.updatesOut, 8)} ${lpad(uptime(n.uptimeMs), 8)} ${pad(state, 12)} ${n.description ?? ''}`.trimEnd(),
    );
  }
  out.push('', `Total number of neighbors ${s.neighbors.length}`);
  return out.join('\n') + '\n';
}

export function formatNeighbor(n: NeighborView, localAs: number): string {
  const link = n.asn === localAs ? 'internal' : 'external';
  const out = [
    `BGP neighbor is ${n.address}, remote AS ${n.asn}, local AS ${localAs}, ${link} link`,
  ];
  if (n.description) out.push(` Description: ${n.description}`);
  if (n.vrf) out.push(` Bound to VRF ${n.vrf}`);
  out.push(
    `  BGP state = ${n.state}${n.uptimeMs !== null ? `, up for ${uptime(n.uptimeMs)}` : ''}`,
  );
  out.push(`  Address families: ${n.families.join(', ')}`);
  out.push(`  UPDATEs received ${n.updatesIn}, sent ${n.updatesOut}`);
  for (const [f, c] of Object.entries(n.prefixesReceived))
    out.push(`  ${f}: ${c} accepted prefixes`);
  if (n.tcpMd5) out.push('  TCP-MD5 authentication: configured (key not shown)');
  if (n.ttlSecurityHops !== null) {
    const hops = n.ttlSecurityHops;
    out.push(`  GTSM (ttl-security): hops ${hops}, minimum TTL ${256 - hops}, sent with TTL 255`);
  }
  if (n.lastDown) out.push(`  Last reset: ${n.lastDown}`);
  return out.join('\n') + '\n';
}

/** Numeric order of prefixes (address, then length), as routers list them; stable for paths. */
function prefixSortKey(p: string): string {
  const [addr = '', len = '0'] = p.split('/');
  let hex: string;
  if (addr.includes(':')) {
    const [head = '', tail = ''] = addr.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = addr.includes('::')
      ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t]
      : h;
    hex = '6' + groups.map((g) => g.padStart(4, '0')).join('');
  } else
    hex =
      '4' +
      addr
        .split('.')
        .map((o) => Number(o).toString(16).padStart(2, '0'))
        .join('');
  return `${hex}/${len.padStart(3, '0')}`;
}

export function byPrefix<T extends { prefix: string; rd?: string }>(rows: readonly T[]): T[] {
  const key = (r: T) => prefixSortKey(r.prefix);
  return [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

const ORIGIN_CODE = { igp: 'i', egp: 'e', incomplete: '?' } as const;

/**
 * FRR's status column: S stale, * valid, > best, i learned from an iBGP peer; L long-lived stale
 * (RFC 9494 LLGR_STALE: least preferred), ours.
 */
function status(r: RouteView, ibgpPeers: ReadonlySet<string>): string {
  const internal = r.source === 'bgp' && r.peer !== undefined && ibgpPeers.has(r.peer);
  return `${r.llgrStale ? 'L' : r.stale ? 'S' : ' '}*${r.best ? '>' : ' '}${internal ? 'i' : ' '}`;
}

/**
 * One route's line. An IPv6 network or next hop can be wider than its column: as FRR, the rest
 * then continues on the next line at that column, so no two fields ever run together.
 */
function columns(status: string, prefix: string, nh: string, rest: string): string[] {
  const lines: string[] = [];
  let line = status;
  if (prefix.length >= 17) {
    lines.push(line + prefix);
    line = ' '.repeat(status.length + 17);
  } else line += pad(prefix, 17);
  if (nh.length >= 20) {
    lines.push(line + nh);
    line = ' '.repeat(status.length + 37);
  } else line += pad(nh, 20);
  lines.push(line + rest);
  return lines;
}

/** ` path-id=N` for a path that has one (ADD-PATH, RFC 7911), else nothing. */
export function pathIdText(id: number | undefined): string {
  return id ? ` path-id=${id}` : '';
}

/** `show bgp ipv4 vpn`: routes grouped under their route distinguisher. */

export function formatBgpTable(
  routes: readonly RouteView[],
  routerId: string,
  vpn: boolean,
  ibgpPeers: ReadonlySet<string> = new Set(),
): string {
  const out = [
    `BGP table version is 0, local router ID is ${routerId}, vrf id 0`,
    'Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,',
    '               i internal, r RIB-failure, S Stale, R Removed',
    'Origin codes:  i - IGP, e - EGP, ? - incomplete',
    '',
    `   ${pad('Network', 17)}${pad('Next Hop', 20)}${lpad('Metric', 6)} ${lpad('LocPrf', 6)} ${lpad('Weight', 6)} Path`,
  ];
  let rd: string | undefined;
  const sorted = vpn
    ? byPrefix(routes).sort((a, b) =>
        (a.rd ?? '').localeCompare(b.rd ?? '', 'en', { numeric: true }),
      )
    : byPrefix(routes);
  for (const r of sorted) {
    if (vpn && r.rd !== rd) {
      rd = r.rd;
      out.push(`Route Distinguisher: ${rd ?? '?'}`);
    }
    const nh = r.nextHop ?? (r.prefix.includes(':') ? '::' : '0.0.0.0');
    const path = `${r.asPath ? `${r.asPath} ` : ''}${ORIGIN_CODE[r.origin]}`;
    const rest = `${lpad(r.med ?? '', 6)} ${lpad(r.localPref ?? '', 6)} ${lpad(r.weight ?? 0, 6)} ${path}`;
    out.push(...columns(status(r, ibgpPeers), r.prefix, nh, rest));
    // RFC 7911: the path id the path came with (several paths of one neighbor).
    const id = pathIdText(r.pathId);
    if (vpn && r.label !== undefined)
      out.push(
        `    UN=${nh} EC{${r.routeTargets.map((x) => `RT:${x}`).join(' ')}} label=${r.label}${id}`,
      );
    // Labeled unicast (RFC 8277): the label stack as received.
    else if (r.labels !== undefined) out.push(`    label=${r.labels.join('/')}${id}`);
    else if (id) out.push(`   ${id}`);
  }
  const dests = new Set(routes.map((r) => `${r.rd ?? ''}|${r.prefix}`)).size;
  out.push('', `Displayed ${dests} routes and ${routes.length} total paths`);
  return out.join('\n') + '\n';
}

const CODE: Record<RouteView['source'], string> = {
  connected: 'C',
  static: 'S',
  local: 'B',
  bgp: 'B',
  leaked: 'B',
};

/** `show ip route vrf NAME`: zebra's layout with the leak source named. */
export function formatVrfRoutes(vrf: string, routes: readonly RouteView[]): string {
  const out = [
    'Codes: C - connected, S - static, B - BGP (local networks, VPN imports and leaks)',
    '       > - selected route, * - FIB route, S - stale',
    '',
    `VRF ${vrf}:`,
  ];
  for (const r of byPrefix(routes)) {
    // zebra's codes: `>` selected, `*` installed in the kernel FIB (src/daemon/fib.ts).
    const code = `${CODE[r.source]}${r.best ? '>' : ' '}${r.fib ? '*' : ' '}`;
    let via: string;
    if (r.source === 'connected') via = 'is directly connected';
    else if (r.nextHop) via = `via ${r.nextHop}`;
    else via = r.fromVrf ? 'is reachable' : 'is locally originated';
    // FRR writes a leaked route's source VRF after its next hop: "via 192.0.2.1 (vrf SHARED)".
    const from = r.fromVrf ? (r.nextHop ? ` (vrf ${r.fromVrf})` : ` via vrf ${r.fromVrf}`) : '';
    const nhVrf = r.nextHopVrf ? ` (next hop in vrf ${r.nextHopVrf})` : '';
    // A selected route the FIB could not install says why, on its line.
    const fibError = r.fibError !== undefined ? ` [not in FIB: ${r.fibError}]` : '';
    const extra = [
      ...(r.localPref !== null ? [`localpref ${r.localPref}`] : []),
      ...(r.med !== null ? [`metric ${r.med}`] : []),
      ...(r.label !== undefined ? [`label ${r.label}`] : []),
    ];
    out.push(
      `${code} ${r.prefix} ${via}${from}${nhVrf}${extra.length ? `, ${extra.join(', ')}` : ''}${fibError}`,
    );
  }
  if (routes.length === 0) out.push('  (no routes)');
  return out.join('\n') + '\n';
}

export function formatVrfs(vrfs: readonly VrfView[]): string {
  const out = [
    `${pad('VRF', 16)}${pad('RD', 16)}${lpad('Label', 7)}  ${pad('Import RTs', 24)}${pad('Export RTs', 18)}${pad('Import map', 16)}Routes v4/v6`,
  ];
  const n = (x: number | null) => (x === null ? '-' : String(x));
  for (const v of vrfs) {
    out.push(
      `${pad(v.name, 16)}${pad(v.rd, 16)}${lpad(v.label, 7)}  ${pad([...v.importRts, ...v.importTags].join(',') || '-', 24)}${pad([...v.exportRts, ...(v.exportTag ? [v.exportTag] : [])].join(',') || '-', 18)}${pad(v.importMap ?? '-', 16)}${n(v.routes.ipv4)}/${n(v.routes.ipv6)}`,
    );
  }
  return out.join('\n') + '\n';
}

export function formatVrf(v: VrfView): string {
  const out = [
    `VRF ${v.name}`,
    `  RD ${v.rd}, label ${v.label}`,
    `  Import RTs: ${v.importRts.join(' ') || '-'}${v.importTags.length ? `  tags: ${v.importTags.join(' ')}` : ''}`,
    `  Export RTs: ${v.exportRts.join(' ') || '-'}${v.exportTag ? `  tag: ${v.exportTag}` : ''}`,
    `  Import map: ${v.importMap ?? '-'}, export map: ${v.exportMap ?? '-'}`,
    `  Conflicts: ${v.conflict}${v.allowReexport ? ', allow-reexport' : ''}`,
  ];
  for (const i of v.interfaces) out.push(`  Interface ${i.name} ${i.address}`);
  const n = (x: number | null) => (x === null ? 'n/a' : String(x));
  out.push(`  Routes: ipv4 ${n(v.routes.ipv4)}, ipv6 ${n(v.routes.ipv6)}`);
  return out.join('\n') + '\n';
}

type Entry = Record<string, unknown>;

export function formatPrefixLists(lists: Record<string, Entry[]>): string {
  const out: string[] = [];
  for (const [name, entries] of Object.entries(lists)) {
    out.push(`ip prefix-list ${name}: ${entries.length} entries`);
    for (const e of entries) {
      const ge = e.ge !== undefined ? ` ge ${String(e.ge)}` : '';
      const le = e.le !== undefined ? ` le ${String(e.le)}` : '';
      out.push(
        `   seq ${String(e.seq)} ${String(e.action)} ${String(e.prefix ?? 'any')}${ge}${le}`,
      );
    }
  }
  return out.join('\n') + '\n';
}

const clause = (o: unknown) =>
  Object.entries((o ?? {}) as Entry).map(
    ([k, v]) =>
      `    ${k} ${Array.isArray(v) ? v.join(' ') : JSON.stringify(v).replace(/^"|"$/g, '')}`,
  );

export function formatRouteMaps(maps: Record<string, Entry[]>): string {
  const out: string[] = [];
  for (const [name, entries] of Object.entries(maps)) {
    out.push(`route-map: ${name}`);
    for (const e of entries) {
      out.push(` ${String(e.action)}, sequence ${String(e.seq)}`);
      out.push('  Match clauses:', ...clause(e.match));
      out.push('  Set clauses:', ...clause(e.set));
    }
  }
  return out.join('\n') + '\n';
}

export function formatConflicts(cs: readonly ConflictView[]): string {
  if (cs.length === 0) return 'No leak conflicts\n';
  const out = [
    `${pad('VRF', 16)}${pad('Prefix', 20)}${pad('Winner', 11)}${pad('Loser', 9)}From VRF`,
  ];
  for (const c of cs)
    out.push(
      `${pad(c.vrf, 16)}${pad(c.prefix, 20)}${pad(c.winner, 11)}${pad(c.loser, 9)}${c.fromVrf ?? '-'}`,
    );
  return out.join('\n') + '\n';
}

export function formatViolations(vs: readonly ViolationView[]): string {
  if (vs.length === 0) return 'No leak violations\n';
  const out = [`${pad('VRF', 16)}${pad('Kind', 12)}${pad('Prefix', 20)}Why`];
  for (const v of vs)
    out.push(`${pad(v.vrf, 16)}${pad(v.kind, 12)}${pad(v.prefix ?? '-', 20)}${v.reason}`);
  return out.join('\n') + '\n';
}

/** `, 3 routes` when the graph says how many routes the edge carries now. */
const carried = (e: LeakGraphView['edges'][number]) =>
  e.routes === undefined ? '' : `, ${e.routes} route${e.routes === 1 ? '' : 's'}`;

export function formatGraph(g: LeakGraphView): string {
  const out = [`VRFs: ${g.vrfs.join(', ')}`];
  for (const e of g.edges) {
    const maps = e.exportMaps?.length ? ` export-map ${e.exportMaps.join(', ')}` : '';
    if (e.via === 'rt')
      out.push(
        `  ${e.from} -> ${e.to}  [${e.routeTargets.join(', ')}]${maps}${e.policy ? ` import-map ${e.policy}` : ''}${carried(e)}`,
      );
    else if (e.via === 'static')
      out.push(`  ${e.from} -> ${e.to}  (static inter-VRF route${carried(e)})`);
    else
      out.push(`  ${e.from} -> ${e.to}  (default table, policy ${e.policy ?? '?'}${carried(e)})`);
  }
  (g.cycles ?? []).forEach((c, i) => {
    const why = g.cycleCarry?.[i]?.reason;
    out.push(`  cycle: ${[...c, c[0]].join(' -> ')}${why ? `: ${why}` : ''}`);
  });
  const lonely = g.vrfs.filter((v) => !g.edges.some((e) => e.from === v || e.to === v));
  if (lonely.length) out.push(`  isolated: ${lonely.join(', ')}`);
  return out.join('\n') + '\n';
}

export function formatExplain(e: ExplainView): string {
  return (
    [
      `${e.prefix} in VRF ${e.vrf}: ${e.present ? 'present' : 'not present'}`,
      ...e.steps.map((s) => `  - ${s}`),
    ].join('\n') + '\n'
  );
}
