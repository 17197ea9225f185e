// `vrfleak run` and `vrfleak check`: the two commands that do not talk to a running daemon.
// run: config file -> daemon options -> Daemon (socket shells) -> HTTP API; SIGHUP reloads.

import type { LevelWithSilent } from 'pino';
import { loadConfigFile } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { Daemon, type ShellFactory } from '../daemon/daemon.js';
import { attachBmp } from '../daemon/bmp-attach.js';
import { bmpOptionsFromConfig, daemonOptionsFromConfig } from '../daemon/from-config.js';
import { socketShellFactory } from '../daemon/shells.js';
import { attachFib } from '../daemon/fib-attach.js';
import { linuxKernel, type KernelPort } from '../kernel/port.js';
import { startApi, type RunningApi } from '../api/http.js';
import { reloadConfig, type ReloadResult } from '../api/reload.js';
import { ApiError, ApiService } from '../api/service.js';
import { engineVrfSource } from '../api/vrf-engine.js';
import { createEventLog, type EventLog } from '../log/events.js';

export class ConfigRefused extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('\n'));
  }
}

export interface RunOptions {
  /** Overrides api.port from the file (tests use 0: any free port). */
  readonly apiPort?: number;
  readonly log?: EventLog;
  readonly logLevel?: LevelWithSilent;
  readonly shellFactory?: ShellFactory;
  /** The kernel the FIB writes to (tests: a fake); default Linux, opened only when enabled. */
  readonly kernel?: () => KernelPort | string;
  /** Reload on SIGHUP (the CLI does; tests do not). */
  readonly signals?: boolean;
}

export interface RunningDaemon {
  readonly daemon: Daemon;
  readonly service: ApiService;
  readonly api: RunningApi;
  readonly config: Config;
  reload(): Promise<ReloadResult>;
  stop(): Promise<void>;
}

export async function runDaemon(configFile: string, opts: RunOptions = {}): Promise<RunningDaemon> {
  // The host's interfaces and tables are checked when the FIB writes to this host's kernel.
  const host = opts.kernel === undefined;
  const loaded = await loadConfigFile(configFile, { host });
  if (!loaded.ok) throw new ConfigRefused(loaded.errors.map((e) => e.toString()));
  const config = loaded.config;
  const log = opts.log ?? createEventLog({ level: opts.logLevel ?? config.log.level });
  const daemon = new Daemon(
    daemonOptionsFromConfig(config),
    log,
    opts.shellFactory ?? socketShellFactory,
  );
  const service: ApiService = new ApiService(
    daemon,
    log,
    config,
    engineVrfSource(() => service.running, daemon),
  );
  service.hostChecks = host;
  const bmp = attachBmp(daemon, log);
  await daemon.start();
  bmp.configure(bmpOptionsFromConfig(config));
  // Always attached, so a reload can enable it; it opens nothing until `fib.enabled`.
  await attachFib(daemon, opts.kernel ?? linuxKernel);
  let api: RunningApi;
  try {
    api = await startApi(
      service,
      { address: config.api.address, port: opts.apiPort ?? config.api.port },
      { configFile, ...(config.api.token ? { token: config.api.token } : {}) },
    );
  } catch (e) {
    await daemon.stop();
    throw e;
  }
  const reload = () => reloadConfig(service, configFile);
  const onHup = () => {
    // Errors are logged by reloadConfig (config-refused); the running config stays.
    reload().catch((e: unknown) => {
      if (!(e instanceof ApiError)) log.logger.error({ err: e }, 'reload failed');
    });
  };
  if (opts.signals) process.on('SIGHUP', onHup);
  return {
    daemon,
    service,
    api,
    config,
    reload,
    async stop() {
      if (opts.signals) process.off('SIGHUP', onHup);
      await api.close();
      await daemon.stop();
    },
  };
}

/** `vrfleak check`: the lines to print and the exit code. */
export async function checkConfig(file: string): Promise<{ lines: string[]; code: number }> {
  const r = await loadConfigFile(file, { host: true });
  const warnings = r.warnings.map((w) => w.toString());
  if (!r.ok) return { lines: [...r.errors.map((e) => e.toString()), ...warnings], code: 1 };
  const c = r.config;
  const summary =
    `${file}: OK (AS ${c.asn}, router-id ${c['router-id']}, ${c.neighbors.length} neighbor(s), ` +
    `${Object.keys(c.vrfs).length} VRF(s))`;
  return { lines: [...warnings, summary], code: 0 };
}
