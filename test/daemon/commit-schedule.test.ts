import { describe, expect, it } from 'vitest';
import { COMMIT_BATCH, CommitSchedule } from '../../src/daemon/commit-schedule.js';

const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('CommitSchedule: received input is committed by the end of its slice', () => {
  it('commits a batch where the slice ends, not inside the UPDATE that filled it', async () => {
    let commits = 0;
    const c = new CommitSchedule(() => commits++);
    c.received(COMMIT_BATCH - 1);
    expect(c.due).toBe(false);
    c.received(1);
    // The batch is full: the slice is told to end (input-slices.ts), nothing committed yet.
    expect(c.due).toBe(true);
    expect(commits).toBe(0);
    expect(c.settleInput()).toBe(true);
    expect(commits).toBe(1);
    expect(c.due).toBe(false);
    // The commit queued for a shell without slices has nothing left to do.
    await turn();
    expect(commits).toBe(1);
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
    c.received(3);
    c.received(COMMIT_BATCH);
    expect(commits).toBe(0);
    await turn();
    expect(commits).toBe(1);
  });
});
