// One cell: one device under test, N routes over K RDs. Start the DUT, bring up the monitor and
// the injector, inject, wait until the monitor has every route, withdraw, wait until it has none,
// then read the DUT's CPU time and peak RSS and stop it.

import { performance } from 'node:perf_hooks';
import type { AddressBlock } from '../interop/harness/index.js';
import { procStats, startDut, MONITOR_AS, type DutKind, type EventLoopDelay } from './duts.js';
import { RouteCounter } from './monitor.js';
import { encodeRealistic } from './realistic.js';
import { encodeAnnouncements, encodeWithdrawals, END_OF_RIB, INJECTOR_AS } from './routes.js';
import type { LoadShape } from './routes.js';
import { BenchSession } from './session.js';

/**
 * What the injector sends: `transit`, one attribute set packed into full UPDATEs (routes.ts);
 * `realistic`, a real table's mix of attribute sets and UPDATE sizes (realistic.ts); `rr`, the
 * route-reflector fan-out (rr-cell.ts).
 */
export type Workload = 'transit' | 'realistic' | 'rr';

export interface CellOptions {
  parentDir: string;
  /** transit (default) or realistic; the rr cell is rr-cell.ts. */
  workload?: Exclude<Workload, 'rr'>;
  block: AddressBlock;
  holdTime: number;
  /** Per phase (convergence, withdrawal). */
  timeoutMs: number;
  cpuProfDir?: string;
  vrfleakFrom?: 'dist' | 'src';
  log?: (line: string) => void;
}

export interface CellResult {
  dut: DutKind;
  /** Absent in results written before workloads existed: transit. */
  workload?: Workload;
  routes: number;
  rds: number;
  /** rr: receiving clients. */
  clients?: number;
  /** First UPDATE written to the last new route counted at the monitor. */
  convergeMs: number | null;
  /** First withdrawal written to the last withdrawal counted at the monitor. */
  withdrawMs: number | null;
  cpuSec: number | null;
  peakRssKiB: number | null;
  /** RSS with both sessions up, before the load. */
  idleRssKiB: number | null;
  eventLoopDelay?: EventLoopDelay;
  seen: number;
  /** UPDATE messages the monitor (rr: the first client) received from the DUT. */
  updatesOut?: number;
  withdrawn: number;
  foreign: number;
  /** Longest silence (no KEEPALIVE nor UPDATE) from the DUT at the monitor during the load (ms). */
  maxSilenceMs: number;
  /** NOTIFICATIONs, drops, socket errors on either session. */
  sessionProblems: string[];
  error?: string;
}

export async function until(
  cond: () => boolean,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function runCell(
  kind: DutKind,
  shape: LoadShape,
  o: CellOptions,
): Promise<CellResult> {
  const log = o.log ?? (() => undefined);
  const [address, injectorAddr, monitorAddr] = [o.block.next(), o.block.next(), o.block.next()];
  const workload = o.workload ?? 'transit';
  const announce =
    workload === 'realistic' ? encodeRealistic(shape).announce : encodeAnnouncements(shape);
  const withdraw = encodeWithdrawals(shape);
  const counter = new RouteCounter(shape);
  const result: CellResult = {
    dut: kind,
    workload,
    routes: shape.routes,
    rds: shape.rds,
    convergeMs: null,
    withdrawMs: null,
    cpuSec: null,
    peakRssKiB: null,
    idleRssKiB: null,
    seen: 0,
    withdrawn: 0,
    foreign: 0,
    maxSilenceMs: 0,
    sessionProblems: [],
  };
  const dut = await startDut(kind, {
    parentDir: o.parentDir,
    address,
    peers: [
      { address: injectorAddr, asn: INJECTOR_AS },
      { address: monitorAddr, asn: MONITOR_AS },
    ],
    holdTime: o.holdTime,
    ...(o.cpuProfDir !== undefined ? { cpuProfDir: o.cpuProfDir } : {}),
    ...(o.vrfleakFrom !== undefined ? { vrfleakFrom: o.vrfleakFrom } : {}),
  });
  const session = (local: string, asn: number, onUpdate?: (m: Buffer) => void): BenchSession =>
    new BenchSession({
      localAddress: local,
      remoteAddress: address,
      asn,
      routerId: local,
      holdTime: o.holdTime,
      ...(onUpdate ? { onUpdate } : {}),
    });
  const monitor = session(monitorAddr, MONITOR_AS, (m) => counter.onUpdate(m));
  const injector = session(injectorAddr, INJECTOR_AS);
  let stats0 = { cpuSec: 0 };
  try {
    await monitor.start();
    await injector.start();
    // Let the DUT finish its own Established bookkeeping for both sessions (its KEEPALIVE can
    // reach us before it has processed ours).
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = procStats(dut.pid);
    result.idleRssKiB = idle.rssKiB;
    stats0 = idle;
    monitor.resetSilence();
    dut.markLoadStart();
    log(`${kind} ${shape.routes}/${shape.rds}: injecting ${announce.length} UPDATEs`);

    const t0 = performance.now();
    await injector.sendAll(announce);
    await injector.sendAll([END_OF_RIB]);
    await until(
      () => counter.seenCount === shape.routes || monitor.problems.length > 0,
      o.timeoutMs,
      () => `monitor saw ${counter.seenCount}/${shape.routes} routes`,
    );
    if (counter.seenCount !== shape.routes) throw new Error(monitor.problems.join('; '));
    result.convergeMs = counter.lastChangeAt - t0;
    log(`${kind}: converged in ${result.convergeMs.toFixed(0)} ms; withdrawing`);

    const tw = performance.now();
    await injector.sendAll(withdraw);
    await until(
      () => counter.presentCount === 0 || monitor.problems.length > 0,
      o.timeoutMs,
      () => `monitor still has ${counter.presentCount}/${shape.routes} routes`,
    );
    if (counter.presentCount !== 0) throw new Error(monitor.problems.join('; '));
    result.withdrawMs = counter.lastChangeAt - tw;
    log(`${kind}: withdrawn in ${result.withdrawMs.toFixed(0)} ms`);
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    log(`${kind}: FAILED: ${result.error}`);
  } finally {
    try {
      const s = procStats(dut.pid);
      result.cpuSec = Math.round((s.cpuSec - stats0.cpuSec) * 100) / 100;
      result.peakRssKiB = s.peakRssKiB;
    } catch {
      // The DUT died: the error above says so.
    }
    result.seen = counter.seenCount;
    result.updatesOut = counter.updates;
    result.withdrawn = counter.withdrawnCount;
    result.foreign = counter.foreign;
    result.maxSilenceMs = Math.round(monitor.maxSilenceMs);
    result.sessionProblems = [
      ...injector.problems.map((p) => `injector: ${p}`),
      ...monitor.problems.map((p) => `monitor: ${p}`),
    ];
    monitor.close();
    injector.close();
    const eld = await dut.stop();
    if (eld) result.eventLoopDelay = eld;
  }
  return result;
}
