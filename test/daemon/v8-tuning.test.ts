// tuneV8 (daemon/v8-tuning.ts) sets V8's interrupt budget in the running process: a function
// defined after it runs that many times more before V8 optimizes it. The probe is a fresh node
// process (the sources through bench/register.mjs) with V8's natives syntax, which reads a
// function's optimization state, and synchronous optimization, so the state is read at once.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INTERRUPT_BUDGET, V8_DEFAULT_INTERRUPT_BUDGET } from '../../src/daemon/v8-tuning.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** The probes' import of tuneV8 from the sources (the repo's path is the process's argv[1]). */
const IMPORT_TUNE_V8 = `
import { pathToFileURL } from 'node:url';
const { tuneV8 } = await import(pathToFileURL(process.argv[1] + '/src/daemon/v8-tuning.js').href);
`;

// %GetOptimizationStatus's bit 4 (16): the function runs optimized code.
const PROBE = `${IMPORT_TUNE_V8}
const callsToOptimize = (f) => {
  const a = [1, 2, 3];
  for (let n = 1; n <= 1e6; n++) {
    f(a);
    if (%GetOptimizationStatus(f) & 16) return n;
  }
  return -1;
};
const before = callsToOptimize((a) => { let s = 0; for (let i = 0; i < 20; i++) s += a[i % a.length] * i; return s; });
tuneV8();
const after = callsToOptimize((a) => { let s = 0; for (let i = 0; i < 20; i++) s += a[i % a.length] * i; return s; });
console.log('PROBE ' + JSON.stringify({ before, after }));
`;

/** A fresh node process with `v8Flags` running `script` (the repo's path its first argument). */
function probe(
  v8Flags: readonly string[],
  script: string,
  ...args: string[]
): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [
      ...v8Flags,
      '--import',
      './bench/register.mjs',
      '--input-type=module',
      '-e',
      script,
      REPO,
      ...args,
    ],
    { cwd: REPO, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
}

describe('tuneV8', () => {
  it("sets the interrupt budget: a function runs ~budget/default times longer before it's optimized", () => {
    const r = probe(['--allow-natives-syntax', '--no-concurrent-recompilation'], PROBE);
    const line = r.stdout.split('\n').find((l) => l.startsWith('PROBE '));
    expect(line, r.stderr).toBeDefined();
    const { before, after } = JSON.parse(line!.slice('PROBE '.length)) as {
      before: number;
      after: number;
    };
    expect(before).toBeGreaterThan(0);
    // The tuned budget is ~4.4 times V8's: a function runs at least half that many times longer.
    const ratio = INTERRUPT_BUDGET / V8_DEFAULT_INTERRUPT_BUDGET;
    expect(after).toBeGreaterThan(before * (ratio / 2));
  });
});

// A literal site whose objects all survive a scavenge (batches kept a while, then dropped) is
// what V8 pretenures; `--trace-pretenuring-statistics` prints each decision ("=> tenure").
const PRETENURE_PROBE = `${IMPORT_TUNE_V8}
if (process.argv[2] === 'tuned') tuneV8();
const kept = [];
const make = (i) => [i, i + 1, {}];
for (let r = 0; r < 12; r++) {
  const batch = [];
  for (let i = 0; i < 100000; i++) batch.push(make(i));
  kept.push(batch);
  if (kept.length > 3) kept.shift();
}
console.log('DONE');
`;

function tenureDecisions(mode: 'plain' | 'tuned'): number {
  const r = probe(['--trace-pretenuring', '--trace-pretenuring-statistics'], PRETENURE_PROBE, mode);
  expect(r.stdout, r.stderr).toContain('DONE');
  return r.stdout.split('\n').filter((l) => l.includes('=> tenure')).length;
}

describe('tuneV8 and pretenuring', () => {
  it('turns allocation-site pretenuring off: the probe that V8 pretenures untuned is not', () => {
    // The probe can see a decision: V8 left as it is pretenures the site.
    expect(tenureDecisions('plain')).toBeGreaterThan(0);
    expect(tenureDecisions('tuned')).toBe(0);
  });
});
