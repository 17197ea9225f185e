// The route-reflector fan-out cell (issue 13): the device under test is an iBGP route reflector
// (AS 65000) with one client injecting N VPNv4 routes and C receiving clients, all of them the
// bench's own light sessions. Converge is the time from the first UPDATE written to the last new
// route counted at the last client; withdraw likewise. What a reflector pays for here is its
// update groups: every route goes out C times.

import { performance } from 'node:perf_hooks';
import type { AddressBlock } from '../interop/harness/index.js';
import { until, type CellResult } from './cell.js';
import { DUT_AS, procStats, startDut, type DutKind } from './duts.js';
import { RouteCounter } from './monitor.js';
import { encodeAnnouncements, encodeWithdrawals, END_OF_RIB, type LoadShape } from './routes.js';
import { BenchSession } from './session.js';

export interface RrCellOptions {
  parentDir: string;
  block: AddressBlock;
  holdTime: number;
  timeoutMs: number;
  vrfleakFrom?: 'dist' | 'src';
  log?: (line: string) => void;
}

export async function runRrCell(
  kind: DutKind,
  shape: LoadShape,
  clients: number,
  o: RrCellOptions,
): Promise<CellResult> {
  const log = o.log ?? (() => undefined);
  const address = o.block.next();
  const injectorAddr = o.block.next();
  const clientAddrs = Array.from({ length: clients }, () => o.block.next());
  const announce = encodeAnnouncements(shape, undefined, true);
  const withdraw = encodeWithdrawals(shape);
  const counters = clientAddrs.map(() => new RouteCounter(shape));
  const result: CellResult = {
    dut: kind,
    workload: 'rr',
    routes: shape.routes,
    rds: shape.rds,
    clients,
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
    peers: [injectorAddr, ...clientAddrs].map((a) => ({ address: a, asn: DUT_AS, rrClient: true })),
    holdTime: o.holdTime,
    ...(o.vrfleakFrom !== undefined ? { vrfleakFrom: o.vrfleakFrom } : {}),
  });
  const session = (local: string, onUpdate?: (m: Buffer) => void): BenchSession =>
    new BenchSession({
      localAddress: local,
      remoteAddress: address,
      asn: DUT_AS,
      routerId: local,
      holdTime: o.holdTime,
      ...(onUpdate ? { onUpdate } : {}),
    });
  const receivers = clientAddrs.map((a, i) => session(a, (m) => counters[i]!.onUpdate(m)));
  const injector = session(injectorAddr);
  const all = [injector, ...receivers];
  const lastChange = (): number => Math.max(...counters.map((c) => c.lastChangeAt));
  const problems = (): string[] => all.flatMap((s) => s.problems);
  let stats0 = { cpuSec: 0 };
  try {
    await Promise.all(receivers.map((r) => r.start()));
    await injector.start();
    // As in cell.ts: let the DUT settle its own Established bookkeeping first.
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = procStats(dut.pid);
    result.idleRssKiB = idle.rssKiB;
    stats0 = idle;
    for (const r of receivers) r.resetSilence();
    dut.markLoadStart();
    log(`${kind} rr ${shape.routes} x ${clients} clients: injecting ${announce.length} UPDATEs`);

    const t0 = performance.now();
    await injector.sendAll(announce);
    await injector.sendAll([END_OF_RIB]);
    await until(
      () => counters.every((c) => c.seenCount === shape.routes) || problems().length > 0,
      o.timeoutMs,
      () => `clients saw ${counters.map((c) => c.seenCount).join(',')} of ${shape.routes}`,
    );
    if (problems().length > 0) throw new Error(problems().join('; '));
    result.convergeMs = lastChange() - t0;
    log(`${kind}: every client converged in ${result.convergeMs.toFixed(0)} ms; withdrawing`);

    const tw = performance.now();
    await injector.sendAll(withdraw);
    await until(
      () => counters.every((c) => c.presentCount === 0) || problems().length > 0,
      o.timeoutMs,
      () => `clients still hold ${counters.map((c) => c.presentCount).join(',')}`,
    );
    if (problems().length > 0) throw new Error(problems().join('; '));
    result.withdrawMs = lastChange() - tw;
    log(`${kind}: withdrawn everywhere in ${result.withdrawMs.toFixed(0)} ms`);
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
    // The least any client saw, so a partial fan-out shows.
    result.seen = Math.min(...counters.map((c) => c.seenCount));
    result.updatesOut = counters[0]?.updates ?? 0;
    result.withdrawn = Math.min(...counters.map((c) => c.withdrawnCount));
    result.foreign = counters.reduce((n, c) => n + c.foreign, 0);
    result.maxSilenceMs = Math.round(Math.max(...receivers.map((r) => r.maxSilenceMs)));
    result.sessionProblems = [
      ...injector.problems.map((p) => `injector: ${p}`),
      ...receivers.flatMap((r, i) => r.problems.map((p) => `client ${i}: ${p}`)),
    ];
    for (const s of all) s.close();
    const eld = await dut.stop();
    if (eld) result.eventLoopDelay = eld;
  }
  return result;
}
