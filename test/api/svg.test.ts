// The leak graph picture: the hub in the middle, the spokes on a circle, one arrow per direction.

import { describe, expect, it } from 'vitest';
import { graphToSvg, placeNodes } from '../../src/api/svg.js';
import type { LeakGraphView } from '../../src/api/vrf-source.js';

const rt = (from: string, to: string, r: string) => ({
  from,
  to,
  via: 'rt' as const,
  routeTargets: [r],
  policy: null,
});

// SHARED exports 65000:100 to three customers and imports each customer's RT back.
const g: LeakGraphView = {
  vrfs: ['CUST-A', 'SHARED', 'CUST-B', 'CUST-C'],
  edges: [
    rt('SHARED', 'CUST-A', '65000:100'),
    rt('SHARED', 'CUST-B', '65000:100'),
    rt('SHARED', 'CUST-C', '65000:100'),
    rt('CUST-A', 'SHARED', '65000:10'),
    rt('CUST-B', 'SHARED', '65000:20'),
    rt('CUST-C', 'SHARED', '65000:30'),
  ],
};

describe('leak graph SVG', () => {
  it('puts the most connected VRF in the centre and the others on a circle from the top', () => {
    // Canvas 720x560: centre (360, 280), radius 200; spokes at -90, 30 and 150 degrees:
    // (360, 80), (360 + 200 cos 30 = 533.2, 280 + 200 sin 30 = 380), (186.8, 380).
    expect(placeNodes(g)).toEqual([
      { name: 'SHARED', x: 360, y: 280 },
      { name: 'CUST-A', x: 360, y: 80 },
      { name: 'CUST-B', x: 533, y: 380 },
      { name: 'CUST-C', x: 187, y: 380 },
    ]);
  });

  it('draws one box per VRF and one labelled arrow per direction', () => {
    const svg = graphToSvg(g);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    expect(svg.match(/<g class="vrf"/g)).toHaveLength(4);
    expect(svg.match(/<g class="edge"/g)).toHaveLength(6);
    expect(svg.match(/marker-end="url\(#arrow\)"/g)).toHaveLength(6);
    // The hub is highlighted; its box is centred on (360, 280): width 6*9+24 = 80 -> x 320.
    expect(svg).toContain('<rect x="320" y="263" width="80" height="34" rx="8" fill="#fff3c4"');
    expect(svg).toContain('>65000:100</text>');
    expect(svg).toContain('>65000:30</text>');
  });

  it('escapes names and draws an empty picture for no VRFs', () => {
    const svg = graphToSvg({ vrfs: ['A&B'], edges: [] });
    expect(svg).toContain('>A&amp;B</text>');
    expect(graphToSvg({ vrfs: [], edges: [] })).not.toContain('<g class="vrf"');
  });
});
