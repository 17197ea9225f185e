// The bench's quick cells in CI: 10k VPNv4 routes over 10 RDs through each device under test of
// `npm run bench` (vrfleak, BIRD, GoBGP, FRR bgpd) as an eBGP transit, the realistic table at 10k,
// and the route-reflector fan-out at 5k routes to 3 clients, through the bench's own sessions;
// under CI=true a missing bird, gobgpd or bgpd fails the run. It checks that every
// route arrived at the monitor, that every one was withdrawn, that nothing foreign showed up and
// that both sessions (9 s hold time) stayed up. No timing assertions: `npm run bench` measures.
// vrfleak runs from the TypeScript sources (bench/register.mjs), so no build is needed.

import { afterAll, describe, expect, it } from 'vitest';
import { allocateBlock, makeStateDir, removeDir, requirePeer } from '../interop/harness/index.js';
import { runCell, type CellResult, type Workload } from '../bench/cell.js';
import { runRrCell } from '../bench/rr-cell.js';
import type { DutKind } from '../bench/duts.js';

const shape = { routes: 10_000, rds: 10 };

describe('bench quick cell: 10k VPNv4 routes, 10 RDs, eBGP transit', () => {
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

  it('vrfleak passes every route on and withdraws every one', () => check('vrfleak'), 150_000);
  it('vrfleak passes the realistic table on', () => check('vrfleak', 'realistic'), 150_000);
  it('vrfleak reflects every route to every client', () => check('vrfleak', 'rr'), 150_000);
  const bird = requirePeer('bird');
  it.skipIf(bird.skip)(bird.title('BIRD does the same'), () => check('bird'), 150_000);
  it.skipIf(bird.skip)(bird.title('BIRD: realistic'), () => check('bird', 'realistic'), 150_000);
  it.skipIf(bird.skip)(bird.title('BIRD reflects'), () => check('bird', 'rr'), 150_000);
  const gobgp = requirePeer('gobgpd');
  it.skipIf(gobgp.skip)(
    gobgp.title('gobgpd does the same (the reference)'),
    () => check('gobgp'),
    150_000,
  );
  it.skipIf(gobgp.skip)(gobgp.title('gobgpd reflects'), () => check('gobgp', 'rr'), 150_000);
  const frr = requirePeer('bgpd');
  it.skipIf(frr.skip)(frr.title('FRR bgpd does the same'), () => check('frr'), 150_000);
  it.skipIf(frr.skip)(frr.title('FRR bgpd reflects'), () => check('frr', 'rr'), 150_000);
});
