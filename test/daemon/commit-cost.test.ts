import { describe, expect, it } from 'vitest';
import {
  COLD_MS_PER_NLRI,
  CommitCost,
  MAX_STEP,
  MIN_LEARN_NLRI,
} from '../../src/daemon/commit-cost.js';

describe('CommitCost: what a commit of received NLRI is expected to take', () => {
  it('assumes the cold cost for a kind no commit has measured', () => {
    const c = new CommitCost();
    expect(c.predict(100, 0)).toBeCloseTo(100 * COLD_MS_PER_NLRI);
    expect(c.predict(0, 100)).toBeCloseTo(100 * COLD_MS_PER_NLRI);
    expect(c.predict(0, 0)).toBe(0);
  });

  it('learns each kind from the commits of that kind only', () => {
    const c = new CommitCost();
    // Warm announcements: 1000 NLRI in 1 ms.
    for (let i = 0; i < 40; i++) c.learn(1000, 0, 1);
    expect(c.predict(1000, 0)).toBeCloseTo(1, 1);
    // The first withdrawals still get the cold guess, not the announcements' warm cost.
    expect(c.predict(0, 1000)).toBeCloseTo(1000 * COLD_MS_PER_NLRI);
  });

  it('moves toward a dearer commit faster than toward a cheaper one', () => {
    const cold = 100 * COLD_MS_PER_NLRI;
    const dearer = new CommitCost();
    dearer.learn(100, 0, 2 * cold);
    const cheaper = new CommitCost();
    cheaper.learn(100, 0, cold / 2);
    // An underestimate costs a turn past its budget: half the gap closed at once; an
    // overestimate costs a few more turns: less than that.
    expect(dearer.predict(100, 0) - cold).toBeCloseTo(cold / 2);
    expect(cold - cheaper.predict(100, 0)).toBeLessThan(cold / 4);
    expect(cheaper.predict(100, 0)).toBeLessThan(cold);
  });

  it('multiplies a cost by at most MAX_STEP for one commit (a stalled process is no measure)', () => {
    const c = new CommitCost();
    c.learn(100, 0, 1000);
    expect(c.predict(100, 0)).toBeCloseTo(100 * COLD_MS_PER_NLRI * MAX_STEP);
  });

  it('learns nothing from a commit of a few NLRI (its fixed part, not theirs)', () => {
    const c = new CommitCost();
    c.learn(MIN_LEARN_NLRI - 1, 0, 50);
    expect(c.predict(100, 0)).toBeCloseTo(100 * COLD_MS_PER_NLRI);
  });

  it('shares a mixed commit between the kinds by their part of the guess', () => {
    const c = new CommitCost();
    // Withdrawals known cheap, announcements cold: a mixed commit dearer than guessed is
    // blamed mostly on the announcements.
    for (let i = 0; i < 40; i++) c.learn(0, 1000, 1);
    const w = c.predict(0, 100);
    const a = c.predict(100, 0);
    c.learn(100, 100, 4 * (a + w));
    expect(c.predict(100, 0) / a).toBeGreaterThan(c.predict(0, 100) / w);
    expect(c.predict(0, 100)).toBeGreaterThan(w);
  });
});
