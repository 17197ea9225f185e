// The leak graph's edges as they run: how many routes each one carries now, read from the tables
// when the graph is asked for (an API read, not a change: nothing is counted on the hot path). A
// path leaked from VRF A (origin leaked, fromVrf A) in VRF B's table was carried by A -> B: by a
// route target, or by the default table's policy when A is `default`; a static inter-VRF route in
// B whose next hop resolves in A points along A -> B; a path leaked from A in the global unicast
// tables went A -> default.

import { GLOBAL_VIEW, type Rib } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';
import { DEFAULT_VRF } from './defs.js';
import type { LeakEdge } from './graph.js';

const UNICAST: readonly FamilyName[] = ['ipv4', 'ipv6'];

/** `from|to|via` of an edge, the key of liveEdgeRoutes. */
export function edgeKey(e: Pick<LeakEdge, 'from' | 'to' | 'via'>): string {
  return `${e.from}|${e.to}|${e.via}`;
}

/** Paths carried now per edge key, over the VRFs' tables and the global unicast tables. */
export function liveEdgeRoutes(rib: Rib, vrfs: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const add = (k: string) => out.set(k, (out.get(k) ?? 0) + 1);
  for (const view of [...vrfs, GLOBAL_VIEW]) {
    if (!rib.hasView(view)) continue;
    const to = view === GLOBAL_VIEW ? DEFAULT_VRF : view;
    for (const f of UNICAST) {
      for (const d of rib.table(f, view).dests.values()) {
        for (const p of d.paths) {
          const o = p.origin;
          if (o.kind === 'leaked') {
            const via = o.fromVrf === DEFAULT_VRF || to === DEFAULT_VRF ? 'default-policy' : 'rt';
            add(edgeKey({ from: o.fromVrf, to, via }));
          } else if (o.kind === 'local' && o.nextHopVrf !== undefined && o.nextHopVrf !== to) {
            add(edgeKey({ from: o.nextHopVrf, to, via: 'static' }));
          }
        }
      }
    }
  }
  return out;
}
