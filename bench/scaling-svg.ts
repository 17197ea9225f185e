// bench/scaling.svg: the scaling curve (issue 13), one line per device over the transit cells of
// the fewest RDs, against the number of routes on a log axis: convergence seconds, CPU
// microseconds per route and peak-RSS bytes per route. A line that stays flat or falls is the
// target for the per-route panels.

import type { CellResult } from './cell.js';
import type { DutKind } from './duts.js';
import { bytesPerRoute, COLOR, LABEL, scalingRows } from './report.js';

interface Panel {
  readonly title: string;
  readonly value: (r: CellResult) => number | null;
}

const PANELS: readonly Panel[] = [
  { title: 'Convergence (s)', value: (r) => (r.convergeMs === null ? null : r.convergeMs / 1000) },
  {
    title: 'CPU per route (µs)',
    value: (r) => (r.cpuSec === null ? null : (r.cpuSec * 1e6) / r.routes),
  },
  { title: 'Peak RSS per route (bytes)', value: bytesPerRoute },
];

const fmt = (v: number): string => (v >= 100 ? v.toFixed(0) : v.toFixed(v >= 10 ? 1 : 2));
const count = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

export function renderScalingSvg(results: readonly CellResult[]): string {
  const rows = scalingRows(results);
  const kinds = [...new Set(rows.map((r) => r.dut))] as DutKind[];
  const sizes = [...new Set(rows.map((r) => r.routes))].sort((a, b) => a - b);
  const panelW = 300;
  const panelH = 220;
  const width = 40 + PANELS.length * (panelW + 40);
  const height = 60 + panelH + 50;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  kinds.forEach((k, i) => {
    out.push(`<rect x="${40 + i * 110}" y="10" width="12" height="12" fill="${COLOR[k]}"/>`);
    out.push(`<text x="${56 + i * 110}" y="20">${LABEL[k]}</text>`);
  });
  if (sizes.length === 0) {
    out.push('<text x="40" y="60">No transit cell completed.</text>', '</svg>');
    return out.join('\n') + '\n';
  }
  const lo = Math.log10(sizes[0]!);
  const hi = Math.log10(sizes[sizes.length - 1]!);
  PANELS.forEach((p, pi) => {
    const left = 50 + pi * (panelW + 40);
    const top = 50;
    const base = top + panelH;
    const xOf = (n: number): number =>
      hi === lo ? left + panelW / 2 : left + ((Math.log10(n) - lo) / (hi - lo)) * (panelW - 20);
    const values = rows.map(p.value).filter((v): v is number => v !== null && v > 0);
    const max = Math.max(1e-9, ...values) * 1.1;
    const yOf = (v: number): number => base - (v / max) * (panelH - 20);
    out.push(
      `<text x="${left}" y="${top - 8}" font-size="13" font-weight="bold">${p.title}</text>`,
    );
    out.push(`<line x1="${left}" y1="${base}" x2="${left + panelW}" y2="${base}" stroke="#444"/>`);
    out.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${base}" stroke="#444"/>`);
    out.push(
      `<text x="${left - 4}" y="${top + 4}" text-anchor="end" font-size="9">${fmt(max)}</text>`,
    );
    for (const n of sizes) {
      out.push(
        `<text x="${xOf(n).toFixed(1)}" y="${base + 14}" text-anchor="middle" font-size="9">${count(n)}</text>`,
      );
    }
    for (const k of kinds) {
      const pts = rows
        .filter((r) => r.dut === k)
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
  });
  out.push(
    `<text x="10" y="${height - 8}" fill="#666">Transit, ${rows[0]!.rds} RDs; routes on a log axis. ` +
      'Per-route cost flat or falling with size is the target.</text>',
    '</svg>',
  );
  return out.join('\n') + '\n';
}
