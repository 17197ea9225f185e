// What the HTTP API does, without HTTP: reads of the daemon's state as the JSON views of the
// operator contract, and the writes (routes, log level). Every refusal is an ApiError with a 4xx
// status and a message the CLI prints as is.

import type { Config } from '../config/schema.js';
import type { Daemon } from '../daemon/daemon.js';
import { daemonOptionsFromConfig } from '../daemon/from-config.js';
import { routeView, type RouteView } from '../daemon/views.js';
import type { Destination } from '../rib/destination.js';
import { GLOBAL_VIEW } from '../rib/rib.js';
import type { EventLog } from '../log/events.js';
import type { FamilyName } from '../wire/afi.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import { labelEntry } from '../wire/nlri/labeled.js';
import { ipv6FromText, prefixFromText } from '../wire/nlri/text.js';
import { rdToText } from '../wire/rd.js';
import type { IpPrefix, Nlri } from '../wire/types.js';
import { ApiError } from './errors.js';
import {
  attrsFrom,
  covers,
  family,
  nlriFor,
  parsePrefix,
  parseRd,
  prefixFilter,
  READ_FAMILIES,
  readFamily,
  type RouteBody,
  type TableFamily,
} from './route-input.js';
import type { VrfSource } from './vrf-source.js';

export { ApiError } from './errors.js';
export {
  READ_FAMILIES,
  attrsFrom,
  family,
  nlriFor,
  parsePrefix,
  parseRd,
  prefixFilter,
  TABLE_FAMILIES,
  type RouteBody,
  type TableFamily,
} from './route-input.js';

export interface NeighborView {
  address: string;
  asn: number;
  description: string | null;
  state: string;
  vrf: string | null;
  families: string[];
  uptimeMs: number | null;
  updatesIn: number;
  updatesOut: number;
  prefixesReceived: Record<string, number>;
  lastDown: string | null;
  /** A TCP-MD5 password is configured; the key itself is never shown. */
  tcpMd5: boolean;
  /** GTSM: the most hops away the peer may be (RFC 5082), or null. */
  ttlSecurityHops: number | null;
}

export interface TableCount {
  family: string;
  destinations: number;
  paths: number;
}

export interface SummaryView {
  asn: number;
  routerId: string;
  listen: string | null;
  tables: TableCount[];
  neighbors: NeighborView[];
}

function viewsOf(ds: Iterable<Destination>): RouteView[] {
  const out: RouteView[] = [];
  for (const d of ds) {
    if (d.best) out.push(routeView(d.best, true, d));
    for (const p of d.paths) if (p !== d.best) out.push(routeView(p, false, d));
  }
  return out;
}

export class ApiService {
  /** Reloads check the FIB's interfaces and tables on this host (off with a fake kernel). */
  hostChecks = false;

  constructor(
    readonly daemon: Daemon,
    readonly log: EventLog,
    private config: Config,
    readonly vrf: VrfSource,
  ) {}

  get running(): Config {
    return this.config;
  }

  /** After a reload applied: the config every read answers from. */
  setRunning(c: Config): void {
    this.config = c;
  }

  neighbors(): NeighborView[] {
    const d = this.daemon;
    return [...d.peers.values()].map((p) => {
      const counts: Record<string, number> = {};
      for (const f of p.info?.families ?? []) counts[f] = d.rib.adjRibIn(p.id, f)?.size ?? 0;
      return {
        address: p.opts.address,
        asn: p.opts.asn,
        description: p.opts.description ?? null,
        state: p.shell.state,
        vrf: p.opts.vrf ?? null,
        families: [...(p.info?.families ?? p.opts.families)],
        uptimeMs: p.establishedAt === undefined ? null : Date.now() - p.establishedAt,
        updatesIn: p.updatesIn,
        updatesOut: p.updatesOut,
        prefixesReceived: counts,
        lastDown: p.lastDown ?? null,
        tcpMd5: p.opts.password !== undefined,
        ttlSecurityHops: p.opts.ttlSecurity?.hops ?? null,
      };
    });
  }

  /** `clear bgp ADDR [soft in|out|both]`: no `soft` is a hard reset of the session. */
  clearNeighbor(address: string, soft: unknown): { address: string; cleared: string } {
    if (soft !== undefined && soft !== 'in' && soft !== 'out' && soft !== 'both') {
      throw new ApiError(400, `soft must be "in", "out" or "both" (or absent for a hard reset)`);
    }
    this.neighbor(address); // 400 for a non-address, 404 for an unknown neighbor
    const how = soft ?? 'hard';
    const why = this.daemon.clearPeer(address, how);
    if (why !== undefined) throw new ApiError(409, why);
    return { address, cleared: how === 'hard' ? 'hard' : `soft ${how}` };
  }

  neighbor(address: string): NeighborView {
    const n = this.neighbors().find((x) => x.address === address);
    if (n) return n;
    if (ipv4FromText(address) === undefined && ipv6FromText(address) === undefined)
      throw new ApiError(400, `"${address}" is not an IP address`);
    throw new ApiError(404, `no neighbor ${address}`);
  }

  summary(): SummaryView {
    const o = this.daemon.opts;
    return {
      asn: o.asn,
      routerId: o.routerId,
      listen: o.listen ? `${o.listen.address}:${this.daemon.listenPort ?? o.listen.port}` : null,
      tables: READ_FAMILIES.map((f) => {
        const t = this.daemon.rib.table(f);
        return { family: f, destinations: t.size, paths: t.paths };
      }),
      neighbors: this.neighbors(),
    };
  }

  routes(fam: string, q: { rd?: string; prefix?: string } = {}): RouteView[] {
    const f = readFamily(fam);
    let ds = [...this.daemon.rib.table(f).dests.values()];
    if (q.rd !== undefined && q.rd !== '') {
      if (!f.startsWith('vpn')) throw new ApiError(400, `rd applies to vpnv4 and vpnv6, not ${f}`);
      const rd = rdToText(parseRd(q.rd));
      ds = ds.filter((d) => {
        const n = d.paths[0]?.nlri;
        return n?.kind === 'vpn' && rdToText(n.rd) === rd;
      });
    }
    const pf = prefixFilter(q.prefix);
    return viewsOf(pf ? pf(ds) : ds);
  }

  vrfRoutes(name: string, fam: string, prefix?: string): RouteView[] {
    if (fam !== 'ipv4' && fam !== 'ipv6')
      throw new ApiError(400, `unknown VRF family "${fam}"; use ipv4 or ipv6`);
    const all = this.vrf.vrfRoutes(name, fam);
    if (!all) throw new ApiError(404, `no VRF ${name}`);
    if (prefix === undefined || prefix === '') return all;
    const p = parsePrefix(prefix.includes('/') ? prefix : `${prefix}/${fam === 'ipv4' ? 32 : 128}`);
    const text = (q: IpPrefix) => `${q.afi}|${q.len}|${String(q.addr)}`;
    if (prefix.includes('/')) {
      const want = text(p);
      return all.filter((r) => text(prefixFromText(r.prefix)) === want);
    }
    const hits = all.filter((r) => covers(prefixFromText(r.prefix), p));
    const longest = Math.max(-1, ...hits.map((r) => prefixFromText(r.prefix).len));
    return hits.filter((r) => prefixFromText(r.prefix).len === longest);
  }

  vrfOne(name: string) {
    const v = this.vrf.vrfs().find((x) => x.name === name);
    if (!v) throw new ApiError(404, `no VRF ${name}`);
    return v;
  }

  prefixLists(name?: string): Record<string, unknown> {
    return this.policySection('prefix-lists', name);
  }

  routeMaps(name?: string): Record<string, unknown> {
    return this.policySection('route-maps', name);
  }

  private policySection(section: 'prefix-lists' | 'route-maps', name?: string) {
    const all: Record<string, unknown> = this.config.policy[section];
    if (name === undefined) return all;
    if (!(name in all)) throw new ApiError(404, `no ${section.slice(0, -1)} ${name}`);
    return { [name]: all[name] };
  }

  explain(vrf: string, prefix: string) {
    parsePrefix(prefix);
    const e = this.vrf.explain(vrf, prefix);
    if (!e) throw new ApiError(404, `no VRF ${vrf}`);
    return e;
  }

  /** A route into the VPN table or a global unicast table. */
  addRoute(fam: string, b: RouteBody): { family: TableFamily; route: string } {
    const f = family(fam);
    const [nlri, label] = nlriFor(f, b);
    this.daemon.originate(f, [nlri], attrsFrom(b));
    return { family: f, route: label };
  }

  deleteRoute(fam: string, b: RouteBody): { withdrawn: number } {
    const f = family(fam);
    const [nlri, label] = nlriFor(f, b);
    const n = this.daemon.withdrawLocal(f, [nlri]);
    if (n === 0) throw new ApiError(404, `no route ${label} added through the API in ${f}`);
    return { withdrawn: n };
  }

  /**
   * A route in a VRF. With the VRF's tables present (the leak engine) it enters them and is exported
   * from there; without them it goes straight to the VPN table with the VRF's RD, export RTs, label.
   */
  addVrfRoute(name: string, b: RouteBody): { vrf: string; table: string } {
    const [f, nlri, view, rts] = this.vrfTarget(name, b);
    this.daemon.originate(f, [nlri], attrsFrom(b, rts), view, name);
    return { vrf: name, table: view === GLOBAL_VIEW ? f : `${view}/${f}` };
  }

  deleteVrfRoute(name: string, b: RouteBody): { withdrawn: number } {
    const [f, nlri, view] = this.vrfTarget(name, b);
    const n = this.daemon.withdrawLocal(f, [nlri], view);
    if (n === 0)
      throw new ApiError(404, `no route ${String(b.prefix)} added through the API in VRF ${name}`);
    return { withdrawn: n };
  }

  private vrfTarget(name: string, b: RouteBody): [FamilyName, Nlri, string, string[]] {
    const v = this.config.vrfs[name];
    if (!v) throw new ApiError(404, `no VRF ${name}`);
    if (b.rd !== undefined) throw new ApiError(400, "rd is the VRF's own; leave it out");
    const prefix = parsePrefix(b.prefix);
    if (this.daemon.rib.hasView(name)) {
      return [prefix.afi === 1 ? 'ipv4' : 'ipv6', { kind: 'prefix', prefix }, name, []];
    }
    const opts = daemonOptionsFromConfig(this.config).vrfs.find((x) => x.name === name)!;
    const nlri: Nlri = {
      kind: 'vpn',
      labels: [labelEntry(opts.label)],
      rd: opts.rd,
      prefix,
    };
    return [
      prefix.afi === 1 ? 'vpnv4' : 'vpnv6',
      nlri,
      GLOBAL_VIEW,
      [...v['route-targets'].export],
    ];
  }

  setLogLevel(level: unknown): { level: string } {
    const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
    if (typeof level !== 'string' || !levels.includes(level))
      throw new ApiError(400, `level must be one of ${levels.join(', ')}`);
    this.log.setLevel(level as 'info');
    this.log.emit({ event: 'log-level', level });
    return { level };
  }
}
