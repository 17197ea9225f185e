// FRR 8.4 bgpd alone (-Z: no zebra) as a peer or device under test. bgpd runs in the foreground
// (no -d) so the harness holds its ChildProcess and teardown is exact; vtysh reaches it through
// the vty socket in the instance's own state dir.

import { chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRR_AF, type Family } from './family.js';
import { FRR_BGPD } from './peers.js';
import { makeStateDir, run, spawnManaged, waitReady, type ManagedProcess } from './procs.js';
import { waitUntil } from './wait.js';

export interface FrrNeighborOptions {
  address: string;
  asn: number;
  families: readonly Family[];
  /** The peer's TCP port when it does not listen on 179. */
  port?: number;
  passive?: boolean;
  routeReflectorClient?: boolean;
  /** Source address (default: the router's address; FRR would otherwise speak from 127.0.0.1). */
  updateSource?: string;
  /** Lines inside `router bgp`, after the neighbor's own (e.g. 'neighbor X timers 3 9'). */
  extra?: readonly string[];
  /** Lines inside each of this neighbor's address families. */
  afExtra?: readonly string[];
}

export interface FrrVrfOptions {
  name: string;
  /** `rd vpn export`. */
  rd: string;
  importRts: readonly string[];
  exportRts: readonly string[];
  label?: number | 'auto';
  /** `network` statements (IPv4 unicast in the VRF). */
  networks?: readonly string[];
  importVpn?: boolean;
  exportVpn?: boolean;
}

export interface FrrBgpOptions {
  asn: number;
  routerId: string;
  neighbors?: readonly FrrNeighborOptions[];
  clusterId?: string;
  gracefulRestart?: { restartTime: number };
  /** VPN routes originated in the default instance: `network P rd RD label L`. */
  vpnNetworks?: ReadonlyArray<{ prefix: string; rd: string; label: number }>;
  vrfs?: readonly FrrVrfOptions[];
  /** Lines appended inside `router bgp ASN` before the address families. */
  extra?: readonly string[];
  /** Raw config appended at the end (route-maps, prefix-lists...). */
  extraConfig?: string;
}

export interface FrrOptions {
  /** The loopback address bgpd listens on (-l). */
  address: string;
  /** BGP listen port (-p, default 179; 0 disables listening). */
  port?: number;
  /** A complete bgpd.conf, or the options to build one. */
  config?: string;
  bgp?: FrrBgpOptions;
  name?: string;
  parentDir?: string;
  /** bgpd arguments in place of the default `-Z -n -P 0`. */
  baseArgs?: readonly string[];
  extraArgs?: readonly string[];
  startTimeoutMs?: number;
  /** Run bgpd inside this network namespace (`ip netns exec`, same pid); vtysh still reaches it. */
  netns?: string;
}

export interface FrrHandle {
  readonly name: string;
  readonly address: string;
  readonly dir: string;
  readonly configPath: string;
  readonly logPath: string;
  readonly process: ManagedProcess;
  vtysh(command: string): Promise<string>;
  json<T>(command: string): Promise<T>;
  /** Runs `configure terminal` and then each line, in one vtysh call. */
  configure(lines: readonly string[]): Promise<string>;
  /** FRR's `bgpState` for a neighbor ("Established", "Active", ...), or undefined if unknown. */
  neighborState(address: string): Promise<string | undefined>;
  waitEstablished(address: string, timeoutMs?: number): Promise<void>;
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
  /** Starts bgpd again from the same bgpd.conf (changes made with configure() are lost). */
  restart(): Promise<void>;
}

export function frrBgpdConf(o: FrrBgpOptions, address: string): string {
  const out: string[] = ['frr defaults traditional', '!'];
  out.push(`router bgp ${o.asn}`, ` bgp router-id ${o.routerId}`);
  // FRR 8.4 refuses to accept or send anything on eBGP without policy (RFC 8212) unless told.
  out.push(' no bgp ebgp-requires-policy', ' no bgp default ipv4-unicast');
  // Peers here start within a second of each other: no need to wait for more before best path.
  out.push(' no bgp network import-check');
  if (o.clusterId) out.push(` bgp cluster-id ${o.clusterId}`);
  if (o.gracefulRestart) {
    out.push(' bgp graceful-restart');
    out.push(` bgp graceful-restart restart-time ${o.gracefulRestart.restartTime}`);
  }
  const neighbors = o.neighbors ?? [];
  for (const n of neighbors) {
    out.push(` neighbor ${n.address} remote-as ${n.asn}`);
    out.push(` neighbor ${n.address} update-source ${n.updateSource ?? address}`);
    out.push(` neighbor ${n.address} timers connect 1`);
    if (n.port !== undefined) out.push(` neighbor ${n.address} port ${n.port}`);
    if (n.passive) out.push(` neighbor ${n.address} passive`);
    for (const l of n.extra ?? []) out.push(` ${l}`);
  }
  for (const l of o.extra ?? []) out.push(` ${l}`);
  const families = new Set<Family>(neighbors.flatMap((n) => n.families));
  if ((o.vpnNetworks ?? []).length > 0) families.add('vpnv4');
  for (const f of families) {
    out.push(` address-family ${FRR_AF[f]}`);
    for (const n of neighbors.filter((x) => x.families.includes(f))) {
      out.push(`  neighbor ${n.address} activate`);
      if (n.routeReflectorClient) out.push(`  neighbor ${n.address} route-reflector-client`);
      for (const l of n.afExtra ?? []) out.push(`  ${l}`);
    }
    if (f === 'vpnv4') {
      for (const v of o.vpnNetworks ?? []) {
        out.push(`  network ${v.prefix} rd ${v.rd} label ${v.label}`);
      }
    }
    out.push(' exit-address-family');
  }
  out.push('exit', '!');
  for (const v of o.vrfs ?? []) {
    out.push(`router bgp ${o.asn} vrf ${v.name}`, ` bgp router-id ${o.routerId}`);
    out.push(' no bgp ebgp-requires-policy', ' no bgp network import-check');
    out.push(' address-family ipv4 unicast');
    for (const p of v.networks ?? []) out.push(`  network ${p}`);
    out.push(`  rd vpn export ${v.rd}`);
    if (v.importRts.length > 0) out.push(`  rt vpn import ${v.importRts.join(' ')}`);
    if (v.exportRts.length > 0) out.push(`  rt vpn export ${v.exportRts.join(' ')}`);
    if (v.label !== undefined) out.push(`  label vpn export ${v.label}`);
    if (v.exportVpn ?? true) out.push('  export vpn');
    if (v.importVpn ?? true) out.push('  import vpn');
    out.push(' exit-address-family', 'exit', '!');
  }
  if (o.extraConfig) out.push(o.extraConfig);
  return out.join('\n') + '\n';
}

export async function startFrr(opts: FrrOptions): Promise<FrrHandle> {
  if (opts.config === undefined && opts.bgp === undefined) {
    throw new Error('startFrr: pass config (bgpd.conf text) or bgp (options)');
  }
  const name = opts.name ?? `frr-${opts.address}`;
  const dir = makeStateDir(name, opts.parentDir);
  const configPath = join(dir, 'bgpd.conf');
  const logPath = join(dir, 'bgpd.log');
  writeFileSync(configPath, opts.config ?? frrBgpdConf(opts.bgp as FrrBgpOptions, opts.address));
  // bgpd drops privileges to user frr: the vty socket and pid file are created as frr.
  const frr = await frrIds();
  if (frr) {
    chownSync(dir, frr.uid, frr.gid);
    chownSync(configPath, frr.uid, frr.gid);
  }

  const vtysh = (command: string): Promise<string> =>
    run('vtysh', ['--vty_socket', dir, '-d', 'bgpd', '-c', command]);
  const json = async <T>(command: string): Promise<T> => {
    const text = await vtysh(command);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`vtysh -c '${command}': not JSON: ${text.slice(0, 500)}`);
    }
  };

  const launch = async (): Promise<ManagedProcess> => {
    const args = [...(opts.baseArgs ?? ['-Z', '-n', '-P', '0'])];
    args.push('-p', String(opts.port ?? 179), '-l', opts.address);
    args.push('-f', configPath, '-i', join(dir, 'bgpd.pid'), '--vty_socket', dir);
    args.push('--log', `file:${logPath}`, ...(opts.extraArgs ?? []));
    const started = spawnManaged({
      name,
      ...(opts.netns
        ? { command: 'ip', args: ['netns', 'exec', opts.netns, FRR_BGPD, ...args] }
        : { command: FRR_BGPD, args }),
      logPath: join(dir, 'bgpd.stdout'),
      cwd: dir,
    });
    try {
      await waitReady(
        started,
        async () => {
          await vtysh('show bgp summary json');
          return true;
        },
        `${name}: vtysh answering on ${dir}`,
        opts.startTimeoutMs ?? 15_000,
      );
    } catch (err) {
      await started.stop(1_000);
      throw err;
    }
    return started;
  };

  let proc = await launch();

  const neighborState = async (address: string): Promise<string | undefined> => {
    const j = await json<Record<string, { bgpState?: string } | undefined>>(
      `show bgp neighbors ${address} json`,
    );
    return j[address]?.bgpState;
  };

  return {
    name,
    address: opts.address,
    dir,
    configPath,
    logPath,
    get process() {
      return proc;
    },
    vtysh,
    json,
    configure: (lines) =>
      run('vtysh', [
        '--vty_socket',
        dir,
        '-d',
        'bgpd',
        '-c',
        'configure terminal',
        ...lines.flatMap((l) => ['-c', l]),
      ]),
    neighborState,
    waitEstablished: async (address, timeoutMs = 30_000) => {
      await waitUntil(
        () => neighborState(address),
        (s) => s === 'Established',
        { what: `${name}: session with ${address} Established`, timeoutMs },
      );
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
}

let frrIdsCache: Promise<{ uid: number; gid: number } | undefined> | undefined;

function frrIds(): Promise<{ uid: number; gid: number } | undefined> {
  frrIdsCache ??= Promise.all([run('id', ['-u', 'frr']), run('id', ['-g', 'frr'])]).then(
    ([u, g]) => ({ uid: Number(u.trim()), gid: Number(g.trim()) }),
    () => undefined,
  );
  return frrIdsCache;
}
