// What the vrfleak daemon sets in V8 for its own process (`vrfleak run`; bench/dut-vrfleak.mjs
// does the same, so the bench measures the daemon as it runs). Not done by the library on its
// own: a test suite that embeds a Speaker keeps its process's settings.
//
// V8 optimizes a function once it has run a budget of bytecode (the interrupt budget), with the
// type feedback gathered so far. A speaker's load comes in phases (the first UPDATEs, an RD's map
// split at 32k keys, the first withdrawals), each running code paths the earlier ones did not:
// what was optimized early is thrown away and compiled again (a 1M transit: ~300 compile jobs,
// adj-out.ts's flush five times at ~100 ms each; `--trace-opt`). That compiling runs on V8's
// helper threads: 0.5-0.7 of a 100k transit's ~0.9 CPU s, 1.2-1.4 of a 1M transit's ~3 (the
// `main s` column of bench/RESULTS.md is the rest). A larger budget optimizes a function later,
// with more of its paths seen, so fewer are compiled again (bench/README.md, round 14).
//
// V8 also pretenures: an object literal's allocation site whose objects were found alive at a
// scavenge (85% of them or more) has its objects allocated in the old generation from then on,
// where only a full GC frees them. A speaker's batches are alive while a commit runs and garbage
// after it, so what a scavenge finds alive depends on when it fell. About one transit 1M run in
// twenty peaked at 183-201 MiB, where the rest peak at 145-161: in its withdrawals the old
// generation took ~4.5 MB between two scavenges that each found little alive, the mark of objects
// allocated there, until full GCs freed it (`--trace-gc`). With pretenuring off, none of 90 runs
// did (bench/README.md, round 15).

import { setFlagsFromString } from 'node:v8';

/** V8 11's interrupt budget (Node 20), what INTERRUPT_BUDGET replaces. */
export const V8_DEFAULT_INTERRUPT_BUDGET = 67_584;

/**
 * The interrupt budget (octets of bytecode run before V8 considers optimizing a function), in
 * place of V8_DEFAULT_INTERRUPT_BUDGET. Interleaved pairs (bench/README.md round 14) at 200000,
 * 300000 and 400000: 400000 cut the most helper-thread CPU in the transit and reflector cells but
 * cost the realistic 1M cell's event loop ~0.5 s; 300000 lowered the helpers' CPU in every pair
 * without that.
 */
export const INTERRUPT_BUDGET = 300_000;

/** The V8 flags tuneV8 sets, as V8 spells them. */
export const V8_TUNING: readonly string[] = [
  `--interrupt-budget=${INTERRUPT_BUDGET}`,
  // Every literal young first. What the tables keep is in typed columns or made by `new` (no
  // allocation site): turned off, interleaved pairs of transit 1M and 3M, realistic 1M and the
  // reflector x 50 moved neither CPU nor the usual peak beyond a run's spread.
  '--no-allocation-site-pretenuring',
];

/**
 * The node flags the daemon is launched with, where V8_TUNING cannot reach: what a process has
 * fixed by the time its first line runs. The launch paths carry them: bin/vrfleak.js's first line
 * (the `vrfleak` command), package.json's "start" (and the Dockerfile's CMD through it), the
 * README's alias (test/daemon/launch-flags.test.ts checks these three); bench/duts.ts starts its
 * device with them.
 *
 * `--v8-pool-size=0`: V8's worker threads (the optimizing compiler's jobs, the collector's
 * parallel scavenges and concurrent marking) are one fewer than the CPUs the process may use, at
 * least one (Node's rule for 0), where Node's default is four on any machine. The daemon's own
 * work is one event loop; on a 2-CPU machine four workers outnumber the CPUs left to them, and
 * the event loop waits for the CPU. Interleaved bench pairs on 2 vCPUs (one worker against four):
 * converge fell in 29 of 42, at the medians transit 1M 1.46 -> 1.32 s and realistic 1M 3.83 ->
 * 3.58 s, CPU and peak RSS within the spread (bench/README.md, round 18). With five CPUs or more
 * the pool is Node's default or larger.
 */
export const NODE_LAUNCH_FLAGS: readonly string[] = ['--v8-pool-size=0'];

/**
 * Sets V8_TUNING in this process. V8 reads the budget whenever it gives a function one (its
 * first, and after each optimization or deoptimization), and the pretenuring flag at each
 * scavenge's feedback, so flags set after start apply to what comes after: call it first.
 */
export function tuneV8(): void {
  for (const flag of V8_TUNING) setFlagsFromString(flag);
}
