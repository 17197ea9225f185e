// The leak graph as an SVG picture, drawn the way leaking guides draw shared services: the most
// connected VRF (the hub, e.g. SHARED) in the middle, the others on a circle around it, one arrow
// per leak direction labelled with its route targets (or policy) and the routes it carries now, and
// each cycle with what it can carry under the picture. No layout engine needed: the
// graphs are small and the hub-and-spoke shape is what operators expect to see.

import type { LeakGraphView } from './vrf-source.js';

const W = 720;
const H = 560;
const CX = W / 2;
const CY = H / 2;
const R = 200;
const BOX_H = 34;

export interface NodePlace {
  readonly name: string;
  readonly x: number;
  readonly y: number;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The hub (highest degree, first on ties) in the centre, the rest evenly on a circle from the top. */
export function placeNodes(g: LeakGraphView): NodePlace[] {
  const names = [...g.vrfs];
  for (const e of g.edges) for (const n of [e.from, e.to]) if (!names.includes(n)) names.push(n);
  if (names.length === 0) return [];
  const degree = (n: string) => g.edges.filter((e) => e.from === n || e.to === n).length;
  const hub = names.reduce((a, b) => (degree(b) > degree(a) ? b : a));
  const ring = names.filter((n) => n !== hub);
  const places: NodePlace[] = [{ name: hub, x: CX, y: CY }];
  ring.forEach((name, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / ring.length;
    places.push({ name, x: Math.round(CX + R * Math.cos(a)), y: Math.round(CY + R * Math.sin(a)) });
  });
  return places;
}

const boxW = (name: string) => Math.max(80, name.length * 9 + 24);

/** Where the segment from a box's centre towards (tx, ty) leaves the box. */
function exitPoint(p: NodePlace, tx: number, ty: number): [number, number] {
  const dx = tx - p.x;
  const dy = ty - p.y;
  const hw = boxW(p.name) / 2 + 4;
  const hh = BOX_H / 2 + 4;
  const t = Math.min(dx ? hw / Math.abs(dx) : Infinity, dy ? hh / Math.abs(dy) : Infinity);
  return [p.x + dx * t, p.y + dy * t];
}

export function graphToSvg(g: LeakGraphView): string {
  const places = placeNodes(g);
  const at = new Map(places.map((p) => [p.name, p]));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#444"/></marker></defs>',
    `<title>vrfleak leak graph</title>`,
  ];
  for (const e of g.edges) {
    const a = at.get(e.from);
    const b = at.get(e.to);
    if (!a || !b) continue;
    // The two directions between a pair are drawn side by side, offset from the centre line.
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const ox = (-(b.y - a.y) / len) * 8;
    const oy = ((b.x - a.x) / len) * 8;
    const [x1, y1] = exitPoint(a, b.x, b.y);
    const [x2, y2] = exitPoint(b, a.x, a.y);
    const what = e.via === 'rt' ? e.routeTargets.join(', ') : (e.policy ?? e.via);
    // The routes the edge carries now, when the graph comes from the running daemon.
    const label = e.routes === undefined ? what : `${what} (${e.routes})`;
    const color = e.via === 'rt' ? '#1f5fa8' : e.via === 'static' ? '#8a5a00' : '#2e7d32';
    out.push(
      `<g class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}">` +
        `<line x1="${(x1 + ox).toFixed(1)}" y1="${(y1 + oy).toFixed(1)}" x2="${(x2 + ox).toFixed(1)}" y2="${(y2 + oy).toFixed(1)}" stroke="${color}" stroke-width="1.6" marker-end="url(#arrow)"/>` +
        `<text x="${((x1 + x2) / 2 + ox * 2.2).toFixed(1)}" y="${((y1 + y2) / 2 + oy * 2.2).toFixed(1)}" fill="${color}" text-anchor="middle">${esc(label)}</text></g>`,
    );
  }
  for (const p of places) {
    const w = boxW(p.name);
    const hub = p === places[0];
    out.push(
      `<g class="vrf" data-name="${esc(p.name)}">` +
        `<rect x="${p.x - w / 2}" y="${p.y - BOX_H / 2}" width="${w}" height="${BOX_H}" rx="8" fill="${hub ? '#fff3c4' : '#eef4fb'}" stroke="#333"/>` +
        `<text x="${p.x}" y="${p.y + 5}" text-anchor="middle" font-weight="${hub ? 'bold' : 'normal'}">${esc(p.name)}</text></g>`,
    );
  }
  // What each cycle can carry, under the picture (src/vrf/cycle.ts).
  (g.cycles ?? []).forEach((c, i) => {
    const why = g.cycleCarry?.[i]?.reason;
    out.push(
      `<text class="cycle" x="12" y="${H - 12 - 16 * ((g.cycles?.length ?? 1) - 1 - i)}" fill="#555">` +
        `${esc(`cycle ${[...c, c[0]].join(' -> ')}${why ? `: ${why}` : ''}`)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
