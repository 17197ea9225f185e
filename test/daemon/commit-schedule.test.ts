import { describe, expect, it } from 'vitest';
import { COLD_MS_PER_NLRI } from '../../src/daemon/commit-cost.js';
import { COMMIT_BATCH, CommitSchedule } from '../../src/daemon/commit-schedule.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('CommitSchedule: received input is committed by the end of its slice', () => {
  it('commits a batch where the slice ends, not inside the UPDATE that filled it', async () => {
    let commits = 0;
    const c = new CommitSchedule(() => commits++);
    c.received(COMMIT_BATCH - 1, 0);
    expect(c.due(Infinity)).toBe(false);
    c.received(0, 1);
    // The batch is full: the slice is told to end (input-slices.ts), nothing committed yet.
    expect(c.due(Infinity)).toBe(true);
    expect(commits).toBe(0);
    expect(c.settleInput()).toBe(true);
    expect(commits).toBe(1);
    expect(c.due(Infinity)).toBe(false);
    // The commit queued for a shell without slices has nothing left to do.
    await turn();
    expect(commits).toBe(1);
  });

  it("ends the slice once the batch's commit is expected to fill the time left, as timed so far", () => {
    const clock = { t: 0 };
    // Every commit takes 10 ms.
    const c = new CommitSchedule(
      () => (clock.t += 10),
      () => clock.t,
    );
    // 100 NLRI of a kind no commit has timed: the cold cost, 3 ms.
    c.received(100, 0);
    expect(100 * COLD_MS_PER_NLRI).toBe(3);
    expect(c.due(3.5)).toBe(false);
    expect(c.due(3)).toBe(true);
    c.settleInput();
    // The commit took 10 ms: the same batch is now expected to take more than 5.
    c.received(100, 0);
    expect(c.due(5)).toBe(true);
    c.settleInput();
    // Withdrawals were never timed: still the cold cost.
    c.received(0, 100);
    expect(c.due(3.5)).toBe(false);
  });

  it('tells the slice when it committed nothing', () => {
    let commits = 0;
    const c = new CommitSchedule(() => commits++);
    expect(c.settleInput()).toBe(false);
    expect(commits).toBe(0);
  });

  it('commits input whose shell never ends a slice in the next check phase', async () => {
    let commits = 0;
    const c = new CommitSchedule(() => commits++);
    c.received(3, 0);
    c.received(COMMIT_BATCH, 0);
    expect(commits).toBe(0);
    await turn();
    expect(commits).toBe(1);
  });
});
