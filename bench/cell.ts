// One cell: one device under test, N routes over K RDs. Start the DUT, bring up the receivers (the
// monitor; in the reflector cell, rr-cell.ts, the clients) and the injector, inject, wait until
// every receiver has every route, withdraw, wait until they have none, then read the DUT's CPU
// time and peak RSS and stop it. measureCell is that sequence for every workload.

import { performance } from 'node:perf_hooks';
import type { AddressBlock } from '../interop/harness/index.js';
import {
  procStats,
  startDut,
  MONITOR_AS,
  type DutHandle,
  type DutKind,
  type DutPeer,
  type EventLoopDelay,
  type ProcStats,
} from './duts.js';
import { gib } from './cells.js';
import { collectHarnessGarbage } from './harness-gc.js';
import { RouteCounter } from './monitor.js';
import { encodeRealistic } from './realistic.js';
import { encodeAnnouncements, encodeWithdrawals, END_OF_RIB, INJECTOR_AS } from './routes.js';
import type { LoadShape } from './routes.js';
import { BenchSession } from './session.js';
import type { Settle } from './settle.js';

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
  /** Stop the DUT once its RSS passes this (KiB), so one device cannot take the machine down. */
  rssLimitKiB?: number;
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
  /**
   * The part of cpuSec the DUT's first thread spent (vrfleak: its event loop; the rest is V8's
   * helper threads). Absent in results written before it was measured.
   */
  mainCpuSec?: number;
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
  /** The per-phase limit this cell ran under (s): a cell that did not converge says so. */
  timeoutS?: number;
  /** The RSS guard stopped the DUT at this RSS (KiB). */
  stoppedAtKiB?: number;
  /** The phase that did not finish within timeoutS. */
  timedOut?: Phase;
  /** The wait for a quiet machine before the cell (bench/settle.ts). */
  settle?: Settle;
}

export type Phase = 'converge' | 'withdraw';

/** A phase of a cell that did not finish in time: reported with what the receivers reached. */
export class PhaseTimeout extends Error {
  constructor(
    readonly phase: Phase,
    timeoutMs: number,
    reached: string,
  ) {
    super(`did not ${phase} within ${timeoutMs / 1000} s: ${reached}`);
  }
}

/** Polls `cond` every 10 ms; past the deadline, throws PhaseTimeout with what() was reached. */
export async function until(
  cond: () => boolean,
  phase: Phase,
  timeoutMs: number,
  what: () => string,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!cond()) {
    if (performance.now() > deadline) throw new PhaseTimeout(phase, timeoutMs, what());
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A cell before it ran: nothing measured yet. */
export function emptyResult(
  kind: DutKind,
  workload: Workload,
  shape: LoadShape,
  clients?: number,
): CellResult {
  return {
    dut: kind,
    workload,
    routes: shape.routes,
    rds: shape.rds,
    ...(clients !== undefined ? { clients } : {}),
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
}

/**
 * Polls the DUT's RSS and kills it past the limit: GoBGP and FRR hold several KiB per route, and a
 * 3M-route cell must not push the shared machine into swap or the OOM killer. Its last reading
 * stands in for the DUT's CPU time and peak RSS once it is dead.
 */
class RssGuard {
  trippedAtKiB: number | undefined;
  last: ProcStats | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(dut: DutHandle, limitKiB: number) {
    this.timer = setInterval(() => {
      try {
        this.last = procStats(dut.pid);
      } catch {
        return; // gone: the cell's error says why
      }
      if (this.last.rssKiB > limitKiB && this.trippedAtKiB === undefined) {
        this.trippedAtKiB = this.last.rssKiB;
        void dut.kill();
      }
    }, 250);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** The sessions of a cell other than the DUT: one injector and the receivers it is measured at. */
export interface CellCast {
  injector: { address: string; asn: number };
  receivers: ReadonlyArray<{ name: string; address: string; asn: number }>;
  /** The sessions the DUT is configured with (injector and receivers). */
  dutPeers: readonly DutPeer[];
}

/** Runs one cell: converge and withdraw end when the last receiver has the last change. */
export async function measureCell(
  result: CellResult,
  address: string,
  cast: CellCast,
  load: { announce: readonly Buffer[]; withdraw: readonly Buffer[] },
  o: Omit<CellOptions, 'workload'>,
): Promise<CellResult> {
  const log = o.log ?? (() => undefined);
  const kind = result.dut;
  const shape: LoadShape = { routes: result.routes, rds: result.rds };
  result.timeoutS = o.timeoutMs / 1000;
  const counters = cast.receivers.map(() => new RouteCounter(shape));
  const dut = await startDut(kind, {
    parentDir: o.parentDir,
    address,
    peers: cast.dutPeers,
    holdTime: o.holdTime,
    ...(o.cpuProfDir !== undefined ? { cpuProfDir: o.cpuProfDir } : {}),
    ...(o.vrfleakFrom !== undefined ? { vrfleakFrom: o.vrfleakFrom } : {}),
  });
  const guard = new RssGuard(dut, o.rssLimitKiB ?? Number.POSITIVE_INFINITY);
  const session = (local: string, asn: number, onUpdate?: (m: Buffer) => void): BenchSession =>
    new BenchSession({
      localAddress: local,
      remoteAddress: address,
      asn,
      routerId: local,
      holdTime: o.holdTime,
      ...(onUpdate ? { onUpdate } : {}),
    });
  const receivers = cast.receivers.map((r, i) =>
    session(r.address, r.asn, (m) => counters[i]!.onUpdate(m)),
  );
  const injector = session(cast.injector.address, cast.injector.asn);
  const named: Array<[string, BenchSession]> = [
    ['injector', injector],
    ...receivers.map((r, i): [string, BenchSession] => [cast.receivers[i]!.name, r]),
  ];
  const problems = (): string[] => named.flatMap(([, x]) => x.problems);
  const lastChange = (): number => Math.max(...counters.map((c) => c.lastChangeAt));
  const reached = (f: (c: RouteCounter) => number): string =>
    [...new Set(counters.map(f))].join(',') + ` of ${shape.routes}`;
  const stopped = (): boolean => problems().length > 0 || guard.trippedAtKiB !== undefined;
  const why = (): string =>
    guard.trippedAtKiB !== undefined
      ? `stopped at ${gib(guard.trippedAtKiB)} GiB by the RSS guard (limit ${gib(o.rssLimitKiB!)} GiB)`
      : problems().join('; ');
  /** The DUT's CPU (process and first thread) at the load's start: the figures count from it. */
  let cpu0: Pick<ProcStats, 'cpuSec' | 'mainCpuSec'> = { cpuSec: 0, mainCpuSec: 0 };
  try {
    await Promise.all(receivers.map((r) => r.start()));
    await injector.start();
    // The bench's own garbage first: the last cell's load (689k UPDATE buffers for realistic 3M)
    // is still on its heap, and its first full GC otherwise falls inside this cell's load: the
    // receivers stop reading through a 0.1-0.2 s pause, and a reflector's clients saw 0.35-0.6 s
    // of silence (bench/README.md, round 16).
    collectHarnessGarbage();
    // Let the DUT finish its own Established bookkeeping for every session (its KEEPALIVE can
    // reach us before it has processed ours).
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = procStats(dut.pid);
    result.idleRssKiB = idle.rssKiB;
    cpu0 = idle;
    for (const r of receivers) r.resetSilence();
    dut.markLoadStart();
    log(
      `${kind} ${shape.routes}/${shape.rds} x ${receivers.length}: ${load.announce.length} UPDATEs`,
    );

    const t0 = performance.now();
    await injector.sendAll(load.announce);
    await injector.sendAll([END_OF_RIB]);
    await until(
      () => counters.every((c) => c.seenCount === shape.routes) || stopped(),
      'converge',
      o.timeoutMs,
      () => `receivers saw ${reached((c) => c.seenCount)} routes`,
    );
    if (stopped()) throw new Error(`${why()}; receivers saw ${reached((c) => c.seenCount)}`);
    result.convergeMs = lastChange() - t0;
    log(`${kind}: converged in ${result.convergeMs.toFixed(0)} ms; withdrawing`);

    const tw = performance.now();
    await injector.sendAll(load.withdraw);
    await until(
      () => counters.every((c) => c.presentCount === 0) || stopped(),
      'withdraw',
      o.timeoutMs,
      () => `receivers still hold ${reached((c) => c.presentCount)} routes`,
    );
    if (stopped()) throw new Error(`${why()}; receivers hold ${reached((c) => c.presentCount)}`);
    result.withdrawMs = lastChange() - tw;
    log(`${kind}: withdrawn in ${result.withdrawMs.toFixed(0)} ms`);
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
    if (err instanceof PhaseTimeout) result.timedOut = err.phase;
    log(`${kind}: FAILED: ${result.error}`);
  } finally {
    await finishCell(result, { dut, guard, cpu0, counters, receivers, named });
  }
  return result;
}

/** Reads what the DUT spent, what the receivers got, closes every session and stops the DUT. */
async function finishCell(
  result: CellResult,
  c: {
    dut: DutHandle;
    guard: RssGuard;
    cpu0: Pick<ProcStats, 'cpuSec' | 'mainCpuSec'>;
    counters: readonly RouteCounter[];
    receivers: readonly BenchSession[];
    named: ReadonlyArray<[string, BenchSession]>;
  },
): Promise<void> {
  c.guard.stop();
  // A DUT the guard killed (a zombie until stopped: no VmHWM) or one that died: its last reading.
  let s: ProcStats | undefined = c.guard.last;
  if (c.guard.trippedAtKiB === undefined) {
    try {
      s = procStats(c.dut.pid);
    } catch {
      // gone: the error says why
    }
  }
  if (s !== undefined) {
    result.cpuSec = Math.round((s.cpuSec - c.cpu0.cpuSec) * 100) / 100;
    result.mainCpuSec = Math.round((s.mainCpuSec - c.cpu0.mainCpuSec) * 100) / 100;
    result.peakRssKiB = s.peakRssKiB;
  }
  if (c.guard.trippedAtKiB !== undefined) result.stoppedAtKiB = c.guard.trippedAtKiB;
  // The least any receiver got, so a partial fan-out shows.
  result.seen = Math.min(...c.counters.map((x) => x.seenCount));
  result.updatesOut = c.counters[0]?.updates ?? 0;
  result.withdrawn = Math.min(...c.counters.map((x) => x.withdrawnCount));
  result.foreign = c.counters.reduce((n, x) => n + x.foreign, 0);
  result.maxSilenceMs = Math.round(Math.max(...c.receivers.map((r) => r.maxSilenceMs)));
  result.sessionProblems = c.named.flatMap(([name, x]) => x.problems.map((p) => `${name}: ${p}`));
  for (const [, x] of c.named) x.close();
  const eld = await c.dut.stop();
  if (eld) result.eventLoopDelay = eld;
}

/** The transit and realistic cells: eBGP in from the injector, eBGP out to the monitor. */
export async function runCell(
  kind: DutKind,
  shape: LoadShape,
  o: CellOptions,
): Promise<CellResult> {
  const [address, injectorAddr, monitorAddr] = [o.block.next(), o.block.next(), o.block.next()];
  const workload = o.workload ?? 'transit';
  const announce =
    workload === 'realistic' ? encodeRealistic(shape).announce : encodeAnnouncements(shape);
  const injector = { address: injectorAddr, asn: INJECTOR_AS };
  const monitor = { name: 'monitor', address: monitorAddr, asn: MONITOR_AS };
  return measureCell(
    emptyResult(kind, workload, shape),
    address,
    { injector, receivers: [monitor], dutPeers: [injector, monitor] },
    { announce, withdraw: encodeWithdrawals(shape) },
    o,
  );
}
