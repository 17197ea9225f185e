// The leak graph from what runs (issue 16 point 4): edges from route targets an export map adds,
// each edge with the routes it carries now, and each cycle with what allow-reexport lets travel
// along it; the JSON, text, DOT and SVG forms all say so.

import { describe, expect, it } from 'vitest';
import { graphToDot } from '../../src/api/graph.js';
import { graphToSvg } from '../../src/api/svg.js';
import { formatGraph } from '../../src/cli/format.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { cycleCarry } from '../../src/vrf/cycle.js';
import { world } from '../config/keys-world.js';
import { vrfDef } from './helpers.js';

/**
 * A's two routes leak to B (65000:1); B re-exports them to C (65000:2); C's export map adds
 * 65000:3, which B imports: C's route reaches B only through that map. B <-> C is a cycle.
 */
const CONFIG = {
  asn: 65000,
  'router-id': '10.0.0.1',
  policy: {
    'route-maps': {
      'ADD-RT': [{ seq: 10, action: 'permit', set: { 'route-target': { add: ['65000:3'] } } }],
    },
  },
  vrfs: {
    A: {
      rd: '65000:1',
      'route-targets': { export: ['65000:1'] },
      networks: ['10.1.0.0/24', '10.1.1.0/24'],
    },
    B: {
      rd: '65000:2',
      'route-targets': { import: ['65000:1', '65000:3'], export: ['65000:2'] },
      'allow-reexport': true,
    },
    C: {
      rd: '65000:3',
      'route-targets': { import: ['65000:2'], export: [] },
      'export-map': 'ADD-RT',
      networks: ['10.3.0.0/24'],
    },
  },
} as ConfigInput;

describe('leak graph from the running daemon', () => {
  it('has the export map edge, live route counts, and says what the cycle carries', async () => {
    const w = await world(CONFIG);
    try {
      const g = w.service.vrf.graph();
      const edges = g.edges.map((e) => ({
        e: `${e.from}->${e.to} ${e.via} ${e.routeTargets.join(',')}`,
        maps: e.exportMaps,
        routes: e.routes,
      }));
      expect(edges).toEqual([
        { e: 'A->B rt 65000:1', maps: [], routes: 2 },
        { e: 'B->C rt 65000:2', maps: [], routes: 2 },
        { e: 'C->B rt 65000:3', maps: ['ADD-RT'], routes: 1 },
      ]);
      expect(g.cycles).toEqual([['B', 'C']]);
      expect(g.cycleCarry).toEqual([
        {
          vrfs: ['B', 'C'],
          carries: false,
          reexporters: ['B'],
          maxHops: 1,
          reason: 'B re-exports, but a route never goes back into its source VRF: one hop only',
        },
      ]);
      expect(formatGraph(g)).toBe(
        [
          'VRFs: A, B, C',
          '  A -> B  [65000:1], 2 routes',
          '  B -> C  [65000:2], 2 routes',
          '  C -> B  [65000:3] export-map ADD-RT, 1 route',
          '  cycle: B -> C -> B: B re-exports, but a route never goes back into its source VRF: one hop only',
          '',
        ].join('\n'),
      );
      expect(graphToDot(g)).toContain('"C" -> "B" [label="65000:3\\n1 route"];');
      expect(graphToDot(g)).toContain('  // cycle: B -> C -> B: B re-exports');
      const svg = graphToSvg(g);
      expect(svg).toContain('>65000:1 (2)</text>');
      expect(svg).toContain('<text class="cycle"');

      // Live: a route more in A travels both edges; when it goes, they carry what they did.
      w.service.addVrfRoute('A', { prefix: '10.1.2.0/24' });
      w.settle();
      expect(w.service.vrf.graph().edges.map((e) => e.routes)).toEqual([3, 3, 1]);
      w.service.deleteVrfRoute('A', { prefix: '10.1.2.0/24' });
      w.settle();
      expect(w.service.vrf.graph().edges.map((e) => e.routes)).toEqual([2, 2, 1]);
    } finally {
      await w.stop();
    }
  });

  it('a cycle carries a route more than one hop only through re-exporting VRFs, never round', () => {
    const def = (n: string, allowReexport = false) => vrfDef(n, { rd: '1:1', allowReexport });
    expect(cycleCarry(['A', 'B', 'C'], [def('A'), def('B'), def('C')])).toMatchObject({
      carries: false,
      maxHops: 1,
    });
    expect(cycleCarry(['A', 'B', 'C'], [def('A'), def('B', true), def('C')])).toEqual({
      carries: true,
      reexporters: ['B'],
      maxHops: 2,
      reason: 'B re-exports: a route travels up to 2 hops along it, never back into its source VRF',
    });
    // Everyone re-exports: still never back into the source, so at most two of three edges.
    expect(
      cycleCarry(['A', 'B', 'C'], [def('A', true), def('B', true), def('C', true)]).maxHops,
    ).toBe(2);
    // The default table passes on what leaked into it.
    expect(cycleCarry(['A', 'B', 'default'], [def('A'), def('B')]).maxHops).toBe(2);
  });
});
