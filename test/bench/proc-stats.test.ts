import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { CPU_TICKS_PER_S, procStats } from '../../bench/duts.js';

/**
 * Keeps its thread busy until the /proc stat file at `path` shows `sec` more CPU seconds
 * (utime + stime, in ticks of `hz`), or 8 s of wall time passed (a machine too busy to give it
 * any: the expectations then fail). Self-contained: a worker runs its source too.
 */
function spinUntil(read: (p: string) => string, path: string, sec: number, hz: number): void {
  const cpu = (): number => {
    const s = read(path);
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / hz;
  };
  const start = cpu();
  const end = Date.now() + 8_000;
  while (cpu() - start < sec && Date.now() < end) {
    const t = Date.now() + 10;
    while (Date.now() < t);
  }
}

describe('bench procStats', () => {
  it("counts the first thread's CPU apart from the process's other threads", async () => {
    // vitest's forks pool: this test runs on its process's first thread.
    const pid = process.pid;
    const before = procStats(pid);
    // Another thread of this process spins: the process's CPU grows, its first thread's hardly.
    const worker = new Worker(
      `(${spinUntil.toString()})((p) => require('fs').readFileSync(p, 'utf8'), ` +
        `'/proc/${pid}/stat', 0.3, ${CPU_TICKS_PER_S});` +
        `require('worker_threads').parentPort.postMessage(0);`,
      { eval: true },
    );
    await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    const mid = procStats(pid);
    // This thread spins: its CPU grows, and the process's with it.
    spinUntil(
      (p) => readFileSync(p, 'utf8'),
      `/proc/${pid}/task/${pid}/stat`,
      0.3,
      CPU_TICKS_PER_S,
    );
    const after = procStats(pid);
    expect(mid.cpuSec - before.cpuSec).toBeGreaterThanOrEqual(0.3);
    expect(mid.mainCpuSec - before.mainCpuSec).toBeLessThan(0.2);
    expect(after.mainCpuSec - mid.mainCpuSec).toBeGreaterThanOrEqual(0.3);
    expect(after.mainCpuSec).toBeLessThanOrEqual(after.cpuSec + 1 / CPU_TICKS_PER_S);
  });
});
