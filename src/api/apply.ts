// The one reconfigure path: every way of changing the running config (POST /api/v1/reload, SIGHUP,
// `vrfleak reload`, the API's config edits, Speaker.reconfigure) ends in applyConfig, and dry-run
// runs applyConfig itself on a shadow daemon (src/daemon/simulate.ts). What a change reaches comes
// from diffConfig (what the text changed) and policyImpact (what a list or route-map edit reaches
// through the dependency graph, src/config/deps.ts).
//
// Order, so that every step finds what it names and nothing is left behind: sessions that go away
// (removed, or changed in a way that restarts them) stop first, while their VRF still exists; then
// the leak engine takes the new VRFs and policies (VRFs changed or using an affected route map are
// re-evaluated); then sessions are added or started again, neighbors whose policy keys changed are
// re-evaluated without a reset, and neighbors naming an affected route map are re-applied; then
// the default-table networks; one commit at the end sends what is left.

import { diffConfig, type ConfigChange } from '../config/diff.js';
import { policyImpact, type PolicyImpact } from '../config/deps.js';
import type { Config } from '../config/schema.js';
import type { Daemon } from '../daemon/daemon.js';
import { daemonOptionsFromConfig } from '../daemon/from-config.js';
import { reapplyRetention } from '../daemon/retain.js';
import { FIB_OFF } from '../daemon/fib.js';
import type { DaemonOptions, NetworkOptions } from '../daemon/options.js';
import {
  Shadow,
  updateCounts,
  type NeighborUpdates,
  type RouteChange,
  type UpdateCount,
} from '../daemon/simulate.js';
import { prefixKey } from '../wire/nlri/key.js';
import { prefixFromText } from '../wire/nlri/text.js';
import { describeChange } from './describe-change.js';

export interface ApplyResult {
  readonly changes: readonly ConfigChange[];
  /** One line per change applied, in diffConfig's order, then what the graph re-evaluated. */
  readonly applied: string[];
  /** Changes that only a restart applies (kept in the running config all the same). */
  readonly pending: string[];
  /** The VRFs the leak engine re-evaluated. */
  readonly vrfs: string[];
  /** Neighbors whose policy was re-applied because a route map or list they use changed. */
  readonly neighbors: string[];
  readonly impact: PolicyImpact;
}

/** What applying a config would do, computed by applying it to a shadow. */
export interface Prediction extends ApplyResult {
  /** Best-route changes, table by table. */
  readonly routes: RouteChange[];
  /** Best-route changes of the global tables, counted per family. */
  readonly updates: UpdateCount[];
  /** What each neighbor would be sent (after its route-map-out), or that its session restarts. */
  readonly sent: NeighborUpdates[];
}

/** Changes the daemon cannot take live: they need a restart of the daemon. */
function needsRestart(c: ConfigChange): boolean {
  switch (c.kind) {
    case 'global-changed':
      // retain: the leak engine's options (reconfigureVrfs); log: the level, at once; mrt: the
      // dump timer and message logs (daemon/mrt.ts), at once; fib: the kernel tables
      // (FibSync.configure); bmp: the exporter connects, drops and restarts collectors
      // (BmpExporter.configure); client-to-client: the clients' outbound profile, re-evaluated below.
      return !['retain', 'log', 'mrt', 'fib', 'bmp', 'client-to-client'].includes(c.key);
    case 'static-route-added':
    case 'static-route-removed':
      // Default-table static routes are not installed by the daemon (at start either).
      return c.vrf === 'default';
    default:
      return false;
  }
}

/** The default-table networks of `o` at the prefix `text`. */
function networksAt(o: DaemonOptions, text: string): NetworkOptions[] {
  const k = prefixKey(prefixFromText(text));
  return o.networks.filter((n) => prefixKey(n.prefix) === k);
}

/** Applies `next` to a daemon running `old`. Synchronous: the daemon has sent everything on return. */
export function applyConfig(d: Daemon, old: Config, next: Config): ApplyResult {
  const changes = diffConfig(old, next);
  const impact = policyImpact(old, next);
  const nextOpts = daemonOptionsFromConfig(next);
  const oldOpts = daemonOptionsFromConfig(old);
  const applied: string[] = [];
  const pending: string[] = [];
  const neighborOf = (address: string) => nextOpts.neighbors.find((n) => n.address === address);

  // Sessions that go away, while the tables they fed still exist.
  const restart = new Set<string>();
  for (const c of changes) {
    if (c.kind === 'neighbor-removed' || (c.kind === 'neighbor-changed' && c.reset)) {
      d.removePeer(c.address);
      if (c.kind === 'neighbor-changed') restart.add(c.address);
    }
  }
  // VRFs and policies: the engine re-evaluates the VRFs that changed or use an affected map.
  const retained = d.opts.retain;
  const vrfs = d.reconfigureVrfs(nextOpts, impact.routeMaps);
  reapplyRetention(d, retained);
  // Sessions added or started again, policy keys applied in place.
  for (const c of changes) {
    if (c.kind === 'neighbor-added' || (c.kind === 'neighbor-changed' && restart.has(c.address))) {
      const n = neighborOf(c.address);
      if (n && !d.peers.has(n.address)) d.addPeer(n);
    } else if (c.kind === 'neighbor-changed') {
      const n = neighborOf(c.address);
      if (n && !d.softChange(n, { in: c.refreshIn, out: c.resendOut })) {
        // Inbound change towards a peer without route refresh: only a new session re-reads it.
        d.removePeer(n.address);
        d.addPeer(n);
      }
    }
  }
  // RFC 4456 §5 toggled: every client's group changes (reconfigureVrfs took the new value).
  if (changes.some((c) => c.kind === 'global-changed' && c.key === 'client-to-client')) {
    for (const n of nextOpts.neighbors)
      if (n.routeReflectorClient && !restart.has(n.address))
        d.softChange(n, { in: false, out: true });
  }
  const neighbors = impact.routeMaps.size ? d.routeMapsChanged(impact.routeMaps) : [];
  for (const c of changes) {
    if (
      (c.kind === 'network-added' ||
        c.kind === 'network-removed' ||
        c.kind === 'network-changed') &&
      c.vrf === 'default'
    ) {
      // A VRF's networks are part of its definition (reconfigureVrfs above).
      const p = c.kind === 'network-changed' ? c.next.prefix : c.network.prefix;
      d.changeNetworks(undefined, networksAt(nextOpts, p), networksAt(oldOpts, p));
    }
    if (c.kind === 'global-changed' && c.key === 'log') d.log.setLevel(next.log.level);
    if (c.kind === 'global-changed' && c.key === 'mrt') d.mrt.configure(nextOpts.mrt);
    if (c.kind === 'global-changed' && c.key === 'bmp') d.bmp?.configure(nextOpts.bmp ?? []);
    (needsRestart(c) ? pending : applied).push(describeChange(c));
  }
  if (vrfs.length) applied.push(`VRFs re-evaluated: ${vrfs.join(', ')}`);
  if (neighbors.length) applied.push(`neighbor policy re-applied: ${neighbors.join(', ')}`);
  for (const [map, why] of impact.why) {
    if (!why.includes('edited')) applied.push(`route-map ${map}: ${why.join(', ')} changed`);
  }
  d.commitNow();
  // After the tables settled: tables renumbered, VRFs or interfaces added or removed, enable/disable.
  void d.fibSync?.configure(nextOpts.fib ?? FIB_OFF);
  return { changes, applied, pending, vrfs, neighbors, impact };
}

/**
 * Dry-run: applyConfig on a shadow of `d` (see Shadow), and what it changed there: routes per
 * table, UPDATEs per neighbor. `d` is not changed.
 */
export async function predictConfig(d: Daemon, old: Config, next: Config): Promise<Prediction> {
  const shadow = await Shadow.of(d, daemonOptionsFromConfig(old));
  try {
    const result = applyConfig(shadow.daemon, old, next);
    const routes = shadow.routeChanges(d.rib);
    return { ...result, routes, updates: updateCounts(routes), sent: shadow.sent() };
  } finally {
    await shadow.stop();
  }
}
