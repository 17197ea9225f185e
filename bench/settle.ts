// Before a device's cell the machine should be as the run found it. A device that peaked at
// several GiB (GoBGP's 3M cells reach 9 GB) leaves the kernel reclaiming its pages for seconds
// after it exits, and a cell started then measures that reclaim too: the full run of e8fd4ce had
// vrfleak's rr 100k x 10 cell at 1.21 s right after GoBGP's realistic 3M cell, against 0.48-0.53 s
// in three runs of the cell alone. So each cell waits, with a deadline, until the memory the
// kernel calls available is back near its value at the start of the run and the CPUs were idle
// for a whole sample.

import { readFileSync } from 'node:fs';

/** The wait before one cell, kept in results.json beside the cell. */
export interface Settle {
  waitedMs: number;
  /** False when the deadline passed first: the cell ran on a machine still busy. */
  settled: boolean;
  /** MemAvailable at the end of the wait, and how far below the run's start it was (MiB). */
  availableMiB: number;
  belowStartMiB: number;
  /** Share of the CPUs idle over the last sample (0-100). */
  idlePct: number;
}

export interface SettleRule {
  /** MemAvailable may be this far below its value at the start of the run. */
  slackMiB: number;
  /** The CPUs must be at least this idle over one sample (percent). */
  idlePct: number;
  sampleMs: number;
  deadlineMs: number;
}

export const SETTLE_RULE: SettleRule = {
  slackMiB: 512,
  idlePct: 90,
  sampleMs: 1000,
  deadlineMs: 60_000,
};

/** /proc/meminfo MemAvailable in KiB. */
export function memAvailableKiB(): number {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  if (m?.[1] === undefined) throw new Error('/proc/meminfo has no MemAvailable');
  return Number(m[1]);
}

/** The aggregate CPU line of /proc/stat: idle (idle + iowait) and total jiffies. */
function cpuTimes(): { idle: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((s, x) => s + x, 0);
  return { idle: (f[3] ?? 0) + (f[4] ?? 0), total };
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until the machine is back near `startAvailableKiB` and idle, or the deadline passes. */
export async function settle(startAvailableKiB: number, rule = SETTLE_RULE): Promise<Settle> {
  const t0 = Date.now();
  for (;;) {
    const a = cpuTimes();
    await delay(rule.sampleMs);
    const b = cpuTimes();
    const idlePct = b.total > a.total ? (100 * (b.idle - a.idle)) / (b.total - a.total) : 100;
    const avail = memAvailableKiB();
    const belowStartMiB = Math.max(0, (startAvailableKiB - avail) / 1024);
    const settled = belowStartMiB <= rule.slackMiB && idlePct >= rule.idlePct;
    const waitedMs = Date.now() - t0;
    if (settled || waitedMs >= rule.deadlineMs) {
      return {
        waitedMs,
        settled,
        availableMiB: Math.round(avail / 1024),
        belowStartMiB: Math.round(belowStartMiB),
        idlePct: Math.round(idlePct),
      };
    }
  }
}
