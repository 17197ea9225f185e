// GoBGP 3.10 as a peer or device under test: a TOML config in its own state dir, gobgpd on a free
// gRPC port, and the `gobgp` CLI (JSON output) to drive and observe it.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './addresses.js';
import { GOBGP_AFI_SAFI, GOBGP_CLI_FAMILY, type Family } from './family.js';
import {
  DaemonExitedError,
  makeStateDir,
  run,
  spawnManaged,
  waitReady,
  type ManagedProcess,
} from './procs.js';
import { waitUntil } from './wait.js';

export interface GobgpNeighborOptions {
  address: string;
  asn: number;
  families: readonly Family[];
  /** Our source address for this session (default: the router's `address`). */
  localAddress?: string;
  /** Never connect, only accept. */
  passive?: boolean;
  /** Bind the neighbor to a GoBGP VRF (a PE-CE session). */
  vrf?: string;
  routeReflectorClient?: boolean;
  /** Cluster id for route reflection (dotted quad; GoBGP's default is the router id). */
  clusterId?: string;
  gracefulRestart?: { restartTime: number; notification?: boolean };
  /**
   * Long-lived graceful restart (RFC 9494) for every family of the neighbor, with this stale time
   * (GoBGP's per-family long-lived-graceful-restart restart-time); needs gracefulRestart.
   */
  longLivedStaleTime?: number;
  /** The peer's TCP port when it does not listen on 179 (neighbors.transport.config.remote-port). */
  port?: number;
  localAs?: number;
  holdTime?: number;
  keepaliveInterval?: number;
  /** Seconds between connection attempts (default 1 so sessions come up quickly in tests). */
  connectRetry?: number;
  ebgpMultihopTtl?: number;
  /** TCP-MD5 key (RFC 2385): neighbors.config.auth-password. */
  authPassword?: string;
  /** ADD-PATH (RFC 7911) for every family of the neighbor: accept path ids, send up to sendMax. */
  addPaths?: { receive?: boolean; sendMax?: number };
  /** Raw TOML appended inside this neighbor; must start with a table header. */
  extraToml?: string;
}

export interface GobgpVrfOptions {
  name: string;
  id?: number;
  rd: string;
  importRts: readonly string[];
  exportRts: readonly string[];
}

export interface GobgpOptions {
  asn: number;
  routerId: string;
  /** The loopback address gobgpd listens on and speaks from. */
  address: string;
  /** BGP listen port (default 179; -1 disables listening). */
  listenPort?: number;
  neighbors?: readonly GobgpNeighborOptions[];
  vrfs?: readonly GobgpVrfOptions[];
  /** Raw top-level TOML appended to the generated config (policies, for instance). */
  extraToml?: string;
  /** A complete config instead of the generated one. */
  configToml?: string;
  name?: string;
  /** Parent of the state dir (default: the interop tmp root). */
  parentDir?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  startTimeoutMs?: number;
  /** Extra gobgpd arguments. */
  extraArgs?: readonly string[];
}

/** GoBGP's session states, as `gobgp neighbor -j` prints them (numbers). */
export const GOBGP_SESSION_STATES = [
  'unknown',
  'idle',
  'connect',
  'active',
  'opensent',
  'openconfirm',
  'established',
] as const;
export type GobgpSessionState = (typeof GOBGP_SESSION_STATES)[number];

export interface GobgpNeighborJson {
  conf: { neighbor_address: string; peer_asn?: number; local_asn?: number };
  state: {
    neighbor_address?: string;
    session_state?: number | string;
    messages?: unknown;
    [k: string]: unknown;
  };
  [k: string]: unknown;
}

export interface GobgpPathJson {
  nlri: {
    prefix: string;
    labels?: number[];
    rd?: { type: number; admin: unknown; assigned: number };
  };
  best?: boolean;
  attrs: Array<{ type: number; [k: string]: unknown }>;
  stale?: boolean;
  'neighbor-ip'?: string;
  [k: string]: unknown;
}

/** `gobgp global rib -j`: destination key ("RD:prefix" for VPN) to paths. */
export type GobgpRibJson = Record<string, GobgpPathJson[]>;

export interface GobgpHandle {
  readonly name: string;
  readonly address: string;
  readonly asn: number;
  readonly routerId: string;
  readonly apiPort: number;
  readonly dir: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly process: ManagedProcess;
  cli(args: readonly string[]): Promise<string>;
  json<T>(args: readonly string[]): Promise<T>;
  neighbors(): Promise<GobgpNeighborJson[]>;
  neighborState(address: string): Promise<GobgpSessionState | undefined>;
  waitEstablished(address: string, timeoutMs?: number): Promise<void>;
  globalRib(family: Family): Promise<GobgpRibJson>;
  globalRibAdd(family: Family, prefix: string, attrs?: readonly string[]): Promise<void>;
  globalRibDel(family: Family, prefix: string, attrs?: readonly string[]): Promise<void>;
  vrfAdd(vrf: GobgpVrfOptions): Promise<void>;
  vrfDel(name: string): Promise<void>;
  vrfRib(name: string, family?: 'ipv4' | 'ipv6'): Promise<GobgpRibJson>;
  /** `attrs` are CLI words after the prefix, e.g. ['nexthop', '192.0.2.1', 'label', '100']. */
  vrfRibAdd(
    name: string,
    prefix: string,
    attrs?: readonly string[],
    family?: 'ipv4' | 'ipv6',
  ): Promise<void>;
  vrfRibDel(
    name: string,
    prefix: string,
    attrs?: readonly string[],
    family?: 'ipv4' | 'ipv6',
  ): Promise<void>;
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
  /** Starts gobgpd again from the same config file and API port (runtime changes are lost). */
  restart(): Promise<void>;
}

export function gobgpToml(opts: GobgpOptions): string {
  const q = (s: string): string => JSON.stringify(s);
  const out: string[] = [
    '[global.config]',
    `  as = ${opts.asn}`,
    `  router-id = ${q(opts.routerId)}`,
    `  port = ${opts.listenPort ?? 179}`,
    `  local-address-list = [${q(opts.address)}]`,
  ];
  for (const v of opts.vrfs ?? []) {
    out.push('', '[[vrfs]]', '  [vrfs.config]', `    name = ${q(v.name)}`);
    if (v.id !== undefined) out.push(`    id = ${v.id}`);
    out.push(
      `    rd = ${q(v.rd)}`,
      `    import-rt-list = [${v.importRts.map(q).join(', ')}]`,
      `    export-rt-list = [${v.exportRts.map(q).join(', ')}]`,
    );
  }
  for (const n of opts.neighbors ?? []) {
    out.push('', '[[neighbors]]', '  [neighbors.config]');
    out.push(`    neighbor-address = ${q(n.address)}`, `    peer-as = ${n.asn}`);
    if (n.localAs !== undefined) out.push(`    local-as = ${n.localAs}`);
    if (n.authPassword !== undefined) out.push(`    auth-password = ${q(n.authPassword)}`);
    if (n.vrf !== undefined) out.push(`    vrf = ${q(n.vrf)}`);
    out.push('  [neighbors.transport.config]');
    out.push(`    local-address = ${q(n.localAddress ?? opts.address)}`);
    if (n.passive) out.push('    passive-mode = true');
    if (n.port !== undefined) out.push(`    remote-port = ${n.port}`);
    out.push('  [neighbors.timers.config]', `    connect-retry = ${n.connectRetry ?? 1}`);
    if (n.holdTime !== undefined) out.push(`    hold-time = ${n.holdTime}`);
    if (n.keepaliveInterval !== undefined) {
      out.push(`    keepalive-interval = ${n.keepaliveInterval}`);
    }
    if (n.ebgpMultihopTtl !== undefined) {
      out.push('  [neighbors.ebgp-multihop.config]', '    enabled = true');
      out.push(`    multihop-ttl = ${n.ebgpMultihopTtl}`);
    }
    if (n.routeReflectorClient || n.clusterId !== undefined) {
      out.push('  [neighbors.route-reflector.config]');
      if (n.routeReflectorClient) out.push('    route-reflector-client = true');
      if (n.clusterId !== undefined) out.push(`    route-reflector-cluster-id = ${q(n.clusterId)}`);
    }
    if (n.gracefulRestart) {
      out.push('  [neighbors.graceful-restart.config]', '    enabled = true');
      out.push(`    restart-time = ${n.gracefulRestart.restartTime}`);
      if (n.gracefulRestart.notification) out.push('    notification-enabled = true');
      if (n.longLivedStaleTime !== undefined) out.push('    long-lived-enabled = true');
    }
    for (const f of n.families) {
      out.push('  [[neighbors.afi-safis]]', '    [neighbors.afi-safis.config]');
      out.push(`      afi-safi-name = ${q(GOBGP_AFI_SAFI[f])}`);
      // RFC 4724 §3: the restart capability lists each family whose state is preserved.
      if (n.gracefulRestart) {
        out.push('    [neighbors.afi-safis.mp-graceful-restart.config]', '      enabled = true');
      }
      if (n.longLivedStaleTime !== undefined) {
        out.push(
          '    [neighbors.afi-safis.long-lived-graceful-restart.config]',
          '      enabled = true',
        );
        out.push(`      restart-time = ${n.longLivedStaleTime}`);
      }
      if (n.addPaths) {
        out.push('    [neighbors.afi-safis.add-paths.config]');
        if (n.addPaths.receive) out.push('      receive = true');
        if (n.addPaths.sendMax !== undefined) out.push(`      send-max = ${n.addPaths.sendMax}`);
      }
    }
    if (n.extraToml) out.push(n.extraToml);
  }
  if (opts.extraToml) out.push('', opts.extraToml);
  return out.join('\n') + '\n';
}

export async function startGobgp(opts: GobgpOptions): Promise<GobgpHandle> {
  const name = opts.name ?? `gobgp-${opts.address}`;
  const dir = makeStateDir(name, opts.parentDir);
  const configPath = join(dir, 'gobgpd.toml');
  const logPath = join(dir, 'gobgpd.log');
  writeFileSync(configPath, opts.configToml ?? gobgpToml(opts));
  let apiPort = await freePort();

  const cli = (args: readonly string[]): Promise<string> =>
    run('gobgp', ['-u', '127.0.0.1', '-p', String(apiPort), ...args]);
  const json = async <T>(args: readonly string[]): Promise<T> => {
    const text = await cli([...args, '-j']);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`gobgp ${args.join(' ')} -j: not JSON: ${text.slice(0, 500)}`);
    }
  };

  const launch = async (): Promise<ManagedProcess> => {
    const args = ['-f', configPath, '--api-hosts', `127.0.0.1:${apiPort}`];
    args.push('-l', opts.logLevel ?? 'info', ...(opts.extraArgs ?? []));
    const started = spawnManaged({ name, command: 'gobgpd', args, logPath, cwd: dir });
    try {
      await waitReady(
        started,
        async () => (await json<{ asn?: number }>(['global'])).asn === opts.asn,
        `${name}: gRPC answering on 127.0.0.1:${apiPort} with AS ${opts.asn}`,
        opts.startTimeoutMs ?? 15_000,
      );
    } catch (err) {
      await started.stop(1_000);
      throw err;
    }
    return started;
  };

  let proc: ManagedProcess;
  try {
    proc = await launch();
  } catch (err) {
    // The free port may have been taken between picking and binding (gobgpd then exits at
    // once): one retry on a new port.
    if (!(err instanceof DaemonExitedError)) throw err;
    apiPort = await freePort();
    proc = await launch();
  }

  const neighbors = (): Promise<GobgpNeighborJson[]> =>
    json<GobgpNeighborJson[] | null>(['neighbor']).then((n) => n ?? []);
  const neighborState = async (address: string): Promise<GobgpSessionState | undefined> => {
    const n = (await neighbors()).find(
      (x) => x.conf.neighbor_address === address || x.state.neighbor_address === address,
    );
    return n === undefined ? undefined : sessionStateName(n.state.session_state);
  };

  const handle: GobgpHandle = {
    name,
    address: opts.address,
    asn: opts.asn,
    routerId: opts.routerId,
    get apiPort() {
      return apiPort;
    },
    dir,
    configPath,
    logPath,
    get process() {
      return proc;
    },
    cli,
    json,
    neighbors,
    neighborState,
    waitEstablished: async (address, timeoutMs = 30_000) => {
      await waitUntil(
        () => neighborState(address),
        (s) => s === 'established',
        { what: `${name}: session with ${address} Established`, timeoutMs },
      );
    },
    globalRib: (family) =>
      json<GobgpRibJson | null>(['global', 'rib', '-a', GOBGP_CLI_FAMILY[family]]).then(
        (r) => r ?? {},
      ),
    globalRibAdd: async (family, prefix, attrs = []) => {
      await cli(['global', 'rib', 'add', prefix, ...attrs, '-a', GOBGP_CLI_FAMILY[family]]);
    },
    globalRibDel: async (family, prefix, attrs = []) => {
      await cli(['global', 'rib', 'del', prefix, ...attrs, '-a', GOBGP_CLI_FAMILY[family]]);
    },
    vrfAdd: async (v) => {
      const args = ['vrf', 'add', v.name];
      if (v.id !== undefined) args.push('id', String(v.id));
      args.push('rd', v.rd, 'rt', 'import', ...v.importRts, 'export', ...v.exportRts);
      await cli(args);
    },
    vrfDel: async (vrfName) => {
      await cli(['vrf', 'del', vrfName]);
    },
    vrfRib: (vrfName, family = 'ipv4') =>
      json<GobgpRibJson | null>(['vrf', vrfName, 'rib', '-a', family]).then((r) => r ?? {}),
    vrfRibAdd: async (vrfName, prefix, attrs = [], family = 'ipv4') => {
      await cli(['vrf', vrfName, 'rib', '-a', family, 'add', prefix, ...attrs]);
    },
    vrfRibDel: async (vrfName, prefix, attrs = [], family = 'ipv4') => {
      await cli(['vrf', vrfName, 'rib', '-a', family, 'del', prefix, ...attrs]);
    },
    stop: async (graceMs) => {
      await proc.stop(graceMs);
    },
    kill: async () => {
      await proc.kill();
    },
    restart: async () => {
      await proc.stop();
      proc = await launch();
    },
  };
  return handle;
}

export function sessionStateName(s: number | string | undefined): GobgpSessionState | undefined {
  if (typeof s === 'number') return GOBGP_SESSION_STATES[s];
  if (typeof s === 'string') {
    const lower = s.toLowerCase().replace(/^(bgp_fsm_|session_state_)/, '');
    return GOBGP_SESSION_STATES.find((x) => x === lower);
  }
  return undefined;
}
