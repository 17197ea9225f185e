// vrfleak's leak model as BIRD 2.0.12 configuration. BIRD 2.0.12 has no l3vpn protocol: it cannot
// import VPN routes into a VRF nor export a VRF's routes as VPN routes. What it can express is
// rendered: one table per VRF and family, the VRF's own routes (static protocols for networks and
// inter-VRF statics resolved in the next-hop VRF's table, direct protocols for interfaces), and the
// leaks vrfleak makes between its own VRFs (where one VRF's export route targets meet another's
// import ones, and the default-table leaks) as pipes whose filters run the export map, then the
// import map. A pipe passes only the source VRF's own routes: vrfleak does not re-export.

import type { Config, RouteMapEntry, VrfConfig } from '../config/schema.js';
import { commonNotes, isV6Prefix, noteLines, vrfRts, type Rendered } from './export-common.js';

type Fam = 4 | 6;
/** BIRD symbols: letters, digits and `_`. */
const sym = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
const table = (vrf: string, f: Fam) => (vrf === 'default' ? `master${f}` : `t${f}_${sym(vrf)}`);
/** Every protocol that originates a VRF's own routes is named o_<VRF>_...; pipes filter on it. */
const own = (vrf: string) => `o_${sym(vrf)}_`;
const famOf = (prefix: string): Fam => (isV6Prefix(prefix) ? 6 : 4);

function prefixListFunctions(c: Config): string[] {
  const out: string[] = [];
  for (const [name, entries] of Object.entries(c.policy['prefix-lists'])) {
    for (const f of [4, 6] as Fam[]) {
      out.push(`function pl${f}_${sym(name)}() {`);
      for (const e of entries.filter((x) => famOf(x.prefix) === f)) {
        const len = Number(e.prefix.split('/')[1]);
        const max = f === 4 ? 32 : 128;
        const lo = e.ge ?? len;
        const hi = e.le ?? (e.ge !== undefined ? max : len);
        out.push(`  if net ~ [ ${e.prefix}{${lo},${hi}} ] then return ${e.action === 'permit'};`);
      }
      out.push('  return false;', '}');
    }
  }
  return out;
}

/** A route map inlined for a pipe from `src` (its clauses' matches and sets), or undefined. */
function routeMapCode(c: Config, name: string, src: string, f: Fam, notes: string[]): string[] {
  const entries = c.policy['route-maps'][name] ?? [];
  const out = [`  # route map ${name}`, '  matched = false;'];
  for (const e of entries) out.push(...clause(name, e, src, f, notes));
  out.push('  if !matched then reject;');
  return out;
}

function clause(name: string, e: RouteMapEntry, src: string, f: Fam, notes: string[]): string[] {
  const where = `policy.route-maps.${name} seq ${e.seq}`;
  const conds: string[] = [];
  const m = e.match ?? {};
  if (m['prefix-list'] !== undefined) conds.push(`pl${f}_${sym(m['prefix-list'])}()`);
  if (m['source-vrf'] !== undefined) conds.push(m['source-vrf'] === src ? 'true' : 'false');
  if (m['source-protocol'] !== undefined) {
    const p = { connected: 'direct', static: 'st', local: 'net' }[m['source-protocol'] as string];
    conds.push(p ? `proto ~ "${own(src)}${p}*"` : 'false');
  }
  for (const k of ['community-list', 'ext-community-list', 'large-community-list'] as const) {
    if (m[k] !== undefined) {
      conds.push('false');
      notes.push(
        `${where}: match ${k} is not rendered for BIRD; the clause is rendered as never matching`,
      );
    }
  }
  const sets: string[] = [];
  const s = e.set ?? {};
  if (s['local-preference'] !== undefined) sets.push(`bgp_local_pref = ${s['local-preference']};`);
  if (s.med !== undefined) sets.push(`bgp_med = ${s.med};`);
  for (const a of s['as-path-prepend'] ?? []) sets.push(`bgp_path.prepend(${a});`);
  for (const x of s.community?.add ?? [])
    if (/^\d+:\d+$/.test(x)) sets.push(`bgp_community.add((${x.replace(':', ',')}));`);
  if (
    s.weight !== undefined ||
    s['next-hop'] !== undefined ||
    s['route-target'] ||
    s.community?.replace ||
    s.community?.remove ||
    s['large-community']
  )
    notes.push(
      `${where}: sets other than local-preference, med, as-path-prepend and community add are not rendered for BIRD`,
    );
  if (e.continue !== undefined || e['on-match'])
    notes.push(
      `${where}: continue/on-match is not rendered for BIRD (the first matching clause decides)`,
    );
  const cond = conds.length ? conds.join(' && ') : 'true';
  const body = e.action === 'permit' ? [...sets, 'matched = true;'] : ['reject;'];
  return [`  if !matched && (${cond}) then { ${body.join(' ')} }`];
}

function pipe(
  c: Config,
  src: string,
  dst: string,
  f: Fam,
  maps: (string | undefined)[],
  why: string,
  notes: string[],
): string[] {
  const name = `leak${f}_${sym(src)}_to_${sym(dst)}`;
  const out = [`# ${why}`, `filter ${name} bool matched; {`];
  // vrfleak leaks a VRF's own routes only (no re-export, DESIGN.md); from the default table, what
  // no VRF put there.
  if (src === 'default') out.push('  if proto ~ "o_*" then reject;');
  else out.push(`  if !(proto ~ "${own(src)}*") then reject;`);
  for (const m of maps) if (m !== undefined) out.push(...routeMapCode(c, m, src, f, notes));
  out.push('  accept;', '}');
  out.push(
    `protocol pipe p_${name} {`,
    `  table ${table(src, f)};`,
    `  peer table ${table(dst, f)};`,
    '  import none;',
    `  export filter ${name};`,
    '}',
  );
  return out;
}

function ownRoutes(name: string, v: VrfConfig, f: Fam): string[] {
  const out: string[] = [];
  const ch = (t: string) => `  ipv${f} { table ${t}; import all; export none; };`;
  const nets = v.networks.filter((n) => famOf(n.prefix) === f);
  // A vrfleak network is originated whatever the tables hold: a static route with no next hop.
  if (nets.length)
    out.push(
      `protocol static ${own(name)}net${f} {`,
      ch(table(name, f)),
      ...nets.map((n) => `  route ${n.prefix} blackhole;`),
      '}',
    );
  const ifs = v.interfaces.filter((i) => famOf(i.address) === f);
  if (ifs.length)
    out.push(
      `protocol direct ${own(name)}direct${f} {`,
      `  vrf "${name}";`,
      ch(table(name, f)),
      `  interface ${ifs.map((i) => `"${i.name}"`).join(', ')};`,
      '}',
    );
  const byNh = new Map<string, VrfConfig['static-routes']>();
  for (const s of v['static-routes'].filter((x) => famOf(x.prefix) === f)) {
    const k = s['next-hop-vrf'] ?? name;
    byNh.set(k, [...(byNh.get(k) ?? []), s]);
  }
  for (const [nh, routes] of byNh) {
    // The next hop resolves in the next-hop VRF's table (BIRD's igp table for recursive routes).
    out.push(
      `protocol static ${own(name)}st${f}_${sym(nh)} {`,
      ch(table(name, f)),
      `  igp table ${table(nh, f)};`,
    );
    out.push(...routes.map((s) => `  route ${s.prefix} recursive ${s['next-hop']};`), '}');
  }
  return out;
}

export function renderBird(c: Config): Rendered {
  const notes = [
    ...commonNotes(c, 'BIRD'),
    "BIRD 2.0.12 has no l3vpn protocol: VPN routes are neither imported into VRFs nor exported from them; RDs, labels and route targets towards peers are not rendered, only the leaks between this router's own VRFs",
  ];
  const vrfs = Object.entries(c.vrfs);
  const fams = (v: VrfConfig): Fam[] => {
    const ps = [
      ...v.networks.map((n) => n.prefix),
      ...v.interfaces.map((i) => i.address),
      ...v['static-routes'].map((s) => s.prefix),
    ];
    return ps.some((p) => p.includes(':')) ? [4, 6] : [4];
  };
  const out = [`router id ${c['router-id']};`, '', 'protocol device {}', ''];
  for (const [name, v] of vrfs)
    for (const f of fams(v)) out.push(`ipv${f} table ${table(name, f)};`);
  out.push('', ...prefixListFunctions(c), '');
  for (const [name, v] of vrfs) for (const f of fams(v)) out.push(...ownRoutes(name, v, f), '');
  for (const [src, s] of vrfs) {
    const exp = vrfRts(s).export;
    for (const [dst, d] of vrfs) {
      if (dst === src) continue;
      const rts = vrfRts(d).import.filter((rt) => exp.includes(rt));
      if (!rts.length) continue;
      for (const f of fams(s).filter((x) => fams(d).includes(x)))
        out.push(
          ...pipe(
            c,
            src,
            dst,
            f,
            [s['export-map'], d['import-map']],
            `${src} exports ${rts.join(', ')}, ${dst} imports it`,
            notes,
          ),
          '',
        );
    }
    if (s['leak-from-default']?.policy)
      out.push(
        ...pipe(
          c,
          'default',
          src,
          4,
          [s['leak-from-default'].policy],
          `leak-from-default of ${src}`,
          notes,
        ),
        '',
      );
    if (s['leak-to-default']?.policy)
      out.push(
        ...pipe(
          c,
          src,
          'default',
          4,
          [s['leak-to-default'].policy],
          `leak-to-default of ${src}`,
          notes,
        ),
        '',
      );
  }
  if (c.neighbors.length)
    notes.push(
      'neighbors: not rendered (BIRD sessions would carry only the default tables; see the BIRD peer harness for vpn4/vpn6 channels)',
    );
  const text = [...noteLines(notes, '#', 'BIRD 2.0.12'), '', ...out].join('\n') + '\n';
  return { text, notes };
}
