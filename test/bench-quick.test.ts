// The bench's quick cells in CI: each device under test of `npm run bench` (vrfleak, BIRD, GoBGP,
// FRR bgpd) in each workload: 10k VPNv4 routes over 10 RDs as an eBGP transit, the realistic table
// at 10k, and the route-reflector fan-out at 5k routes to 3 clients, through the bench's own
// sessions; under CI=true a missing bird, gobgpd or bgpd fails the run. It checks that every
// route arrived at the monitor, that every one was withdrawn, that nothing foreign showed up and
// that both sessions (9 s hold time) stayed up. No timing assertions: `npm run bench` measures.
// vrfleak runs from the TypeScript sources (bench/register.mjs), so no build is needed.

import { afterAll, describe, expect, it } from 'vitest';
import { allocateBlock, makeStateDir, removeDir, requirePeer } from '../interop/harness/index.js';
import { runCell, type CellResult, type Workload } from '../bench/cell.js';
import { runRrCell } from '../bench/rr-cell.js';
import type { DutKind } from '../bench/duts.js';

const shape = { routes: 10_000, rds: 10 };

describe('bench quick cells: every device in every workload', () => {
  const block = allocateBlock('bench-quick');
  const dir = makeStateDir('bench-quick');
  let failed = false;
  afterAll(() => {
    block.release();
    if (!failed) removeDir(dir);
  });

  const check = async (dut: DutKind, workload: Workload = 'transit'): Promise<void> => {
    let r: CellResult | undefined;
    const o = {
      parentDir: dir,
      block,
      holdTime: 9,
      timeoutMs: 60_000,
      vrfleakFrom: 'src' as const,
    };
    const cell = workload === 'rr' ? { routes: 5_000, rds: 10 } : shape;
    try {
      r =
        workload === 'rr'
          ? await runRrCell(dut, cell, 3, o)
          : await runCell(dut, shape, { ...o, workload });
      expect(r.clients).toBe(workload === 'rr' ? 3 : undefined);
      expect(r.error).toBeUndefined();
      expect(r.sessionProblems).toEqual([]);
      expect(r.seen).toBe(cell.routes);
      expect(r.withdrawn).toBe(cell.routes);
      expect(r.foreign).toBe(0);
    } catch (err) {
      failed = true;
      throw err;
    }
  };

  // Every device in every workload: transit, the realistic table, the reflector.
  const cells = (dut: DutKind, name: string): void => {
    it(`${name}: transit`, () => check(dut), 150_000);
    it(`${name}: realistic`, () => check(dut, 'realistic'), 150_000);
    it(`${name}: reflector`, () => check(dut, 'rr'), 150_000);
  };
  cells('vrfleak', 'vrfleak');
  // requirePeer throws under CI=true when the binary is missing; elsewhere the cells are skipped.
  for (const [dut, binary] of [
    ['bird', 'bird'],
    ['gobgp', 'gobgpd'],
    ['frr', 'bgpd'],
  ] as const) {
    const peer = requirePeer(binary);
    describe.skipIf(peer.skip)(peer.title(binary), () => cells(dut, binary));
  }
});
