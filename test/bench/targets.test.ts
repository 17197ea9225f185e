// Issue 13's targets as RESULTS.md judges them (bench/targets.ts): ratios against the reference in
// the same cell, bounds when the reference did not finish, a failed vrfleak cell never "met", the
// rr targets at N = 50, the VRF targets, and cost per route flat or falling from 100k up.

import { describe, expect, it } from 'vitest';
import type { CellResult } from '../../bench/cell.js';
import { emptyResult } from '../../bench/cell.js';
import type { DutKind } from '../../bench/duts.js';
import { targetRows } from '../../bench/targets.js';
import type { VrfWorkloadResult } from '../../bench/vrf.js';

const cell = (
  dut: DutKind,
  routes: number,
  f: Partial<CellResult>,
  workload: 'transit' | 'realistic' = 'transit',
): CellResult => ({
  ...emptyResult(dut, workload, { routes, rds: 10 }),
  convergeMs: 1000,
  withdrawMs: 500,
  cpuSec: 1,
  peakRssKiB: 100 * 1024,
  idleRssKiB: 0,
  seen: routes,
  withdrawn: routes,
  timeoutS: 100,
  ...f,
});

const find = (rows: ReturnType<typeof targetRows>, target: string, cellName: string) =>
  rows.find((r) => r.target.startsWith(target) && r.cell.startsWith(cellName));

describe('issue 13 targets', () => {
  it('judges vrfleak against BIRD and FRR in the same cell', () => {
    const rows = targetRows(
      [
        cell('vrfleak', 1e6, { convergeMs: 900, cpuSec: 2, peakRssKiB: 140 * 1024 }),
        cell('bird', 1e6, { convergeMs: 1000, cpuSec: 1, peakRssKiB: 100 * 1024 }),
        cell('frr', 1e6, { peakRssKiB: 500 * 1024 }),
      ],
      [],
    );
    expect(find(rows, 'converge <= 1.00x BIRD', 'transit 1M')?.verdict).toBe('met');
    expect(find(rows, 'CPU <= 1.00x BIRD', 'transit 1M')?.verdict).toBe('NOT met');
    expect(find(rows, 'CPU <= 1.00x BIRD', 'transit 1M')?.figure).toContain('2.00x');
    expect(find(rows, 'peak RSS <= 1.50x BIRD', 'transit 1M')?.verdict).toBe('met');
    expect(find(rows, 'peak RSS <= 0.35x FRR', 'transit 1M')?.verdict).toBe('met');
    // No event-loop figure: not measured, never met.
    expect(find(rows, 'event-loop', 'transit 1M')?.verdict).toBe('not measured');
  });

  it('reads a reference CPU of 0 as under one clock tick, not as a failed cell', () => {
    const rows = targetRows(
      [cell('vrfleak', 1e4, { cpuSec: 0.3 }), cell('bird', 1e4, { cpuSec: 0 })],
      [],
    );
    const row = find(rows, 'CPU <= 1.00x BIRD', 'transit 10k');
    expect(row?.verdict).toBe('NOT met');
    expect(row?.figure).toBe('> 30.00x (0.3 s / under 0.01 s)');
    // vrfleak also under a tick: the bound does not decide.
    const tie = targetRows(
      [cell('vrfleak', 1e4, { cpuSec: 0 }), cell('bird', 1e4, { cpuSec: 0 })],
      [],
    );
    expect(find(tie, 'CPU <= 1.00x BIRD', 'transit 10k')?.verdict).toBe('undecided');
  });

  it('asks the 1.5x BIRD RSS bound only from 1M', () => {
    const rows = targetRows([cell('vrfleak', 1e5, {}), cell('bird', 1e5, {})], []);
    expect(find(rows, 'peak RSS <= 1.50x BIRD', 'transit 100k')).toBeUndefined();
  });

  it('bounds the ratio by a reference that did not finish, and says when that does not decide', () => {
    const frrStopped = cell('frr', 3e6, {
      convergeMs: null,
      peakRssKiB: 12 * 2 ** 20,
      stoppedAtKiB: 12 * 2 ** 20,
      error: 'stopped',
    });
    const rows = targetRows(
      [cell('vrfleak', 3e6, { peakRssKiB: 2 * 2 ** 20 }), frrStopped, cell('bird', 3e6, {})],
      [],
    );
    const rss = find(rows, 'peak RSS <= 0.35x FRR', 'transit 3M');
    expect(rss?.verdict).toBe('met');
    expect(rss?.figure).toContain('stopped at 12.0 GiB');
    const big = targetRows(
      [cell('vrfleak', 3e6, { peakRssKiB: 6 * 2 ** 20 }), frrStopped, cell('bird', 3e6, {})],
      [],
    );
    expect(find(big, 'peak RSS <= 0.35x FRR', 'transit 3M')?.verdict).toBe('undecided');
  });

  it('never counts a cell vrfleak did not finish as met', () => {
    const rows = targetRows(
      [
        cell('vrfleak', 1e6, { convergeMs: null, timedOut: 'converge', seen: 5, error: 'x' }),
        cell('bird', 1e6, {}),
      ],
      [],
    );
    const r = find(rows, 'converge <= 1.00x BIRD', 'transit 1M');
    expect(r?.verdict).toBe('NOT met');
    expect(r?.figure).toContain('did not converge within 100 s (reached 5 of 1000000');
  });

  it('marks the reflector targets as N = 50 ones', () => {
    const rr = (dut: DutKind, clients: number, convergeMs: number): CellResult => ({
      ...cell(dut, 1e5, { convergeMs }),
      workload: 'rr',
      clients,
    });
    const rows = targetRows(
      [rr('vrfleak', 50, 400), rr('bird', 50, 500), rr('frr', 50, 1000), rr('vrfleak', 10, 1)],
      [],
    );
    expect(
      find(rows, 'converge <= 0.50x FRR', 'rr 100k routes / 10 RDs / 50 clients')?.verdict,
    ).toBe('met');
    expect(
      find(rows, 'converge <= 1.00x BIRD', 'rr 100k routes / 10 RDs / 10 clients')?.cell,
    ).toContain('target is for N = 50');
  });

  it('judges the VRF workloads against 2 s and 0.3 s', () => {
    const w = (name: 'vrf-fanout' | 'rt-change', seconds: number): VrfWorkloadResult => ({
      name,
      what: '',
      seconds,
      cpuSeconds: seconds,
      heapMiB: 0,
      rssMiB: 0,
      peakRssMiB: 0,
      targetS: 0,
    });
    const rows = targetRows([], [w('vrf-fanout', 1.9), w('rt-change', 0.31)]);
    expect(rows.find((r) => r.target.startsWith('vrf-fanout'))?.verdict).toBe('met');
    expect(rows.find((r) => r.target.startsWith('rt-change'))?.verdict).toBe('NOT met');
    expect(targetRows([], []).find((r) => r.target.startsWith('rt-change'))?.verdict).toBe(
      'not measured',
    );
  });

  it('wants cost per route flat or falling from 100k up, within 10%', () => {
    const curve = (cpu: [number, number, number]): CellResult[] =>
      [1e5, 1e6, 3e6].map((n, i) => cell('vrfleak', n, { cpuSec: (cpu[i]! * n) / 1e6 }));
    const verdict = (cpu: [number, number, number]) =>
      find(
        targetRows([cell('vrfleak', 1e4, { cpuSec: 99 }), ...curve(cpu)], []),
        'CPU µs/route',
        'transit',
      )?.verdict;
    expect(verdict([10, 8, 8.5])).toBe('met'); // +6%, and the 10k cell is not judged
    expect(verdict([10, 8, 9])).toBe('NOT met'); // +12.5%
  });
});
