// Starting each device under test (AS 65000) with the sessions a cell needs, every one accepted
// passively: a VPNv4 transit (the injector in AS 65001 and the monitor in AS 65002: eBGP in, eBGP
// out) or an iBGP route reflector (every peer a client), and reading its CPU time and peak
// RSS from /proc. Every DUT is a process of its own, started fresh for each cell.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  makeStateDir,
  spawnManaged,
  startBird,
  startFrr,
  startGobgp,
  waitFor,
  type ManagedProcess,
} from '../interop/harness/index.js';
import { NODE_LAUNCH_FLAGS } from '../src/daemon/v8-tuning.js';

export const DUT_KINDS = ['vrfleak', 'bird', 'frr', 'gobgp'] as const;
export type DutKind = (typeof DUT_KINDS)[number];

export const DUT_AS = 65000;
export const MONITOR_AS = 65002;

export interface EventLoopDelay {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface DutHandle {
  readonly kind: DutKind;
  readonly pid: number;
  /** Marks the start of the measured load (vrfleak: resets the event-loop delay histogram). */
  markLoadStart(): void;
  /** Stops the daemon; vrfleak also hands back its event-loop delay over the load. */
  stop(): Promise<EventLoopDelay | undefined>;
  /** SIGKILL at once (the bench's RSS guard). */
  kill(): Promise<void>;
}

/** A session the DUT accepts (it never connects itself: every peer is passive on its side). */
export interface DutPeer {
  address: string;
  asn: number;
  /** iBGP route-reflector client (RFC 4456): the route-reflector cell. */
  rrClient?: boolean;
}

export interface DutPlan {
  parentDir: string;
  address: string;
  /** Transit: the injector (AS 65001) and the monitor (AS 65002); RR: the clients, all iBGP. */
  peers: readonly DutPeer[];
  holdTime: number;
  /** vrfleak only: write a V8 CPU profile into this directory. */
  cpuProfDir?: string;
  /**
   * vrfleak only: run the compiled dist/ (default; `npm run build` first) or the TypeScript
   * sources through bench/register.mjs (CI, no build; the loader's compiler inflates the RSS).
   */
  vrfleakFrom?: 'dist' | 'src';
}

const REPO = fileURLToPath(new URL('..', import.meta.url));

export async function startDut(kind: DutKind, plan: DutPlan): Promise<DutHandle> {
  switch (kind) {
    case 'vrfleak':
      return startVrfleak(plan);
    case 'bird':
      return startBirdDut(plan);
    case 'gobgp':
      return startGobgpDut(plan);
    case 'frr':
      return startFrrDut(plan);
    default: {
      const never: never = kind;
      throw new Error(`unknown DUT ${String(never)}`);
    }
  }
}

async function startVrfleak(plan: DutPlan): Promise<DutHandle> {
  const dir = makeStateDir('vrfleak', plan.parentDir);
  const configPath = join(dir, 'config.json');
  const eldPath = join(dir, 'eld.json');
  const logPath = join(dir, 'vrfleak.log');
  const neighbor = (p: DutPeer): object => ({
    address: p.address,
    asn: p.asn,
    families: ['vpnv4'],
    passive: true,
    'hold-time': plan.holdTime,
    ...(p.rrClient ? { 'route-reflector-client': true } : {}),
  });
  writeFileSync(
    configPath,
    JSON.stringify({
      asn: DUT_AS,
      'router-id': plan.address,
      listen: { address: plan.address, port: 179 },
      neighbors: plan.peers.map(neighbor),
    }),
  );
  // Launched as the `vrfleak` command launches the daemon (daemon/v8-tuning.ts), then
  // BENCH_VRFLEAK_NODE_FLAGS: extra node/V8 flags for the vrfleak DUT only (e.g. --trace-gc).
  const args: string[] = [
    ...NODE_LAUNCH_FLAGS,
    ...(process.env.BENCH_VRFLEAK_NODE_FLAGS ?? '').split(' ').filter(Boolean),
  ];
  if (plan.cpuProfDir !== undefined) args.push('--cpu-prof', '--cpu-prof-dir', plan.cpuProfDir);
  if (plan.vrfleakFrom === 'src') {
    args.push('--import', join(REPO, 'bench/register.mjs'), join(REPO, 'bench/dut-vrfleak.mjs'));
    args.push(configPath, eldPath, join(REPO, 'src/api/library.js'));
  } else {
    const lib = join(REPO, 'dist/api/library.js');
    if (!existsSync(lib)) throw new Error(`${lib} is missing: run \`npm run build\` first`);
    args.push(join(REPO, 'bench/dut-vrfleak.mjs'), configPath, eldPath);
  }
  const proc = spawnManaged({
    name: 'vrfleak',
    command: process.execPath,
    args,
    logPath,
    cwd: REPO,
  });
  await waitFor(
    () => {
      if (proc.exitInfo) throw new Error(`vrfleak exited: ${readFileSync(logPath, 'utf8')}`);
      return existsSync(logPath) && readFileSync(logPath, 'utf8').includes('"pid"');
    },
    // From the TypeScript sources the loader compiles every module first: slow on a busy machine.
    { what: 'vrfleak DUT listening', timeoutMs: 90_000, intervalMs: 50 },
  );
  return {
    kind: 'vrfleak',
    pid: proc.pid,
    markLoadStart: () => process.kill(proc.pid, 'SIGUSR2'),
    stop: async () => {
      await proc.stop(30_000);
      if (!existsSync(eldPath)) return undefined;
      return JSON.parse(readFileSync(eldPath, 'utf8')) as EventLoopDelay;
    },
    kill: async () => void (await proc.kill()),
  };
}

async function startGobgpDut(plan: DutPlan): Promise<DutHandle> {
  const neighbor = (p: DutPeer) => ({
    address: p.address,
    asn: p.asn,
    families: ['vpnv4'] as const,
    passive: true,
    holdTime: plan.holdTime,
    keepaliveInterval: Math.max(1, Math.floor(plan.holdTime / 3)),
    ...(p.rrClient ? { routeReflectorClient: true, clusterId: plan.address } : {}),
  });
  const g = await startGobgp({
    name: 'gobgp',
    parentDir: plan.parentDir,
    asn: DUT_AS,
    routerId: plan.address,
    address: plan.address,
    logLevel: 'warn',
    neighbors: plan.peers.map(neighbor),
  });
  return handleOf('gobgp', g.process);
}

async function startFrrDut(plan: DutPlan): Promise<DutHandle> {
  const neighbor = (p: DutPeer) => ({
    address: p.address,
    asn: p.asn,
    families: ['vpnv4'] as const,
    passive: true,
    ...(p.rrClient ? { routeReflectorClient: true } : {}),
    // The same timers as the others, and no MRAI batching delay (RFC 4271 §9.2.1.1).
    extra: [
      `neighbor ${p.address} timers ${Math.floor(plan.holdTime / 3)} ${plan.holdTime}`,
      `neighbor ${p.address} advertisement-interval 0`,
    ],
  });
  const f = await startFrr({
    name: 'frr',
    address: plan.address,
    parentDir: plan.parentDir,
    bgp: {
      asn: DUT_AS,
      routerId: plan.address,
      neighbors: plan.peers.map(neighbor),
    },
  });
  return handleOf('frr', f.process);
}

/**
 * BIRD 2.0 with a vpn4 table and one BGP protocol per peer (the harness writes multihop and
 * strict bind, which loopback needs). `next hop keep` passes the injector's next hop and labels on
 * as the issue describes BIRD's transit; a reflector leaves them alone anyway (RFC 4456 §10).
 */
async function startBirdDut(plan: DutPlan): Promise<DutHandle> {
  const keepalive = Math.max(1, Math.floor(plan.holdTime / 3));
  const b = await startBird({
    name: 'bird',
    parentDir: plan.parentDir,
    address: plan.address,
    asn: DUT_AS,
    routerId: plan.address,
    neighbors: plan.peers.map((p) => ({
      address: p.address,
      asn: p.asn,
      families: ['vpnv4'] as const,
      passive: true,
      nextHopKeep: p.rrClient !== true,
      ...(p.rrClient ? { routeReflectorClient: true } : {}),
      extra: [`hold time ${plan.holdTime};`, `keepalive time ${keepalive};`],
    })),
  });
  return handleOf('bird', b.process);
}

function handleOf(kind: DutKind, proc: ManagedProcess): DutHandle {
  return {
    kind,
    pid: proc.pid,
    markLoadStart: () => undefined,
    stop: async () => {
      await proc.stop(10_000);
      return undefined;
    },
    kill: async () => void (await proc.kill()),
  };
}

/** /proc counts CPU time in clock ticks of 1/100 s (USER_HZ): ProcStats.cpuSec's resolution. */
export const CPU_TICKS_PER_S = 100;

export interface ProcStats {
  /** utime + stime in seconds (/proc/PID/stat fields 14 and 15, in clock ticks of 1/100 s). */
  cpuSec: number;
  /**
   * The same of the process's first thread alone (/proc/PID/task/PID/stat): vrfleak's event loop,
   * where cpuSec also counts V8's helper threads (the optimizing compiler, the collector's).
   */
  mainCpuSec: number;
  /** VmHWM and VmRSS in KiB (/proc/PID/status). */
  peakRssKiB: number;
  rssKiB: number;
}

/** utime + stime of a /proc stat file, in seconds. */
function cpuOf(statPath: string): number {
  const stat = readFileSync(statPath, 'utf8');
  // The command name (field 2) may contain spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CPU_TICKS_PER_S;
}

export function procStats(pid: number): ProcStats {
  const cpuSec = cpuOf(`/proc/${pid}/stat`);
  const mainCpuSec = cpuOf(`/proc/${pid}/task/${pid}/stat`);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string): number =>
    Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { cpuSec, mainCpuSec, peakRssKiB: kib('VmHWM'), rssKiB: kib('VmRSS') };
}
