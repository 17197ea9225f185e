// Receiving UPDATEs: ingestion (ingest.ts) decides what an UPDATE does; this applies its
// operations to the RIB and the peer's Adj-RIB-In, logs its notes and enforces the max-prefix
// verdict on the session. Soft reconfiguration inbound runs the kept routes through it again.

import type { EventLog } from '../log/events.js';
import type { AttrSet } from '../model/attrset.js';
import { createAdjRibIn } from '../rib/adj-in.js';
import type { Rib } from '../rib/rib.js';
import { RIB_FAMILIES, VRF_FAMILIES } from '../rib/rib.js';
import { FAMILIES, familyKey, type FamilyName } from '../wire/afi.js';
import { prefixToText, vpnNlriToText } from '../wire/nlri/text.js';
import { encodeMessage } from '../wire/message.js';
import type { ExtCommunity, Nlri } from '../wire/types.js';
import type { UpdateDecodeResult } from '../wire/update.js';
import {
  ingest,
  maxPrefixVerdict,
  reapply,
  type IngestContext,
  type IngestNote,
  type IngestOp,
  type KeptRoutes,
} from './ingest.js';
import type { DaemonOptions, NeighborOptions } from './options.js';
import type { SessionInfo } from './peer-link.js';
import type { PeerRuntime } from './peers.js';
import { ownAddresses } from './validate.js';

/** What receiving reads and asks of the daemon. */
export interface ReceiveHost {
  readonly rib: Rib;
  readonly log: EventLog;
  readonly opts: DaemonOptions;
  readonly routerIdNum: number;
  /** The CLUSTER_ID towards a neighbor (RFC 4456 §7). */
  clusterIdOf(n: NeighborOptions): number;
  /** Whether some local VRF imports one of these route targets (retention). */
  importsAny(exts: readonly ExtCommunity[]): boolean;
  /** The view a peer's routes go into. */
  viewOf(p: PeerRuntime): string;
  /** The peer's End-of-RIB for a family (graceful restart). */
  endOfRib(p: PeerRuntime, fam: FamilyName): void;
  /** Counts received NLRI for the commit batch and its expected cost (CommitSchedule). */
  received(announced: number, withdrawn: number): void;
  commitNow(): void;
  /** Whether the peer is still configured and the daemon runs (a paused peer may restart). */
  current(p: PeerRuntime): boolean;
  /** RT-constrain: the one family vrfleak disables for a session (RFC 7606 §2). */
  readonly rtc: { disable(p: PeerRuntime): number; isDisabled(p: PeerRuntime): boolean };
  /** BMP's Adj-RIB-In streams (src/daemon/bmp.ts) see each operation as it is applied. */
  readonly bmp?: { received(p: PeerRuntime, op: IngestOp): void } | undefined;
}

/** An ingestion context and everything it was made from (compared by identity). */
interface KeptContext {
  readonly ctx: IngestContext;
  readonly from: readonly unknown[];
}

export class Receiver {
  /**
   * The last context per peer: making one parses the session's addresses (ownAddresses), and a
   * realistic table brings ~230k UPDATEs at 1M routes. Options are replaced, never changed in
   * place (PeerRuntime.opts, Daemon.opts), so identity says whether it still holds.
   */
  private readonly contexts = new WeakMap<PeerRuntime, KeptContext>();

  constructor(private readonly h: ReceiveHost) {}

  update(p: PeerRuntime, r: UpdateDecodeResult): void {
    const info = p.info;
    if (!info) return;
    p.updatesIn++;
    const view = this.h.viewOf(p);
    const ctx = this.contextOf(p, info, view);
    const res = ingest(r, ctx);
    if (this.apply(p, res.ops, ctx)) this.h.received(res.nlri - res.withdrawn, res.withdrawn);
  }

  private contextOf(p: PeerRuntime, info: SessionInfo, view: string): IngestContext {
    const h = this.h;
    const from = [p.opts, p.ref, info, view, h.opts, h.rtc.isDisabled(p), p.adjRibIn];
    const kept = this.contexts.get(p);
    if (kept && from.every((x, i) => x === kept.from[i])) return kept.ctx;
    const ctx = ingestContextOf(h, p, info, view);
    this.contexts.set(p, { ctx, from });
    return ctx;
  }

  /** Applies ingestion's operations in order; false when max-prefix stopped the session. */
  private apply(p: PeerRuntime, ops: readonly IngestOp[], ctx: IngestContext): boolean {
    const view = ctx.view;
    for (const op of ops) {
      this.h.bmp?.received(p, op);
      switch (op.kind) {
        case 'announce':
          this.h.rib.announce(op.family, p.id, ctx.origin, op.values, op.nlri, view);
          break;
        case 'withdraw': {
          // RFC 7911: a path identifier withdrawn that names no path of the peer's is reported
          // and ignored (as RFC 4271 ignores a withdrawal of an unknown route).
          const missing =
            op.reason.kind === 'withdrawn' && addPathRx(p, op.family) ? [] : undefined;
          this.h.rib.withdraw(op.family, p.id, op.nlri, view, missing);
          if (missing?.length) this.logUnknownWithdraw(p, op.family, missing);
          break;
        }
        case 'end-of-rib':
          this.h.endOfRib(p, op.family);
          break;
        case 'keep-received':
          p.adjRibIn?.announce(op.family, this.h.rib.interner.intern(op.values), op.nlri);
          break;
        case 'drop-received':
          p.adjRibIn?.withdraw(op.family, op.nlri);
          break;
        case 'check-max-prefix':
          if (this.checkMaxPrefix(p, op.family)) return false;
          break;
        case 'note':
          if (op.note.kind === 'afi-safi-disable') this.disable(p, op.note.family, op.note.reason);
          else this.logNote(p, op.note);
          break;
        default: {
          const never: never = op;
          return never;
        }
      }
    }
    return true;
  }

  /**
   * Soft reconfiguration inbound: the routes kept as received go through the inbound rules again
   * (a changed route-map-in or allowas-in, an edited route map, `clear bgp ADDR soft in`) without
   * asking the peer, as FRR does. Stale ones wait for the peer (RFC 4724 §4.2: sent again, or
   * swept). False when nothing is kept for the peer: the caller asks it for a route refresh.
   */
  softIn(p: PeerRuntime): boolean {
    const adj = p.adjRibIn;
    if (!adj) return false;
    const info = p.info;
    if (!info) return true;
    const kept: KeptRoutes[] = [];
    for (const family of adj.families()) {
      const bySet = new Map<AttrSet, Nlri[]>();
      for (const r of adj.routes(family)) {
        if (r.stale) continue;
        const l = bySet.get(r.attrs);
        if (l) l.push(r.nlri);
        else bySet.set(r.attrs, [r.nlri]);
      }
      for (const [values, nlri] of bySet) kept.push({ family, values, nlri });
    }
    const ctx = ingestContextOf(this.h, p, info, this.h.viewOf(p));
    this.apply(p, reapply(kept, ctx), ctx);
    this.h.commitNow();
    return true;
  }

  /** Starts or stops keeping a peer's routes as received (soft-reconfiguration inbound). */
  keepReceived(p: PeerRuntime, on: boolean): void {
    if (on) p.adjRibIn ??= createAdjRibIn(this.h.rib.interner);
    else {
      p.adjRibIn?.clear();
      p.adjRibIn = undefined;
    }
  }

  /**
   * Asks a peer to send a family's routes again (RFC 2918 §3: ROUTE-REFRESH, subtype 0). False
   * when the session is not up, the family was not negotiated, or the peer lacks the capability.
   */
  requestRefresh(p: PeerRuntime, fam: FamilyName): boolean {
    const info = p.info;
    if (!info || !info.routeRefresh || !info.families.includes(fam)) return false;
    const { afi, safi } = FAMILIES[fam];
    p.shell.send([encodeMessage({ type: 'route-refresh', afi, safi, subtype: 0 }, info.tx)]);
    return true;
  }

  private logUnknownWithdraw(p: PeerRuntime, family: FamilyName, missing: readonly Nlri[]): void {
    this.h.log.emit({
      event: 'add-path-unknown-withdraw',
      peer: p.opts.address,
      family,
      count: missing.length,
      paths: missing.slice(0, 5).map((n) => ({ prefix: nlriText(n), pathId: n.pathId ?? 0 })),
    });
  }

  private logNote(p: PeerRuntime, note: IngestNote): void {
    switch (note.kind) {
      case 'malformed':
        this.h.log.emit({
          event: 'malformed-update',
          peer: p.opts.address,
          action: note.action,
          problems: note.problems.map((x) => ({ ...x })),
        });
        return;
      case 'afi-safi-disable':
        return;
      case 'afi-safi-ignored':
        this.h.log.emit({
          event: 'afi-safi-ignored',
          peer: p.opts.address,
          afi: note.afi,
          safi: note.safi,
        });
        return;
      default: {
        const never: never = note;
        return never;
      }
    }
  }

  /**
   * RFC 4760 §7: "delete all the BGP routes received from that neighbor" of the family and ignore
   * its later ones for the session; named in the log. Only rtc is disabled (mp-errors.ts).
   */
  private disable(p: PeerRuntime, family: FamilyName, reason: string): void {
    if (family !== 'rtc' || this.h.rtc.isDisabled(p)) return;
    const routes = this.h.rtc.disable(p);
    this.h.log.emit({ event: 'afi-safi-disabled', peer: p.opts.address, family, reason, routes });
  }

  /** Judges the max-prefix rule after an announcement; true when the session was stopped. */
  private checkMaxPrefix(p: PeerRuntime, fam: FamilyName): boolean {
    const mp = p.opts.maxPrefix;
    if (!mp) return false;
    const count = this.h.rib.adjRibIn(p.id, fam)?.size ?? 0;
    const v = maxPrefixVerdict(mp, fam, count, p.maxPrefixWarned.has(fam));
    switch (v.kind) {
      case 'within':
        return false;
      case 'warning':
        p.maxPrefixWarned.add(fam);
        this.h.log.emit({
          event: 'max-prefix-warning',
          peer: p.opts.address,
          family: fam,
          count,
          limit: mp.limit,
        });
        return false;
      case 'exceeded':
        this.h.log.emit({
          event: 'max-prefix-exceeded',
          peer: p.opts.address,
          family: fam,
          count,
          limit: mp.limit,
        });
        p.shell.stop(v.stop);
        if (mp.restartAfter !== undefined) {
          // FRR's `maximum-prefix N restart M`: start the session again after the pause.
          const t = setTimeout(() => {
            if (this.h.current(p)) p.shell.start();
          }, mp.restartAfter * 1000);
          t.unref?.();
        }
        return true;
      default: {
        const never: never = v;
        return never;
      }
    }
  }
}

/** What a session says about the peer that ingestion reads (a replay makes one from the config). */
export type IngestSession = Pick<
  SessionInfo,
  'localAddress' | 'peerAs' | 'fourOctetAs' | 'families'
>;

/** What ingestion needs to know about a peer (ingest.ts): its session, view, rules and policy. */
export function ingestContextOf(
  h: ReceiveHost,
  p: PeerRuntime,
  info: IngestSession,
  view: string,
): IngestContext {
  const own = ownAddresses([info.localAddress, p.opts.localAddress, h.opts.listen?.address]);
  const mapIn = p.opts.routeMapIn;
  const routeMapIn = mapIn !== undefined ? h.opts.policies.routeMaps.get(mapIn) : undefined;
  return {
    origin: { kind: 'peer', peer: p.ref },
    view,
    // A family disabled for the session (RFC 4760 §7): "ignore all the subsequent routes".
    negotiated: h.rtc.isDisabled(p) ? info.families.filter((f) => f !== 'rtc') : info.families,
    tables: p.opts.vrf !== undefined ? VRF_FAMILIES : RIB_FAMILIES,
    fourOctetAs: info.fourOctetAs,
    inbound: {
      localAs: h.opts.asn,
      routerId: h.routerIdNum,
      clusterId: h.clusterIdOf(p.opts),
      peerAs: info.peerAs,
      ibgp: p.ref.ibgp,
      fourOctetAs: info.fourOctetAs,
      allowasIn: p.opts.allowasIn,
      ...own,
    },
    ...(routeMapIn ? { routeMapIn } : {}),
    policies: h.opts.policies,
    retainImportedOnly: h.opts.retain === 'imported-only',
    importsAny: (exts) => h.importsAny(exts),
    maxPrefix: p.opts.maxPrefix !== undefined,
    keepReceived: p.adjRibIn !== undefined,
    ...(p.opts.soo ? { soo: p.opts.soo } : {}),
  };
}

/** Whether path identifiers arrive from the peer in a family (RFC 7911 §4, receive direction). */
function addPathRx(p: PeerRuntime, f: FamilyName): boolean {
  const { afi, safi } = FAMILIES[f];
  return p.info?.rx.addPath.has(familyKey(afi, safi)) === true;
}

function nlriText(n: Nlri): string {
  switch (n.kind) {
    case 'vpn':
      return vpnNlriToText(n);
    case 'prefix':
    case 'labeled':
      return prefixToText(n.prefix);
    case 'rtc':
      return 'rtc';
    default: {
      const never: never = n;
      return never;
    }
  }
}
