// The bench's quick cell in CI: 10k VPNv4 routes over 10 RDs through each device under test of
// `npm run bench` (vrfleak, GoBGP, FRR bgpd) as an eBGP transit, through the bench's own injector and
// monitor; under CI=true a missing gobgpd or bgpd fails the run. It checks that every
// route arrived at the monitor, that every one was withdrawn, that nothing foreign showed up and
// that both sessions (9 s hold time) stayed up. No timing assertions: `npm run bench` measures.
// vrfleak runs from the TypeScript sources (bench/register.mjs), so no build is needed.

import { afterAll, describe, expect, it } from 'vitest';
import { allocateBlock, makeStateDir, removeDir, requirePeer } from '../interop/harness/index.js';
import { runCell, type CellResult } from '../bench/cell.js';
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

  const check = async (dut: DutKind): Promise<void> => {
    let r: CellResult | undefined;
    try {
      r = await runCell(dut, shape, {
        parentDir: dir,
        block,
        holdTime: 9,
        timeoutMs: 60_000,
        vrfleakFrom: 'src',
      });
      expect(r.error).toBeUndefined();
      expect(r.sessionProblems).toEqual([]);
      expect(r.seen).toBe(shape.routes);
      expect(r.withdrawn).toBe(shape.routes);
      expect(r.foreign).toBe(0);
    } catch (err) {
      failed = true;
      throw err;
    }
  };

  it('vrfleak passes every route on and withdraws every one', () => check('vrfleak'), 150_000);
  const gobgp = requirePeer('gobgpd');
  it.skipIf(gobgp.skip)(
    gobgp.title('gobgpd does the same (the reference)'),
    () => check('gobgp'),
    150_000,
  );
  const frr = requirePeer('bgpd');
  it.skipIf(frr.skip)(frr.title('FRR bgpd does the same'), () => check('frr'), 150_000);
});
