// bench/scaling.svg: the scaling curve (issue 13), one line per device against the number of
// routes on a log axis, one row of panels per workload (transit, realistic; their cells of the
// fewest RDs): convergence and CPU seconds (log axes: 10k to 3M spans 300x), CPU microseconds per
// route and peak-RSS bytes per route. Flat or falling per-route lines are the target. A cell a
// device did not finish has no point; the footer names it and why.

import type { CellResult } from './cell.js';
import {
  bytesPerRoute,
  COLOR,
  count,
  cpuUsPerRoute,
  failure,
  LABEL,
  ok,
  scalingRows,
} from './cells.js';
import type { DutKind } from './duts.js';

interface Panel {
  readonly title: string;
  readonly value: (r: CellResult) => number | null;
  readonly log: boolean;
}

const PANELS: readonly Panel[] = [
  {
    title: 'Convergence (s)',
    value: (r) => (r.convergeMs === null ? null : r.convergeMs / 1000),
    log: true,
  },
  { title: 'CPU (s)', value: (r) => r.cpuSec, log: true },
  { title: 'CPU per route (µs)', value: cpuUsPerRoute, log: false },
  { title: 'Peak RSS per route (bytes)', value: bytesPerRoute, log: false },
];

const WORKLOADS = ['transit', 'realistic'] as const;
const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2));
const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const PANEL_W = 260;
const PANEL_H = 200;
const ROW_H = PANEL_H + 70;

export function renderScalingSvg(results: readonly CellResult[]): string {
  const rowsOf = WORKLOADS.map((w) => ({ w, rows: scalingRows(results, w) })).filter(
    (x) => x.rows.length > 0,
  );
  const kinds = [...new Set(rowsOf.flatMap((x) => x.rows.map((r) => r.dut)))] as DutKind[];
  const missed = rowsOf.flatMap((x) =>
    x.rows
      .filter((r) => !ok(r))
      .map((r) => `${x.w} ${count(r.routes)} ${LABEL[r.dut]}: ${failure(r)}`),
  );
  const width = 40 + PANELS.length * (PANEL_W + 50);
  const height = 40 + Math.max(1, rowsOf.length) * ROW_H + 20 + missed.length * 14;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  kinds.forEach((k, i) => {
    out.push(`<rect x="${40 + i * 110}" y="10" width="12" height="12" fill="${COLOR[k]}"/>`);
    out.push(`<text x="${56 + i * 110}" y="20">${LABEL[k]}</text>`);
  });
  if (rowsOf.length === 0) {
    out.push('<text x="40" y="60">No transit or realistic cell ran.</text>', '</svg>');
    return out.join('\n') + '\n';
  }
  rowsOf.forEach(({ w, rows }, ri) => {
    const top = 60 + ri * ROW_H;
    out.push(
      `<text x="10" y="${top}" font-size="13" font-weight="bold">${w}, ${rows[0]!.rds} RDs</text>`,
    );
    PANELS.forEach((p, pi) => panel(out, p, rows, kinds, 50 + pi * (PANEL_W + 50), top + 24));
  });
  const foot = 40 + rowsOf.length * ROW_H;
  out.push(
    `<text x="10" y="${foot}" fill="#666">Routes on a log axis. Per-route cost flat or falling ` +
      'with size is the target. Not finished (no point):' +
      (missed.length === 0 ? ' none.' : '') +
      '</text>',
  );
  missed.forEach((m, i) =>
    out.push(`<text x="20" y="${foot + 14 * (i + 1)}" fill="#666">${esc(m)}</text>`),
  );
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function panel(
  out: string[],
  p: Panel,
  rows: readonly CellResult[],
  kinds: readonly DutKind[],
  left: number,
  top: number,
): void {
  const sizes = [...new Set(rows.map((r) => r.routes))].sort((a, b) => a - b);
  const base = top + PANEL_H;
  const lo = Math.log10(sizes[0]!);
  const hi = Math.log10(sizes[sizes.length - 1]!);
  const xOf = (n: number): number =>
    hi === lo
      ? left + PANEL_W / 2
      : left + 10 + ((Math.log10(n) - lo) / (hi - lo)) * (PANEL_W - 30);
  const values = rows
    .filter(ok)
    .map(p.value)
    .filter((v): v is number => v !== null && v > 0);
  const max = Math.max(1e-9, ...values) * 1.15;
  const min = p.log ? Math.max(1e-3, Math.min(...values) / 1.5) : 0;
  const yOf = (v: number): number =>
    p.log
      ? base -
        ((Math.log10(Math.max(v, min)) - Math.log10(min)) / Math.log10(max / min)) * (PANEL_H - 10)
      : base - (v / max) * (PANEL_H - 10);
  out.push(
    `<text x="${left}" y="${top - 6}" font-size="12">${p.title}${p.log ? ', log' : ''}</text>`,
  );
  out.push(`<line x1="${left}" y1="${base}" x2="${left + PANEL_W}" y2="${base}" stroke="#444"/>`);
  out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${base}" stroke="#444"/>`);
  out.push(
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end" font-size="9">${fmt(max)}</text>`,
  );
  if (p.log) {
    out.push(
      `<text x="${left - 4}" y="${base}" text-anchor="end" font-size="9">${fmt(min)}</text>`,
    );
  }
  for (const n of sizes) {
    out.push(
      `<text x="${xOf(n).toFixed(1)}" y="${base + 14}" text-anchor="middle" font-size="9">${count(n)}</text>`,
    );
  }
  for (const k of kinds) {
    const pts = rows
      .filter((r) => r.dut === k && ok(r))
      .map((r) => ({ n: r.routes, v: p.value(r) }))
      .filter((x): x is { n: number; v: number } => x.v !== null);
    if (pts.length === 0) continue;
    const d = pts.map((x) => `${xOf(x.n).toFixed(1)},${yOf(x.v).toFixed(1)}`).join(' ');
    out.push(`<polyline points="${d}" fill="none" stroke="${COLOR[k]}" stroke-width="2"/>`);
    for (const x of pts) {
      out.push(
        `<circle cx="${xOf(x.n).toFixed(1)}" cy="${yOf(x.v).toFixed(1)}" r="3" fill="${COLOR[k]}"/>`,
        `<text x="${(xOf(x.n) + 4).toFixed(1)}" y="${(yOf(x.v) - 4).toFixed(1)}" font-size="8" fill="${COLOR[k]}">${fmt(x.v)}</text>`,
      );
    }
  }
}
