// BIRD 2.0 as a peer: its own config, control socket and pid file in the instance's state dir
// (`bird -f -c CONF -s SOCK -P PID`, in the foreground as the harness's child), so it never
// touches the system's /run/bird and teardown is exact. birdc answers in text; bird-parse.ts
// reads it. BIRD cannot add a route at run time: change its static routes with `reconfigure`.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Family } from './family.js';
import {
  parseBirdProtocols,
  parseBirdRoutes,
  type BirdProtocol,
  type BirdRoute,
} from './bird-parse.js';
import { makeStateDir, run, spawnManaged, waitReady, type ManagedProcess } from './procs.js';
import { waitUntil } from './wait.js';

export * from './bird-parse.js';

/** BIRD's channel for each family (`protocol bgp { <channel> { ... } }`). */
export const BIRD_CHANNEL: Record<Family, string> = {
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  vpnv4: 'vpn4 mpls',
  vpnv6: 'vpn6 mpls',
  'ipv4-labeled': 'ipv4 mpls',
};

/** The table each family's routes live in: the default ones, and two VPN tables we declare. */
export const BIRD_TABLE: Record<Family, string> = {
  ipv4: 'master4',
  ipv6: 'master6',
  vpnv4: 'vpntab4',
  vpnv6: 'vpntab6',
  'ipv4-labeled': 'master4',
};

/** The static protocol's channel type for each family. */
const STATIC_CHANNEL: Record<Family, string> = {
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  vpnv4: 'vpn4',
  vpnv6: 'vpn6',
  'ipv4-labeled': 'ipv4',
};

export interface BirdNeighborOptions {
  /** The protocol's name in BIRD (default `peer_<address with _>`); birdc commands use it. */
  name?: string;
  address: string;
  asn: number;
  families: readonly Family[];
  /** The peer's TCP port when it does not listen on 179. */
  port?: number;
  passive?: boolean;
  routeReflectorClient?: boolean;
  /** `next hop keep` on every channel: pass received next hops (and labels) on unchanged. */
  nextHopKeep?: boolean;
  /**
   * `next hop address` for the IPv6 channels. Over an IPv4 session BIRD has no IPv6 address of
   * its own to announce as next hop self, and withdraws ("Missing next hop address") instead.
   */
  ipv6NextHop?: string;
  /** More lines inside the protocol block. */
  extra?: readonly string[];
  /** More lines inside each of its channels. */
  channelExtra?: readonly string[];
}

/** A static route: `route <route>` in a static protocol of `family` (without the `;`). */
export interface BirdStaticRoute {
  family: Family;
  route: string;
}

export interface BirdConfigOptions {
  asn: number;
  routerId: string;
  neighbors?: readonly BirdNeighborOptions[];
  staticRoutes?: readonly BirdStaticRoute[];
  /** Raw config appended at the end (filters, more protocols). */
  extraConfig?: string;
}

export interface BirdOptions extends Partial<BirdConfigOptions> {
  /** The loopback address BIRD speaks from (every BGP protocol binds to it, `strict bind`). */
  address: string;
  /** A complete bird.conf instead of the generated one (the harness still adds its log line). */
  config?: string;
  name?: string;
  parentDir?: string;
  startTimeoutMs?: number;
}

export interface BirdHandle {
  readonly name: string;
  readonly address: string;
  readonly dir: string;
  readonly configPath: string;
  readonly socketPath: string;
  readonly logPath: string;
  readonly process: ManagedProcess;
  /** One birdc command; its answer without the `BIRD x.y ready.` banner. */
  birdc(command: string): Promise<string>;
  /** `show route all table T [args]`, parsed. */
  routes(table: string, args?: string): Promise<BirdRoute[]>;
  /** The routes of `family`'s table (BIRD_TABLE). */
  familyRoutes(family: Family): Promise<BirdRoute[]>;
  protocols(): Promise<BirdProtocol[]>;
  /** A BGP protocol's session state (`Established`, ...), by neighbor address or protocol name. */
  sessionState(neighbor: string): Promise<string | undefined>;
  waitEstablished(neighbor: string, timeoutMs?: number): Promise<void>;
  /** Writes `text` as bird.conf and applies it with `birdc configure`. */
  configure(text: string): Promise<void>;
  /** Changes the generated config's options (static routes, neighbors) and applies it. */
  reconfigure(change: Partial<BirdConfigOptions>): Promise<void>;
  stop(graceMs?: number): Promise<void>;
  kill(): Promise<void>;
}

export function birdProtocolName(n: Pick<BirdNeighborOptions, 'name' | 'address'>): string {
  return n.name ?? `peer_${n.address.replace(/[^0-9A-Za-z]/g, '_')}`;
}

export function birdConf(o: BirdConfigOptions, address: string): string {
  const out: string[] = [`router id ${o.routerId};`];
  out.push(`vpn4 table ${BIRD_TABLE.vpnv4};`, `vpn6 table ${BIRD_TABLE.vpnv6};`);
  // The device protocol makes BIRD learn the interfaces (static `via X%lo onlink` needs lo).
  out.push('protocol device {}');
  const byFamily = new Map<Family, string[]>();
  for (const s of o.staticRoutes ?? []) {
    byFamily.set(s.family, [...(byFamily.get(s.family) ?? []), s.route]);
  }
  for (const [family, routes] of byFamily) {
    out.push(`protocol static static_${family.replace(/-/g, '_')} {`);
    out.push(`  ${STATIC_CHANNEL[family]} { table ${BIRD_TABLE[family]}; };`);
    for (const r of routes) out.push(`  route ${r};`);
    out.push('}');
  }
  for (const n of o.neighbors ?? []) {
    out.push(`protocol bgp ${birdProtocolName(n)} {`);
    out.push(`  local ${address} as ${o.asn};`);
    out.push(
      `  neighbor ${n.address}${n.port === undefined ? '' : ` port ${n.port}`} as ${n.asn};`,
    );
    // A loopback neighbor is not "directly connected" to BIRD: without multihop the session
    // never starts. Without strict bind BIRD listens on the wildcard address and takes port 179
    // from every other router on this machine.
    out.push('  multihop;', '  strict bind;', '  connect retry time 1;');
    if (n.passive) out.push('  passive;');
    if (n.routeReflectorClient) out.push('  rr client;');
    for (const l of n.extra ?? []) out.push(`  ${l}`);
    for (const f of n.families) {
      out.push(`  ${BIRD_CHANNEL[f]} {`, `    table ${BIRD_TABLE[f]};`);
      // eBGP in BIRD 2 exports and imports nothing without a filter (RFC 8212).
      out.push('    import all;', '    export all;');
      if (n.nextHopKeep) out.push('    next hop keep;');
      if (n.ipv6NextHop !== undefined && (f === 'ipv6' || f === 'vpnv6')) {
        out.push(`    next hop address ${n.ipv6NextHop};`);
      }
      for (const l of n.channelExtra ?? []) out.push(`    ${l}`);
      out.push('  };');
    }
    out.push('}');
  }
  if (o.extraConfig) out.push(o.extraConfig);
  return out.join('\n') + '\n';
}

/**
 * A static VPN route with route targets and an MPLS label: `rd` and `prefix` as BIRD writes
 * them, the next hop as an onlink gateway on lo (nothing on loopback is a connected subnet).
 * BIRD announces the gateway and label as they are only over iBGP; towards an eBGP multihop
 * peer it sets next hop self with the implicit-null label (3).
 */
export function birdVpnRoute(r: {
  rd: string;
  prefix: string;
  via: string;
  label: number;
  routeTargets: readonly string[];
}): string {
  const rts = r.routeTargets.map((rt) => {
    const i = rt.lastIndexOf(':');
    return ` bgp_ext_community.add((rt, ${rt.slice(0, i)}, ${rt.slice(i + 1)}));`;
  });
  return `${r.rd} ${r.prefix} via ${r.via}%lo onlink mpls ${r.label} {${rts.join('')} }`;
}

export async function startBird(opts: BirdOptions): Promise<BirdHandle> {
  if (opts.config === undefined && (opts.asn === undefined || opts.routerId === undefined)) {
    throw new Error('startBird: pass config (bird.conf text) or asn and routerId');
  }
  const name = opts.name ?? `bird-${opts.address}`;
  const dir = makeStateDir(name, opts.parentDir);
  const configPath = join(dir, 'bird.conf');
  const socketPath = join(dir, 'bird.ctl');
  const logPath = join(dir, 'bird.log');
  let current: BirdConfigOptions = {
    asn: opts.asn ?? 0,
    routerId: opts.routerId ?? opts.address,
    neighbors: opts.neighbors ?? [],
    staticRoutes: opts.staticRoutes ?? [],
    ...(opts.extraConfig === undefined ? {} : { extraConfig: opts.extraConfig }),
  };
  const write = (text: string): void => {
    writeFileSync(configPath, `log "${logPath}" all;\n${text}`);
  };
  write(opts.config ?? birdConf(current, opts.address));

  const birdc = async (command: string): Promise<string> => {
    const text = await run('birdc', ['-s', socketPath, ...command.split(' ')]);
    return text.replace(/^BIRD \S+ ready\.\n/, '');
  };

  const proc = spawnManaged({
    name,
    command: 'bird',
    args: ['-f', '-c', configPath, '-s', socketPath, '-P', join(dir, 'bird.pid')],
    logPath: join(dir, 'bird.stdout'),
    cwd: dir,
  });
  try {
    await waitReady(
      proc,
      async () => (await birdc('show status')).includes('Daemon is up and running'),
      `${name}: birdc answering on ${socketPath}`,
      opts.startTimeoutMs ?? 15_000,
    );
  } catch (err) {
    await proc.stop(1_000);
    throw err;
  }

  const protocols = async (): Promise<BirdProtocol[]> =>
    parseBirdProtocols(await birdc('show protocols'));
  const sessionState = async (neighbor: string): Promise<string | undefined> => {
    const byAddress = current.neighbors?.find((n) => n.address === neighbor);
    const protoName = byAddress === undefined ? neighbor : birdProtocolName(byAddress);
    const p = (await protocols()).find((x) => x.name === protoName);
    return p?.info.split(/\s+/)[0];
  };
  const configure = async (text: string): Promise<void> => {
    write(text);
    const answer = await birdc('configure');
    if (!/Reconfigur/.test(answer)) throw new Error(`${name}: birdc configure: ${answer.trim()}`);
  };

  return {
    name,
    address: opts.address,
    dir,
    configPath,
    socketPath,
    logPath,
    process: proc,
    birdc,
    routes: async (table, args) =>
      parseBirdRoutes(await birdc(`show route all table ${table}${args ? ` ${args}` : ''}`)),
    familyRoutes: async (family) =>
      parseBirdRoutes(await birdc(`show route all table ${BIRD_TABLE[family]}`)),
    protocols,
    sessionState,
    waitEstablished: async (neighbor, timeoutMs = 30_000) => {
      await waitUntil(
        () => sessionState(neighbor),
        (s) => s === 'Established',
        { what: `${name}: session with ${neighbor} Established`, timeoutMs },
      );
    },
    configure,
    reconfigure: async (change) => {
      current = { ...current, ...change };
      await configure(birdConf(current, opts.address));
    },
    stop: async (graceMs) => {
      await proc.stop(graceMs);
    },
    kill: async () => {
      await proc.kill();
    },
  };
}
