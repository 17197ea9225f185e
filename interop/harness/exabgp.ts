// ExaBGP 4.2 as a scripted sender: static routes from its config, and `announce ...` /
// `withdraw ...` lines at run time. Commands reach ExaBGP through an API process that relays a
// named pipe in the instance's state dir; the harness holds the pipe open read-write, so a write
// never blocks or fails even before ExaBGP has started the relay (the kernel buffers it).

import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EXABGP_FAMILY, type Family } from './family.js';
import { makeStateDir, run, spawnManaged, waitReady, type ManagedProcess } from './procs.js';
import { waitFor } from './wait.js';

/** The API process name the harness defines; raw configs reference it in `api { processes }`. */
export const EXABGP_API_PROCESS = 'harness-api';

export interface ExabgpNeighborOptions {
  address: string;
  peerAs: number;
  localAs: number;
  families: readonly Family[];
  routerId?: string;
  /** Default: the instance's address. */
  localAddress?: string;
  /** The peer's TCP port when it does not listen on 179 (ExaBGP's `connect`). */
  port?: number;
  holdTime?: number;
  passive?: boolean;
  /** `route ...` lines for the static section (without the trailing `;`). */
  staticRoutes?: readonly string[];
  /** More lines inside the neighbor block (with their `;`). */
  extra?: readonly string[];
}

export interface ExabgpOptions {
  /** The loopback address ExaBGP speaks from (and its default router id). */
  address: string;
  neighbors?: readonly ExabgpNeighborOptions[];
  /**
   * A complete config instead of `neighbors`; the harness prepends its API process, so neighbors
   * that should obey run-time commands list it: `api { processes [ harness-api ]; }`.
   */
  config?: string;
  name?: string;
  parentDir?: string;
  /** More `exabgp.*` environment settings (e.g. exabgp.log.packets: 'true'). */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface ExabgpHandle {
  readonly name: string;
  readonly address: string;
  readonly dir: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly process: ManagedProcess;
  /** Sends one API command line (`announce route ...`, `neighbor X withdraw ...`, ...). */
  send(line: string): void;
  announce(route: string): void;
  withdraw(route: string): void;
  /** Polls ExaBGP's log (and its stdout) until `pattern` shows up. */
  waitLog(pattern: RegExp, what: string, timeoutMs?: number): Promise<string>;
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

export function exabgpConf(opts: ExabgpOptions): string {
  const out: string[] = [];
  for (const n of opts.neighbors ?? []) {
    out.push(`neighbor ${n.address} {`);
    out.push(`  router-id ${n.routerId ?? opts.address};`);
    out.push(`  local-address ${n.localAddress ?? opts.address};`);
    out.push(`  local-as ${n.localAs};`, `  peer-as ${n.peerAs};`);
    if (n.port !== undefined) out.push(`  connect ${n.port};`);
    if (n.holdTime !== undefined) out.push(`  hold-time ${n.holdTime};`);
    if (n.passive) out.push('  passive true;');
    out.push(`  family { ${n.families.map((f) => `${EXABGP_FAMILY[f]};`).join(' ')} }`);
    if ((n.staticRoutes ?? []).length > 0) {
      out.push('  static {', ...(n.staticRoutes ?? []).map((r) => `    ${r};`), '  }');
    }
    out.push(`  api { processes [ ${EXABGP_API_PROCESS} ]; }`);
    for (const l of n.extra ?? []) out.push(`  ${l}`);
    out.push('}');
  }
  return out.join('\n') + '\n';
}

export async function startExabgp(opts: ExabgpOptions): Promise<ExabgpHandle> {
  const name = opts.name ?? `exabgp-${opts.address}`;
  const dir = makeStateDir(name, opts.parentDir);
  const configPath = join(dir, 'exabgp.conf');
  const logPath = join(dir, 'exabgp.log');
  const fifo = join(dir, 'api.fifo');
  const relay = join(dir, 'relay.sh');
  await run('mkfifo', ['-m', '600', fifo]);
  // `0<>` opens the pipe read-write, so the relay never sees end-of-file between writers.
  writeFileSync(relay, '#!/bin/sh\nexec cat 0<>"$1"\n', { mode: 0o755 });
  const processBlock = [
    `process ${EXABGP_API_PROCESS} {`,
    `  run ${relay} ${fifo};`,
    '  encoder text;',
    '}',
  ].join('\n');
  writeFileSync(configPath, `${processBlock}\n${opts.config ?? exabgpConf(opts)}`);
  const fd = openSync(fifo, 'r+');

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    'exabgp.daemon.user': 'root',
    'exabgp.daemon.daemonize': 'false',
    'exabgp.log.destination': logPath,
    // Nobody reads the relay's stdin, so acknowledgements would only fill a pipe.
    'exabgp.api.ack': 'false',
    // No control pipes in /run/exabgp: parallel instances would share them.
    'exabgp.api.cli': 'false',
    ...opts.env,
  };
  const proc = spawnManaged({
    name,
    command: 'exabgp',
    args: [configPath],
    logPath: join(dir, 'exabgp.stdout'),
    cwd: dir,
    env,
  });
  void proc.exited.then(() => closeSync(fd));
  // ExaBGP writes its start-up lines to stdout before it applies exabgp.log.destination.
  const readLog = (): string =>
    [join(dir, 'exabgp.stdout'), logPath]
      .map((p) => {
        try {
          return readFileSync(p, 'utf8');
        } catch {
          return '';
        }
      })
      .join('');
  try {
    await waitReady(
      proc,
      async () => /loaded new configuration successfully/.test(readLog()),
      `${name}: configuration loaded`,
      opts.startTimeoutMs ?? 15_000,
    );
  } catch (err) {
    await proc.stop(1_000);
    throw err;
  }

  const send = (line: string): void => {
    if (proc.exitInfo) throw new Error(`${name} has exited; cannot send: ${line}`);
    if (line.includes('\n')) throw new Error(`one command per line: ${JSON.stringify(line)}`);
    writeSync(fd, `${line}\n`);
  };
  return {
    name,
    address: opts.address,
    dir,
    configPath,
    logPath,
    process: proc,
    send,
    announce: (route) => send(`announce route ${route}`),
    withdraw: (route) => send(`withdraw route ${route}`),
    waitLog: (pattern, what, timeoutMs = 15_000) =>
      waitFor(
        () => {
          const m = pattern.exec(readLog());
          return m ? m[0] : undefined;
        },
        { what: `${name}: ${what}`, timeoutMs },
      ),
    stop: async (graceMs) => {
      await proc.stop(graceMs);
    },
    kill: async () => {
      await proc.kill();
    },
  };
}
