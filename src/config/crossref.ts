// Checks that need the whole config: names that must exist, things that must be unique, and the
// DESIGN.md rules the schema cannot see (default-table leaks need a policy, tags must pair up).

import type { ConfigProblem, KeyPath } from './errors.js';
import { suggestion } from './errors.js';
import { leakChecks } from './crossref-leaks.js';
import { peCeChecks } from './crossref-pece.js';
import type { Config, StaticRouteConfig } from './schema.js';
import { DEFAULT_TABLE } from './schema.js';
import { prefixIsV6, prefixLength } from './values.js';

/** Families a CE (a neighbor bound to a VRF) cannot carry: a VRF's tables are ipv4 and ipv6. */
const VPN_FAMILIES: ReadonlySet<string> = new Set([
  'vpnv4',
  'vpnv6',
  'rtc',
  'ipv4-labeled',
  'ipv6-labeled',
]);

export function crossCheck(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const error = (path: KeyPath, message: string, atKey = false) =>
    out.push({ path, message, severity: 'error', atKey });
  const warn = (path: KeyPath, message: string) => out.push({ path, message, severity: 'warning' });

  const pol = cfg.policy;
  const vrfNames = Object.keys(cfg.vrfs);
  const tables = [DEFAULT_TABLE, ...vrfNames];

  const mustExist = (path: KeyPath, name: string | undefined, what: string, names: string[]) => {
    if (name !== undefined && !names.includes(name)) {
      error(path, `${what} "${name}" is not defined${suggestion(name, names)}`);
    }
  };
  const routeMaps = Object.keys(pol['route-maps']);
  const routeMap = (path: KeyPath, name: string | undefined) =>
    mustExist(path, name, 'route map', routeMaps);
  const table = (path: KeyPath, name: string | undefined) => mustExist(path, name, 'VRF', tables);

  // Neighbors.
  const seenAddr = new Map<string, number>();
  cfg.neighbors.forEach((n, i) => {
    const at = ['neighbors', i];
    const addr = n.address.toLowerCase();
    const first = seenAddr.get(addr);
    if (first !== undefined) {
      error([...at, 'address'], `neighbor ${n.address} is already defined at neighbors[${first}]`);
    } else seenAddr.set(addr, i);
    routeMap([...at, 'route-map-in'], n['route-map-in']);
    routeMap([...at, 'route-map-out'], n['route-map-out']);
    table([...at, 'vrf'], n.vrf);
    if (n.vrf !== undefined && n.vrf !== DEFAULT_TABLE) {
      const vpn = n.families.filter((f) => VPN_FAMILIES.has(f));
      if (vpn.length) {
        error(
          [...at, 'families'],
          `a neighbor bound to VRF "${n.vrf}" is a CE and cannot carry ${vpn.join(', ')}`,
        );
      }
    }
  });

  // Static routes: the next-hop table must exist; inter-VRF ones may be refused globally.
  const statics = (owner: string, base: KeyPath, routes: readonly StaticRouteConfig[]) =>
    routes.forEach((s, i) => {
      const at = [...base, i, 'next-hop-vrf'];
      const via = s['next-hop-vrf'];
      table(at, via);
      if (via !== undefined && via !== owner && cfg['deny-inter-vrf-static']) {
        error(
          at,
          `static inter-VRF route ${s.prefix} via "${via}" while deny-inter-vrf-static is true`,
        );
      }
    });
  statics(DEFAULT_TABLE, ['static-routes'], cfg['static-routes']);

  // VRFs.
  const rdOwner = new Map<string, string>();
  const labelOwner = new Map<number, string>();
  const ifaceOwner = new Map<string, string>();
  const exportedTags = new Set<string>();
  const importedTags = new Set<string>();
  for (const v of Object.values(cfg.vrfs)) {
    if (v['export-tag'] !== undefined) exportedTags.add(v['export-tag']);
    v['route-targets'].export.forEach((rt) => exportedTags.add(rt));
    v['import-tags'].forEach((t) => importedTags.add(t));
    v['route-targets'].import.forEach((rt) => importedTags.add(rt));
  }
  for (const [name, v] of Object.entries(cfg.vrfs)) {
    const at = ['vrfs', name];
    if (name === DEFAULT_TABLE) {
      error(at, `"${DEFAULT_TABLE}" names the global table and cannot be a VRF`, true);
    }
    const other = rdOwner.get(v.rd);
    if (other !== undefined) error([...at, 'rd'], `RD ${v.rd} is also used by VRF "${other}"`);
    else rdOwner.set(v.rd, name);
    if (v.label !== 'auto') {
      const owner = labelOwner.get(v.label);
      if (owner !== undefined)
        error([...at, 'label'], `label ${v.label} is also used by VRF "${owner}"`);
      else labelOwner.set(v.label, name);
    }
    v.interfaces.forEach((itf, i) => {
      const owner = ifaceOwner.get(itf.name);
      if (owner !== undefined && owner !== name) {
        error(
          [...at, 'interfaces', i, 'name'],
          `interface ${itf.name} is already in VRF "${owner}"`,
        );
      } else ifaceOwner.set(itf.name, name);
    });
    routeMap([...at, 'import-map'], v['import-map']);
    routeMap([...at, 'export-map'], v['export-map']);
    for (const [key, dir] of [
      ['leak-from-default', 'from'],
      ['leak-to-default', 'to'],
    ] as const) {
      const leak = v[key];
      if (leak === undefined) continue;
      // DESIGN.md Default table: a global table is large, so a leak always goes through a policy.
      if (leak.policy === undefined) {
        error(
          [...at, key, 'policy'],
          `a leak ${dir} the default table needs a policy (a route map)`,
        );
      } else routeMap([...at, key, 'policy'], leak.policy);
    }
    v['import-tags'].forEach((t, i) => {
      const exporters = Object.entries(cfg.vrfs).filter(
        ([n, o]) => n !== name && (o['export-tag'] === t || o['route-targets'].export.includes(t)),
      );
      if (!exporters.length) error([...at, 'import-tags', i], `no VRF exports tag ${t}`);
    });
    const tag = v['export-tag'];
    if (tag !== undefined) {
      const importers = Object.entries(cfg.vrfs).filter(
        ([n, o]) =>
          n !== name && (o['import-tags'].includes(tag) || o['route-targets'].import.includes(tag)),
      );
      if (!importers.length) warn([...at, 'export-tag'], `no VRF imports tag ${tag}`);
    }
    statics(name, [...at, 'static-routes'], v['static-routes']);
  }

  // Policy.
  const seqs = (base: KeyPath, entries: readonly { seq: number }[], what: string) => {
    const seen = new Map<number, number>();
    entries.forEach((e, i) => {
      const first = seen.get(e.seq);
      if (first !== undefined) {
        error([...base, i, 'seq'], `seq ${e.seq} is used twice in ${what} (also entry ${first})`);
      } else seen.set(e.seq, i);
    });
  };
  for (const [name, entries] of Object.entries(pol['prefix-lists'])) {
    const base = ['policy', 'prefix-lists', name];
    seqs(base, entries, `prefix list "${name}"`);
    entries.forEach((e, i) => {
      const len = prefixLength(e.prefix);
      const max = prefixIsV6(e.prefix) ? 128 : 32;
      for (const k of ['ge', 'le'] as const) {
        const v = e[k];
        if (v === undefined) continue;
        if (v < len)
          error([...base, i, k], `${k} ${v} is less than the length of ${e.prefix} (${len})`);
        else if (v > max)
          error([...base, i, k], `${k} ${v} is longer than ${max}, the longest ${e.prefix} allows`);
      }
    });
  }
  for (const section of [
    'community-lists',
    'large-community-lists',
    'ext-community-lists',
  ] as const) {
    for (const [name, entries] of Object.entries(pol[section])) {
      seqs(
        ['policy', section, name],
        entries,
        `${section.slice(0, -1).replace(/-/g, ' ')} "${name}"`,
      );
    }
  }
  const lists = {
    'prefix-list': Object.keys(pol['prefix-lists']),
    'community-list': Object.keys(pol['community-lists']),
    'large-community-list': Object.keys(pol['large-community-lists']),
    'ext-community-list': Object.keys(pol['ext-community-lists']),
  };
  for (const [name, entries] of Object.entries(pol['route-maps'])) {
    const base = ['policy', 'route-maps', name];
    seqs(base, entries, `route map "${name}"`);
    entries.forEach((e, i) => {
      const m = e.match;
      if (m) {
        for (const k of Object.keys(lists) as (keyof typeof lists)[]) {
          mustExist([...base, i, 'match', k], m[k], k.replace(/-/g, ' '), lists[k]);
        }
        table([...base, i, 'match', 'source-vrf'], m['source-vrf']);
      }
      const c = e.continue;
      if (typeof c === 'number' && !entries.some((o) => o.seq === c && c > e.seq)) {
        error(
          [...base, i, 'continue'],
          `continue ${c} names no later clause of route map "${name}"`,
        );
      }
    });
  }
  out.push(...leakChecks(cfg));
  out.push(...peCeChecks(cfg));
  return out;
}
