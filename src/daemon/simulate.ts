// `vrfleak dry-run`: the RIB and UPDATE changes a new configuration would cause, computed on a
// shadow RIB and leak engine seeded with the routes the peers and the daemon hold now. Nothing of
// the running daemon changes.

import type { Route } from '../model/route.js';
import { GLOBAL_VIEW, Rib, RIB_FAMILIES, VRF_FAMILIES } from '../rib/rib.js';
import type { Table } from '../rib/table.js';
import { LeakEngine } from '../vrf/engine.js';
import type { FamilyName } from '../wire/afi.js';
import type { Daemon } from './daemon.js';
import type { DaemonOptions } from './options.js';
import { Propagation } from './propagate.js';
import { routeView } from './views.js';

/** Sources below this are peers and the daemon's own routes; above it, the leak engine's. */
const ENGINE_SRC_BASE = 1_000_000;

export interface RouteChange {
  /** `vpnv4`, `ipv4`, or `vrf NAME ipv4`. */
  readonly table: string;
  readonly prefix: string;
  readonly rd?: string;
  readonly change: 'added' | 'removed' | 'changed';
}

export interface UpdateCount {
  readonly family: FamilyName;
  readonly announce: number;
  readonly withdraw: number;
}

export interface Simulation {
  readonly routes: RouteChange[];
  /** What the VPN and default tables would send to their peers (best-path changes per family). */
  readonly updates: UpdateCount[];
}

function summary(r: Route | undefined): string | undefined {
  if (!r) return undefined;
  const labels = r.nlri.kind === 'vpn' || r.nlri.kind === 'labeled' ? r.nlri.labels.join('.') : '';
  return `${r.attrs.key}|${labels}|${JSON.stringify(r.origin.kind === 'peer' ? r.origin.peer.id : r.origin)}`;
}

function diffTables(
  name: string,
  before: Table | undefined,
  after: Table | undefined,
): RouteChange[] {
  const out: RouteChange[] = [];
  const keys = new Set([...(before?.dests.keys() ?? []), ...(after?.dests.keys() ?? [])]);
  for (const k of keys) {
    const a = before?.get(k)?.best;
    const b = after?.get(k)?.best;
    const sa = summary(a);
    const sb = summary(b);
    if (sa === sb) continue;
    const r = (b ?? a)!;
    const v = routeView(r, true);
    out.push({
      table: name,
      prefix: v.prefix,
      ...(v.rd !== undefined ? { rd: v.rd } : {}),
      change: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
    });
  }
  return out;
}

export function simulate(daemon: Daemon, next: DaemonOptions): Simulation {
  const shadow = new Rib(daemon.rib.decision);
  const engine = new LeakEngine(shadow, {
    asn: next.asn,
    vrfs: next.vrfs,
    policies: next.policies,
    denyInterVrfStatic: next.denyInterVrfStatic,
  });
  const propagation = new Propagation(shadow, engine);
  propagation.loadAll(engine.load());
  // Seed: every path that is not the leak engine's own work, in every view that still exists.
  for (const view of daemon.rib.viewNames()) {
    if (!shadow.hasView(view)) continue;
    for (const f of view === GLOBAL_VIEW ? RIB_FAMILIES : VRF_FAMILIES) {
      for (const d of daemon.rib.table(f, view).dests.values()) {
        for (const p of d.paths) if (p.src < ENGINE_SRC_BASE) shadow.putRoute(view, f, p);
      }
    }
  }
  propagation.commit();
  const routes: RouteChange[] = [];
  const updates: UpdateCount[] = [];
  for (const f of RIB_FAMILIES) {
    const ch = diffTables(f, daemon.rib.table(f), shadow.table(f));
    routes.push(...ch);
    const announce = ch.filter((c) => c.change !== 'removed').length;
    const withdraw = ch.length - announce;
    if (ch.length) updates.push({ family: f, announce, withdraw });
  }
  const views = new Set([...daemon.rib.viewNames(), ...shadow.viewNames()]);
  for (const view of views) {
    if (view === GLOBAL_VIEW) continue;
    for (const f of VRF_FAMILIES) {
      const before = daemon.rib.hasView(view) ? daemon.rib.table(f, view) : undefined;
      const after = shadow.hasView(view) ? shadow.table(f, view) : undefined;
      routes.push(...diffTables(`vrf ${view} ${f}`, before, after));
    }
  }
  return { routes, updates };
}
