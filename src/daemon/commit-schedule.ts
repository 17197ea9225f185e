// When the daemon commits (Daemon.commitNow runs the propagation loop and sends its UPDATEs).
// Changes wait for a commit so a burst costs one best-path run per destination; but nothing else
// may run between routes applied to a table and their commit (a timer, an API read, another
// session would see paths in a table that are not yet decided, exported or advertised). So:
// - a peer's input commits at the end of its part of each input turn (session/input-slices.ts),
//   synchronously, within the turn's budget; and that part ends early once the commit of what it
//   received would fill the turn's time left (`due`, commit-cost.ts) or COMMIT_BATCH NLRI were
//   received, so the commit is timed as a commit by the turn, not inside the frame that filled it;
// - anything else (an API call, a session down, a shell without slices) queues one commit for the
//   next check phase (setImmediate).

import { performance } from 'node:perf_hooks';
import { CommitCost } from './commit-cost.js';

/**
 * A commit runs at the latest after this many received NLRI, not only once per turn: a batch
 * that outlives the young generation has its decoded NLRI and keys promoted, waiting for the next
 * full GC. Bounded batches keep the transit's peak RSS near its live heap; a few thousand routes
 * still fill whole UPDATEs per attribute set.
 */
export const COMMIT_BATCH = 2048;

export class CommitSchedule {
  private queued = false;
  /** NLRI received since the last commit (see COMMIT_BATCH). */
  private announced = 0;
  private withdrawn = 0;
  /** Received UPDATEs applied since the last commit (settleInput). */
  private inputApplied = false;
  private readonly cost = new CommitCost();

  constructor(
    private readonly commit: () => void,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /**
   * Counts what an UPDATE carried. The batch is committed by the slice's end (`due` ends it); a
   * shell without input slices (a test's) never says when its input ends, so a commit is queued.
   */
  received(announced: number, withdrawn: number): void {
    this.inputApplied = true;
    this.announced += announced;
    this.withdrawn += withdrawn;
    this.queue();
  }

  /**
   * Whether the input slice ends here, and settleInput commits: the batch is full (COMMIT_BATCH),
   * or its commit is expected to take `msLeft` (the turn's time left) or more.
   */
  due(msLeft: number): boolean {
    const { announced, withdrawn } = this;
    return (
      announced + withdrawn >= COMMIT_BATCH || this.cost.predict(announced, withdrawn) >= msLeft
    );
  }

  /**
   * The end of a slice of some peer's input: what it applied is committed now (the reason 38f606a
   * was reverted: its commit was queued behind the next turn's timers). A queued commit goes too:
   * the slice may have ended a session (max-prefix, a bad UPDATE) and dropped its routes. Returns
   * whether it committed.
   */
  settleInput(): boolean {
    if (!this.inputApplied && !this.queued) return false;
    this.now();
    return true;
  }

  queue(): void {
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      // (A slice's end may have committed meanwhile.)
      if (this.queued) this.now();
    });
  }

  now(): void {
    const { announced, withdrawn } = this;
    this.queued = false;
    this.announced = 0;
    this.withdrawn = 0;
    this.inputApplied = false;
    const t0 = this.clock();
    this.commit();
    this.cost.learn(announced, withdrawn, this.clock() - t0);
  }
}
