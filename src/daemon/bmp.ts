// The BMP exporter (RFC 7854): one BmpCollector connection per configured collector, fed from the
// change values the daemon already passes: session up and down, the operations ingestion applies
// (pre-policy and post-policy Adj-RIB-In), the UPDATEs a peer is sent (Adj-RIB-Out, RFC 8671) and
// the RIB's best-path changes of each table (Loc-RIB, RFC 9069). Nothing polls a table except the
// initial dump a collector gets when it connects (RFC 7854 §5) and the periodic statistics.

import type { EventLog } from '../log/events.js';
import type { Route } from '../model/route.js';
import { adjRibOutOf } from '../rib/adj-rib-out.js';
import type { RibEvent } from '../rib/rib.js';
import { BmpCollector, describeCollectorDown } from '../session/bmp-collector.js';
import { FAMILIES, type FamilyName } from '../wire/afi.js';
import {
  encodeBmp,
  INFO_SYS_DESCR,
  INFO_SYS_NAME,
  STAT_ADJ_RIB_IN,
  STAT_ADJ_RIB_IN_AFI,
  STAT_ADJ_RIB_OUT_POST,
  STAT_ADJ_RIB_OUT_POST_AFI,
  STAT_LOC_RIB,
  STAT_LOC_RIB_AFI,
  TERM_ADMIN_CLOSE,
  TERM_TYPE_REASON,
  textTlv,
  type BmpStat,
} from '../wire/bmp.js';
import { MSG_UPDATE } from '../wire/types.js';
import { endOfRib } from '../wire/update-pack.js';
import {
  familiesOf,
  locRibDown,
  locRibDump,
  locRibPeer,
  locRibUp,
  peerDown,
  peerDump,
  peerHeader,
  peerUp,
  routeMonitoring,
  STREAM_FLAGS,
  UpdateBatch,
  type BmpHost,
} from './bmp-feed.js';
import type { IngestOp } from './ingest.js';
import type { BmpOptions, BmpStream } from './options.js';
import type { DownDetail } from './peer-link.js';
import type { PeerRuntime } from './peers.js';

/**
 * Statistics another module keeps for a table (the leak monitor's violations, wire/bmp.ts
 * STAT_LEAK_VIOLATIONS): the exporter adds them to the Statistics Report of that table's Loc-RIB
 * peer. `view` is '' for the default table, else a VRF name.
 */
export interface BmpStatsProvider {
  tableStats(view: string): readonly BmpStat[];
}

const SYS_DESCR = 'vrfleak: BGP/MPLS IP VPN speaker (RFC 4364) with route leaking between VRFs';

interface Entry {
  readonly opts: BmpOptions;
  readonly key: string;
  readonly collector: BmpCollector;
  stats: NodeJS.Timeout | undefined;
}

/** A table's pending Loc-RIB changes: the best before the first change and the latest one. */
type Pending = Map<
  string,
  { readonly family: FamilyName; old: Route | undefined; now: Route | undefined }
>;

function keyOf(o: BmpOptions): string {
  return `${o.address}:${o.port}`;
}

export class BmpExporter {
  private readonly entries = new Map<string, Entry>();
  private readonly providers = new Set<BmpStatsProvider>();
  /** view -> destination key -> change; flushed once the current turn's commits are done. */
  private pending = new Map<string, Pending>();
  private flushQueued = false;
  private unsubscribe: (() => void) | undefined;
  /** The tables the connected collectors were told about (Loc-RIB Peer Up sent). */
  private views = new Set<string>();

  constructor(
    private readonly h: BmpHost,
    private readonly log: EventLog,
  ) {}

  /** Adds a source of per-table statistics; returns its removal. */
  addStatsProvider(p: BmpStatsProvider): () => void {
    this.providers.add(p);
    return () => this.providers.delete(p);
  }

  /**
   * Takes the configured collectors: new ones connect, removed ones get a Termination, and a
   * changed one starts again with its new options (a new connection and a new dump).
   */
  configure(list: readonly BmpOptions[]): void {
    const next = new Map(list.map((o) => [keyOf(o), o]));
    for (const [key, e] of this.entries) {
      const o = next.get(key);
      if (!o || JSON.stringify(o) !== JSON.stringify(e.opts)) this.remove(e);
    }
    for (const [key, o] of next) if (!this.entries.has(key)) this.add(key, o);
    const wantLocRib = list.some((o) => o.streams.includes('loc-rib'));
    if (wantLocRib && !this.unsubscribe) {
      this.views = new Set(this.h.rib.viewNames());
      this.unsubscribe = this.h.rib.onEvent((e) => this.onRibEvent(e));
    } else if (!wantLocRib && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = undefined;
      this.pending = new Map();
    }
  }

  /** Termination to every collector (RFC 7854 §4.5), and no more connections. */
  stop(): void {
    this.configure([]);
  }

  /** The configured collectors, whether each is connected, and the options it runs with. */
  get collectors(): readonly {
    readonly name: string;
    readonly connected: boolean;
    readonly options: BmpOptions;
  }[] {
    return [...this.entries.values()].map((e) => ({
      name: e.collector.name,
      connected: e.collector.connected,
      options: e.opts,
    }));
  }

  private add(key: string, opts: BmpOptions): void {
    const e: Entry = {
      opts,
      key,
      stats: undefined,
      collector: new BmpCollector(opts, {
        connected: () => {
          this.log.emit({ event: 'bmp-up', collector: key });
          this.startStats(e);
          return this.dump(opts);
        },
        down: (why, retryIn) => {
          clearInterval(e.stats);
          this.log.emit({
            event: 'bmp-down',
            collector: key,
            reason: why.kind,
            detail: describeCollectorDown(why),
            ...(retryIn !== undefined ? { retryIn } : {}),
          });
        },
        unexpectedData: (octets) =>
          this.log.emit({ event: 'bmp-collector-data', collector: key, octets }),
      }),
    };
    this.entries.set(key, e);
    e.collector.start();
  }

  private remove(e: Entry): void {
    clearInterval(e.stats);
    this.entries.delete(e.key);
    const reason = Buffer.alloc(2);
    reason.writeUInt16BE(TERM_ADMIN_CLOSE);
    e.collector.stop(
      encodeBmp({ type: 'termination', tlvs: [{ type: TERM_TYPE_REASON, value: reason }] }),
    );
  }

  /** What a collector gets first: Initiation, every Peer Up, then every route (RFC 7854 §5). */
  private *dump(o: BmpOptions): Generator<Buffer> {
    yield encodeBmp({
      type: 'initiation',
      tlvs: [textTlv(INFO_SYS_DESCR, SYS_DESCR), textTlv(INFO_SYS_NAME, o.sysName)],
    });
    const peers = [...this.h.peers.values()].flatMap((p) => {
      const up = peerUp(this.h, p);
      return up ? [{ p, up }] : [];
    });
    const locRib = o.streams.includes('loc-rib');
    const views = locRib ? this.h.rib.viewNames() : [];
    for (const { up } of peers) yield up;
    for (const v of views) yield locRibUp(this.h, v);
    for (const { p } of peers)
      for (const s of o.streams) if (s !== 'loc-rib') yield* peerDump(this.h, p, s);
    for (const v of views) yield* locRibDump(this.h, v);
  }

  /** Sends to each connected collector that takes `stream` (every one: undefined); built once. */
  private send(stream: BmpStream | undefined, build: () => readonly Buffer[]): void {
    let msgs: readonly Buffer[] | undefined;
    for (const e of this.entries.values()) {
      if (!e.collector.connected || (stream && !e.opts.streams.includes(stream))) continue;
      msgs ??= build();
      for (const m of msgs) e.collector.send(m);
    }
  }

  // ------------------------------------------------------------------------------------------
  // The daemon's change values

  peerUp(p: PeerRuntime): void {
    this.send(undefined, () => {
      const m = peerUp(this.h, p);
      return m ? [m] : [];
    });
  }

  peerDown(p: PeerRuntime, d: DownDetail): void {
    this.send(undefined, () => [peerDown(this.h, p, d)]);
  }

  /** An operation ingestion applied: kept as received (pre-policy) or put in a table (post-policy). */
  received(p: PeerRuntime, op: IngestOp): void {
    switch (op.kind) {
      case 'keep-received':
      case 'announce': {
        const stream = op.kind === 'announce' ? 'post-policy' : 'pre-policy';
        this.send(stream, () => {
          // As received: an eBGP route had no LOCAL_PREF (the default was added on the way in).
          const b = new UpdateBatch(op.family, stream === 'post-policy' || p.ref.ibgp);
          for (const n of op.nlri) b.announce(op.values, n);
          return routeMonitoring(peerHeader(this.h, p, STREAM_FLAGS[stream]), b.updates());
        });
        return;
      }
      case 'drop-received':
      case 'withdraw': {
        const stream = op.kind === 'withdraw' ? 'post-policy' : 'pre-policy';
        this.send(stream, () => {
          const b = new UpdateBatch(op.family);
          for (const n of op.nlri) b.withdraw(n);
          return routeMonitoring(peerHeader(this.h, p, STREAM_FLAGS[stream]), b.updates());
        });
        return;
      }
      case 'end-of-rib':
        for (const stream of ['pre-policy', 'post-policy'] as const) {
          if (stream === 'pre-policy' && !p.adjRibIn) continue;
          this.send(stream, () =>
            routeMonitoring(peerHeader(this.h, p, STREAM_FLAGS[stream]), [endOfRib(op.family)]),
          );
        }
        return;
      case 'check-max-prefix':
      case 'note':
        return;
      default: {
        const never: never = op;
        return never;
      }
    }
  }

  /** Messages a peer was sent: its UPDATEs are its post-policy Adj-RIB-Out (RFC 8671 §4). */
  sent(p: PeerRuntime, msgs: readonly Buffer[]): void {
    const info = p.info;
    if (!info) return;
    this.send('adj-rib-out-post', () => {
      const peer = peerHeader(this.h, p, {
        ...STREAM_FLAGS['adj-rib-out-post'],
        // RFC 7854 §4.2 A flag: the UPDATEs as sent carry 2-octet AS numbers.
        legacyAsPath: !info.fourOctetAs,
      });
      return routeMonitoring(
        peer,
        msgs.filter((m) => m[18] === MSG_UPDATE),
      );
    });
  }

  private onRibEvent(e: RibEvent): void {
    let t = this.pending.get(e.view);
    if (!t) this.pending.set(e.view, (t = new Map()));
    const k = `${e.family}|${e.change.key}`;
    const c = t.get(k);
    if (c) c.now = e.change.newBest;
    else t.set(k, { family: e.family, old: e.change.oldBest, now: e.change.newBest });
    if (this.flushQueued) return;
    this.flushQueued = true;
    // The commits of this turn (a load commits in parts) are over by then: one message per
    // destination's final best, not one per intermediate round.
    setImmediate(() => this.flushLocRib());
  }

  private flushLocRib(): void {
    this.flushQueued = false;
    const pending = this.pending;
    this.pending = new Map();
    const now = new Set(this.h.rib.viewNames());
    for (const v of now) {
      if (this.views.has(v)) continue;
      this.views.add(v);
      this.send('loc-rib', () => [locRibUp(this.h, v)]);
    }
    for (const [view, t] of pending) {
      this.send('loc-rib', () => {
        const batches = new Map<FamilyName, UpdateBatch>();
        for (const c of t.values()) {
          let b = batches.get(c.family);
          if (!b) batches.set(c.family, (b = new UpdateBatch(c.family)));
          if (c.now) b.announce(c.now.attrs, c.now.nlri);
          else if (c.old) b.withdraw(c.old.nlri);
        }
        const peer = locRibPeer(this.h, view);
        return [...batches.values()].flatMap((b) => routeMonitoring(peer, b.updates()));
      });
    }
    for (const v of [...this.views]) {
      if (now.has(v)) continue;
      this.views.delete(v);
      this.send('loc-rib', () => [locRibDown(this.h, v)]);
    }
  }

  // ------------------------------------------------------------------------------------------
  // Statistics Reports (RFC 7854 §4.8)

  private startStats(e: Entry): void {
    clearInterval(e.stats);
    if (e.opts.statisticsInterval <= 0) return;
    e.stats = setInterval(() => {
      if (e.collector.connected) for (const m of this.statistics(e.opts)) e.collector.send(m);
    }, e.opts.statisticsInterval * 1000);
    e.stats.unref?.();
  }

  /** One Statistics Report per established neighbor and, with Loc-RIB, per table. */
  statistics(o: BmpOptions): Buffer[] {
    const out: Buffer[] = [];
    for (const p of this.h.peers.values()) {
      const info = p.info;
      if (!info) continue;
      const out_ = adjRibOutOf(this.h.rib.groupOf(p.id), p.id);
      const inCounts = info.families.map(
        (f) => [f, this.h.rib.adjRibIn(p.id, f)?.size ?? 0] as const,
      );
      const outCounts = info.families.map((f) => [f, out_.count(f)] as const);
      const stats: BmpStat[] = [
        ...countStats(STAT_ADJ_RIB_IN, STAT_ADJ_RIB_IN_AFI, inCounts),
        ...countStats(STAT_ADJ_RIB_OUT_POST, STAT_ADJ_RIB_OUT_POST_AFI, outCounts),
      ];
      out.push(encodeBmp({ type: 'statistics', peer: peerHeader(this.h, p, {}), stats }));
    }
    if (!o.streams.includes('loc-rib')) return out;
    for (const view of this.h.rib.viewNames()) {
      const counts = familiesOf(view).map((f) => [f, this.h.rib.table(f, view).size] as const);
      const stats: BmpStat[] = [
        ...countStats(STAT_LOC_RIB, STAT_LOC_RIB_AFI, counts),
        ...[...this.providers].flatMap((p) => p.tableStats(view)),
      ];
      out.push(encodeBmp({ type: 'statistics', peer: locRibPeer(this.h, view), stats }));
    }
    return out;
  }
}

/**
 * RFC 7854 §4.8: a table's route count as one 64-bit gauge over all families (types 7, 8, 15)
 * followed by one per-AFI/SAFI gauge for each family (types 9, 10, 17).
 */
function countStats(
  totalType: number,
  perFamilyType: number,
  counts: readonly (readonly [FamilyName, number])[],
): BmpStat[] {
  return [
    { kind: 'gauge', type: totalType, value: BigInt(counts.reduce((a, [, n]) => a + n, 0)) },
    ...counts.map(([f, n]): BmpStat => ({
      kind: 'afi-safi-gauge',
      type: perFamilyType,
      ...FAMILIES[f],
      value: BigInt(n),
    })),
  ];
}
