// Replay: the routes of an MRT table dump (RFC 6396 TABLE_DUMP_V2) loaded as if a peer had sent
// them, through ingestion's receive rules, retention and inbound policy (ingest.ts reapply), into
// a neighbor's tables (as that neighbor: its view, route-map-in, AS) or into a VRF (as PE-CE peers
// named by the file's peer index table). The whole file is read and checked before anything is
// applied. Each target has a source of its own, so `clear` withdraws exactly what was replayed.

import { readFileSync } from 'node:fs';
import type { PeerRef } from '../model/route-origin.js';
import { REPLAY_SRC } from '../model/sources.js';
import { valuesFromWire } from '../rib/convert.js';
import { nlriKey } from '../rib/keys.js';
import { VRF_FAMILIES } from '../rib/rib.js';
import { familyName, type FamilyName } from '../wire/afi.js';
import { decodeMrtFile } from '../wire/mrt/file.js';
import type { PeerEntry, RibRecord } from '../wire/mrt/types.js';
import { ipv4ToText, ipv6ToText } from '../wire/nlri/text.js';
import type { Nlri } from '../wire/types.js';
import { reapply, type IngestContext, type IngestOp, type KeptRoutes } from './ingest.js';
import type { PeerRuntime } from './peers.js';
import { ingestContextOf, type ReceiveHost } from './receive.js';
import { ownAddresses } from './validate.js';

/** Where replayed routes go. */
export type ReplayInto = { readonly neighbor: string } | { readonly vrf: string };

export interface ReplayResult {
  readonly file: string;
  /** `neighbor ADDR` or `vrf NAME`. */
  readonly into: string;
  readonly records: number;
  /** RIB entries in the file. */
  readonly routes: number;
  /** Entries that entered a table, and those the receive rules or inbound policy refused. */
  readonly announced: number;
  readonly refused: number;
}

/** A replay refused before anything was applied. */
export class ReplayError extends Error {}

export interface ReplayHost extends ReceiveHost {
  readonly peers: ReadonlyMap<string, PeerRuntime>;
}

const intoText = (i: ReplayInto) => ('neighbor' in i ? `neighbor ${i.neighbor}` : `vrf ${i.vrf}`);

function peerText(p: PeerEntry): string {
  const a = p.address;
  return a.length === 4
    ? ipv4ToText(((a[0]! << 24) | (a[1]! << 16) | (a[2]! << 8) | a[3]!) >>> 0)
    : ipv6ToText(a);
}

interface Target {
  readonly view: string;
  readonly families: readonly FamilyName[];
  /** The context of the routes of one peer of the file's peer index table. */
  context(peer: PeerEntry, src: number): IngestContext;
}

export class Replays {
  /** Target text -> source id. */
  private readonly sources = new Map<string, number>();
  private nextSrc = REPLAY_SRC;

  constructor(private readonly h: ReplayHost) {}

  private target(into: ReplayInto): Target {
    const h = this.h;
    if ('neighbor' in into) {
      const p = h.peers.get(into.neighbor);
      if (!p) throw new ReplayError(`no neighbor ${into.neighbor}`);
      const view = h.viewOf(p);
      const tables = p.opts.vrf !== undefined ? VRF_FAMILIES : p.opts.families;
      const families = p.opts.families.filter((f) => tables.includes(f));
      // As if the neighbor's session had sent them: its families, AS, view and inbound policy; no
      // session, so nothing kept as received and no max-prefix reset.
      const session = {
        localAddress: p.opts.localAddress ?? '',
        peerAs: p.opts.asn,
        fourOctetAs: true,
        families,
      };
      const ctx = {
        ...ingestContextOf(h, p, session, view),
        keepReceived: false,
        maxPrefix: false,
      };
      return { view, families, context: () => ctx };
    }
    const vrf = into.vrf;
    if (!h.opts.vrfs.some((v) => v.name === vrf) || !h.rib.hasView(vrf)) {
      throw new ReplayError(`no VRF ${vrf}`);
    }
    return {
      view: vrf,
      families: VRF_FAMILIES,
      context: (peer, src) => {
        const address = peerText(peer);
        const ibgp = peer.asn === h.opts.asn;
        const ref: PeerRef = {
          id: src,
          address,
          addrKey: address,
          asn: peer.asn,
          bgpId: peer.bgpId,
          ibgp,
          rrClient: false,
        };
        return {
          origin: { kind: 'peer', peer: ref },
          view: vrf,
          negotiated: VRF_FAMILIES,
          tables: VRF_FAMILIES,
          fourOctetAs: true,
          inbound: {
            localAs: h.opts.asn,
            routerId: h.routerIdNum,
            clusterId: h.routerIdNum,
            peerAs: peer.asn,
            ibgp,
            fourOctetAs: true,
            allowasIn: 0,
            ...ownAddresses([h.opts.listen?.address]),
          },
          policies: h.opts.policies,
          retainImportedOnly: false,
          importsAny: () => true,
          maxPrefix: false,
        };
      },
    };
  }

  /**
   * Loads a table dump into a neighbor's tables or a VRF. Throws ReplayError, with nothing
   * applied, when the file cannot be read, does not parse (its record number and offset named),
   * or holds routes of a family the target does not take.
   */
  replay(file: string, into: ReplayInto): ReplayResult {
    const target = this.target(into);
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (e) {
      throw new ReplayError(`${file}: ${(e as Error).message}`);
    }
    const parsed = decodeMrtFile(buf);
    if (!parsed.ok) {
      const f = parsed.fault;
      throw new ReplayError(
        `${file}: record ${f.record} at offset ${f.offset}: ${f.reason}; nothing was replayed`,
      );
    }
    // Everything is converted before anything is applied.
    const byPeer = new Map<number, KeptRoutes[]>();
    let peers: readonly PeerEntry[] = [];
    let routes = 0;
    const seen = new Map<string, number>();
    parsed.records.forEach((rec, i) => {
      const b = rec.body;
      if (b.kind === 'peer-index-table') peers = b.peers;
      if (b.kind !== 'rib') return;
      const family = this.familyOf(b, target, i, file, into);
      for (const e of b.entries) {
        routes++;
        const mp = e.attributes.find((a) => a.kind === 'mp-reach');
        const values = valuesFromWire(
          e.attributes,
          true,
          mp?.kind === 'mp-reach' ? mp.nextHop : undefined,
        );
        // Paths of one prefix are told apart by path ids 0, 1, 2 ... in file order.
        const key = `${family}|${nlriKey(b.nlri)}`;
        const pathId = seen.get(key) ?? 0;
        seen.set(key, pathId + 1);
        const nlri: Nlri = { ...b.nlri, pathId };
        let l = byPeer.get(e.peerIndex);
        if (!l) byPeer.set(e.peerIndex, (l = []));
        l.push({ family, values, nlri: [nlri] });
      }
    });
    const text = intoText(into);
    let src = this.sources.get(text);
    if (src === undefined) this.sources.set(text, (src = this.nextSrc++));
    let announced = 0;
    let refused = 0;
    for (const [index, kept] of byPeer) {
      const ctx = target.context(peers[index]!, src);
      for (const op of reapply(kept, ctx)) {
        if (op.kind === 'announce') announced += op.nlri.length;
        else if (op.kind === 'withdraw') refused += op.nlri.length;
        this.apply(op, src, ctx);
      }
    }
    this.h.commitNow();
    this.h.log.emit({ event: 'mrt-replay', file, into: text, announced, refused });
    return { file, into: text, records: parsed.records.length, routes, announced, refused };
  }

  private familyOf(b: RibRecord, t: Target, i: number, file: string, into: ReplayInto): FamilyName {
    const f = familyName(b.afi, b.safi);
    if (f === undefined || !t.families.includes(f)) {
      throw new ReplayError(
        `${file}: record ${i}: ${f ?? `AFI ${b.afi} / SAFI ${b.safi}`} routes cannot go into ${intoText(into)} (it takes ${t.families.join(', ')}); nothing was replayed`,
      );
    }
    return f;
  }

  private apply(op: IngestOp, src: number, ctx: IngestContext): void {
    if (op.kind === 'announce')
      this.h.rib.announce(op.family, src, ctx.origin, op.values, op.nlri, ctx.view);
    else if (op.kind === 'withdraw') this.h.rib.withdraw(op.family, src, op.nlri, ctx.view);
    // Notes (a malformed route refused) are counted as refused; nothing is kept as received.
  }

  /** Withdraws what was replayed into a target (every target without one); returns how many paths. */
  clear(into?: ReplayInto): number {
    const h = this.h;
    let n = 0;
    for (const [text, src] of this.sources) {
      if (into && text !== intoText(into)) continue;
      n += h.rib.removeSource(src);
      this.sources.delete(text);
    }
    h.commitNow();
    return n;
  }

  /** The targets replayed into, with the source their routes carry. */
  targets(): { into: string; source: number }[] {
    return [...this.sources].map(([into, source]) => ({ into, source }));
  }
}
