// From the validated config file (src/config) to the daemon's options: text values parsed once,
// defaults applied, VRF labels allocated from the configured range.

import os from 'node:os';
import type { Config, NeighborConfig, NetworkConfig, RouteMapEntry } from '../config/schema.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import { communityFromText, largeCommunityFromText } from '../wire/community.js';
import { extCommunityKey, rtFromText, soOFromText } from '../wire/ext-community.js';
import { ipv6FromText, prefixFromText } from '../wire/nlri/text.js';
import { rdFromText } from '../wire/rd.js';
import type { FamilyName } from '../wire/afi.js';
import { connectedPrefix } from '../config/values.js';
import { passwordKey } from '../config/secrets.js';
import type { NextHopAddr } from '../model/attrset.js';
import { compilePolicies, type Policies } from '../policy/compile.js';
import type { PolicyDefs, RouteMapClauseDef } from '../policy/types.js';
import type { VrfDef } from '../vrf/defs.js';
import type { MrtConfig } from '../config/schema-mrt.js';
import { ADD_PATH_FAMILIES, type AddPathConfig } from '../config/schema-add-path.js';
import { LLGR_FAMILIES } from '../config/schema-llgr.js';
import type { AddPathSendMode } from '../rib/add-path.js';
import type {
  AddPathOption,
  BmpOptions,
  DaemonOptions,
  MrtOptions,
  NeighborOptions,
  NetworkOptions,
} from './options.js';
import type { FibOptions } from './fib.js';
import { GLOBAL_VIEW } from '../rib/rib.js';
import { DEFAULT_TABLE } from '../config/schema.js';
import type { LeakSource, VrfExpect } from '../vrf/monitor.js';

/** RFC 4724 §3 restart time and §4.2 stale-routes time when no block names them (FRR's defaults). */
const GR_RESTART_TIME = 120;
const GR_STALE_TIME = 360;

function network(n: NetworkConfig): NetworkOptions {
  const nh = n['next-hop'];
  return {
    prefix: prefixFromText(n.prefix),
    ...(n.communities ? { communities: n.communities.map(communityFromText) } : {}),
    ...(n['large-communities']
      ? { largeCommunities: n['large-communities'].map(largeCommunityFromText) }
      : {}),
    ...(n['route-targets'] ? { extCommunities: n['route-targets'].map(rtFromText) } : {}),
    ...(n.med !== undefined ? { med: n.med } : {}),
    ...(n['local-preference'] !== undefined ? { localPref: n['local-preference'] } : {}),
    ...(nh !== undefined ? { nextHop: ipv4FromText(nh) ?? ipv6FromText(nh) } : {}),
  };
}

function nextHopAddr(text: string): NextHopAddr {
  const v4 = ipv4FromText(text);
  if (v4 !== undefined) return { afi: 1, addr: v4 };
  const v6 = ipv6FromText(text);
  if (!v6) throw new Error(`"${text}" is not an address`);
  return { afi: 2, addr: v6 };
}

function clause(e: RouteMapEntry): RouteMapClauseDef {
  const m = e.match;
  const st = e.set;
  const nh = st?.['next-hop'];
  return {
    seq: e.seq,
    action: e.action,
    ...(m
      ? {
          match: {
            ...(m['prefix-list'] ? { prefixList: m['prefix-list'] } : {}),
            ...(m['community-list'] ? { communityList: m['community-list'] } : {}),
            ...(m['large-community-list'] ? { largeCommunityList: m['large-community-list'] } : {}),
            ...(m['ext-community-list'] ? { extCommunityList: m['ext-community-list'] } : {}),
            ...(m['source-vrf'] ? { sourceVrf: m['source-vrf'] } : {}),
            ...(m['source-protocol'] ? { sourceProtocol: m['source-protocol'] } : {}),
          },
        }
      : {}),
    ...(st
      ? {
          set: {
            ...(st['local-preference'] !== undefined
              ? { localPreference: st['local-preference'] }
              : {}),
            ...(st.med !== undefined ? { med: st.med } : {}),
            ...(st.weight !== undefined ? { weight: st.weight } : {}),
            // `self` is the session's own address: resolved per peer, not by the route map.
            ...(nh !== undefined && nh !== 'self' ? { nextHop: nh } : {}),
            ...(st.community ? { community: st.community } : {}),
            ...(st['large-community'] ? { largeCommunity: st['large-community'] } : {}),
            ...(st['route-target'] ? { routeTarget: st['route-target'] } : {}),
            ...(st['as-path-prepend'] ? { asPathPrepend: st['as-path-prepend'] } : {}),
          },
        }
      : {}),
    ...(e.continue !== undefined ? { continue: e.continue } : {}),
    ...(e['on-match'] ? { onMatch: e['on-match'] } : {}),
  };
}

/** The config file's policy section in the policy engine's terms, compiled. */
export function policiesFromConfig(c: Config): Policies {
  const p = c.policy;
  const ext = (list: readonly string[], kind: 'rt' | 'soo'): string[] =>
    list.filter((x) => x.startsWith(`${kind}:`)).map((x) => x.slice(kind.length + 1));
  const defs: PolicyDefs = {
    prefixLists: p['prefix-lists'],
    communityLists: p['community-lists'],
    largeCommunityLists: Object.fromEntries(
      Object.entries(p['large-community-lists']).map(([k, es]) => [
        k,
        es.map((e) => ({ seq: e.seq, action: e.action, communities: e['large-communities'] })),
      ]),
    ),
    extCommunityLists: Object.fromEntries(
      Object.entries(p['ext-community-lists']).map(([k, es]) => [
        k,
        es.map((e) => ({
          seq: e.seq,
          action: e.action,
          rt: ext(e['ext-communities'], 'rt'),
          soo: ext(e['ext-communities'], 'soo'),
        })),
      ]),
    ),
    routeMaps: Object.fromEntries(
      Object.entries(p['route-maps']).map(([k, es]) => [k, es.map(clause)]),
    ),
  };
  const r = compilePolicies(defs);
  if (!r.ok) {
    throw new Error(`policy: ${r.errors.map((e) => `${e.where}: ${e.message}`).join('; ')}`);
  }
  return r.policies;
}

/**
 * A neighbor's graceful restart: its own block, else the global one (as FRR's global `bgp
 * graceful-restart` applies to every peer); times its block leaves out come from the global block.
 */
function neighborGracefulRestart(
  n: NeighborConfig,
  global: Config['graceful-restart'],
): Pick<NeighborOptions, 'gracefulRestart'> {
  const own = n['graceful-restart'];
  if (!(own?.enabled ?? global?.enabled)) return {};
  return {
    gracefulRestart: {
      restartTime: own?.['restart-time'] ?? global?.['restart-time'] ?? GR_RESTART_TIME,
      staleTime: own?.['stale-time'] ?? global?.['stale-time'] ?? GR_STALE_TIME,
    },
  };
}

/** The families a neighbor advertises LLGR for (RFC 9494 §3), with their stale times. */
function llgrOptions(n: NeighborConfig): Pick<NeighborOptions, 'longLivedGracefulRestart'> {
  const c = n['long-lived-graceful-restart'];
  if (!c) return {};
  const fams = LLGR_FAMILIES.filter((f) => n.families.includes(f));
  const list = fams
    .map((family) => ({ family, staleTime: c.families?.[family] ?? c['stale-time'] }))
    .filter((e) => e.staleTime > 0);
  return list.length ? { longLivedGracefulRestart: list } : {};
}

/** The `bmp` section as the exporter takes it (src/daemon/bmp.ts). */
export function bmpOptionsFromConfig(c: Config): BmpOptions[] {
  return c.bmp.map((b) => ({
    address: b.address,
    port: b.port,
    ...(b['local-address'] ? { localAddress: b['local-address'] } : {}),
    // adj-rib-out-pre is refused by config/waiting.ts.
    streams: b['route-monitoring'].filter((s) => s !== 'adj-rib-out-pre'),
    statisticsInterval: b['statistics-interval'],
    initialDelay: b['initial-delay'],
    backoff: b.backoff,
    maxQueue: b['max-queue'],
    sysName: b['sys-name'] ?? os.hostname(),
  }));
}

/** The VRFs' `expect` sections (schema-expect.ts) as the leak monitor takes them. */
function expectsFromConfig(c: Config): VrfExpect[] {
  return Object.entries(c.vrfs).flatMap(([vrf, v]) => {
    const e = v.expect;
    if (!e) return [];
    const from = e.from?.map((s): LeakSource => {
      const pl = s['prefix-list'] !== undefined ? { prefixList: s['prefix-list'] } : {};
      const rt = s['route-target'];
      return rt !== undefined
        ? { kind: 'rt', rtKey: extCommunityKey(rtFromText(rt)), text: rt, ...pl }
        : { kind: 'vrf', vrf: s.vrf ?? '', ...pl };
    });
    return [
      {
        vrf,
        ...(from ? { from } : {}),
        ...(e['max-routes'] !== undefined ? { maxRoutes: e['max-routes'] } : {}),
        require: e.require.map(prefixFromText),
      },
    ];
  });
}

export function daemonOptionsFromConfig(c: Config): DaemonOptions {
  const [labelLo] = c.labels.range;
  let nextLabel = labelLo;
  const used = new Set<number>();
  for (const v of Object.values(c.vrfs)) if (typeof v.label === 'number') used.add(v.label);
  const vrfs: VrfDef[] = Object.entries(c.vrfs).map(([name, v]) => {
    let label: number;
    if (typeof v.label === 'number') label = v.label;
    else {
      while (used.has(nextLabel)) nextLabel++;
      label = nextLabel++;
      used.add(label);
    }
    const rts = v['route-targets'];
    const enh = v['export-next-hop'];
    return {
      name,
      rd: rdFromText(v.rd),
      // DESIGN.md "Tags": route targets under another name.
      importRts: [...rts.import, ...v['import-tags']].map(rtFromText),
      exportRts: [...rts.export, ...(v['export-tag'] ? [v['export-tag']] : [])].map(rtFromText),
      exportMode: rts['export-mode'],
      ...(v['import-map'] ? { importMap: v['import-map'] } : {}),
      ...(v['export-map'] ? { exportMap: v['export-map'] } : {}),
      label,
      ...(enh !== undefined ? { exportNextHop: nextHopAddr(enh) } : {}),
      allowReexport: v['allow-reexport'],
      conflict: v.conflict,
      allowasIn: v['allowas-in'],
      ...(v['leak-from-default']?.policy
        ? { leakFromDefault: { policy: v['leak-from-default'].policy } }
        : {}),
      ...(v['leak-to-default']?.policy
        ? { leakToDefault: { policy: v['leak-to-default'].policy } }
        : {}),
      connected: v.interfaces.map((i) => prefixFromText(connectedPrefix(i.address))),
      networks: v.networks.map((n) => {
        const { nextHop: _raw, ...o } = network(n);
        const nh = n['next-hop'];
        return { ...o, ...(nh !== undefined ? { nextHop: nextHopAddr(nh) } : {}) };
      }),
      statics: v['static-routes'].map((st) => ({
        prefix: prefixFromText(st.prefix),
        nextHop: nextHopAddr(st['next-hop']),
        ...(st['next-hop-vrf'] !== undefined ? { nextHopVrf: st['next-hop-vrf'] } : {}),
      })),
    };
  });
  const neighbors: NeighborOptions[] = c.neighbors.map((n) => ({
    address: n.address,
    asn: n.asn,
    families: n.families as FamilyName[],
    passive: n.passive,
    port: n.port,
    ...(n['local-address'] ? { localAddress: n['local-address'] } : {}),
    holdTime: n['hold-time'],
    ...(n.keepalive !== undefined ? { keepalive: n.keepalive } : {}),
    connectRetry: n['connect-retry'],
    routeReflectorClient: n['route-reflector-client'],
    ...(n['cluster-id'] !== undefined ? { clusterId: n['cluster-id'] } : {}),
    nextHopSelf: n['next-hop-self'],
    ...(n['next-hop-address'] ? { nextHopAddress: n['next-hop-address'] } : {}),
    ...(n['max-output-queue'] !== undefined ? { maxOutputQueue: n['max-output-queue'] } : {}),
    allowasIn: n['allowas-in'],
    ...(n['as-override'] ? { asOverride: true } : {}),
    ...(n.soo !== undefined ? { soo: soOFromText(n.soo) } : {}),
    ...neighborGracefulRestart(n, c['graceful-restart']),
    ...(n['max-prefix']
      ? {
          maxPrefix: {
            limit: n['max-prefix'].limit,
            warningPct: n['max-prefix']['warning-threshold-pct'],
            ...(n['max-prefix']['restart-after'] !== undefined
              ? { restartAfter: n['max-prefix']['restart-after'] }
              : {}),
          },
        }
      : {}),
    ...(n.description ? { description: n.description } : {}),
    ...(n.vrf !== undefined && n.vrf !== 'default' ? { vrf: n.vrf } : {}),
    ...(n['route-map-in'] ? { routeMapIn: n['route-map-in'] } : {}),
    ...(n['route-map-out'] ? { routeMapOut: n['route-map-out'] } : {}),
    ...(n['soft-reconfiguration'] === 'inbound' ? { softReconfigurationInbound: true } : {}),
    ...(n['add-path'] ? { addPath: addPathOptions(n['add-path']) } : {}),
    ...llgrOptions(n),
    shutdown: n.shutdown,
    ...(n.password !== undefined ? { password: passwordKey(n.password, n.address) } : {}),
    ...(n['ttl-security'] ? { ttlSecurity: { hops: n['ttl-security'].hops } } : {}),
  }));
  return {
    asn: c.asn,
    routerId: c['router-id'],
    ...(c['cluster-id'] ? { clusterId: c['cluster-id'] } : {}),
    ...(c['client-to-client'] ? {} : { clientToClient: false }),
    ...(c.listen ? { listen: { address: c.listen.address, port: c.listen.port } } : {}),
    neighbors,
    networks: c.networks.map(network),
    vrfs,
    policies: policiesFromConfig(c),
    expects: expectsFromConfig(c),
    denyInterVrfStatic: c['deny-inter-vrf-static'],
    retain: c.retain,
    fib: fibOptions(c),
    ...(c['graceful-restart']?.enabled
      ? { gracefulRestart: { restartTime: c['graceful-restart']['restart-time'] } }
      : {}),
    ...(c.bmp.length ? { bmp: bmpOptionsFromConfig(c) } : {}),
    ...(c.mrt ? { mrt: mrtOptions(c.mrt) } : {}),
  };
}

function mrtOptions(m: MrtConfig): MrtOptions {
  const msg = m.messages;
  return {
    directory: m.directory,
    dumpInterval: m['dump-interval'],
    ...(msg
      ? {
          messages: {
            neighbors: msg.neighbors,
            rotateInterval: msg['rotate-interval'],
            rotateSize: msg['rotate-size'],
          },
        }
      : {}),
  };
}

/** The FIB's tables per view and each VRF's interfaces with their subnets. */
export function fibOptions(c: Config): FibOptions {
  const tables = new Map<string, number>();
  for (const [name, t] of Object.entries(c.fib.tables)) {
    tables.set(name === DEFAULT_TABLE ? GLOBAL_VIEW : name, t);
  }
  const interfaces = new Map(
    Object.entries(c.vrfs).map(([name, v]) => [
      name,
      v.interfaces.map((i) => ({
        name: i.name,
        prefix: prefixFromText(connectedPrefix(i.address)),
      })),
    ]),
  );
  return { enabled: c.fib.enabled, tables, interfaces };
}

/** The `add-path` key as options: one entry per configured family, send modes as values. */
function addPathOptions(c: AddPathConfig): AddPathOption[] {
  const out: AddPathOption[] = [];
  for (const family of ADD_PATH_FAMILIES) {
    const e = c[family];
    if (!e) continue;
    const s = e.send;
    const send: AddPathSendMode | undefined =
      s === undefined
        ? undefined
        : s === 'all'
          ? { kind: 'all' }
          : s === 'best-per-neighbor-as'
            ? { kind: 'best-per-neighbor-as' }
            : { kind: 'best', n: s.best };
    out.push({ family, receive: e.receive, ...(send ? { send } : {}) });
  }
  return out;
}
