// The registry of every process the harness starts, and their state directories. Each daemon is
// spawned as the leader of its own process group, so stopping it reaches exactly what it forked
// (ExaBGP's API relay, for one) and nothing else; nothing is ever killed by name.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.js';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  readonly logPath: string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  readonly exitInfo: ExitInfo | undefined;
  /** SIGTERM to the group, SIGKILL after `graceMs`, then waits for the exit. */
  stop(graceMs?: number): Promise<ExitInfo>;
  /** SIGKILL to the group (an abrupt death, as graceful-restart tests want), waits for the exit. */
  kill(): Promise<ExitInfo>;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logPath: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const live = new Set<ManagedProcess>();

const killLive = (): void => {
  for (const p of live) signalGroup(p.pid, 'SIGKILL');
};
process.once('exit', killLive);
// Daemons lead their own process groups, so a Ctrl-C on the terminal never reaches them: the
// worker kills them on the way out, then lets the signal do what it would have done.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  const onSignal = (): void => {
    killLive();
    if (process.listenerCount(sig) === 1) {
      process.removeListener(sig, onSignal);
      process.kill(process.pid, sig);
    }
  };
  process.on(sig, onSignal);
}

export function spawnManaged(opts: SpawnOptions): ManagedProcess {
  mkdirSync(dirname(opts.logPath), { recursive: true });
  const fd = openSync(opts.logPath, 'a');
  let child: ChildProcess;
  try {
    child = spawn(opts.command, opts.args, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
  } finally {
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${opts.command} (${opts.name})`);
  // The harness waits for its children explicitly; they must not keep the worker alive.
  child.unref();
  let exitInfo: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolveExit) => {
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      live.delete(proc);
      // Anything the daemon left behind in its group goes with it.
      signalGroup(pid, 'SIGKILL');
      resolveExit(exitInfo);
    });
    child.once('error', () => {
      exitInfo ??= { code: null, signal: null };
      live.delete(proc);
      resolveExit(exitInfo);
    });
  });
  const stop = async (graceMs = 5_000): Promise<ExitInfo> => {
    if (exitInfo) return exitInfo;
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };
  const kill = async (): Promise<ExitInfo> => {
    if (exitInfo) return exitInfo;
    signalGroup(pid, 'SIGKILL');
    return exited;
  };
  const proc: ManagedProcess = {
    name: opts.name,
    pid,
    child,
    logPath: opts.logPath,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    stop,
    kill,
  };
  live.add(proc);
  return proc;
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Stops every process the harness started in this worker (for `afterAll`). */
export async function stopAll(graceMs = 5_000): Promise<void> {
  await Promise.all([...live].map((p) => p.stop(graceMs)));
}

export function liveProcesses(): readonly ManagedProcess[] {
  return [...live];
}

/**
 * Waits for a daemon to become ready, failing at once (with its log tail) if it exits first.
 */
export async function waitReady(
  proc: ManagedProcess,
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  await waitFor(
    async () => {
      if (proc.exitInfo) {
        throw new DaemonExitedError(proc, what);
      }
      return (await probe()) || undefined;
    },
    { what, timeoutMs, intervalMs: 100 },
  ).catch((err: unknown) => {
    if (proc.exitInfo && !(err instanceof DaemonExitedError))
      throw new DaemonExitedError(proc, what);
    if (err instanceof Error && !(err instanceof DaemonExitedError)) {
      err.message += `\n--- ${proc.logPath} (tail) ---\n${logTail(proc.logPath)}`;
    }
    throw err;
  });
}

export class DaemonExitedError extends Error {
  constructor(proc: ManagedProcess, what: string) {
    const info = proc.exitInfo;
    super(
      `${proc.name} (pid ${proc.pid}) exited (code ${info?.code}, signal ${info?.signal}) ` +
        `while waiting for ${what}\n--- ${proc.logPath} (tail) ---\n${logTail(proc.logPath)}`,
    );
    this.name = 'DaemonExitedError';
  }
}

export function logTail(path: string, lines = 30): string {
  if (!existsSync(path)) return '(no log file)';
  return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
}

// --- state directories ---

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The parent of all state dirs: $VRFLEAK_INTEROP_TMP, else <repo>/.interop-tmp when the repo is
 * writable, else the OS temp dir.
 */
export function interopTmpRoot(): string {
  const fromEnv = process.env['VRFLEAK_INTEROP_TMP'];
  if (fromEnv) return fromEnv;
  const inRepo = join(repoRoot, '.interop-tmp');
  try {
    mkdirSync(inRepo, { recursive: true });
    return inRepo;
  } catch {
    return join(tmpdir(), 'vrfleak-interop');
  }
}

/** A fresh directory `<parent>/<name>-XXXXXX` (parent defaults to the interop tmp root). */
export function makeStateDir(name: string, parent?: string): string {
  const base = parent ?? interopTmpRoot();
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}-`));
  // mkdtemp makes it 0700; daemons that drop privileges (FRR runs as frr) must traverse it.
  chmodSync(dir, 0o755);
  return dir;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

// --- one-shot commands (CLIs of the daemons) ---

export class CommandError extends Error {
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly stdout: string,
    readonly stderr: string,
    cause: string,
  ) {
    super(`${command} ${args.join(' ')}: ${cause}${stderr ? `\n${stderr.trim()}` : ''}`);
    this.name = 'CommandError';
  }
}

/** Runs a CLI to completion and returns its stdout; a non-zero exit throws with stderr. */
export function run(command: string, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(
      command,
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 256 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err)
          reject(new CommandError(command, args, stdout, stderr, err.message.split('\n')[0] ?? ''));
        else resolveRun(stdout);
      },
    );
  });
}
