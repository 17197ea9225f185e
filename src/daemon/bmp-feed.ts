// What vrfleak tells a BMP collector, as messages built from the daemon's state and its change
// values: the per-peer header of each kind of peer (RFC 7854 §4.2: a default-table neighbor is a
// global instance peer, a PE-CE neighbor an RD instance peer with its VRF's RD; RFC 9069 §4.1:
// each table a Loc-RIB instance peer), Peer Up and Down, Route Monitoring UPDATEs, and the initial
// dump a collector gets when it connects (RFC 7854 §5). The bytes are the codec's (wire/bmp.ts).

import type { AttrValues } from '../model/attrset.js';
import type { Route } from '../model/route.js';
import { wireNextHop } from '../rib/adj-out.js';
import { adjRibOutOf } from '../rib/adj-rib-out.js';
import { valuesToWire } from '../rib/convert.js';
import { GLOBAL_VIEW, RIB_FAMILIES, VRF_FAMILIES, type Rib } from '../rib/rib.js';
import type { DownReason } from '../session/events.js';
import { FAMILIES, type FamilyName } from '../wire/afi.js';
import {
  encodeBmp,
  INFO_TABLE_NAME,
  textTlv,
  type BmpPeer,
  type BmpPeerFlags,
  type PeerDownReason,
} from '../wire/bmp.js';
import { DEFAULT_CONTEXT } from '../wire/context.js';
import { encodeMessage } from '../wire/message.js';
import { buildOpen } from '../wire/open.js';
import { RD_ZERO } from '../wire/rd.js';
import type { Nlri, Rd } from '../wire/types.js';
import { endOfRib, packAnnounce, packWithdraw } from '../wire/update-pack.js';
import type { BmpStream, DaemonOptions } from './options.js';
import type { DownDetail } from './peer-link.js';
import type { PeerRuntime } from './peers.js';

/** What the feed reads of the daemon. */
export interface BmpHost {
  readonly opts: DaemonOptions;
  readonly rib: Rib;
  readonly peers: ReadonlyMap<string, PeerRuntime>;
  readonly routerIdNum: number;
}

/** RFC 9069 §5.1: the name a Loc-RIB peer of the default table goes by. */
export const DEFAULT_TABLE_NAME = 'default';

/** RFC 4271 §8.1.2-8.1.3 event numbers for Peer Down reason 2 (RFC 7854 §4.9). */
const FSM_MANUAL_STOP = 2;
const FSM_TCP_CONNECTION_FAILS = 18;

function now(): { seconds: number; micros: number } {
  const ms = Date.now();
  return { seconds: Math.floor(ms / 1000), micros: (ms % 1000) * 1000 };
}

export function vrfRd(h: BmpHost, vrf: string): Rd {
  return h.opts.vrfs.find((v) => v.name === vrf)?.rd ?? RD_ZERO;
}

/** The per-peer header of a neighbor (RFC 7854 §4.2). */
export function peerHeader(h: BmpHost, p: PeerRuntime, flags: BmpPeerFlags): BmpPeer {
  const vrf = p.opts.vrf;
  return {
    type: vrf !== undefined ? 'rd' : 'global',
    flags,
    distinguisher: vrf !== undefined ? vrfRd(h, vrf) : RD_ZERO,
    address: p.opts.address,
    asn: p.info?.peerAs ?? p.opts.asn,
    bgpId: p.ref.bgpId,
    ...now(),
  };
}

/**
 * The Loc-RIB instance peer of a table (RFC 9069 §4.1): our AS and BGP identifier, a zero
 * address, and the VRF's RD as distinguisher (zero for the default table).
 */
export function locRibPeer(h: BmpHost, view: string): BmpPeer {
  return {
    type: 'loc-rib',
    flags: {},
    distinguisher: view === GLOBAL_VIEW ? RD_ZERO : vrfRd(h, view),
    address: '0.0.0.0',
    asn: h.opts.asn,
    bgpId: h.routerIdNum,
    ...now(),
  };
}

export function tableName(view: string): string {
  return view === GLOBAL_VIEW ? DEFAULT_TABLE_NAME : view;
}

export function familiesOf(view: string): readonly FamilyName[] {
  return view === GLOBAL_VIEW ? RIB_FAMILIES : VRF_FAMILIES;
}

/** Peer Up (RFC 7854 §4.10) of a neighbor whose session is up; undefined without the OPENs. */
export function peerUp(h: BmpHost, p: PeerRuntime): Buffer | undefined {
  const info = p.info;
  const w = info?.wire;
  if (!info || !w?.sentOpen || !w.receivedOpen) return undefined;
  return encodeBmp({
    type: 'peer-up',
    peer: peerHeader(h, p, {}),
    localAddress: info.localAddress || '0.0.0.0',
    localPort: w.localPort,
    remotePort: w.remotePort,
    sentOpen: w.sentOpen,
    receivedOpen: w.receivedOpen,
    tlvs: p.opts.vrf !== undefined ? [textTlv(INFO_TABLE_NAME, p.opts.vrf)] : [],
  });
}

/**
 * Peer Up of a table's Loc-RIB peer (RFC 9069 §5.3): no session, so the OPENs are made up (our
 * AS, identifier and the table's families, the same one sent and received), with the VRF/Table
 * Name TLV.
 */
export function locRibUp(h: BmpHost, view: string): Buffer {
  const open = encodeMessage(
    buildOpen({
      asn: h.opts.asn,
      holdTime: 0,
      bgpId: h.routerIdNum,
      capabilities: [
        ...familiesOf(view).map((f) => ({ kind: 'multiprotocol' as const, ...FAMILIES[f] })),
        { kind: 'four-octet-as', asn: h.opts.asn },
      ],
    }),
    DEFAULT_CONTEXT,
  );
  return encodeBmp({
    type: 'peer-up',
    peer: locRibPeer(h, view),
    localAddress: '0.0.0.0',
    localPort: 0,
    remotePort: 0,
    sentOpen: open,
    receivedOpen: open,
    tlvs: [textTlv(INFO_TABLE_NAME, tableName(view))],
  });
}

/** RFC 9069 §5.4: a Loc-RIB peer goes (its VRF was removed): reason 6 with the table name. */
export function locRibDown(h: BmpHost, view: string): Buffer {
  return encodeBmp({
    type: 'peer-down',
    peer: locRibPeer(h, view),
    reason: { kind: 'local-tlv', tlvs: [textTlv(INFO_TABLE_NAME, tableName(view))] },
  });
}

/** The Peer Down reason of a typed down reason (RFC 7854 §4.9), with the NOTIFICATION if any. */
export function downReason(d: DownDetail): PeerDownReason {
  const r: DownReason = d.reason;
  const n = d.notification;
  switch (r.kind) {
    case 'notification-received':
      return n
        ? { kind: 'remote-notification', notification: n }
        : { kind: 'remote-no-notification' };
    case 'tcp-closed-by-peer':
      return { kind: 'remote-no-notification' };
    case 'graceful-restart':
      // RFC 4724 §4: the restarting side closes without a NOTIFICATION.
      return r.restarting === 'remote'
        ? { kind: 'remote-no-notification' }
        : { kind: 'local-no-notification', fsmEvent: FSM_MANUAL_STOP };
    case 'tcp-failed':
      return { kind: 'local-no-notification', fsmEvent: FSM_TCP_CONNECTION_FAILS };
    case 'hold-timer-expired':
    case 'notification-sent':
    case 'admin-stop':
    case 'admin-reset':
    case 'collision-lost':
    case 'open-error':
    case 'update-error':
    case 'max-prefix':
    case 'deconfigured':
    case 'fsm-error':
      // Each of these sends a NOTIFICATION (RFC 4271 §6, RFC 4486 Cease, RFC 6608).
      return n
        ? { kind: 'local-notification', notification: n }
        : { kind: 'local-no-notification', fsmEvent: FSM_MANUAL_STOP };
    default: {
      const never: never = r;
      return never;
    }
  }
}

export function peerDown(h: BmpHost, p: PeerRuntime, d: DownDetail): Buffer {
  return encodeBmp({ type: 'peer-down', peer: peerHeader(h, p, {}), reason: downReason(d) });
}

/** Announcements of one family grouped by attribute values, and withdrawals. */
export class UpdateBatch {
  private readonly announced = new Map<AttrValues, Nlri[]>();
  private readonly withdrawn: Nlri[] = [];

  constructor(
    readonly family: FamilyName,
    /** LOCAL_PREF goes on the wire (RFC 4271 §5.1.5: iBGP only; a received eBGP route has none). */
    private readonly localPref = true,
  ) {}

  announce(values: AttrValues, nlri: Nlri): void {
    const l = this.announced.get(values);
    if (l) l.push(nlri);
    else this.announced.set(values, [nlri]);
  }

  private noNextHop(): Pick<AttrValues, 'nextHop'> {
    return FAMILIES[this.family].afi === 1
      ? { nextHop: { afi: 1, addr: 0 } }
      : { nextHop: { afi: 2, addr: new Uint8Array(16) } };
  }

  withdraw(nlri: Nlri): void {
    this.withdrawn.push(nlri);
  }

  /** The BGP UPDATE PDUs (4-octet AS numbers, no add-path: the A flag stays clear). */
  updates(): Buffer[] {
    const out = this.withdrawn.length
      ? packWithdraw(this.family, this.withdrawn, DEFAULT_CONTEXT)
      : [];
    for (const [values, nlri] of this.announced) {
      // A route of our own may have no next hop: the unspecified address of its family stands in.
      const nh = wireNextHop(this.family, values) ?? wireNextHop(this.family, this.noNextHop());
      if (!nh) continue;
      const attrs = valuesToWire(values, {
        fourOctetAs: true,
        localPref: this.localPref,
        markPartial: false,
      });
      out.push(...packAnnounce(this.family, attrs, nh, nlri, DEFAULT_CONTEXT));
    }
    return out;
  }
}

/** Route Monitoring messages, one per UPDATE PDU (RFC 7854 §4.6). */
export function routeMonitoring(peer: BmpPeer, updates: readonly Buffer[]): Buffer[] {
  return updates.map((update) => encodeBmp({ type: 'route-monitoring', peer, update }));
}

/** Per-peer flags of each Adj-RIB stream (RFC 7854 §4.2 L, RFC 8671 §4 O). */
export const STREAM_FLAGS: Readonly<Record<Exclude<BmpStream, 'loc-rib'>, BmpPeerFlags>> = {
  'pre-policy': {},
  'post-policy': { postPolicy: true },
  'adj-rib-out-post': { postPolicy: true, adjRibOut: true },
};

function* routesOf(
  peer: BmpPeer,
  family: FamilyName,
  routes: Iterable<{ readonly nlri: Nlri; readonly attrs: AttrValues }>,
  localPref = true,
): Generator<Buffer> {
  // Batches of a bounded size: the dump is pulled as the collector reads (BmpCollector.pump).
  let b = new UpdateBatch(family, localPref);
  let n = 0;
  for (const r of routes) {
    b.announce(r.attrs, r.nlri);
    if (++n % 1024 === 0) {
      yield* routeMonitoring(peer, b.updates());
      b = new UpdateBatch(family, localPref);
    }
  }
  yield* routeMonitoring(peer, b.updates());
  // RFC 7854 §5: End-of-RIB after each family's initial dump.
  yield* routeMonitoring(peer, [endOfRib(family)]);
}

/** A neighbor's routes in one stream, per family it negotiated, each ended by End-of-RIB. */
export function* peerDump(h: BmpHost, p: PeerRuntime, stream: Exclude<BmpStream, 'loc-rib'>) {
  const info = p.info;
  if (!info) return;
  const peer = peerHeader(h, p, STREAM_FLAGS[stream]);
  const view = p.opts.vrf ?? GLOBAL_VIEW;
  for (const f of info.families) {
    switch (stream) {
      case 'pre-policy':
        // Only kept for neighbors that keep their routes as received (adj-in.ts).
        if (p.adjRibIn) yield* routesOf(peer, f, p.adjRibIn.routes(f), p.ref.ibgp);
        break;
      case 'post-policy': {
        const table =
          h.rib.hasView(view) && familiesOf(view).includes(f) ? h.rib.table(f, view) : undefined;
        yield* routesOf(peer, f, table ? table.pathsOf(p.id) : []);
        break;
      }
      case 'adj-rib-out-post':
        yield* routesOf(peer, f, adjRibOutOf(h.rib.groupOf(p.id), p.id).routes(f));
        break;
      default: {
        const never: never = stream;
        return never;
      }
    }
  }
}

/** A table's best routes per family, each ended by End-of-RIB (RFC 9069 §5.2). */
export function* locRibDump(h: BmpHost, view: string): Generator<Buffer> {
  const peer = locRibPeer(h, view);
  for (const f of familiesOf(view)) {
    const best: Iterable<Route> = h.rib.hasView(view) ? h.rib.table(f, view).bestRoutes() : [];
    yield* routesOf(peer, f, best);
  }
}
