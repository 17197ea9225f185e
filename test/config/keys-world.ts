// A daemon started from a config (through the real loader and from-config) with fake session
// shells: what each neighbor's real shell would be given (the OPEN, timers, transport), what the
// daemon sent it (decoded), its tables and log events. test/config/keys.test.ts observes these to
// show that each config key changes something.

import { stringify } from 'yaml';
import { loadConfig } from '../../src/config/load.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { ApiService } from '../../src/api/service.js';
import { engineVrfSource } from '../../src/api/vrf-engine.js';
import { Daemon, type ShellFactory } from '../../src/daemon/daemon.js';
import type { PeerShell } from '../../src/session/shell.js';
import { daemonOptionsFromConfig } from '../../src/daemon/from-config.js';
import type { NeighborOptions } from '../../src/daemon/options.js';
import type { PeerLinkEvents, SessionInfo } from '../../src/daemon/peer-link.js';
import { shellConfigFor } from '../../src/daemon/shells.js';
import { tableView, type RouteView } from '../../src/daemon/views.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import type { PeerShellConfig } from '../../src/session/peer.js';
import { FAMILIES, type FamilyName } from '../../src/wire/afi.js';
import { ipv4FromText } from '../../src/wire/admin-pair.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { rtFromText } from '../../src/wire/ext-community.js';
import { decodeMessage } from '../../src/wire/message.js';
import { ipv6FromText, prefixFromText, prefixToText } from '../../src/wire/nlri/text.js';
import { rdFromText } from '../../src/wire/rd.js';
import type { NextHop, Nlri, PathAttribute } from '../../src/wire/types.js';
import type { UpdateDecodeResult } from '../../src/wire/update.js';

export const ROUTER_ID = '10.0.0.1';

/** The config's text as a file would hold it; refusals come back as FILE:LINE:COL strings. */
export function load(c: ConfigInput) {
  return loadConfig(stringify(c), 'k.yaml');
}

export interface FakePeer {
  readonly opts: NeighborOptions;
  /** What socketShellFactory gives the real session shell for this neighbor. */
  readonly shell: PeerShellConfig;
  readonly sent: Buffer[];
  /** The octets the daemon gave with each send (coalesce.ts Joins), if any. */
  readonly octets: (readonly Buffer[] | undefined)[];
  state: string;
  readonly events: PeerLinkEvents;
  up(info?: Partial<SessionInfo>): void;
  /** The session drops; `graceful` keeps its routes as stale (RFC 4724). */
  down(graceful?: boolean): void;
  announce(family: FamilyName, prefixes: readonly string[], attrs?: RouteAttrs): void;
  withdrawnEor(family: FamilyName): void;
}

export interface RouteAttrs {
  readonly asPath?: readonly number[];
  readonly routeTargets?: readonly string[];
  readonly nextHop?: string;
  readonly clusterList?: readonly string[];
  readonly originatorId?: string;
  readonly rd?: string;
  readonly communities?: readonly number[];
}

export interface World {
  readonly d: Daemon;
  readonly peers: Map<string, FakePeer>;
  readonly events: LogEvent[];
  peer(address: string): FakePeer;
  /** Commits now (the daemon otherwise commits on the next turn). */
  settle(): void;
  routes(family: FamilyName, view?: string): RouteView[];
  /** The API's reads over this daemon (what `show` prints). */
  readonly service: ApiService;
  stop(): Promise<void>;
}

const ORIGIN_FLAGS = 0x40;
const OPT = 0x80;

function nlriOf(family: FamilyName, text: string, rd?: string): Nlri {
  const prefix = prefixFromText(text);
  switch (family) {
    case 'vpnv4':
    case 'vpnv6':
      return { kind: 'vpn', prefix, rd: rdFromText(rd ?? '65000:99'), labels: [(100 << 4) | 1] };
    case 'ipv4-labeled':
    case 'ipv6-labeled':
      return { kind: 'labeled', prefix, labels: [(200 << 4) | 1] };
    default:
      return { kind: 'prefix', prefix };
  }
}

function attributesOf(family: FamilyName, nlri: Nlri[], a: RouteAttrs): PathAttribute[] {
  const nh = ipv4FromText(a.nextHop ?? '192.0.2.1') ?? 0;
  const { afi, safi } = FAMILIES[family];
  const out: PathAttribute[] = [
    { kind: 'origin', flags: ORIGIN_FLAGS, value: 0 },
    {
      kind: 'as-path',
      flags: ORIGIN_FLAGS,
      segments: a.asPath?.length ? [{ type: 2, asns: a.asPath }] : [],
    },
  ];
  if (a.routeTargets) {
    out.push({
      kind: 'ext-communities',
      flags: OPT | 0x40,
      values: a.routeTargets.map(rtFromText),
    });
  }
  if (a.communities) out.push({ kind: 'communities', flags: OPT | 0x40, values: a.communities });
  if (a.originatorId) {
    out.push({ kind: 'originator-id', flags: OPT, id: ipv4FromText(a.originatorId) ?? 0 });
  }
  if (a.clusterList) {
    out.push({
      kind: 'cluster-list',
      flags: OPT,
      ids: a.clusterList.map((c) => ipv4FromText(c) ?? 0),
    });
  }
  if (family === 'ipv4') out.push({ kind: 'next-hop', flags: ORIGIN_FLAGS, addr: nh });
  else {
    const nextHop: NextHop =
      family === 'vpnv4'
        ? { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: nh }
        : afi === 2
          ? { kind: 'ipv6', global: ipv6FromText('2001:db8::1') ?? new Uint8Array(16) }
          : { kind: 'ipv4', addr: nh };
    out.push({ kind: 'mp-reach', flags: OPT, afi, safi, nextHop, nlri });
  }
  return out;
}

/** A decoded UPDATE announcing `prefixes` (VPN: label 100, labeled unicast: label 200). */
export function updateOf(
  family: FamilyName,
  prefixes: readonly string[],
  attrs: RouteAttrs = {},
): UpdateDecodeResult {
  const nlri = prefixes.map((p) => nlriOf(family, p, attrs.rd));
  const update = {
    type: 'update' as const,
    withdrawn: [],
    attributes: attributesOf(family, nlri, attrs),
    nlri: family === 'ipv4' ? (nlri as Extract<Nlri, { kind: 'prefix' }>[]) : [],
  };
  return { update, problems: [] };
}

/** Starts a daemon on `c` with fake shells; neighbors stay down until `up()`. */
export async function world(c: ConfigInput): Promise<World> {
  const loaded = load(c);
  if (!loaded.ok) throw new Error(loaded.errors.map(String).join('\n'));
  const events: LogEvent[] = [];
  const log = createEventLog({ level: 'silent' });
  log.subscribe((e) => void events.push(e));
  const peers = new Map<string, FakePeer>();
  const factory: ShellFactory = (n, link, d) => {
    const fake: FakePeer = {
      opts: n,
      shell: shellConfigFor(n, d),
      sent: [],
      octets: [],
      state: 'Idle',
      events: link,
      up(info = {}) {
        fake.state = 'Established';
        link.established({
          families: n.families,
          fourOctetAs: true,
          peerAs: n.asn,
          peerBgpId: 0x0a0000fe - peers.size + [...peers.keys()].indexOf(n.address),
          holdTime: n.holdTime,
          routeRefresh: true,
          rx: DEFAULT_CONTEXT,
          tx: DEFAULT_CONTEXT,
          localAddress: '127.0.0.1',
          ...info,
        });
      },
      down(graceful = false) {
        fake.state = 'Idle';
        link.down('test', graceful);
      },
      announce(family, prefixes, attrs = {}) {
        // RFC 4271 §6.3: an eBGP peer's AS path starts with its AS; an iBGP one may be empty.
        const ebgp = n.asn !== d.opts.asn;
        link.update(updateOf(family, prefixes, { asPath: ebgp ? [n.asn] : [], ...attrs }));
      },
      withdrawnEor(family) {
        const { afi, safi } = FAMILIES[family];
        const attributes: PathAttribute[] =
          family === 'ipv4' ? [] : [{ kind: 'mp-unreach', flags: OPT, afi, safi, nlri: [] }];
        link.update({
          update: { type: 'update', withdrawn: [], attributes, nlri: [] },
          problems: [],
        });
      },
    };
    peers.set(n.address, fake);
    const shell: PeerShell = {
      start: () => void (fake.state = fake.state === 'Idle' ? 'Active' : fake.state),
      stop: () => void (fake.state = 'Idle'),
      send: (msgs, octets) => {
        fake.sent.push(...msgs);
        fake.octets.push(octets);
      },
      accept: () => false,
      get state() {
        return fake.state;
      },
    };
    return shell;
  };
  const d = new Daemon(daemonOptionsFromConfig(loaded.config), log, factory);
  await d.start();
  d.commitNow();
  const service: ApiService = new ApiService(
    d,
    log,
    loaded.config,
    engineVrfSource(() => service.running, d),
  );
  return {
    d,
    peers,
    events,
    peer: (a) => {
      const p = peers.get(a);
      if (!p) throw new Error(`no neighbor ${a}`);
      return p;
    },
    settle: () => d.commitNow(),
    service,
    routes: (family, view) => tableView(d.rib.table(family, view).dests.values(), family),
    stop: () => d.stop(),
  };
}

/** A route as sent to a peer: prefix and the attributes the outbound rules decide. */
export interface SentRoute {
  prefix: string;
  nextHop?: string;
  localPref?: number;
  med?: number;
  asPath: string;
  communities: number[];
  clusterList: string[];
  originatorId?: string;
  labels?: number[];
}

const ip = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');

/** The routes announced in the UPDATEs a peer was sent, in order. */
export function sentRoutes(p: FakePeer): SentRoute[] {
  const out: SentRoute[] = [];
  for (const m of p.sent) {
    // Sessions on 127/8 announce loopback next hops; read them back as such.
    const d = decodeMessage(m, { ...DEFAULT_CONTEXT, allowLoopbackNextHop: true }).message;
    if (d.type !== 'update') continue;
    const base: Omit<SentRoute, 'prefix'> = { asPath: '', communities: [], clusterList: [] };
    const nlri: Nlri[] = [...d.nlri];
    for (const a of d.attributes) {
      if (a.kind === 'next-hop') base.nextHop = ip(a.addr);
      else if (a.kind === 'local-pref') base.localPref = a.value;
      else if (a.kind === 'med') base.med = a.value;
      else if (a.kind === 'as-path')
        base.asPath = a.segments.map((s) => s.asns.join(' ')).join(' ');
      else if (a.kind === 'communities') base.communities = [...a.values];
      else if (a.kind === 'cluster-list') base.clusterList = a.ids.map(ip);
      else if (a.kind === 'originator-id') base.originatorId = ip(a.id);
      else if (a.kind === 'mp-reach') {
        nlri.push(...a.nlri);
        if (a.nextHop.kind === 'ipv4' || a.nextHop.kind === 'vpn-ipv4')
          base.nextHop = ip(a.nextHop.addr);
      }
    }
    for (const n of nlri) {
      if (n.kind === 'rtc') continue;
      out.push({
        ...base,
        prefix: prefixToText(n.prefix),
        ...(n.kind === 'labeled' || n.kind === 'vpn'
          ? { labels: n.labels.map((l) => l >>> 4) }
          : {}),
      });
    }
  }
  return out;
}
