// The leak checks of `vrfleak check` (issue 16): names an `expect` section refers to must exist
// (errors), and three leaks the seeds warn about, as warnings with a position: a VRF that imports
// without a prefix list to bound it ("never leak everything"), a VRF that re-exports what it
// imports (a leak chain), and the default table leaked into a VRF with no bound on the count.

import type { ConfigProblem, KeyPath } from './errors.js';
import { suggestion } from './errors.js';
import type { Config, VrfConfig } from './schema.js';
import { DEFAULT_TABLE } from './schema.js';

/** Whether a route map matches on a prefix list in any clause (it bounds what it lets through). */
function hasPrefixList(cfg: Config, map: string | undefined): boolean {
  if (map === undefined) return false;
  return (cfg.policy['route-maps'][map] ?? []).some((c) => c.match?.['prefix-list'] !== undefined);
}

const importsOf = (v: VrfConfig): string[] => [...v['route-targets'].import, ...v['import-tags']];
const exportsOf = (v: VrfConfig): string[] => [
  ...v['route-targets'].export,
  ...(v['export-tag'] !== undefined ? [v['export-tag']] : []),
];

export function leakChecks(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const error = (path: KeyPath, message: string) => out.push({ path, message, severity: 'error' });
  const warn = (path: KeyPath, message: string) => out.push({ path, message, severity: 'warning' });
  const vrfs = Object.entries(cfg.vrfs);
  const tables = [DEFAULT_TABLE, ...vrfs.map(([n]) => n)];
  const lists = Object.keys(cfg.policy['prefix-lists']);
  /** The other VRFs that export one of `rts` (they leak into a VRF importing `rts`). */
  const exporters = (self: string, rts: readonly string[]) =>
    vrfs
      .filter(([n, o]) => n !== self && exportsOf(o).some((rt) => rts.includes(rt)))
      .map(([n]) => n);
  const importers = (self: string, rts: readonly string[]) =>
    vrfs
      .filter(([n, o]) => n !== self && importsOf(o).some((rt) => rts.includes(rt)))
      .map(([n]) => n);

  for (const [name, v] of vrfs) {
    const at = ['vrfs', name];
    const imports = importsOf(v);
    // "Never leak everything": an import bounded by no prefix list takes every prefix its RTs carry.
    if (imports.length && !hasPrefixList(cfg, v['import-map'])) {
      const why =
        v['import-map'] === undefined
          ? 'no import-map'
          : `import map "${v['import-map']}" matches on no prefix list`;
      warn(
        v['import-map'] === undefined
          ? [...at, v['route-targets'].import.length ? 'route-targets' : 'import-tags']
          : [...at, 'import-map'],
        `VRF "${name}" imports every prefix carrying ${imports.join(', ')} (${why}): never leak ` +
          'everything; name an import-map that matches on a prefix list',
      );
    }
    // DESIGN.md "No re-export": allow-reexport makes this VRF a hop of a leak chain.
    if (v['allow-reexport']) {
      const from = [
        ...exporters(name, imports),
        ...(v['leak-from-default'] ? [DEFAULT_TABLE] : []),
      ];
      const to = [
        ...importers(name, exportsOf(v)),
        ...(v['leak-to-default'] ? [DEFAULT_TABLE] : []),
      ];
      const remote = imports.length > 0 || exportsOf(v).length > 0;
      if (from.length || to.length || remote) {
        const ends =
          from.length && to.length
            ? `: routes of ${from.join(', ')} leak on to ${to.join(', ')}`
            : ' to whoever imports its route targets';
        warn(
          [...at, 'allow-reexport'],
          `VRF "${name}" re-exports what it imports (a leak chain)${ends}`,
        );
      }
    }
    const e = v.expect;
    // DESIGN.md "Default table": a global table is large; a bound says how large a leak may get.
    if (v['leak-from-default'] !== undefined && e?.['max-routes'] === undefined) {
      warn(
        [...at, 'leak-from-default'],
        `the default table leaks into VRF "${name}" without a limit: set expect.max-routes`,
      );
    }
    if (!e) continue;
    (e.from ?? []).forEach((s, i) => {
      const here = [...at, 'expect', 'from', i];
      if (s.vrf !== undefined && !tables.includes(s.vrf)) {
        error([...here, 'vrf'], `VRF "${s.vrf}" is not defined${suggestion(s.vrf, tables)}`);
      } else if (s.vrf === name) {
        error([...here, 'vrf'], `a VRF does not leak into itself ("${name}")`);
      }
      const pl = s['prefix-list'];
      if (pl !== undefined && !lists.includes(pl)) {
        error(
          [...here, 'prefix-list'],
          `prefix list "${pl}" is not defined${suggestion(pl, lists)}`,
        );
      }
    });
  }
  return out;
}
