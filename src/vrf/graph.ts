// The leak graph: who leaks what to whom. VRFs and route targets are nodes; a VRF exports to an RT
// (its export RTs, and those its export map adds) and an RT is imported by VRFs; default-table
// leaks and static inter-VRF routes are edges too. Derived: VRF-to-VRF edges, their cycles with
// what allow-reexport lets travel along each (cycle.ts), and RTs exported but never imported
// locally (and the reverse: those are leaks that only a remote PE can complete).

import type { Policies } from '../policy/compile.js';
import { formatAdminPair } from '../wire/admin-pair.js';
import { extCommunityKey } from '../wire/ext-community.js';
import type { ExtCommunity } from '../wire/types.js';
import { cycleCarry, type CycleCarry } from './cycle.js';
import { DEFAULT_VRF, type VrfDef } from './defs.js';

export type { CycleCarry } from './cycle.js';

export interface LeakEdge {
  readonly from: string;
  readonly to: string;
  /** `rt` (through a route target), `default-policy`, `static`. */
  readonly via: 'rt' | 'default-policy' | 'static';
  readonly label: string;
  /** For an RT that `from`'s export map adds (set route-target), that map. */
  readonly exportMap?: string;
}

export interface LeakGraph {
  readonly vrfs: string[];
  readonly routeTargets: { rt: string; exportedBy: string[]; importedBy: string[] }[];
  readonly edges: LeakEdge[];
  readonly cycles: string[][];
  /** Per cycle (same order): whether a route can travel more than one hop along it, and why. */
  readonly cycleCarry: CycleCarry[];
  readonly exportedNotImported: string[];
  readonly importedNotExported: string[];
}

function rtText(e: ExtCommunity): string {
  return e.kind === 'raw' ? extCommunityKey(e) : formatAdminPair(e);
}

/**
 * The route targets a VRF's export map adds to its routes (`set route-target add`, or `replace`),
 * in its permit clauses: each is an export RT of the VRF for the routes that clause lets through.
 */
export function exportMapRts(v: VrfDef, policies: Policies | undefined): ExtCommunity[] {
  const map = v.exportMap === undefined ? undefined : policies?.routeMaps.get(v.exportMap);
  if (!map) return [];
  const out: ExtCommunity[] = [];
  for (const c of map.clauses) {
    const set = c.action === 'permit' ? c.sets?.routeTarget : undefined;
    for (const e of [...(set?.add ?? []), ...(set?.reset ?? [])]) {
      if (e.kind === 'route-target' && !out.some((x) => extCommunityKey(x) === extCommunityKey(e)))
        out.push(e);
    }
  }
  return out;
}

export function leakGraph(vrfs: readonly VrfDef[], policies?: Policies): LeakGraph {
  const rts = new Map<string, { rt: string; exportedBy: string[]; importedBy: string[] }>();
  /** RT key|VRF -> the export map that adds it (when the VRF's own export RTs do not have it). */
  const byMap = new Map<string, string>();
  const slot = (e: ExtCommunity) => {
    const k = extCommunityKey(e);
    let s = rts.get(k);
    if (!s) rts.set(k, (s = { rt: rtText(e), exportedBy: [], importedBy: [] }));
    return s;
  };
  for (const v of vrfs) {
    for (const e of v.exportRts) slot(e).exportedBy.push(v.name);
    for (const e of exportMapRts(v, policies)) {
      const s = slot(e);
      if (s.exportedBy.includes(v.name)) continue;
      s.exportedBy.push(v.name);
      byMap.set(`${extCommunityKey(e)}|${v.name}`, v.exportMap!);
    }
    for (const e of v.importRts) slot(e).importedBy.push(v.name);
  }
  const edges: LeakEdge[] = [];
  for (const [k, s] of rts) {
    for (const a of s.exportedBy) {
      const exportMap = byMap.get(`${k}|${a}`);
      for (const b of s.importedBy) {
        if (a !== b)
          edges.push({
            from: a,
            to: b,
            via: 'rt',
            label: s.rt,
            ...(exportMap ? { exportMap } : {}),
          });
      }
    }
  }
  for (const v of vrfs) {
    if (v.leakFromDefault) {
      edges.push({
        from: DEFAULT_VRF,
        to: v.name,
        via: 'default-policy',
        label: v.leakFromDefault.policy,
      });
    }
    if (v.leakToDefault) {
      edges.push({
        from: v.name,
        to: DEFAULT_VRF,
        via: 'default-policy',
        label: v.leakToDefault.policy,
      });
    }
    for (const s of v.statics) {
      if (s.nextHopVrf !== undefined && s.nextHopVrf !== v.name) {
        // Traffic for the prefix goes from v to the next-hop VRF: the route points there.
        edges.push({ from: s.nextHopVrf, to: v.name, via: 'static', label: 'static' });
      }
    }
  }
  const cycles = findCycles(edges);
  return {
    vrfs: vrfs.map((v) => v.name),
    routeTargets: [...rts.values()],
    edges,
    cycles,
    cycleCarry: cycles.map((c) => cycleCarry(c, vrfs)),
    exportedNotImported: [...rts.values()]
      .filter((s) => s.importedBy.length === 0)
      .map((s) => s.rt),
    importedNotExported: [...rts.values()]
      .filter((s) => s.exportedBy.length === 0)
      .map((s) => s.rt),
  };
}

/** Elementary cycles of the VRF graph (Johnson-style DFS; the graphs here are small). */
function findCycles(edges: readonly LeakEdge[]): string[][] {
  const adj = new Map<string, Set<string>>();
  for (const e of edges) {
    let s = adj.get(e.from);
    if (!s) adj.set(e.from, (s = new Set()));
    s.add(e.to);
  }
  const nodes = [...new Set([...adj.keys(), ...edges.map((e) => e.to)])].sort();
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const start of nodes) {
    const path: string[] = [start];
    const walk = (n: string): void => {
      for (const m of adj.get(n) ?? []) {
        if (m === start) {
          const key = [...path].sort().join('|') + '#' + path.length;
          if (!seen.has(key) && path.length > 1) {
            seen.add(key);
            out.push([...path]);
          }
        } else if (!path.includes(m) && m > start && path.length < 16) {
          path.push(m);
          walk(m);
          path.pop();
        }
      }
    };
    walk(start);
  }
  return out;
}

/** Graphviz DOT of the graph (RT nodes as boxes between the VRFs). */
export function leakGraphDot(g: LeakGraph): string {
  const q = (s: string): string => JSON.stringify(s);
  const lines = ['digraph leaks {', '  rankdir=LR;', '  node [shape=ellipse];'];
  for (const v of g.vrfs) lines.push(`  ${q(v)};`);
  for (const r of g.routeTargets) {
    lines.push(`  ${q('rt ' + r.rt)} [shape=box, label=${q('RT ' + r.rt)}];`);
    for (const a of r.exportedBy) lines.push(`  ${q(a)} -> ${q('rt ' + r.rt)} [label="export"];`);
    for (const b of r.importedBy) lines.push(`  ${q('rt ' + r.rt)} -> ${q(b)} [label="import"];`);
  }
  for (const e of g.edges) {
    if (e.via !== 'rt')
      lines.push(`  ${q(e.from)} -> ${q(e.to)} [style=dashed, label=${q(e.label)}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}
