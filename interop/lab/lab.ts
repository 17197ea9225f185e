// The dataplane lab: network namespaces as hosts in each VRF, veths to a router namespace where
// vrfleak runs interop/lab/lab.yaml with its FIB, and pings between them. Used by lab.test.ts (CI)
// and by `npm run lab` (run.ts). Everything it makes is named with the prefix `vlab-` and removed
// on stop, on process exit, and before a start (leftovers of a run that was killed).

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
export const LAB_CONFIG = join(HERE, 'lab.yaml');
const ICMP = join(HERE, 'icmp.mjs');
export const PREFIX = 'vlab-';
export const ROUTER = `${PREFIX}router`;

/** A host: its namespace, the router's interface towards it, addresses, and a loopback address. */
export interface Host {
  readonly name: string;
  readonly vrf: string;
  readonly routerIf: string;
  readonly address: string;
  readonly gateway: string;
  readonly loopback?: string;
}

export const HOSTS: readonly Host[] = [
  {
    name: 'shared',
    vrf: 'SHARED',
    routerIf: 'eth0',
    address: '10.100.0.2/24',
    gateway: '10.100.0.1',
  },
  { name: 'a', vrf: 'CUSTOMER-A', routerIf: 'eth1', address: '10.1.0.2/24', gateway: '10.1.0.1' },
  { name: 'b', vrf: 'CUSTOMER-B', routerIf: 'eth2', address: '10.2.0.2/24', gateway: '10.2.0.1' },
  {
    name: 'inet',
    vrf: 'INTERNET',
    routerIf: 'eth3',
    address: '10.200.0.2/24',
    gateway: '10.200.0.1',
    loopback: '198.51.100.1',
  },
  {
    name: 'vrf1',
    vrf: 'VRF1',
    routerIf: 'eth4',
    address: '10.31.0.2/24',
    gateway: '10.31.0.1',
    loopback: '192.0.2.1',
  },
  {
    name: 'vrf2',
    vrf: 'VRF2',
    routerIf: 'eth5',
    address: '10.32.0.2/24',
    gateway: '10.32.0.1',
    loopback: '192.0.2.2',
  },
];

function run(args: readonly string[]): string {
  return execFileSync(args[0]!, args.slice(1), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function tryRun(args: readonly string[]): boolean {
  try {
    run(args);
    return true;
  } catch {
    return false;
  }
}

/** Our namespaces (and with them their veths: deleting a namespace deletes its interfaces). */
export function cleanup(): void {
  let names: string[] = [];
  try {
    names = run(['ip', 'netns', 'list'])
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter((n) => n.startsWith(PREFIX));
  } catch {
    return;
  }
  for (const n of names) tryRun(['ip', 'netns', 'del', n]);
}

/** Why the lab cannot run here (not root, no namespaces), or undefined. */
export function labUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  const probe = `${PREFIX}probe`;
  tryRun(['ip', 'netns', 'del', probe]);
  if (!tryRun(['ip', 'netns', 'add', probe])) return 'cannot create a network namespace';
  tryRun(['ip', 'netns', 'del', probe]);
  return undefined;
}

const nsOf = (h: Host) => `${PREFIX}${h.name}`;

function buildTopology(): void {
  run(['ip', 'netns', 'add', ROUTER]);
  run(['ip', '-n', ROUTER, 'link', 'set', 'lo', 'up']);
  run(['ip', 'netns', 'exec', ROUTER, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  for (const h of HOSTS) {
    const ns = nsOf(h);
    run(['ip', 'netns', 'add', ns]);
    run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    // Hosts do not forward (a namespace may inherit forwarding from the host): otherwise the
    // INTERNET host, which routes the customers' replies back, would carry A's packets to B.
    run(['ip', 'netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.ip_forward=0']);
    // Made in the router's namespace, the far end moved into the host's and renamed there.
    run([
      'ip',
      '-n',
      ROUTER,
      'link',
      'add',
      h.routerIf,
      'type',
      'veth',
      'peer',
      'name',
      `p-${h.name}`,
    ]);
    run(['ip', '-n', ROUTER, 'link', 'set', `p-${h.name}`, 'netns', ns]);
    run(['ip', '-n', ns, 'link', 'set', `p-${h.name}`, 'name', 'eth0']);
    run(['ip', '-n', ns, 'addr', 'add', h.address, 'dev', 'eth0']);
    run(['ip', '-n', ns, 'link', 'set', 'eth0', 'up']);
    run(['ip', '-n', ns, 'route', 'add', 'default', 'via', h.gateway]);
    if (h.loopback) run(['ip', '-n', ns, 'addr', 'add', `${h.loopback}/32`, 'dev', 'lo']);
    const routerAddr = `${h.gateway}/${h.address.split('/')[1]}`;
    run(['ip', '-n', ROUTER, 'addr', 'add', routerAddr, 'dev', h.routerIf]);
    run(['ip', '-n', ROUTER, 'link', 'set', h.routerIf, 'up']);
  }
}

export interface Lab {
  /** The config file the router runs (a copy: the lab edits it for a live change). */
  readonly configFile: string;
  /** One ping from a host (from its loopback address when `fromLoopback`); true when answered. */
  ping(from: string, to: string, fromLoopback?: boolean): boolean;
  /** Rewrites the router's config and makes it reload (SIGHUP). */
  reload(edit: (text: string) => string): void;
  /** `vrfleak check` of a config text, run in the router's namespace: its exit code and output. */
  check(text: string): { code: number; out: string };
  /** Runs `ip ARGS` in the router's namespace. */
  ip(args: readonly string[]): string;
  /** Text of `ip route show table N` in the router. */
  table(n: number): string;
  /** The daemon's log so far. */
  log(): string;
  stop(): Promise<void>;
}

let current: ChildProcess | undefined;
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  const onExit = () => {
    current?.kill('SIGKILL');
    cleanup();
  };
  process.on('exit', onExit);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      onExit();
      process.exit(130);
    });
  }
}

/** Builds the namespaces and starts vrfleak in the router namespace. */
export function startLab(config = LAB_CONFIG): Lab {
  cleanup();
  hookExit();
  const dir = mkdtempSync(join(tmpdir(), 'vrfleak-lab-'));
  const configFile = join(dir, 'lab.yaml');
  copyFileSync(config, configFile);
  let log = '';
  try {
    buildTopology();
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        ROUTER,
        process.execPath,
        // The compiled CLI, as `vrfleak run` is (npm run build; CI builds before the tests).
        join(ROOT, 'dist', 'cli', 'main.js'),
        'run',
        '--config',
        configFile,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    current = child;
    child.stdout?.on('data', (b: Buffer) => (log += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (log += b.toString()));
  } catch (e) {
    cleanup();
    throw e;
  }
  const hostNs = (name: string) => {
    const h = HOSTS.find((x) => x.name === name);
    if (!h) throw new Error(`no lab host ${name}`);
    return h;
  };
  return {
    configFile,
    ping(from, to, fromLoopback = false) {
      const h = hostNs(from);
      const src = fromLoopback && h.loopback ? [h.loopback] : [];
      // Our own ICMP echo (icmp.mjs): not every machine has iputils-ping.
      return tryRun(['ip', 'netns', 'exec', nsOf(h), process.execPath, ICMP, to, ...src]);
    },
    reload(edit) {
      writeFileSync(configFile, edit(readFileSync(configFile, 'utf8')));
      current?.kill('SIGHUP');
    },
    table: (n) => {
      try {
        return run(['ip', '-n', ROUTER, 'route', 'show', 'table', String(n)]);
      } catch {
        return ''; // no such table yet
      }
    },
    log: () => log,
    check(text) {
      const f = join(dir, 'check.yaml');
      writeFileSync(f, text);
      const cli = join(ROOT, 'dist', 'cli', 'main.js');
      try {
        const out = run([
          'ip',
          'netns',
          'exec',
          ROUTER,
          process.execPath,
          cli,
          'check',
          '--config',
          f,
        ]);
        return { code: 0, out };
      } catch (e) {
        const x = e as { status?: number; stdout?: string; stderr?: string };
        return { code: x.status ?? 1, out: `${x.stdout ?? ''}${x.stderr ?? ''}` };
      }
    },
    ip: (args) => run(['ip', '-n', ROUTER, ...args]),
    async stop() {
      const c = current;
      if (c && c.exitCode === null) {
        const done = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
        c.kill('SIGKILL');
      }
      current = undefined;
      cleanup();
    },
  };
}

/** Whether the router's FIB is up: started, and CUSTOMER-A's table holds the SHARED leak. */
export function fibReady(lab: Lab): boolean {
  return lab.log().includes('"fib-started"') && lab.table(1110).includes('10.100.0.0/24');
}

/** Polls `f` until it returns true or `ms` pass; returns its last answer. */
export async function eventually(f: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (f()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 200));
  }
}
