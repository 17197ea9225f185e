// The narrow interface between the API and the VRF layer. The API, the metrics and the CLI read VRFs,
// leak conflicts, the leak graph and explanations only through VrfSource. configVrfSource answers
// from the running config (RD, RTs, policies, label) and the RIB's per-VRF views; vrf-engine.ts
// adds what needs the leak engine (conflicts, explain, the full graph).

import type { Config } from '../config/schema.js';
import type { Daemon } from '../daemon/daemon.js';
import { daemonOptionsFromConfig } from '../daemon/from-config.js';
import { tableView, type RouteView } from '../daemon/views.js';
import type { FamilyName } from '../wire/afi.js';
import type { ViolationView } from '../vrf/violation-view.js';

export type { ViolationView } from '../vrf/violation-view.js';

export interface VrfView {
  name: string;
  rd: string;
  label: number;
  importRts: string[];
  exportRts: string[];
  importTags: string[];
  exportTag: string | null;
  importMap: string | null;
  exportMap: string | null;
  conflict: 'prefer-local' | 'best-path';
  allowReexport: boolean;
  interfaces: { name: string; address: string }[];
  /** Destinations per address family in the VRF's table; null before the VRF layer builds it. */
  routes: { ipv4: number | null; ipv6: number | null };
}

export interface ConflictView {
  vrf: string;
  prefix: string;
  /** Where the route that won came from (`connected`, `static`, `local`, `bgp`, `leaked`). */
  winner: string;
  loser: string;
  fromVrf: string | null;
}

export interface LeakEdge {
  from: string;
  to: string;
  /** `rt` (route targets), `default-policy` (default table through a policy), `static`. */
  via: 'rt' | 'default-policy' | 'static';
  routeTargets: string[];
  policy: string | null;
  /** Export maps of `from` that add some of routeTargets (set route-target), when known. */
  exportMaps?: string[];
  /** Routes the edge carries now (paths in `to`'s tables leaked along it), when known. */
  routes?: number;
}

/** A cycle of the graph and what it can carry (src/vrf/cycle.ts). */
export interface CycleView {
  vrfs: string[];
  /** Whether a route can travel more than one hop along it; none ever goes all the way round. */
  carries: boolean;
  reexporters: string[];
  maxHops: number;
  reason: string;
}

export interface LeakGraphView {
  vrfs: string[];
  edges: LeakEdge[];
  /** VRF cycles (each a list of names), when known. */
  cycles?: string[][];
  /** The same cycles (same order) with what allow-reexport lets travel along each, when known. */
  cycleCarry?: CycleView[];
}

export type { CeAdvertiseView } from './explain-ce.js';
import type { CeAdvertiseView } from './explain-ce.js';

export interface ExplainView {
  vrf: string;
  prefix: string;
  present: boolean;
  /** One line per step of the reasoning, in order. */
  steps: string[];
  /** The leak engine's structured answer (src/vrf/explain.ts), when it runs. */
  candidates?: unknown[];
  /** Whether each neighbor bound to the VRF is sent its best route, or why not (explain-ce.ts). */
  advertised?: CeAdvertiseView[];
}

export interface VrfSource {
  vrfs(): VrfView[];
  /** The paths of a VRF's table, best first per destination; undefined for an unknown VRF. */
  vrfRoutes(name: string, family: 'ipv4' | 'ipv6'): RouteView[] | undefined;
  conflicts(): ConflictView[];
  /** What the leak monitor finds against the VRFs' `expect` sections now (issue 16). */
  violations(): ViolationView[];
  graph(): LeakGraphView;
  explain(vrf: string, prefix: string): ExplainView | undefined;
}

function countOf(d: Daemon, view: string, f: FamilyName): number | null {
  if (!d.rib.hasView(view)) return null;
  try {
    return d.rib.table(f, view).size;
  } catch {
    return null;
  }
}

/**
 * VRFs as the config declares them. The graph is derived from RT equality alone (an edge A -> B when
 * one of A's export RTs is one of B's import RTs); conflicts and explain need the leak engine.
 */
export function configVrfSource(config: () => Config, daemon: Daemon): VrfSource {
  const exportsOf = (v: Config['vrfs'][string]): string[] => [
    ...v['route-targets'].export,
    ...(v['export-tag'] !== undefined ? [v['export-tag']] : []),
  ];
  const importsOf = (v: Config['vrfs'][string]): string[] => [
    ...v['route-targets'].import,
    ...v['import-tags'],
  ];
  return {
    vrfs() {
      const c = config();
      const labels = new Map(daemonOptionsFromConfig(c).vrfs.map((v) => [v.name, v.label]));
      return Object.entries(c.vrfs).map(([name, v]) => ({
        name,
        rd: v.rd,
        label: labels.get(name) ?? 0,
        importRts: [...v['route-targets'].import],
        exportRts: [...v['route-targets'].export],
        importTags: [...v['import-tags']],
        exportTag: v['export-tag'] ?? null,
        importMap: v['import-map'] ?? null,
        exportMap: v['export-map'] ?? null,
        conflict: v.conflict,
        allowReexport: v['allow-reexport'],
        interfaces: v.interfaces.map((i) => ({ name: i.name, address: i.address })),
        routes: { ipv4: countOf(daemon, name, 'ipv4'), ipv6: countOf(daemon, name, 'ipv6') },
      }));
    },
    vrfRoutes(name, family) {
      if (!(name in config().vrfs)) return undefined;
      if (!daemon.rib.hasView(name)) return [];
      return tableView(daemon.rib.table(family, name).dests.values(), family, daemon.fibSync);
    },
    // Conflicts and violations need the leak engine: see vrf-engine.ts.
    conflicts: () => [],
    violations: () => [],
    graph() {
      const c = config();
      const names = Object.keys(c.vrfs);
      const edges: LeakEdge[] = [];
      for (const [from, a] of Object.entries(c.vrfs)) {
        const out = exportsOf(a);
        for (const [to, b] of Object.entries(c.vrfs)) {
          if (to === from) continue;
          const rts = importsOf(b).filter((rt) => out.includes(rt));
          if (rts.length)
            edges.push({ from, to, via: 'rt', routeTargets: rts, policy: b['import-map'] ?? null });
        }
      }
      return { vrfs: names, edges };
    },
    explain(vrf, prefix) {
      if (!(vrf in config().vrfs)) return undefined;
      return {
        vrf,
        prefix,
        present: false,
        steps: ['explain needs the leak engine (src/vrf), which this daemon does not run yet'],
      };
    },
  };
}
