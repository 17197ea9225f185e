import { describe, expect, it } from 'vitest';
import { busy } from '../../bench/cells.js';
import { emptyResult } from '../../bench/cell.js';
import { memAvailableKiB, settle, SETTLE_RULE } from '../../bench/settle.js';

const quick = { ...SETTLE_RULE, sampleMs: 20 };

describe('bench settle', () => {
  it('gives up at the deadline on memory the machine cannot have back, and says so', async () => {
    const start = memAvailableKiB() + 64 * 2 ** 20; // 64 GiB more than there is
    const w = await settle(start, { ...quick, deadlineMs: 0 });
    expect(w.settled).toBe(false);
    expect(w.belowStartMiB).toBeGreaterThan(SETTLE_RULE.slackMiB);
    const r = { ...emptyResult('vrfleak', 'transit', { routes: 10, rds: 1 }), settle: w };
    expect(busy(r)).toMatch(/^ \(machine busy: \d+ MiB below the start, \d+% idle\)$/);
  });

  it('is quiet when the machine meets the rule (any memory, any idle share)', async () => {
    const w = await settle(memAvailableKiB(), {
      ...quick,
      idlePct: 0,
      slackMiB: 1e9,
      deadlineMs: 5000,
    });
    expect(w.settled).toBe(true);
    expect(w.idlePct).toBeGreaterThanOrEqual(0);
    const r = { ...emptyResult('vrfleak', 'transit', { routes: 10, rds: 1 }), settle: w };
    expect(busy(r)).toBe('');
  });
});
