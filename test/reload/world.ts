// A daemon with fake peers that behave like BGP speakers in-process: each comes up when the daemon
// starts its session, sends its fixed routes, answers a ROUTE-REFRESH by sending them again, and
// keeps what the daemon sent it as an Adj-RIB-In (announcements and withdrawals applied in order;
// forgotten when the daemon stops the session). A snapshot reduces the daemon and its peers to
// text that is the same for two daemons in the same state, whatever ids they allocated.

import { stringify } from 'yaml';
import { violationView } from '../../src/vrf/violation-view.js';
import { reloadConfig } from '../../src/api/reload.js';
import { ApiService } from '../../src/api/service.js';
import { engineVrfSource } from '../../src/api/vrf-engine.js';
import { reduceSent, type NeighborUpdates } from '../../src/daemon/simulate.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { Daemon, type ShellFactory } from '../../src/daemon/daemon.js';
import type { PeerShell, StopReason } from '../../src/session/shell.js';
import { daemonOptionsFromConfig } from '../../src/daemon/from-config.js';
import type { NeighborOptions } from '../../src/daemon/options.js';
import { createEventLog } from '../../src/log/events.js';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import type { Route } from '../../src/model/route.js';
import type { RouteOrigin } from '../../src/model/route-origin.js';
import { valuesToWire } from '../../src/rib/convert.js';
import { packAnnounce } from '../../src/wire/update-pack.js';
import { GLOBAL_VIEW, RIB_FAMILIES, VRF_FAMILIES } from '../../src/rib/rib.js';
import { familyName, type FamilyName } from '../../src/wire/afi.js';
import { communityFromText, largeCommunityFromText } from '../../src/wire/community.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { rtFromText } from '../../src/wire/ext-community.js';
import { decodeMessage } from '../../src/wire/message.js';
import { keyText, nlriKey } from '../../src/wire/nlri/key.js';
import { ipv6FromText, prefixFromText } from '../../src/wire/nlri/text.js';
import { rdFromText } from '../../src/wire/rd.js';
import type { NextHop, Nlri } from '../../src/wire/types.js';

/** One route a fake peer sends. */
export interface PeerRoute {
  readonly family: FamilyName;
  readonly prefix: string;
  readonly rd?: string;
  readonly rts?: readonly string[];
  readonly communities?: readonly string[];
  readonly large?: readonly string[];
  readonly localPref?: number;
  readonly med?: number;
}

export interface PeerSpec {
  readonly bgpId: number;
  readonly routeRefresh: boolean;
  readonly routes: readonly PeerRoute[];
}

export class FakePeer {
  state = 'Idle';
  /** family|key -> what the daemon last announced for it (the peer's Adj-RIB-In). */
  readonly ribIn = new Map<string, string>();
  /** Every UPDATE or ROUTE-REFRESH the daemon sent, decoded, in order. */
  readonly log: string[] = [];
  /** Every message the daemon sent, as sent. */
  readonly raw: Buffer[] = [];
  refreshAsked = false;
  stoppedWith: StopReason['kind'] | undefined;

  constructor(
    readonly n: NeighborOptions,
    readonly events: Parameters<ShellFactory>[1],
    readonly spec: PeerSpec,
  ) {}

  shell(): PeerShell {
    const state = (): string => this.state;
    return {
      start: () => {
        if (this.state === 'Idle') this.state = 'Active';
      },
      stop: (why) => {
        this.state = 'Idle';
        this.stoppedWith = why.kind;
        // A session that ends takes the routes learned over it with it (RFC 4271 §9.1.3 is for
        // the peer to run again once a new session sends them).
        this.ribIn.clear();
      },
      send: (msgs) => {
        for (const m of msgs) this.receive(m);
      },
      accept: () => false,
      get state() {
        return state();
      },
    };
  }

  private receive(m: Buffer): void {
    this.raw.push(m);
    const d = decodeMessage(m, DEFAULT_CONTEXT).message;
    if (d.type === 'route-refresh') {
      this.refreshAsked = true;
      this.log.push(`refresh ${d.afi}/${d.safi}`);
      return;
    }
    if (d.type !== 'update') return;
    const others = d.attributes.filter((a) => a.kind !== 'mp-reach' && a.kind !== 'mp-unreach');
    const text = (n: Nlri, nh: unknown): string =>
      JSON.stringify({
        nh,
        labels: n.kind === 'vpn' || n.kind === 'labeled' ? n.labels : [],
        attrs: others,
      });
    for (const n of d.withdrawn) this.drop('ipv4', n);
    for (const n of d.nlri) {
      const nh = others.find((a) => a.kind === 'next-hop');
      this.put('ipv4', n, text(n, nh));
    }
    for (const a of d.attributes) {
      if (a.kind === 'mp-unreach') {
        const f = familyName(a.afi, a.safi);
        if (f) for (const n of a.nlri) this.drop(f, n);
      } else if (a.kind === 'mp-reach') {
        const f = familyName(a.afi, a.safi);
        if (f) for (const n of a.nlri) this.put(f, n, text(n, a.nextHop));
      }
    }
  }

  private put(f: FamilyName, n: Nlri, text: string): void {
    const k = `${f} ${keyOf(f, n)}`;
    this.ribIn.set(k, text);
    this.log.push(`+ ${k}`);
  }

  private drop(f: FamilyName, n: Nlri): void {
    const k = `${f} ${keyOf(f, n)}`;
    this.ribIn.delete(k);
    this.log.push(`- ${k}`);
  }

  /** Brings the session up as the daemon's side negotiated it (every configured family). */
  up(): void {
    this.state = 'Established';
    this.refreshAsked = false;
    this.events.established({
      families: this.n.families,
      fourOctetAs: true,
      peerAs: this.n.asn,
      peerBgpId: this.spec.bgpId,
      holdTime: 90,
      routeRefresh: this.spec.routeRefresh,
      rx: DEFAULT_CONTEXT,
      tx: DEFAULT_CONTEXT,
      localAddress: '127.0.0.1',
    });
    this.sendRoutes();
  }

  /** Every route of a negotiated family, one UPDATE per route (decoded as the daemon would). */
  sendRoutes(): void {
    this.refreshAsked = false;
    const ibgp = this.n.asn === 65000;
    for (const r of this.spec.routes) {
      if (!this.n.families.includes(r.family)) continue;
      const values: AttrValues = {
        ...EMPTY_ATTR_VALUES,
        asPath: ibgp ? [] : [{ type: 2, asns: [this.n.asn] }],
        extCommunities: (r.rts ?? []).map(rtFromText),
        communities: (r.communities ?? []).map(communityFromText),
        largeCommunities: (r.large ?? []).map(largeCommunityFromText),
        ...(r.localPref !== undefined ? { localPref: r.localPref } : {}),
        ...(r.med !== undefined ? { med: r.med } : {}),
      };
      const attrs = valuesToWire(values, {
        fourOctetAs: true,
        localPref: ibgp,
        markPartial: false,
      });
      const prefix = prefixFromText(r.prefix);
      const nlri: Nlri =
        r.rd !== undefined
          ? { kind: 'vpn', labels: [(500 << 4) | 1], rd: rdFromText(r.rd), prefix }
          : { kind: 'prefix', prefix };
      const addr = this.spec.bgpId;
      const v6nh = ipv6FromText(`2001:db8:ffff::${(addr & 0xff).toString(16)}`)!;
      const nh: NextHop =
        r.family === 'vpnv4'
          ? { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr }
          : r.family === 'vpnv6'
            ? { kind: 'vpn-ipv6', rd: { hi: 0, lo: 0 }, global: v6nh }
            : r.family === 'ipv4'
              ? { kind: 'ipv4', addr }
              : { kind: 'ipv6', global: v6nh };
      for (const msg of packAnnounce(r.family, attrs, nh, [nlri], DEFAULT_CONTEXT)) {
        const d = decodeMessage(msg, DEFAULT_CONTEXT);
        if (d.message.type !== 'update') throw new Error('packAnnounce made no UPDATE');
        this.events.update({
          update: d.message,
          problems: d.problems,
          ...(d.action ? { action: d.action } : {}),
        });
      }
    }
  }
}

function keyOf(f: FamilyName, n: Nlri): string {
  const afi = f.endsWith('6') ? 2 : 1;
  return keyText(nlriKey(n), afi, f.startsWith('vpn'));
}

export function parse(c: ConfigInput): Config {
  const r = loadConfig(stringify(c), '<test>');
  if (!r.ok) throw new Error(r.errors.map((e) => e.toString()).join('\n'));
  return r.config;
}

/** The config if the loader accepts it, else undefined. */
export function tryParse(c: ConfigInput): Config | undefined {
  const r = loadConfig(stringify(c), '<test>');
  return r.ok ? r.config : undefined;
}

export class World {
  readonly peers = new Map<string, FakePeer>();
  readonly daemon: Daemon;

  private constructor(
    config: Config,
    readonly specs: ReadonlyMap<string, PeerSpec>,
  ) {
    const factory: ShellFactory = (n, events) => {
      const spec = specs.get(n.address) ?? { bgpId: 0x0a0000fe, routeRefresh: true, routes: [] };
      const fake = new FakePeer(n, events, spec);
      this.peers.set(n.address, fake);
      return fake.shell();
    };
    this.daemon = new Daemon(
      daemonOptionsFromConfig(config),
      createEventLog({ level: 'silent' }),
      factory,
    );
  }

  static async start(config: Config, specs: ReadonlyMap<string, PeerSpec>): Promise<World> {
    const w = new World(config, specs);
    await w.daemon.start();
    w.settle();
    return w;
  }

  /**
   * Runs the peers until nothing moves: sessions the daemon started come up (in address order, so
   * two worlds bring them up alike) and send their routes; refresh requests are answered.
   */
  settle(): void {
    for (let round = 0; round < 20; round++) {
      let moved = false;
      for (const a of [...this.peers.keys()].sort()) {
        const p = this.peers.get(a)!;
        if (p.state === 'Active') {
          p.up();
          moved = true;
        } else if (p.state === 'Established' && p.refreshAsked) {
          p.sendRoutes();
          moved = true;
        }
      }
      this.daemon.commitNow();
      if (!moved) return;
    }
    throw new Error('the fake peers never settled');
  }

  async stop(): Promise<void> {
    await this.daemon.stop();
  }

  snapshot(): Snapshot {
    return snapshot(this);
  }
}

export interface Snapshot {
  /** table name -> one line per path, `>` marking the best. */
  readonly tables: Record<string, string[]>;
  readonly conflicts: string[];
  /** The leak monitor's violations (issue 16), as `show leak violations --json` gives them. */
  readonly violations: string[];
  /** peer address -> its Adj-RIB-In, one line per route. */
  readonly peers: Record<string, string[]>;
}

function originText(o: RouteOrigin): string {
  switch (o.kind) {
    case 'peer':
      return `peer ${o.peer.address}`;
    case 'local':
      return `${o.source}${o.vrf ? ` vrf ${o.vrf}` : ''}${o.nextHopVrf ? ` nh-vrf ${o.nextHopVrf}` : ''}`;
    case 'leaked':
      return `leaked from ${o.fromVrf} <- ${originText(o.origin)}`;
  }
}

export function pathText(f: FamilyName, r: Route, best: boolean): string {
  const afi = f.endsWith('6') ? 2 : 1;
  const labels = r.nlri.kind === 'vpn' || r.nlri.kind === 'labeled' ? r.nlri.labels.join('.') : '';
  return `${best ? '>' : ' '} ${keyText(r.key, afi, f.startsWith('vpn'))} [${labels}] ${originText(r.origin)}${r.stale ? ' stale' : ''} ${r.attrs.key}`;
}

function snapshot(w: World): Snapshot {
  const rib = w.daemon.rib;
  const tables: Record<string, string[]> = {};
  for (const view of rib.viewNames().sort()) {
    for (const f of view === GLOBAL_VIEW ? RIB_FAMILIES : VRF_FAMILIES) {
      const lines: string[] = [];
      for (const d of rib.table(f, view).dests.values()) {
        const best = d.best;
        for (const p of d.paths) lines.push(pathText(f, p, p === best));
      }
      if (lines.length) tables[view === GLOBAL_VIEW ? f : `vrf ${view} ${f}`] = lines.sort();
    }
  }
  const conflicts = [...(w.daemon.leak?.conflicts.values() ?? [])]
    .map((c) => {
      const f = c.prefix.afi === 1 ? 'ipv4' : 'ipv6';
      return `${c.vrf} ${pathText(f, c.winner, true)} beats ${c.losers
        .map((l) => pathText(f, l, false))
        .sort()
        .join(' | ')}`;
    })
    .sort();
  const peers: Record<string, string[]> = {};
  for (const [a, p] of [...w.peers].sort(([x], [y]) => (x < y ? -1 : 1))) {
    if (!w.daemon.peers.has(a)) continue;
    peers[a] = [...p.ribIn].map(([k, v]) => `${k} ${v}`).sort();
  }
  const violations = (w.daemon.monitor?.violations() ?? [])
    .map((v) => JSON.stringify(violationView(v)))
    .sort();
  return { tables, conflicts, violations, peers };
}

/**
 * Applies `next` to a running world the way `POST /api/v1/reload` does; returns what each peer
 * that was up was sent by the reload itself (before the peers answer: sessions coming up again,
 * refreshes), as dry-run reports it.
 */
export async function reload(
  w: World,
  running: Config,
  next: Config,
  /** Called once the reload returned, before the peers answer it. */
  applied?: () => void,
): Promise<NeighborUpdates[]> {
  const s: ApiService = new ApiService(
    w.daemon,
    w.daemon.log,
    running,
    engineVrfSource(() => s.running, w.daemon),
  );
  const up = [...w.peers.values()].filter((p) => p.state === 'Established');
  const mark = new Map(up.map((p) => [p, p.raw.length]));
  for (const p of up) p.stoppedWith = undefined;
  await reloadConfig(s, '<test>', { text: stringify(next) });
  const sent: NeighborUpdates[] = [];
  for (const [p, at] of mark) {
    const u = reduceSent(p.n.address, p.raw.slice(at), DEFAULT_CONTEXT, p.stoppedWith);
    if (u.announce || u.withdraw || u.refresh.length || u.reset !== undefined) sent.push(u);
  }
  applied?.();
  w.settle();
  return sent;
}
