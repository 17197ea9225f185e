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
 * Sets V8_TUNING in this process. V8 reads the budget whenever it gives a function one (its
 * first, and after each optimization or deoptimization), and the pretenuring flag at each
 * scavenge's feedback, so flags set after start apply to what comes after: call it first.
 */
export function tuneV8(): void {
  for (const flag of V8_TUNING) setFlagsFromString(flag);
}
