// The difference between two loaded configs as typed changes, so the daemon can apply a reload
// without touching sessions and routes the edit did not concern.
//
// Order of the list: global settings, policy added or changed (so everything that names a policy
// finds it), VRFs removed, VRFs added, changes inside kept VRFs, default-table networks and static
// routes, neighbors removed / added / changed, and last policy removed (nothing names it by then).

import type {
  Config,
  InterfaceConfig,
  NeighborConfig,
  NetworkConfig,
  StaticRouteConfig,
  VrfConfig,
} from './schema.js';
import { DEFAULT_TABLE } from './schema.js';
import { sameValue } from './same-value.js';

export type GlobalKey =
  | 'asn'
  | 'router-id'
  | 'cluster-id'
  | 'client-to-client'
  | 'listen'
  | 'api'
  | 'log'
  | 'graceful-restart'
  | 'deny-inter-vrf-static'
  | 'retain'
  | 'labels'
  | 'mrt'
  | 'fib'
  | 'bmp';

export type PolicySection =
  | 'prefix-lists'
  | 'community-lists'
  | 'large-community-lists'
  | 'ext-community-lists'
  | 'route-maps';

export type NeighborKey = keyof NeighborConfig;
export type VrfSettingKey =
  | 'import-map'
  | 'export-map'
  | 'leak-from-default'
  | 'leak-to-default'
  | 'label'
  | 'export-next-hop'
  | 'allow-reexport'
  | 'conflict'
  | 'export-mode'
  | 'export-tag'
  | 'allowas-in'
  | 'expect';

export type ConfigChange =
  | {
      readonly kind: 'global-changed';
      readonly key: GlobalKey;
      readonly old: unknown;
      readonly next: unknown;
      /** asn, router-id and graceful-restart are in every OPEN: all sessions start again. */
      readonly resetsAllSessions: boolean;
    }
  | {
      readonly kind: 'policy-added' | 'policy-removed' | 'policy-changed';
      readonly section: PolicySection;
      readonly name: string;
    }
  | { readonly kind: 'vrf-added'; readonly name: string; readonly vrf: VrfConfig }
  | { readonly kind: 'vrf-removed'; readonly name: string; readonly vrf: VrfConfig }
  | {
      readonly kind: 'rd-changed';
      readonly vrf: string;
      readonly old: string;
      readonly next: string;
    }
  | {
      readonly kind:
        | 'import-rt-added'
        | 'import-rt-removed'
        | 'export-rt-added'
        | 'export-rt-removed'
        | 'import-tag-added'
        | 'import-tag-removed';
      readonly vrf: string;
      readonly rt: string;
    }
  | {
      readonly kind: 'vrf-setting-changed';
      readonly vrf: string;
      readonly key: VrfSettingKey;
      readonly old: unknown;
      readonly next: unknown;
    }
  | {
      readonly kind: 'interface-added' | 'interface-removed';
      readonly vrf: string;
      readonly iface: InterfaceConfig;
    }
  | {
      readonly kind: 'network-added' | 'network-removed';
      /** A VRF name, or `default` for the top-level networks. */
      readonly vrf: string;
      readonly network: NetworkConfig;
    }
  | {
      readonly kind: 'network-changed';
      readonly vrf: string;
      readonly old: NetworkConfig;
      readonly next: NetworkConfig;
    }
  | {
      readonly kind: 'static-route-added' | 'static-route-removed';
      readonly vrf: string;
      readonly route: StaticRouteConfig;
    }
  | { readonly kind: 'neighbor-added'; readonly address: string; readonly neighbor: NeighborConfig }
  | {
      readonly kind: 'neighbor-removed';
      readonly address: string;
      readonly neighbor: NeighborConfig;
    }
  | {
      readonly kind: 'neighbor-changed';
      readonly address: string;
      readonly old: NeighborConfig;
      readonly next: NeighborConfig;
      readonly keys: readonly NeighborKey[];
      /** Something in the OPEN or the transport changed: the session must start again. */
      readonly reset: boolean;
      /** Inbound treatment changed: ask the peer to send its routes again (route refresh). */
      readonly refreshIn: boolean;
      /** Outbound treatment changed: recompute and resend what we advertise. */
      readonly resendOut: boolean;
    };

/** What a neighbor key does when it changes on a running session. */
export type NeighborEffect =
  /** In the OPEN or the transport, or read when the session starts: the session starts again. */
  | 'reset'
  /** Inbound treatment: the peer is asked for its routes again (route refresh; else a reset). */
  | 'in'
  /** Outbound treatment: what the peer is sent is re-evaluated. */
  | 'out'
  /** Both: the peer's routes are read again and what it is sent is re-evaluated. */
  | 'in-out'
  /** Nothing on the wire (a label for operators): applied in place, the session untouched. */
  | 'none';

// Every key is classified, so a key added to the schema must say what a change of it does.
// RFC 4271 §4.2 (AS, hold time, identifier) and RFC 5492 capabilities (families, graceful restart,
// add-path) are fixed when the session opens; the transport endpoints, the VRF binding and the
// shell's own limits (connect-retry, max-output-queue, shutdown) likewise.
export const NEIGHBOR_EFFECT: Readonly<Record<NeighborKey, NeighborEffect>> = {
  address: 'reset',
  asn: 'reset',
  port: 'reset',
  'local-address': 'reset',
  'hold-time': 'reset',
  keepalive: 'reset',
  'connect-retry': 'reset',
  passive: 'reset',
  families: 'reset',
  'graceful-restart': 'reset',
  // RFC 9494 §3: the LLGR capability is in the OPEN.
  'long-lived-graceful-restart': 'reset',
  'add-path': 'reset',
  vrf: 'reset',
  shutdown: 'reset',
  'max-output-queue': 'reset',
  // The keys and TTLs are on the sockets (FRR resets the session likewise on a change).
  password: 'reset',
  'ttl-security': 'reset',
  // Reflection decisions read the client flag off the routes already received from the peer.
  'route-reflector-client': 'reset',
  'cluster-id': 'reset',
  'route-map-in': 'in',
  'allowas-in': 'in',
  // On: the routes are needed again, as received; off: the kept ones are dropped.
  'soft-reconfiguration': 'in',
  // A lower limit is checked against the routes the refresh brings again.
  'max-prefix': 'in',
  'route-map-out': 'out',
  // The AS_PATH sent to the neighbor (src/rib/pe-ce.ts).
  'as-override': 'out',
  // Received routes are tagged with it, and routes carrying it are not sent back.
  soo: 'in-out',
  'next-hop-self': 'out',
  'next-hop-address': 'out',
  description: 'none',
};

function setDiff(old: readonly string[], next: readonly string[]) {
  return {
    added: next.filter((x) => !old.includes(x)),
    removed: old.filter((x) => !next.includes(x)),
  };
}

const staticKey = (s: StaticRouteConfig) =>
  `${s.prefix} ${s['next-hop']} ${s['next-hop-vrf'] ?? ''}`;

function tableChanges(
  vrf: string,
  old: { networks: readonly NetworkConfig[]; statics: readonly StaticRouteConfig[] },
  next: { networks: readonly NetworkConfig[]; statics: readonly StaticRouteConfig[] },
): ConfigChange[] {
  const out: ConfigChange[] = [];
  const oldNets = new Map(old.networks.map((n) => [n.prefix, n]));
  const nextNets = new Map(next.networks.map((n) => [n.prefix, n]));
  for (const [p, n] of oldNets) {
    if (!nextNets.has(p)) out.push({ kind: 'network-removed', vrf, network: n });
  }
  for (const [p, n] of nextNets) {
    const o = oldNets.get(p);
    if (!o) out.push({ kind: 'network-added', vrf, network: n });
    else if (!sameValue(o, n)) out.push({ kind: 'network-changed', vrf, old: o, next: n });
  }
  const oldS = new Map(old.statics.map((s) => [staticKey(s), s]));
  const nextS = new Map(next.statics.map((s) => [staticKey(s), s]));
  for (const [k, s] of oldS) {
    if (!nextS.has(k)) out.push({ kind: 'static-route-removed', vrf, route: s });
  }
  for (const [k, s] of nextS) {
    if (!oldS.has(k)) out.push({ kind: 'static-route-added', vrf, route: s });
  }
  return out;
}

const VRF_SETTINGS: readonly Exclude<VrfSettingKey, 'export-mode'>[] = [
  'import-map',
  'export-map',
  'leak-from-default',
  'leak-to-default',
  'label',
  'export-next-hop',
  'allow-reexport',
  'conflict',
  'export-tag',
  'allowas-in',
  'expect',
];

function vrfChanges(name: string, o: VrfConfig, n: VrfConfig): ConfigChange[] {
  const out: ConfigChange[] = [];
  if (o.rd !== n.rd) out.push({ kind: 'rd-changed', vrf: name, old: o.rd, next: n.rd });
  const imp = setDiff(o['route-targets'].import, n['route-targets'].import);
  const exp = setDiff(o['route-targets'].export, n['route-targets'].export);
  const tags = setDiff(o['import-tags'], n['import-tags']);
  imp.added.forEach((rt) => out.push({ kind: 'import-rt-added', vrf: name, rt }));
  imp.removed.forEach((rt) => out.push({ kind: 'import-rt-removed', vrf: name, rt }));
  exp.added.forEach((rt) => out.push({ kind: 'export-rt-added', vrf: name, rt }));
  exp.removed.forEach((rt) => out.push({ kind: 'export-rt-removed', vrf: name, rt }));
  tags.added.forEach((rt) => out.push({ kind: 'import-tag-added', vrf: name, rt }));
  tags.removed.forEach((rt) => out.push({ kind: 'import-tag-removed', vrf: name, rt }));
  const oldMode = o['route-targets']['export-mode'];
  const nextMode = n['route-targets']['export-mode'];
  if (oldMode !== nextMode) {
    out.push({
      kind: 'vrf-setting-changed',
      vrf: name,
      key: 'export-mode',
      old: oldMode,
      next: nextMode,
    });
  }
  for (const key of VRF_SETTINGS) {
    if (!sameValue(o[key], n[key])) {
      out.push({ kind: 'vrf-setting-changed', vrf: name, key, old: o[key], next: n[key] });
    }
  }
  // An interface whose address changed is one removed and one added: its connected route moves.
  const ifKey = (i: InterfaceConfig) => `${i.name} ${i.address}`;
  const oldIf = new Map(o.interfaces.map((i) => [ifKey(i), i]));
  const nextIf = new Map(n.interfaces.map((i) => [ifKey(i), i]));
  for (const [k, i] of oldIf)
    if (!nextIf.has(k)) out.push({ kind: 'interface-removed', vrf: name, iface: i });
  for (const [k, i] of nextIf)
    if (!oldIf.has(k)) out.push({ kind: 'interface-added', vrf: name, iface: i });
  out.push(
    ...tableChanges(
      name,
      { networks: o.networks, statics: o['static-routes'] },
      { networks: n.networks, statics: n['static-routes'] },
    ),
  );
  return out;
}

function neighborChange(o: NeighborConfig, n: NeighborConfig): ConfigChange | undefined {
  const keys = [...new Set([...Object.keys(o), ...Object.keys(n)])] as NeighborKey[];
  const changed = keys.filter((k) => !sameValue(o[k], n[k]));
  if (!changed.length) return undefined;
  return {
    kind: 'neighbor-changed',
    address: n.address,
    old: o,
    next: n,
    keys: changed,
    reset: changed.some((k) => NEIGHBOR_EFFECT[k] === 'reset'),
    refreshIn: changed.some((k) => NEIGHBOR_EFFECT[k] === 'in' || NEIGHBOR_EFFECT[k] === 'in-out'),
    resendOut: changed.some((k) => NEIGHBOR_EFFECT[k] === 'out' || NEIGHBOR_EFFECT[k] === 'in-out'),
  };
}

const GLOBAL_KEYS: readonly GlobalKey[] = [
  'asn',
  'router-id',
  'cluster-id',
  'client-to-client',
  'listen',
  'api',
  'log',
  'graceful-restart',
  'deny-inter-vrf-static',
  'retain',
  'labels',
  'mrt',
  'fib',
  'bmp',
];
const RESETS_ALL: ReadonlySet<GlobalKey> = new Set<GlobalKey>([
  'asn',
  'router-id',
  'graceful-restart',
]);

const SECTIONS: readonly PolicySection[] = [
  'prefix-lists',
  'community-lists',
  'large-community-lists',
  'ext-community-lists',
  'route-maps',
];

export function diffConfig(old: Config, next: Config): ConfigChange[] {
  const out: ConfigChange[] = [];
  for (const key of GLOBAL_KEYS) {
    if (!sameValue(old[key], next[key])) {
      out.push({
        kind: 'global-changed',
        key,
        old: old[key],
        next: next[key],
        resetsAllSessions: RESETS_ALL.has(key),
      });
    }
  }
  const policyRemoved: ConfigChange[] = [];
  for (const section of SECTIONS) {
    const o: Record<string, unknown> = old.policy[section];
    const n: Record<string, unknown> = next.policy[section];
    for (const name of Object.keys(n)) {
      if (!(name in o)) out.push({ kind: 'policy-added', section, name });
      else if (!sameValue(o[name], n[name])) out.push({ kind: 'policy-changed', section, name });
    }
    for (const name of Object.keys(o)) {
      if (!(name in n)) policyRemoved.push({ kind: 'policy-removed', section, name });
    }
  }
  for (const [name, vrf] of Object.entries(old.vrfs)) {
    if (!(name in next.vrfs)) out.push({ kind: 'vrf-removed', name, vrf });
  }
  for (const [name, vrf] of Object.entries(next.vrfs)) {
    if (!(name in old.vrfs)) out.push({ kind: 'vrf-added', name, vrf });
  }
  for (const [name, vrf] of Object.entries(next.vrfs)) {
    const was = old.vrfs[name];
    if (was) out.push(...vrfChanges(name, was, vrf));
  }
  out.push(
    ...tableChanges(
      DEFAULT_TABLE,
      { networks: old.networks, statics: old['static-routes'] },
      { networks: next.networks, statics: next['static-routes'] },
    ),
  );
  const oldN = new Map(old.neighbors.map((n) => [n.address.toLowerCase(), n]));
  const nextN = new Map(next.neighbors.map((n) => [n.address.toLowerCase(), n]));
  for (const [k, n] of oldN) {
    if (!nextN.has(k)) out.push({ kind: 'neighbor-removed', address: n.address, neighbor: n });
  }
  for (const [k, n] of nextN) {
    if (!oldN.has(k)) out.push({ kind: 'neighbor-added', address: n.address, neighbor: n });
  }
  for (const [k, n] of nextN) {
    const o = oldN.get(k);
    const change = o && neighborChange(o, n);
    if (change) out.push(change);
  }
  out.push(...policyRemoved);
  return out;
}
