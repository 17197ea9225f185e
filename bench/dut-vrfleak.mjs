// The vrfleak device under test, in a child process of its own so the bench reads its CPU time and
// peak RSS from /proc like any other daemon's:
//   node bench/dut-vrfleak.mjs CONFIG.json ELD.json [LIBRARY]
// LIBRARY is the library module to load: the compiled dist/api/library.js by default (so the
// measured process holds vrfleak and nothing else: no TypeScript compiler), or src/api/library.js
// under `--import bench/register.mjs` for CI runs without a build. It starts a Speaker from the
// config, prints its pid once listening, and on SIGTERM stops and writes the event-loop delay
// percentiles (ms) to ELD.json. SIGUSR2 resets the histogram so the figures cover the load only.
// V8 is tuned as `vrfleak run` tunes it (daemon/v8-tuning.ts).

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { clearTimeout, setInterval, setTimeout } from 'node:timers';
import { URL, fileURLToPath } from 'node:url';

const [configPath, eldPath, library] = process.argv.slice(2);
if (configPath === undefined || eldPath === undefined) {
  console.error('usage: dut-vrfleak.mjs CONFIG.json ELD.json [LIBRARY]');
  process.exit(2);
}

// MEM_TRACE=FILE: process.memoryUsage() every 100 ms, one JSON line each (where the RSS goes).
const memTrace = process.env.MEM_TRACE;
if (memTrace !== undefined) {
  const t0 = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(memTrace, JSON.stringify({ t: Date.now() - t0, ...m }) + '\n');
  }, 100).unref();
}

const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();

// ELD_TRACE=FILE: the long gaps between two firings of a 10 ms timer, as the histogram sees them,
// one JSON line each on exit ({ end: CLOCK_MONOTONIC ms, ms, cpu }): bench/long-turns.ts names the
// code that ran in each from a CPU profile (--cpu-prof) of the same run. `cpu` is the process's
// CPU time (all threads: the GC's helpers too) in the gap: far below `ms`, the process was not
// running (a loaded machine), which no change of ours shortens.
const eldTrace = process.env.ELD_TRACE;
const gaps = [];
if (eldTrace !== undefined) {
  let last = Number(process.hrtime.bigint()) / 1e6;
  let lastCpu = process.cpuUsage();
  setInterval(() => {
    const now = Number(process.hrtime.bigint()) / 1e6;
    const cpu = process.cpuUsage();
    if (now - last >= 30) {
      const used = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
      gaps.push({ end: now, ms: now - last, cpu: Math.round(used) });
    }
    last = now;
    lastCpu = cpu;
  }, 10).unref();
}
// ALLOC_PROF=FILE: a sampling heap profile of every allocation, the collected ones included
// (what the garbage collector's time is made of), written to FILE on exit: the `.heapprofile`
// format of Chrome's developer tools; bench/alloc-top.ts sums it by function. With
// ALLOC_PROF_SURVIVORS=1 the objects a scavenge collected are left out: what survived the young
// generation (copied, then promoted: the scavenger's work), by allocating function.
const allocProf = process.env.ALLOC_PROF;
let inspector;
if (allocProf !== undefined) {
  const { Session } = await import('node:inspector');
  inspector = new Session();
  inspector.connect();
  inspector.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: process.env.ALLOC_PROF_SURVIVORS !== '1',
  });
}
const libPath = library ?? fileURLToPath(new URL('../dist/api/library.js', import.meta.url));
const { Speaker, tuneV8 } = await import(libPath);
// The process runs the Speaker alone, as `vrfleak run` runs the daemon: V8 tuned as it does.
tuneV8();
const speaker = await Speaker.start(JSON.parse(readFileSync(configPath, 'utf8')));

process.on('SIGUSR2', () => {
  eld.reset();
  gaps.length = 0;
});
process.once('SIGTERM', () => {
  eld.disable();
  // Synchronous: the session answers within post().
  inspector?.post('HeapProfiler.stopSampling', (err, r) => {
    if (!err) writeFileSync(allocProf, JSON.stringify(r.profile));
  });
  if (eldTrace !== undefined)
    writeFileSync(eldTrace, gaps.map((g) => JSON.stringify(g)).join('\n'));
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  writeFileSync(
    eldPath,
    JSON.stringify({
      p50: ms(eld.percentile(50)),
      p90: ms(eld.percentile(90)),
      p99: ms(eld.percentile(99)),
      max: ms(eld.max),
      mean: ms(eld.mean),
    }),
  );
  // Exit even if stop hangs: the profile (--cpu-prof) is written on a normal exit only.
  const bail = setTimeout(() => process.exit(0), 3_000);
  void speaker.stop().finally(() => {
    clearTimeout(bail);
    process.exit(0);
  });
});
console.log(JSON.stringify({ pid: process.pid }));
