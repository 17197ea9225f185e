// Dry-run's shadow: a second daemon in the same process, started on the running config, with the
// running daemon's sessions (same negotiated parameters) and the routes they and the API gave it,
// and shells that record what would go out instead of sending it. The reload code runs on it
// unchanged (src/api/apply.ts); afterwards its tables are compared with the running daemon's and
// what its shells recorded is what the peers would be sent. Nothing of the running daemon changes.

import type { Route } from '../model/route.js';
import type { RouteOrigin } from '../model/route-origin.js';
import { createEventLog } from '../log/events.js';
import { API_SRC } from '../model/sources.js';
import { GLOBAL_VIEW, RIB_FAMILIES, VRF_FAMILIES, type Rib } from '../rib/rib.js';
import type { Table } from '../rib/table.js';
import type { FamilyName } from '../wire/afi.js';
import { familyName } from '../wire/afi.js';
import type { CodecContext } from '../wire/context.js';
import { decodeMessage } from '../wire/message.js';
import { keyText, nlriKey } from '../wire/nlri/key.js';
import type { Nlri } from '../wire/types.js';
import type { PeerShell, StopReason } from '../session/shell.js';
import { Daemon, type ShellFactory } from './daemon.js';
import type { DaemonOptions } from './options.js';
import type { PeerLinkEvents } from './peer-link.js';
import { routeView } from './views.js';

export interface RouteChange {
  /** `vpnv4`, `ipv4`, or `vrf NAME ipv4`. */
  readonly table: string;
  readonly prefix: string;
  readonly rd?: string;
  readonly change: 'added' | 'removed' | 'changed';
}

/** Best-path changes of a global table: what its peers are told, before per-peer policy. */
export interface UpdateCount {
  readonly family: FamilyName;
  readonly announce: number;
  readonly withdraw: number;
}

/** What one neighbor is sent (or what happens to its session), as the net effect per prefix. */
export interface NeighborUpdates {
  readonly address: string;
  readonly announce: number;
  readonly withdraw: number;
  /** `family prefix` (VPN: `vpnv4 RD:prefix`), sorted. */
  readonly announced: string[];
  readonly withdrawn: string[];
  /** The families it is asked to send again (ROUTE-REFRESH, RFC 2918). */
  readonly refresh: string[];
  /** Its session is stopped (why) and starts again with the whole table. */
  readonly reset?: StopReason['kind'];
}

/** A daemon's session with one neighbor, as the shadow records it. */
interface Recorder {
  readonly sent: Buffer[];
  stoppedWith: StopReason['kind'] | undefined;
  events: PeerLinkEvents | undefined;
}

/**
 * Net effect of a stream of messages sent to a peer: per prefix, the last announcement or
 * withdrawal wins. `ctx` is the sending side of the session (add-path, extended messages).
 */
export function reduceSent(
  address: string,
  msgs: readonly Buffer[],
  ctx: CodecContext,
  stoppedWith?: StopReason['kind'],
): NeighborUpdates {
  const last = new Map<string, boolean>();
  const refresh: string[] = [];
  const mark = (f: FamilyName, n: Nlri, announce: boolean): void => {
    const afi = f.endsWith('6') ? 2 : 1;
    last.set(`${f} ${keyText(nlriKey(n), afi, f.startsWith('vpn'))}`, announce);
  };
  for (const m of msgs) {
    const d = decodeMessage(m, ctx).message;
    if (d.type === 'route-refresh') {
      refresh.push(familyName(d.afi, d.safi) ?? `${d.afi}/${d.safi}`);
      continue;
    }
    if (d.type !== 'update') continue;
    for (const n of d.withdrawn) mark('ipv4', n, false);
    for (const n of d.nlri) mark('ipv4', n, true);
    for (const a of d.attributes) {
      if (a.kind !== 'mp-reach' && a.kind !== 'mp-unreach') continue;
      const f = familyName(a.afi, a.safi);
      if (f) for (const n of a.nlri) mark(f, n, a.kind === 'mp-reach');
    }
  }
  const announced = [...last].filter(([, a]) => a).map(([k]) => k);
  const withdrawn = [...last].filter(([, a]) => !a).map(([k]) => k);
  return {
    address,
    announce: announced.length,
    withdraw: withdrawn.length,
    announced: announced.sort(),
    withdrawn: withdrawn.sort(),
    refresh: [...new Set(refresh)].sort(),
    ...(stoppedWith !== undefined ? { reset: stoppedWith } : {}),
  };
}

export class Shadow {
  private readonly recorders = new Map<string, Recorder>();
  private readonly ctxOf = new Map<string, CodecContext>();
  readonly daemon: Daemon;

  private constructor(running: DaemonOptions) {
    const factory: ShellFactory = (n, events) => {
      const rec: Recorder = { sent: [], stoppedWith: undefined, events };
      // A session the reload starts again gets a new shell: the record stays the first one's
      // (the new session is not up: it is sent nothing until it is).
      if (!this.recorders.has(n.address)) this.recorders.set(n.address, rec);
      let state = 'Idle';
      const shell: PeerShell = {
        start: () => {
          if (state === 'Idle') state = 'Active';
        },
        stop: (why) => {
          state = 'Idle';
          if (rec === this.recorders.get(n.address)) rec.stoppedWith ??= why.kind;
        },
        send: (msgs) => {
          if (rec === this.recorders.get(n.address)) rec.sent.push(...msgs);
        },
        accept: () => false,
        get state() {
          return state;
        },
      };
      return shell;
    };
    // Neither listening nor a restart of our own: the shadow only computes.
    const { listen: _l, gracefulRestart: gr, ...rest } = running;
    const opts: DaemonOptions = {
      ...rest,
      ...(gr ? { gracefulRestart: { restartTime: gr.restartTime } } : {}),
    };
    const log = createEventLog({ level: 'silent', destination: { write: () => true } });
    this.daemon = new Daemon(opts, log, factory);
  }

  /**
   * A shadow of `live`, which runs `running` (the options of the config it was last given): the
   * same sessions brought up with the parameters they negotiated, the routes each peer and the
   * API gave it, and everything it would send from then on recorded.
   */
  static async of(live: Daemon, running: DaemonOptions): Promise<Shadow> {
    const s = new Shadow(running);
    const d = s.daemon;
    await d.start();
    for (const p of live.peers.values()) {
      const sp = d.peers.get(p.opts.address);
      const rec = s.recorders.get(p.opts.address);
      if (!p.info || !sp || !rec?.events) continue;
      s.ctxOf.set(p.opts.address, p.info.tx);
      rec.events.established(p.info);
      // Routes kept as received (soft-reconfiguration inbound): a policy change re-applies them.
      if (p.adjRibIn && sp.adjRibIn) {
        for (const f of p.adjRibIn.families()) {
          for (const r of p.adjRibIn.routes(f)) {
            sp.adjRibIn.announce(f, d.rib.interner.intern(r.attrs), [r.nlri]);
          }
        }
      }
      const origin: RouteOrigin = { kind: 'peer', peer: sp.ref };
      const view = live.viewOf(p);
      for (const f of view === GLOBAL_VIEW ? RIB_FAMILIES : VRF_FAMILIES) {
        if (!live.rib.adjRibIn(p.id, f)?.size) continue;
        for (const r of [...live.rib.table(f, view).pathsOf(p.id)]) {
          d.rib.announce(f, sp.id, origin, r.attrs, [r.nlri], view);
        }
      }
    }
    for (const view of live.rib.viewNames()) {
      if (!d.rib.hasView(view)) continue;
      for (const f of view === GLOBAL_VIEW ? RIB_FAMILIES : VRF_FAMILIES) {
        for (const r of [...live.rib.table(f, view).pathsOf(API_SRC)]) {
          d.rib.announce(f, API_SRC, r.origin, r.attrs, [r.nlri], view);
        }
      }
    }
    d.commitNow();
    for (const rec of s.recorders.values()) rec.sent.length = 0;
    return s;
  }

  /** What each neighbor was sent since the shadow was made (in the order of the live daemon's). */
  sent(): NeighborUpdates[] {
    const out: NeighborUpdates[] = [];
    for (const [address, rec] of this.recorders) {
      const ctx = this.ctxOf.get(address);
      if (!ctx) continue; // not up: it is sent nothing now
      const u = reduceSent(address, rec.sent, ctx, rec.stoppedWith);
      if (u.announce || u.withdraw || u.refresh.length || u.reset !== undefined) out.push(u);
    }
    return out;
  }

  /** The route changes from `live`'s tables to the shadow's. */
  routeChanges(live: Rib): RouteChange[] {
    return ribChanges(live, this.daemon.rib);
  }

  async stop(): Promise<void> {
    await this.daemon.stop();
  }
}

/** What distinguishes two paths for an operator (not the ids a daemon allocated). */
function originText(o: RouteOrigin): string {
  switch (o.kind) {
    case 'peer':
      return `peer ${o.peer.address}`;
    case 'local':
      return `${o.source} ${o.vrf ?? ''} ${o.nextHopVrf ?? ''}`;
    case 'leaked':
      return `leaked ${o.fromVrf} ${originText(o.origin)}`;
  }
}

function summary(r: Route | undefined): string | undefined {
  if (!r) return undefined;
  const labels = r.nlri.kind === 'vpn' || r.nlri.kind === 'labeled' ? r.nlri.labels.join('.') : '';
  return `${r.attrs.key}|${labels}|${originText(r.origin)}`;
}

function diffTables(
  name: string,
  before: Table | undefined,
  after: Table | undefined,
): RouteChange[] {
  const out: RouteChange[] = [];
  const keys = new Set([...(before?.dests.keys() ?? []), ...(after?.dests.keys() ?? [])]);
  for (const k of keys) {
    const a = before?.bestOf(k);
    const b = after?.bestOf(k);
    if (summary(a) === summary(b)) continue;
    const v = routeView((b ?? a)!, true);
    out.push({
      table: name,
      prefix: v.prefix,
      ...(v.rd !== undefined ? { rd: v.rd } : {}),
      change: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
    });
  }
  return out;
}

/** Best-route changes from one RIB to another, table by table (global tables first). */
export function ribChanges(before: Rib, after: Rib): RouteChange[] {
  const routes: RouteChange[] = [];
  for (const f of RIB_FAMILIES) routes.push(...diffTables(f, before.table(f), after.table(f)));
  const views = new Set([...before.viewNames(), ...after.viewNames()]);
  for (const view of views) {
    if (view === GLOBAL_VIEW) continue;
    for (const f of VRF_FAMILIES) {
      routes.push(
        ...diffTables(
          `vrf ${view} ${f}`,
          before.hasView(view) ? before.table(f, view) : undefined,
          after.hasView(view) ? after.table(f, view) : undefined,
        ),
      );
    }
  }
  return routes;
}

/** Per global family, the announcements and withdrawals among route changes. */
export function updateCounts(routes: readonly RouteChange[]): UpdateCount[] {
  const out: UpdateCount[] = [];
  for (const f of RIB_FAMILIES) {
    const ch = routes.filter((c) => c.table === f);
    const announce = ch.filter((c) => c.change !== 'removed').length;
    if (ch.length) out.push({ family: f, announce, withdraw: ch.length - announce });
  }
  return out;
}
