// The figures of a run's cells, shared by RESULTS.md (report.ts), its targets (targets.ts) and the
// charts (report.ts, scaling-svg.ts): cell names, grouping, per-route costs, formatting.

import type { CellResult, Workload } from './cell.js';
import type { DutKind } from './duts.js';

export const LABEL: Record<DutKind, string> = {
  vrfleak: 'vrfleak',
  bird: 'BIRD',
  frr: 'FRR bgpd',
  gobgp: 'GoBGP',
};
export const COLOR: Record<DutKind, string> = {
  vrfleak: '#2b7bb9',
  bird: '#8e44ad',
  frr: '#d9822b',
  gobgp: '#3a9e5a',
};

/** Seconds from milliseconds, 2 decimals; a dash when not measured. */
export const s = (ms: number | null): string => (ms === null ? '—' : (ms / 1000).toFixed(2));
export const mib = (kib: number | null): string => (kib === null ? '—' : (kib / 1024).toFixed(0));
export const gib = (kib: number): string => (kib / 2 ** 20).toFixed(kib < 2 ** 20 ? 2 : 1);
export const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined || b === 0 ? null : a / b;
export const fmtRatio = (r: number | null): string => (r === null ? '—' : `${r.toFixed(2)}x`);
export const count = (n: number): string => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

const WORKLOAD_ORDER: readonly Workload[] = ['transit', 'realistic', 'rr'];
export const workloadOf = (c: { workload?: Workload }): Workload => c.workload ?? 'transit';

/** One name per cell: workload, size, RDs, and for the reflector its receiving clients. */
export const cellKey = (c: {
  workload?: Workload;
  routes: number;
  rds: number;
  clients?: number;
}): string =>
  `${workloadOf(c)} ${count(c.routes)} routes / ${c.rds} RDs` +
  (c.clients !== undefined ? ` / ${c.clients} clients` : '');

/** The results grouped by cell, in workload, size, RDs, clients order. */
export function cells(results: readonly CellResult[]): Array<{ key: string; rows: CellResult[] }> {
  const map = new Map<string, CellResult[]>();
  const sorted = [...results].sort(
    (a, b) =>
      WORKLOAD_ORDER.indexOf(workloadOf(a)) - WORKLOAD_ORDER.indexOf(workloadOf(b)) ||
      a.routes - b.routes ||
      a.rds - b.rds ||
      (a.clients ?? 0) - (b.clients ?? 0),
  );
  for (const r of sorted) {
    const k = cellKey(r);
    map.set(k, [...(map.get(k) ?? []), r]);
  }
  return [...map].map(([key, rows]) => ({ key, rows }));
}

export const ok = (r: CellResult | undefined): boolean =>
  r !== undefined && r.error === undefined && r.sessionProblems.length === 0;

/** Why a cell has no figures, in a few words. */
export function failure(r: CellResult): string {
  if (r.stoppedAtKiB !== undefined) {
    return `stopped at ${gib(r.stoppedAtKiB)} GiB by the RSS guard (reached ${r.seen} of ${r.routes})`;
  }
  if (r.timedOut !== undefined) {
    return `did not ${r.timedOut} within ${r.timeoutS ?? '?'} s (reached ${r.seen} of ${r.routes}, withdrawn ${r.withdrawn})`;
  }
  return `FAILED (${[r.error, ...r.sessionProblems].filter(Boolean).join('; ')}; seen ${r.seen}, withdrawn ${r.withdrawn})`;
}

/** A cell that started before the machine was quiet again (bench/settle.ts), in a few words. */
export function busy(r: CellResult): string {
  const w = r.settle;
  if (w === undefined || w.settled) return '';
  return ` (machine busy: ${w.belowStartMiB} MiB below the start, ${w.idlePct}% idle)`;
}

/** Peak RSS over the RSS idle with every session up, per route. */
export const bytesPerRoute = (r: CellResult): number | null =>
  r.peakRssKiB !== null && r.idleRssKiB !== null
    ? ((r.peakRssKiB - r.idleRssKiB) * 1024) / r.routes
    : null;

export const cpuUsPerRoute = (r: CellResult): number | null =>
  r.cpuSec === null ? null : (r.cpuSec * 1e6) / r.routes;

/** The scaling curve of a workload (transit or realistic): its cells of the fewest RDs by size. */
export function scalingRows(
  results: readonly CellResult[],
  workload: 'transit' | 'realistic',
): CellResult[] {
  const of = results.filter((r) => workloadOf(r) === workload);
  const rds = Math.min(...of.map((r) => r.rds));
  return of.filter((r) => r.rds === rds).sort((a, b) => a.routes - b.routes);
}
