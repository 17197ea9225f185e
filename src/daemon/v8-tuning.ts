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

import { setFlagsFromString } from 'node:v8';

/** V8 11's interrupt budget (Node 20), what INTERRUPT_BUDGET replaces. */
export const V8_DEFAULT_INTERRUPT_BUDGET = 67_584;

/**
 * The interrupt budget (octets of bytecode run before V8 considers optimizing a function), in
 * place of V8_DEFAULT_INTERRUPT_BUDGET. Interleaved pairs (bench/README.md round 14) at 200000, 300000, 400000:
 * 400000 cut the most helper-thread CPU in the transit and reflector cells but cost the realistic
 * 1M cell's event loop ~0.5 s; 300000 lowered the helpers' CPU in every pair without that.
 */
export const INTERRUPT_BUDGET = 300_000;

/** The V8 flags tuneV8 sets, as V8 spells them. */
export const V8_TUNING: readonly string[] = [`--interrupt-budget=${INTERRUPT_BUDGET}`];

/**
 * Sets V8_TUNING in this process. V8 reads the budget whenever it gives a function one (its
 * first, and after each optimization or deoptimization), so a flag set after start applies to
 * what has not been optimized yet: call it first.
 */
export function tuneV8(): void {
  for (const flag of V8_TUNING) setFlagsFromString(flag);
}
