// The "Targets" section of RESULTS.md: every target of issue 13 computed from the run, cell by
// cell, met or NOT met with the figure it was judged on. A reference device that did not finish
// still bounds the ratio (its time, CPU and RSS so far are lower bounds of what it would have
// taken), so a target can be decided against it; if the bound does not decide, the row says so.

import type { CellResult } from './cell.js';
import {
  bytesPerRoute,
  cells,
  count,
  cpuUsPerRoute,
  failure,
  LABEL,
  ok,
  s,
  scalingRows,
  workloadOf,
} from './cells.js';
import { CPU_TICKS_PER_S, type DutKind } from './duts.js';
import type { VrfWorkloadResult } from './vrf.js';
import { VRF_WORKLOADS } from './workloads.js';

export type Verdict = 'met' | 'NOT met' | 'not measured' | 'undecided';

export interface TargetRow {
  readonly target: string;
  readonly cell: string;
  readonly figure: string;
  readonly verdict: Verdict;
}

/** Event-loop delay p99 bound (ms) in every cell (issue 13 point 5). */
export const ELD_P99_MAX_MS = 50;
/** Cost per route counts as flat while no step to a larger size raises it by more than this. */
export const FLAT_TOLERANCE = 1.1;
/** Sizes from which cost per route must be flat or falling. */
const FLAT_FROM = 100_000;

type Metric = 'converge' | 'CPU' | 'peak RSS';

const value = (r: CellResult, m: Metric): number | null =>
  m === 'converge' ? r.convergeMs : m === 'CPU' ? r.cpuSec : r.peakRssKiB;

const show = (m: Metric, v: number): string =>
  m === 'converge' ? `${s(v)} s` : m === 'CPU' ? `${v} s` : `${(v / 1024).toFixed(0)} MiB`;

/** A lower bound of what a reference that did not finish would have reached. */
function lowerBound(r: CellResult, m: Metric): number | null {
  if (m === 'converge') {
    return r.timedOut === 'converge' && r.timeoutS !== undefined ? r.timeoutS * 1000 : null;
  }
  if (m === 'peak RSS') return r.stoppedAtKiB ?? r.peakRssKiB;
  return r.cpuSec;
}

/** vrfleak's figure over the reference's, against `max`. */
export function compare(
  v: CellResult,
  refKind: DutKind,
  ref: CellResult | undefined,
  m: Metric,
  max: number,
  cell: string,
): TargetRow {
  const target = `${m} <= ${max.toFixed(2)}x ${LABEL[refKind]}`;
  const mine = value(v, m);
  if (!ok(v) || mine === null) {
    return { target, cell, figure: `vrfleak ${failure(v)}`, verdict: 'NOT met' };
  }
  if (ref === undefined)
    return { target, cell, figure: 'reference not run', verdict: 'not measured' };
  const theirs = value(ref, m);
  if (ok(ref) && theirs !== null && theirs > 0) {
    const r = mine / theirs;
    return {
      target,
      cell,
      figure: `${r.toFixed(2)}x (${show(m, mine)} / ${show(m, theirs)})`,
      verdict: r <= max ? 'met' : 'NOT met',
    };
  }
  if (ok(ref) && theirs === 0 && m === 'CPU') {
    // Under one clock tick (BIRD at 10k routes): the ratio is above mine over one tick.
    const tick = 1 / CPU_TICKS_PER_S;
    const r = mine / tick;
    return {
      target,
      cell,
      figure: `> ${r.toFixed(2)}x (${show(m, mine)} / under ${show(m, tick)})`,
      verdict: r > max ? 'NOT met' : 'undecided',
    };
  }
  const lb = lowerBound(ref, m);
  if (lb === null || lb <= 0) {
    return { target, cell, figure: `${LABEL[ref.dut]} ${failure(ref)}`, verdict: 'not measured' };
  }
  const r = mine / lb;
  return {
    target,
    cell,
    figure: `<= ${r.toFixed(2)}x (${show(m, mine)} / at least ${show(m, lb)}: ${LABEL[ref.dut]} ${failure(ref)})`,
    verdict: r <= max ? 'met' : 'undecided',
  };
}

function eld(v: CellResult, cell: string): TargetRow {
  const target = `event-loop delay p99 <= ${ELD_P99_MAX_MS} ms`;
  const e = v.eventLoopDelay;
  if (e === undefined) return { target, cell, figure: failure(v), verdict: 'not measured' };
  return {
    target,
    cell,
    figure: `${e.p99} ms`,
    verdict: e.p99 <= ELD_P99_MAX_MS ? 'met' : 'NOT met',
  };
}

function cellTargets(results: readonly CellResult[]): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const { key, rows: of } of cells(results)) {
    const v = of.find((r) => r.dut === 'vrfleak');
    if (!v) continue;
    const by = (k: DutKind): CellResult | undefined => of.find((r) => r.dut === k);
    const [b, f] = [by('bird'), by('frr')];
    if (workloadOf(v) === 'rr') {
      // The issue sets the reflector targets at N = 50; other N are shown against the same bars.
      const cell = v.clients === 50 ? key : `${key} (target is for N = 50)`;
      rows.push(
        compare(v, 'bird', b, 'converge', 1, cell),
        compare(v, 'frr', f, 'converge', 0.5, cell),
      );
    } else {
      rows.push(compare(v, 'bird', b, 'converge', 1, key), compare(v, 'bird', b, 'CPU', 1, key));
      if (v.routes >= 1_000_000) rows.push(compare(v, 'bird', b, 'peak RSS', 1.5, key));
      rows.push(compare(v, 'frr', f, 'peak RSS', 0.35, key));
    }
    rows.push(eld(v, key));
  }
  return rows;
}

function vrfTargets(vrf: readonly VrfWorkloadResult[]): TargetRow[] {
  return Object.values(VRF_WORKLOADS).map((w) => {
    const r = vrf.find((x) => x.name === w.name);
    const target = `${w.name} under ${w.targetS} s`;
    const cell = `${w.what} (vrfleak only)`;
    if (!r) return { target, cell, figure: 'not run', verdict: 'not measured' };
    return {
      target,
      cell,
      figure: `${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s)`,
      verdict: r.seconds < w.targetS ? 'met' : 'NOT met',
    };
  });
}

/** Cost per route from 100k up, per device and workload: no step up by more than the tolerance. */
function flatTargets(results: readonly CellResult[]): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const workload of ['transit', 'realistic'] as const) {
    const curve = scalingRows(results, workload).filter((r) => r.routes >= FLAT_FROM);
    for (const dut of Object.keys(LABEL) as DutKind[]) {
      const mine = curve.filter((r) => r.dut === dut);
      if (mine.length === 0) continue;
      const cell = `${workload} ${mine.map((r) => count(r.routes)).join(' → ')}, ${LABEL[dut]}`;
      const costs = [
        { what: 'CPU µs/route', f: cpuUsPerRoute },
        { what: 'peak-RSS B/route', f: bytesPerRoute },
      ];
      for (const { what, f } of costs) {
        const target = `${what} flat or falling (no step up > ${((FLAT_TOLERANCE - 1) * 100).toFixed(0)}%)`;
        const bad = mine.find((r) => !ok(r));
        if (bad !== undefined) {
          rows.push({
            target,
            cell,
            figure: `${count(bad.routes)}: ${failure(bad)}`,
            verdict: 'NOT met',
          });
          continue;
        }
        const vals = mine.map(f);
        if (mine.length < 2 || vals.some((x) => x === null)) {
          rows.push({ target, cell, figure: 'fewer than two sizes', verdict: 'not measured' });
          continue;
        }
        const xs = vals as number[];
        const flat = xs.every((x, i) => i === 0 || x <= xs[i - 1]! * FLAT_TOLERANCE);
        rows.push({
          target,
          cell,
          figure: xs.map((x) => x.toFixed(x >= 100 ? 0 : 2)).join(' → '),
          verdict: flat ? 'met' : 'NOT met',
        });
      }
    }
  }
  return rows;
}

export function targetRows(
  results: readonly CellResult[],
  vrf: readonly VrfWorkloadResult[],
): TargetRow[] {
  return [...cellTargets(results), ...vrfTargets(vrf), ...flatTargets(results)];
}

export function targetsSection(
  results: readonly CellResult[],
  vrf: readonly VrfWorkloadResult[],
  holdTime: number,
): string[] {
  const rows = targetRows(results, vrf);
  const n = (v: Verdict): number => rows.filter((r) => r.verdict === v).length;
  const out = [
    '## Targets (issue 13)',
    '',
    `${n('met')} met, ${n('NOT met')} NOT met, ${n('undecided')} undecided, ` +
      `${n('not measured')} not measured, of ${rows.length}. Ratios are vrfleak / the reference ` +
      'device in the same cell of this run. A reference that did not finish gives a bound ' +
      '(its time, CPU or RSS when it stopped); "undecided" means the bound does not decide. ' +
      `Cost per route is judged from ${count(FLAT_FROM)} up, for every device.`,
    '',
    '| target | cell | figure | verdict |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.target} | ${r.cell} | ${r.figure} | ${r.verdict} |`),
  ];
  const v = results.filter((r) => r.dut === 'vrfleak' && workloadOf(r) !== 'rr');
  const most = Math.max(...v.map((r) => r.routes));
  for (const big of v.filter((r) => r.routes === most)) {
    out.push(
      '',
      `No starvation (${big.workload ?? 'transit'} ${count(big.routes)}, hold time ${holdTime} s): ` +
        `${ok(big) ? 'met' : 'NOT met'} (longest silence at the monitor ${s(big.maxSilenceMs)} s).`,
    );
  }
  return [...out, ''];
}
