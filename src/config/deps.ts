// The dependency graph of reconfiguration (DESIGN.md "Reload equals restart"): what a policy edit
// reaches. Lists (prefix, community, ext-community, large-community) are read by route maps in
// their match clauses; route maps are read by VRF import/export maps, default-table leak policies
// and neighbor route-map-in/out. An edit of a list therefore changes every route map that matches
// on it, and through them every consumer, although the route maps' own text did not change.
// Computed here, once, for every reload path (src/api/apply.ts).

import type { Config, NeighborConfig, RouteMapEntry, VrfConfig } from './schema.js';
import type { PolicySection } from './diff.js';
import { sameValue } from './same-value.js';

export type ListSection = Exclude<PolicySection, 'route-maps'>;

/** The match key of a route-map clause that names a list of each section. */
const MATCH_KEY: Readonly<Record<ListSection, keyof NonNullable<RouteMapEntry['match']>>> = {
  'prefix-lists': 'prefix-list',
  'community-lists': 'community-list',
  'ext-community-lists': 'ext-community-list',
  'large-community-lists': 'large-community-list',
};

const LIST_SECTIONS = Object.keys(MATCH_KEY) as ListSection[];

export type VrfMapRole = 'import-map' | 'export-map' | 'leak-from-default' | 'leak-to-default';

/** A consumer of a route map, and the role it plays there. */
export type MapConsumer =
  | { readonly kind: 'vrf'; readonly vrf: string; readonly role: VrfMapRole }
  | { readonly kind: 'neighbor'; readonly address: string; readonly role: 'in' | 'out' };

/** What a set of policy edits reaches, transitively. */
export interface PolicyImpact {
  /** Lists added, removed or edited, as `section/name`. */
  readonly lists: ReadonlySet<string>;
  /** Route maps that may now decide differently: edited, added, removed, or matching on a changed list. */
  readonly routeMaps: ReadonlySet<string>;
  /** Why each route map is in routeMaps: `edited`, or the changed lists it matches on. */
  readonly why: ReadonlyMap<string, readonly string[]>;
  /** The consumers (in the next config) of those route maps. */
  readonly consumers: readonly MapConsumer[];
}

/** The lists a route map's clauses match on, as `section/name`. */
export function listsOf(map: readonly RouteMapEntry[]): string[] {
  const out = new Set<string>();
  for (const clause of map) {
    for (const section of LIST_SECTIONS) {
      const name = clause.match?.[MATCH_KEY[section]];
      if (typeof name === 'string') out.add(`${section}/${name}`);
    }
  }
  return [...out];
}

/** The route maps a VRF names, by role. */
export function vrfMaps(v: VrfConfig): [VrfMapRole, string][] {
  const out: [VrfMapRole, string | undefined][] = [
    ['import-map', v['import-map']],
    ['export-map', v['export-map']],
    ['leak-from-default', v['leak-from-default']?.policy],
    ['leak-to-default', v['leak-to-default']?.policy],
  ];
  return out.filter((x): x is [VrfMapRole, string] => x[1] !== undefined);
}

function neighborMaps(n: NeighborConfig): ['in' | 'out', string][] {
  const out: ['in' | 'out', string | undefined][] = [
    ['in', n['route-map-in']],
    ['out', n['route-map-out']],
  ];
  return out.filter((x): x is ['in' | 'out', string] => x[1] !== undefined);
}

function changedNames(o: Record<string, unknown>, n: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(o), ...Object.keys(n)]);
  return [...names].filter((k) => !(k in o) || !(k in n) || !sameValue(o[k], n[k]));
}

/**
 * Follows the graph list -> route map -> consumer from the policy edits between two configs.
 * A route map counts as changed when its clauses differ or when a list it matches on (in the old
 * or the next config) was added, removed or edited.
 */
export function policyImpact(old: Config, next: Config): PolicyImpact {
  const lists = new Set<string>();
  for (const section of LIST_SECTIONS) {
    for (const name of changedNames(old.policy[section], next.policy[section])) {
      lists.add(`${section}/${name}`);
    }
  }
  const why = new Map<string, string[]>();
  const note = (map: string, reason: string): void => {
    const r = why.get(map);
    if (r) r.push(reason);
    else why.set(map, [reason]);
  };
  for (const name of changedNames(old.policy['route-maps'], next.policy['route-maps'])) {
    note(name, 'edited');
  }
  for (const cfg of [old, next]) {
    for (const [name, map] of Object.entries(cfg.policy['route-maps'])) {
      for (const l of listsOf(map)) {
        if (lists.has(l) && !why.get(name)?.includes(l)) note(name, l);
      }
    }
  }
  const consumers: MapConsumer[] = [];
  for (const [vrf, v] of Object.entries(next.vrfs)) {
    for (const [role, map] of vrfMaps(v)) {
      if (why.has(map)) consumers.push({ kind: 'vrf', vrf, role });
    }
  }
  for (const n of next.neighbors) {
    for (const [role, map] of neighborMaps(n)) {
      if (why.has(map)) consumers.push({ kind: 'neighbor', address: n.address, role });
    }
  }
  return { lists, routeMaps: new Set(why.keys()), why, consumers };
}
