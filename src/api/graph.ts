// The leak graph as Graphviz DOT: VRFs as nodes, one edge per leak direction labelled with the
// route targets (and the import map) that carry it and the routes it carries now; each cycle as a
// comment saying what it can carry.

import type { LeakGraphView } from './vrf-source.js';

const q = (s: string) => JSON.stringify(s);

export function graphToDot(g: LeakGraphView): string {
  const lines = ['digraph leaks {', '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  for (const v of g.vrfs) lines.push(`  ${q(v)};`);
  for (const e of g.edges) {
    const what =
      e.via === 'rt' ? e.routeTargets.join(', ') : e.via === 'static' ? 'static' : 'default';
    const routes = e.routes === undefined ? '' : `\\n${e.routes} route${e.routes === 1 ? '' : 's'}`;
    const label = what + (e.policy ? `\\n${e.policy}` : '') + routes;
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(label).replace(/\\\\n/g, '\\n')}];`);
  }
  (g.cycles ?? []).forEach((c, i) => {
    const why = g.cycleCarry?.[i]?.reason;
    lines.push(`  // cycle: ${[...c, c[0]].join(' -> ')}${why ? `: ${why}` : ''}`);
  });
  lines.push('}');
  return lines.join('\n') + '\n';
}
