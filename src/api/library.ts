// The library API for test suites: `import { Speaker } from 'vrfleak'`. A Speaker is a whole
// vrfleak daemon in the test's own process, started from a config object (the config file's shape)
// or YAML text, with snapshots of its tables, waitFor conditions with deadlines, and a clean stop.

import { loadConfig, loadConfigObject, type LoadResult } from '../config/load.js';
import type { Config, ConfigInput } from '../config/schema.js';
import { Daemon } from '../daemon/daemon.js';
import { attachBmp } from '../daemon/bmp-attach.js';
import { bmpOptionsFromConfig, daemonOptionsFromConfig } from '../daemon/from-config.js';
import { socketShellFactory } from '../daemon/shells.js';
import { routeView, tableView, type RouteView } from '../daemon/views.js';
import { explain, type Explanation } from '../vrf/explain.js';
import { checkLeakInvariants } from '../vrf/invariants.js';
import { violationView, type ViolationView } from '../vrf/violation-view.js';
import { prefixToText, prefixFromText } from '../wire/nlri/text.js';
import { createEventLog, type EventLog, type LogEvent } from '../log/events.js';
import { neighborAdjRib, type AdjRibKind, type AdjRouteView } from './adj-rib.js';
import { applyConfig } from './apply.js';
import type { DumpResult } from '../daemon/mrt.js';
import type { ReplayInto, ReplayResult } from '../daemon/replay.js';
import { dumpTables, replayFile } from './endpoints-mrt.js';
import { attrsFrom, nlriFor, type RouteBody, type TableFamily } from './service.js';
import type { FamilyName } from '../wire/afi.js';

/**
 * What `vrfleak run` sets in V8 for its process (daemon/v8-tuning.ts): for a process that runs a
 * Speaker and nothing else, called before it starts.
 */
export { tuneV8, V8_TUNING } from '../daemon/v8-tuning.js';

export type { AdjRouteView, RouteView, DumpResult, ReplayInto, ReplayResult };

export interface NeighborView {
  address: string;
  asn: number;
  state: string;
  families: string[];
  uptimeMs: number | null;
  updatesIn: number;
  updatesOut: number;
  prefixesReceived: Record<string, number>;
  lastDown: string | null;
}

export interface SpeakerOptions {
  /** pino level for the daemon's log (default: silent). */
  readonly logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
  readonly log?: EventLog;
  /**
   * Start as a speaker coming back from a restart (RFC 4724): the R bit is set towards
   * graceful-restart neighbors and advertisement waits for their End-of-RIB (selection deferral).
   * Needs `graceful-restart` in the config.
   */
  readonly restarting?: boolean;
}

export class ConfigRefused extends Error {
  constructor(readonly errors: string[]) {
    super(`config refused:\n${errors.join('\n')}`);
  }
}

function load(config: ConfigInput | string): LoadResult {
  return typeof config === 'string'
    ? loadConfig(config, '<config>')
    : loadConfigObject(config, '<config object>');
}

export class Speaker {
  private constructor(
    readonly daemon: Daemon,
    /** The config the daemon runs (what reconfigure diffs against). */
    private running: Config,
  ) {}

  /** Starts a daemon from a config object (the YAML file's shape) or YAML text. */
  static async start(config: ConfigInput | string, opts: SpeakerOptions = {}): Promise<Speaker> {
    const loaded = load(config);
    if (!loaded.ok) throw new ConfigRefused(loaded.errors.map((e) => e.toString()));
    const log = opts.log ?? createEventLog({ level: opts.logLevel ?? 'silent' });
    const base = daemonOptionsFromConfig(loaded.config);
    const gr = base.gracefulRestart;
    const dopts =
      opts.restarting && gr ? { ...base, gracefulRestart: { ...gr, restarting: true } } : base;
    const daemon = new Daemon(dopts, log, socketShellFactory);
    const bmp = attachBmp(daemon, log);
    await daemon.start();
    bmp.configure(bmpOptionsFromConfig(loaded.config));
    return new Speaker(daemon, loaded.config);
  }

  /** Every path of a table, best first per destination (`vpnv4`, `vpnv6`, `ipv4`, `ipv6`). */
  routes(family: FamilyName = 'vpnv4'): RouteView[] {
    return tableView(this.daemon.rib.table(family).dests.values(), family);
  }

  /**
   * Originates a route, with the fields of `POST /api/v1/routes/:family` (`prefix`, `rd` for VPN
   * tables, `nextHop`, `label`, `routeTargets`, `communities`, `localPref`, `med`). Throws ApiError
   * (status 400) on a bad field. Peers get it with the next commit.
   */
  announce(family: TableFamily, route: RouteBody): void {
    const [nlri] = nlriFor(family, route);
    this.daemon.originate(family, [nlri], attrsFrom(route));
  }

  /** Withdraws a route announce() added; returns how many paths went away (0: none was there). */
  withdraw(family: TableFamily, route: RouteBody): number {
    const [nlri] = nlriFor(family, route);
    return this.daemon.withdrawLocal(family, [nlri]);
  }

  /**
   * Typed events of the log catalogue (session-up, session-down with its reason, leak-conflict,
   * max-prefix, malformed-update, ...), whatever the log level. Returns the unsubscribe.
   */
  onEvent(listener: (e: LogEvent) => void): () => void {
    return this.daemon.log.subscribe(listener);
  }

  /** Sends the peer a ROUTE-REFRESH for `family` (RFC 2918); false if the session cannot. */
  refresh(peerAddress: string, family: FamilyName = 'vpnv4'): boolean {
    return this.daemon.requestRefresh(peerAddress, family);
  }

  /**
   * `clear bgp ADDR [soft in|out|both]`: no `soft` resets the session (Cease, Administrative
   * Reset). Throws with the reason when it cannot (unknown neighbor, session down, no route refresh).
   */
  clear(peerAddress: string, soft?: 'in' | 'out' | 'both'): void {
    const why = this.daemon.clearPeer(peerAddress, soft ?? 'hard');
    if (why !== undefined) throw new Error(why);
  }

  /**
   * The routes a neighbor sent, as received, before inbound policy (`show bgp neighbors ADDR
   * received-routes`). Throws when the neighbor does not keep them (no `soft-reconfiguration:
   * inbound`) or is unknown.
   */
  receivedRoutes(peerAddress: string, family?: FamilyName): AdjRouteView[] {
    return this.adjRib(peerAddress, 'received', family);
  }

  /** The routes accepted from a neighbor, after inbound policy (`... neighbors ADDR routes`). */
  acceptedRoutes(peerAddress: string, family?: FamilyName): AdjRouteView[] {
    return this.adjRib(peerAddress, 'accepted', family);
  }

  /** What a neighbor was sent, attributes as sent (`... neighbors ADDR advertised-routes`). */
  advertisedRoutes(peerAddress: string, family?: FamilyName): AdjRouteView[] {
    return this.adjRib(peerAddress, 'advertised', family);
  }

  private adjRib(address: string, kind: AdjRibKind, family?: FamilyName): AdjRouteView[] {
    const r = neighborAdjRib(this.daemon, address, kind, family);
    if (!r.ok) throw new Error(r.message);
    return r.answer.routes;
  }

  /**
   * Writes the tables as MRT TABLE_DUMP_V2 files, one per table (README "MRT"), into a new
   * directory under `directory` (default: the config's mrt.directory). Throws ApiError when there
   * is nowhere to write.
   */
  dump(opts: { directory?: string; table?: string } = {}): DumpResult {
    return dumpTables(this.daemon, opts.directory, opts.table);
  }

  /**
   * Loads an MRT table dump's routes as if a peer had sent them: `into: {neighbor}` as that
   * neighbor (its view, receive rules, route-map-in), `into: {vrf}` as PE-CE peers of the VRF named
   * by the file's peer index table. They are withdrawn by clearReplay. A truncated or corrupt file,
   * or routes the target cannot take, throw ApiError naming the record, with nothing applied.
   */
  replay(file: string, opts: { into: ReplayInto }): ReplayResult {
    return replayFile(this.daemon, file, opts.into);
  }

  /** Withdraws what replay() loaded into a target (every target without one); returns how many. */
  clearReplay(into?: ReplayInto): number {
    return this.daemon.mrt.replays.clear(into);
  }

  /** A VRF's table (best first per destination), `ipv4` or `ipv6`. */
  vrfRoutes(vrf: string, family: 'ipv4' | 'ipv6' = 'ipv4'): RouteView[] {
    if (!this.daemon.rib.hasView(vrf)) return [];
    return tableView(this.daemon.rib.table(family, vrf).dests.values(), family);
  }

  /** Why a prefix is or is not in a VRF (see src/vrf/explain.ts). */
  explain(vrf: string, prefix: string): Explanation | undefined {
    const engine = this.daemon.leak;
    if (!engine) return undefined;
    return explain(this.daemon.rib, engine, vrf, prefixFromText(prefix), prefix);
  }

  /** The leak invariants (src/vrf/invariants.ts): an empty list when everything is justified. */
  leakInvariants(): string[] {
    const engine = this.daemon.leak;
    return engine ? checkLeakInvariants(this.daemon.rib, engine) : [];
  }

  /** Conflicts where a VRF's own route beat a leaked one. */
  leakConflicts(): { vrf: string; prefix: string; winner: RouteView; losers: RouteView[] }[] {
    const engine = this.daemon.leak;
    if (!engine) return [];
    return [...engine.conflicts.values()].map((c) => ({
      vrf: c.vrf,
      prefix: prefixToText(c.prefix),
      winner: routeView(c.winner, true),
      losers: c.losers.map((l) => routeView(l, false)),
    }));
  }

  /** Leak violations against the VRFs' `expect` sections now (`show leak violations`). */
  leakViolations(): ViolationView[] {
    return (this.daemon.monitor?.violations() ?? []).map(violationView);
  }

  /**
   * Applies a new config (object or YAML) to the running daemon through the same path as a reload
   * (src/api/apply.ts): neighbors added, removed or changed (policy keys without a reset where the
   * peer allows it, others restart only that session); VRF and policy changes through the leak
   * engine, where an edited list reaches every route map matching on it and every VRF and
   * neighbor using those; default-table networks. Returns the VRFs re-evaluated. A refused config
   * throws ConfigRefused and changes nothing.
   */
  reconfigure(config: ConfigInput | string): string[] {
    const loaded = load(config);
    if (!loaded.ok) throw new ConfigRefused(loaded.errors.map((e) => e.toString()));
    const r = applyConfig(this.daemon, this.running, loaded.config);
    this.running = loaded.config;
    return r.vrfs;
  }

  neighbors(): NeighborView[] {
    const out: NeighborView[] = [];
    for (const p of this.daemon.peers.values()) {
      const counts: Record<string, number> = {};
      for (const f of p.info?.families ?? [])
        counts[f] = this.daemon.rib.adjRibIn(p.id, f)?.size ?? 0;
      out.push({
        address: p.opts.address,
        asn: p.opts.asn,
        state: p.shell.state,
        families: [...(p.info?.families ?? [])],
        uptimeMs: p.establishedAt === undefined ? null : Date.now() - p.establishedAt,
        updatesIn: p.updatesIn,
        updatesOut: p.updatesOut,
        prefixesReceived: counts,
        lastDown: p.lastDown ?? null,
      });
    }
    return out;
  }

  neighbor(address: string): NeighborView | undefined {
    return this.neighbors().find((n) => n.address === address);
  }

  /**
   * Polls `probe` until it returns a value other than undefined/false, or throws after the
   * deadline naming `what` and the last value seen.
   */
  async waitFor<T>(
    probe: (s: Speaker) => T | undefined | false,
    opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
  ): Promise<T> {
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
    let last: unknown;
    for (;;) {
      const v = probe(this);
      if (v !== undefined && v !== false) return v;
      last = v;
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${opts.what ?? 'condition'} (last: ${String(last)})`,
        );
      }
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
    }
  }

  async stop(): Promise<void> {
    await this.daemon.stop();
  }
}
