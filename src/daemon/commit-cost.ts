// What a commit of received input will cost, learned from the commits timed so far, so an input
// turn (session/input-slices.ts) stops taking frames while the commit of what they brought still
// fits in the turn's time left. A commit's cost follows the NLRI it settles, not the time their
// frames took: a withdrawal is cheap to decode and dear to commit (best path again, withdrawals
// packed for every group), a realistic announcement dear in both. In one realistic 10k run the
// commits cost 0.4 to 39 times their frames, and a ratio learned over announcements met the first
// withdrawals of transit 1M with a commit 10 times its guess (41 ms for 1340 NLRI).
//
// So each kind has its own cost per NLRI, and a kind not yet committed is assumed COLD_MS_PER_NLRI:
// the first commits of a kind run in code V8 has not compiled yet (a realistic 10k table is over
// before it is), where an NLRI cost 25-130 µs on the shared machine against ~1 µs warm (transit).

/** Milliseconds per NLRI of a kind no commit has measured yet (see the head of the file). */
export const COLD_MS_PER_NLRI = 0.03;

/** Fewer NLRI than this in a commit measure its fixed part more than their own: not learned from. */
export const MIN_LEARN_NLRI = 16;

/**
 * The most one commit multiplies a cost by. A commit the machine stalled (the process descheduled
 * for 200 ms on a loaded machine) is no measure of the next one; a true surprise (a cold path
 * several times its guess) is still met within two or three commits.
 */
export const MAX_STEP = 3;

export class CommitCost {
  /** Milliseconds per announced NLRI. */
  private perAnnounced = COLD_MS_PER_NLRI;
  /** Milliseconds per withdrawn NLRI. */
  private perWithdrawn = COLD_MS_PER_NLRI;

  /** The expected milliseconds of a commit of so many received NLRI. */
  predict(announced: number, withdrawn: number): number {
    return announced * this.perAnnounced + withdrawn * this.perWithdrawn;
  }

  /**
   * A commit of so many received NLRI took `ms`. Each kind's cost moves toward what would have predicted it, by its
   * share of the prediction (a commit of one kind teaches only that kind). A dearer commit than
   * expected counts more than a cheaper one: an overestimate costs a few more turns, an
   * underestimate a turn past its budget.
   */
  learn(announced: number, withdrawn: number, ms: number): void {
    if (announced + withdrawn < MIN_LEARN_NLRI) return;
    const expected = this.predict(announced, withdrawn);
    const f = ms / expected;
    const weight = f > 1 ? 0.5 : 0.3;
    const a = (announced * this.perAnnounced) / expected;
    const step = (share: number): number => Math.min(MAX_STEP, 1 + weight * (f - 1) * share);
    this.perAnnounced = clamp(this.perAnnounced * step(a));
    this.perWithdrawn = clamp(this.perWithdrawn * step(1 - a));
  }
}

/** Bounds a learned cost: a stalled process (a loaded machine) must not stop input for good. */
function clamp(msPerNlri: number): number {
  return Math.min(1, Math.max(1e-4, msPerNlri));
}
