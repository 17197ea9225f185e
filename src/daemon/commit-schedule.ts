// When the daemon commits (Daemon.commitNow runs the propagation loop and sends its UPDATEs).
// Changes wait for a commit so a burst costs one best-path run per destination; but nothing else
// may run between routes applied to a table and their commit (a timer, an API read, another
// session would see paths in a table that are not yet decided, exported or advertised). So:
// - a peer's input commits at the end of its part of each input turn (session/input-slices.ts),
//   synchronously, within the turn's budget;
// - and within a slice every COMMIT_BATCH received NLRI;
// - anything else (an API call, a session down, a shell without slices) queues one commit for the
//   next check phase (setImmediate).

/**
 * A commit runs at the latest after this many received NLRI, not only once per slice: a batch
 * that outlives the young generation has its decoded NLRI and keys promoted, waiting for the next
 * full GC. Bounded batches keep the transit's peak RSS near its live heap; a few thousand routes
 * still fill whole UPDATEs per attribute set.
 */
export const COMMIT_BATCH = 2048;

export class CommitSchedule {
  private queued = false;
  /** NLRI received since the last commit (see COMMIT_BATCH). */
  private batchNlri = 0;
  /** Received UPDATEs applied since the last commit (settleInput). */
  private inputApplied = false;

  constructor(private readonly commit: () => void) {}

  /** Counts what an UPDATE carried; commits at once when the batch is full. */
  received(nlri: number): void {
    this.inputApplied = true;
    this.batchNlri += nlri;
    if (this.batchNlri >= COMMIT_BATCH) this.now();
    // A shell without input slices (a test's) never says when its input ends.
    else this.queue();
  }

  /**
   * The end of a slice of some peer's input: what it applied is committed now (the reason 38f606a
   * was reverted: its commit was queued behind the next turn's timers). A queued commit goes too:
   * the slice may have ended a session (max-prefix, a bad UPDATE) and dropped its routes.
   */
  settleInput(): void {
    if (this.inputApplied || this.queued) this.now();
  }

  queue(): void {
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      this.now();
    });
  }

  now(): void {
    this.batchNlri = 0;
    this.inputApplied = false;
    this.commit();
  }
}
