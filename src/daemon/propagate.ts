// The one propagation loop (DESIGN.md "Propagation and change"): a recompute of the RIB returns its
// best-path changes, the leak engine turns them into RIB operations, the loop applies those and
// recomputes again until nothing changes; only then does the outbound side read the changes and
// pack the UPDATEs. Neither the RIB nor the engine calls the other or commits: this loop does.

import type { ChangeBatch, Rib } from '../rib/rib.js';
import type { RibOps } from '../rib/ops.js';
import type { LeakEngine, LoadStep } from '../vrf/engine.js';
import type { LeakMonitor } from '../vrf/monitor.js';

/**
 * While a configuration is loaded, the loop commits after a step once about this many paths wait
 * (Rib.pathsApplied since the last commit began, the leaks that commit made included), so a large
 * load settles in parts. One commit of 1000 VRFs x 1000 routes
 * keeps ~2M Destination objects and change records alive to its end, so they are promoted and left
 * for a full GC; parts of this size die young.
 */
export const LOAD_BATCH_PATHS = 4096;

/**
 * Recompute rounds of one commit. Leaks cannot loop (a route never re-enters a VRF on its leak
 * chain, DESIGN.md "No re-export"), and a chain is a few rounds long: the bound is a guard against
 * a bug turning into a hang, not a semantic.
 */
const MAX_ROUNDS = 32;

/** UPDATEs per peer id. */
export type Outbound = Map<number, Buffer[]>;

export class Propagation {
  /** Rib.pathsApplied when the last commit began. */
  private committedAt = 0;

  constructor(
    readonly rib: Rib,
    readonly engine: LeakEngine | undefined = undefined,
    /** Paths per part of a load; LOAD_BATCH_PATHS unless a test wants small parts. */
    private readonly loadBatch = LOAD_BATCH_PATHS,
    /** Sees every round's changes and settles with the engine (the leak monitor, issue 16). */
    readonly monitor: LeakMonitor | undefined = undefined,
  ) {}

  /** Operations made outside a load (applied as they are; the next commit settles them). */
  apply(ops: RibOps): void {
    this.rib.apply(ops);
  }

  /**
   * Settles every change waiting in the RIB: recompute, leak, apply, until a recompute changes
   * nothing; then the conflicts and leak violations, the UPDATEs of the final best routes, and the views of removed
   * VRFs dropped (their withdrawals are in the UPDATEs).
   */
  commit(): Outbound {
    this.committedAt = this.rib.pathsApplied;
    const reads = this.rib.outboundReads();
    // Only the changes of tables some update group sends from are kept to the end (see
    // UpdateGroups.reads); the others are garbage as soon as the engine has seen them.
    const settled: ChangeBatch[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const batches = this.rib.recompute();
      if (batches.length === 0) break;
      for (const b of batches) if (reads(b)) settled.push(b);
      this.monitor?.observe(batches);
      if (this.engine) this.rib.apply(this.engine.react(batches));
    }
    this.engine?.settled();
    this.monitor?.settle();
    const out = this.rib.flush(settled);
    for (const view of this.engine?.takeRemovedViews() ?? []) this.rib.removeView(view);
    return out;
  }

  /**
   * Runs load steps (LeakEngine.load, LeakEngine.reconfigure) to the end, committing after a step
   * that allows it once a part's worth of paths waits. Yields the UPDATEs of each such commit; the
   * last part is left for the caller's own commit.
   */
  *load(steps: Iterable<LoadStep>): Generator<Outbound> {
    for (const step of steps) {
      this.rib.apply(step.ops);
      const waiting = this.rib.pathsApplied - this.committedAt;
      if (step.commitPoint && waiting >= this.loadBatch) yield this.commit();
    }
  }

  /** load() for an owner with no one to send to (a shadow, a bench): the parts are committed. */
  loadAll(steps: Iterable<LoadStep>): number {
    let parts = 0;
    for (const _ of this.load(steps)) parts++;
    return parts;
  }
}
