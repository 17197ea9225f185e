// Live reload: load the new config, refuse it whole if it has any error (the running one stays),
// otherwise apply the difference (src/config/diff.ts) without touching what it does not name.
// Applied: neighbors added, removed or changed (only those sessions restart), default-table
// networks, and VRF and policy changes through the leak engine (daemon.reconfigureVrfs). Pending
// (reported, kept in the running config, applied at the next start): globals such as asn,
// router-id, listen, api, and default-table static routes.

import { diffConfig, type ConfigChange } from '../config/diff.js';
import { loadConfig, loadConfigFile, type LoadResult } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { daemonOptionsFromConfig } from '../daemon/from-config.js';
import type { Daemon } from '../daemon/daemon.js';
import type { NetworkOptions } from '../daemon/options.js';
import { prefixFromText } from '../wire/nlri/text.js';
import { simulate, type RouteChange, type UpdateCount } from '../daemon/simulate.js';
import { ApiError, type ApiService } from './service.js';

export interface ReloadResult {
  file: string;
  dryRun: boolean;
  /** One line per change, in the order diffConfig gives them. */
  changes: string[];
  applied: string[];
  /** Changes this daemon cannot apply live yet (kept in the running config all the same). */
  pending: string[];
  warnings: string[];
  /** Dry run: the routes that would change in each table, and the UPDATEs peers would get. */
  routeChanges?: RouteChange[];
  updates?: UpdateCount[];
}

export function describeChange(c: ConfigChange): string {
  switch (c.kind) {
    case 'global-changed':
      return `${c.key}: ${JSON.stringify(c.old)} -> ${JSON.stringify(c.next)}${c.resetsAllSessions ? ' (resets every session)' : ''}`;
    case 'policy-added':
    case 'policy-removed':
    case 'policy-changed':
      return `${c.kind.slice(7)} ${c.section} ${c.name}`;
    case 'vrf-added':
    case 'vrf-removed':
      return `${c.kind === 'vrf-added' ? 'add' : 'remove'} VRF ${c.name} (rd ${c.vrf.rd})`;
    case 'rd-changed':
      return `VRF ${c.vrf}: rd ${c.old} -> ${c.next}`;
    case 'import-rt-added':
    case 'import-rt-removed':
    case 'export-rt-added':
    case 'export-rt-removed':
    case 'import-tag-added':
    case 'import-tag-removed':
      return `VRF ${c.vrf}: ${c.kind.replace(/-(added|removed)$/, '')} ${c.kind.endsWith('added') ? '+' : '-'}${c.rt}`;
    case 'vrf-setting-changed':
      return `VRF ${c.vrf}: ${c.key} ${JSON.stringify(c.old)} -> ${JSON.stringify(c.next)}`;
    case 'interface-added':
    case 'interface-removed':
      return `VRF ${c.vrf}: ${c.kind === 'interface-added' ? '+' : '-'}interface ${c.iface.name} ${c.iface.address}`;
    case 'network-added':
    case 'network-removed':
      return `${c.vrf === 'default' ? 'default table' : `VRF ${c.vrf}`}: ${c.kind === 'network-added' ? '+' : '-'}network ${c.network.prefix}`;
    case 'network-changed':
      return `${c.vrf === 'default' ? 'default table' : `VRF ${c.vrf}`}: network ${c.next.prefix} changed`;
    case 'static-route-added':
    case 'static-route-removed':
      return `${c.vrf === 'default' ? 'default table' : `VRF ${c.vrf}`}: ${c.kind === 'static-route-added' ? '+' : '-'}static ${c.route.prefix} via ${c.route['next-hop']}`;
    case 'neighbor-added':
      return `add neighbor ${c.address} (AS ${c.neighbor.asn})`;
    case 'neighbor-removed':
      return `remove neighbor ${c.address}`;
    case 'neighbor-changed':
      return `neighbor ${c.address}: ${c.keys.join(', ')} changed${c.reset ? ' (session restarts)' : ' (applied without a reset where the peer allows)'}`;
    default: {
      const never: never = c;
      return never;
    }
  }
}

/** Default-table networks (a VRF's networks belong to the VRF layer's reconfiguration). */
function networksOf(c: Config): readonly NetworkOptions[] {
  return daemonOptionsFromConfig(c).networks;
}

/**
 * Applies a neighbor added, removed or changed; false for any other change. Only that neighbor is
 * touched: policy keys alone apply without a reset where the peer allows it (Daemon.softChange),
 * anything else restarts its session. Shared by reloads and the library's reconfigure.
 */
export function applyNeighborChange(d: Daemon, next: Config, c: ConfigChange): boolean {
  if (c.kind !== 'neighbor-added' && c.kind !== 'neighbor-removed' && c.kind !== 'neighbor-changed')
    return false;
  const n = daemonOptionsFromConfig(next).neighbors.find((x) => x.address === c.address);
  if (c.kind === 'neighbor-changed' && n && !c.reset) {
    if (d.softChange(n, { in: c.refreshIn, out: c.resendOut })) return true;
  }
  // Added, removed, or changed in a way that restarts the session.
  d.removePeer(c.address);
  if (n) d.addPeer(n);
  return true;
}

function applyChange(s: ApiService, old: Config, next: Config, c: ConfigChange): boolean {
  const d = s.daemon;
  if (applyNeighborChange(d, next, c)) return true;
  switch (c.kind) {
    case 'network-added':
    case 'network-removed':
    case 'network-changed': {
      if (c.vrf !== 'default') return false;
      const prefix = c.kind === 'network-changed' ? c.next.prefix : c.network.prefix;
      const want = prefixFromText(prefix);
      const pick = (cfg: Config) =>
        networksOf(cfg).filter(
          (n) =>
            n.prefix.afi === want.afi &&
            n.prefix.len === want.len &&
            String(n.prefix.addr) === String(want.addr),
        );
      d.changeNetworks(
        undefined,
        c.kind === 'network-removed' ? [] : pick(next),
        c.kind === 'network-added' ? [] : pick(old),
      );
      return true;
    }
    case 'global-changed':
      if (c.key === 'log') {
        s.log.setLevel(next.log.level);
        return true;
      }
      return false;
    default:
      return false;
  }
}

function isVrfOrPolicy(c: ConfigChange): boolean {
  switch (c.kind) {
    case 'global-changed':
    case 'neighbor-added':
    case 'neighbor-removed':
    case 'neighbor-changed':
      return false;
    case 'network-added':
    case 'network-removed':
    case 'network-changed':
    case 'static-route-added':
    case 'static-route-removed':
      return c.vrf !== 'default';
    default:
      return true;
  }
}

function refuse(loaded: Extract<LoadResult, { ok: false }>, s: ApiService): never {
  const errors = loaded.errors.map((e) => e.toString());
  s.log.emit({ event: 'config-refused', errors });
  throw new ApiError(
    422,
    `config refused (${errors.length} error(s)); the running config is kept`,
    errors,
  );
}

/** Re-reads `file` (or takes `text`), refuses it on any error, else applies the difference. */
export async function reloadConfig(
  s: ApiService,
  file: string,
  opts: { dryRun?: boolean; text?: string } = {},
): Promise<ReloadResult> {
  const loaded = opts.text !== undefined ? loadConfig(opts.text, file) : await loadConfigFile(file);
  if (!loaded.ok) refuse(loaded, s);
  const old = s.running;
  const next = loaded.config;
  const changes = diffConfig(old, next);
  const result: ReloadResult = {
    file,
    dryRun: opts.dryRun === true,
    changes: changes.map(describeChange),
    applied: [],
    pending: [],
    warnings: loaded.warnings.map((w) => w.toString()),
  };
  if (opts.dryRun) {
    const sim = simulate(s.daemon, daemonOptionsFromConfig(next));
    return { ...result, routeChanges: sim.routes, updates: sim.updates };
  }
  const vrfChanges: ConfigChange[] = [];
  for (const c of changes) {
    if (applyChange(s, old, next, c)) result.applied.push(describeChange(c));
    else if (isVrfOrPolicy(c)) vrfChanges.push(c);
    else result.pending.push(describeChange(c));
  }
  if (vrfChanges.length) {
    // The leak engine re-evaluates the VRFs that changed or use a changed route map, and only them.
    const nextOpts = daemonOptionsFromConfig(next);
    const before = s.daemon.opts.policies.routeMaps;
    const changed = new Set<string>();
    for (const [name, m] of nextOpts.policies.routeMaps)
      if (JSON.stringify(before.get(name)) !== JSON.stringify(m)) changed.add(name);
    for (const name of before.keys()) if (!nextOpts.policies.routeMaps.has(name)) changed.add(name);
    const touched = s.daemon.reconfigureVrfs(nextOpts, changed);
    for (const c of vrfChanges) result.applied.push(describeChange(c));
    if (touched.length) result.applied.push(`VRFs re-evaluated: ${touched.join(', ')}`);
    // Neighbors naming an edited route map: outbound re-evaluated, inbound refreshed.
    const peers = s.daemon.routeMapsChanged(changed);
    if (peers.length) result.applied.push(`neighbor policy re-applied: ${peers.join(', ')}`);
  }
  s.setRunning(next);
  s.log.emit({ event: 'config-applied', changes: result.applied.length });
  return result;
}
