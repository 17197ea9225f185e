// A table as MRT TABLE_DUMP_V2 records (RFC 6396 §4.3): the peer index table, then one RIB record
// per destination with every path (best first). Paths that carry an add-path id go into the
// RFC 8050 ADDPATH record of their destination. The codec (wire/mrt/) writes the octets.

import type { NextHopAddr } from '../model/attrset.js';
import { type Route } from '../model/route.js';
import { peerOf, type PeerRef } from '../model/route-origin.js';
import { valuesToWire } from '../rib/convert.js';
import type { Rib } from '../rib/rib.js';
import { FAMILIES, type FamilyName } from '../wire/afi.js';
import { attrCode, attrFlags } from '../wire/attrs/index.js';
import type { MrtRecord, PeerEntry, RibEntry, RibRecord } from '../wire/mrt/types.js';
import { addressBytes } from './mrt-files.js';
import { RD_ZERO } from '../wire/rd.js';
import type { NextHop, Nlri, PathAttribute } from '../wire/types.js';

/** The families a table dump writes: unicast (RIB_IPV4/IPV6_UNICAST) and VPN (RIB_GENERIC). */
export const DUMP_FAMILIES: readonly FamilyName[] = ['ipv4', 'ipv6', 'vpnv4', 'vpnv6'];

/** Who we are in the peer index table: entry 0, for every path no peer sent. */
export interface DumpSelf {
  readonly routerId: number;
  readonly asn: number;
}

const NO_ADDRESS = new Uint8Array(4);

/** The peer index table of one dump, filled as paths name their peers. */
class PeerIndex {
  readonly entries: PeerEntry[];
  private readonly byKey = new Map<string, number>();
  constructor(self: DumpSelf) {
    // Entry 0: vrfleak itself (local, connected, static and API routes, and leaks of them).
    this.entries = [{ bgpId: self.routerId, address: NO_ADDRESS, asn: self.asn }];
  }

  of(peer: PeerRef | undefined): number {
    if (!peer) return 0;
    const key = `${peer.address}|${peer.asn}|${peer.bgpId}`;
    let i = this.byKey.get(key);
    if (i === undefined) {
      i = this.entries.length;
      this.entries.push({ bgpId: peer.bgpId, address: addressBytes(peer.address), asn: peer.asn });
      this.byKey.set(key, i);
    }
    return i;
  }
}

/** The next hop as the family's RIB entries carry it (NEXT_HOP, or MP_REACH with its next hop only). */
function nextHopAttr(family: FamilyName, nh: NextHopAddr | undefined): PathAttribute | undefined {
  if (!nh) return undefined;
  if (family === 'ipv4' && nh.afi === 1) {
    return { kind: 'next-hop', flags: attrFlags('next-hop'), addr: nh.addr };
  }
  let nextHop: NextHop;
  const vpn = family === 'vpnv4' || family === 'vpnv6';
  if (nh.afi === 1)
    nextHop = vpn
      ? { kind: 'vpn-ipv4', rd: RD_ZERO, addr: nh.addr }
      : { kind: 'ipv4', addr: nh.addr };
  else if (vpn) {
    // RFC 4659 §3.2.1: an RD of zero before each address.
    nextHop = nh.linkLocal
      ? {
          kind: 'vpn-ipv6',
          rd: RD_ZERO,
          global: nh.addr,
          linkLocalRd: RD_ZERO,
          linkLocal: nh.linkLocal,
        }
      : { kind: 'vpn-ipv6', rd: RD_ZERO, global: nh.addr };
  } else {
    nextHop = nh.linkLocal
      ? { kind: 'ipv6', global: nh.addr, linkLocal: nh.linkLocal }
      : { kind: 'ipv6', global: nh.addr };
  }
  const { afi, safi } = FAMILIES[family];
  return { kind: 'mp-reach', flags: attrFlags('mp-reach'), afi, safi, nextHop, nlri: [] };
}

function entryOf(
  rib: Rib,
  family: FamilyName,
  r: Route,
  peers: PeerIndex,
  addPath: boolean,
): RibEntry {
  const v = r.attrs;
  const attributes = valuesToWire(v, {
    fourOctetAs: true,
    localPref: v.localPref !== undefined,
    markPartial: false,
  });
  const nh = nextHopAttr(family, v.nextHop);
  if (nh) {
    attributes.push(nh);
    attributes.sort((a, b) => attrCode(a) - attrCode(b));
  }
  return {
    peerIndex: peers.of(peerOf(r.origin)),
    originatedTime: rib.clock.timeOf(r.seq),
    ...(addPath ? { pathId: r.pathId } : {}),
    attributes,
  };
}

/** A VRF's table holds prefixes; whatever NLRI object a leaked copy kept, the record names the prefix. */
function recordNlri(family: FamilyName, n: Nlri): Nlri {
  if (family === 'vpnv4' || family === 'vpnv6')
    return n.kind === 'vpn' ? { ...n, pathId: undefined } : n;
  return n.kind === 'rtc' ? n : { kind: 'prefix', prefix: n.prefix };
}

/**
 * The records of one table dump: `viewName` names the table (README "MRT"), `tables` are the view
 * and families dumped, `time` the records' timestamp.
 */
export function tableDumpRecords(
  rib: Rib,
  viewName: string,
  tables: readonly { readonly view: string; readonly family: FamilyName }[],
  self: DumpSelf,
  time: number,
): { records: MrtRecord[]; routes: number } {
  const peers = new PeerIndex(self);
  const ribs: RibRecord[] = [];
  let routes = 0;
  let sequence = 0;
  for (const { view, family } of tables) {
    if (!rib.hasView(view)) continue;
    const { afi, safi } = FAMILIES[family];
    for (const d of rib.table(family, view).dests.values()) {
      const paths = d.paths;
      if (paths.length === 0) continue;
      const ordered = d.best ? [d.best, ...paths.filter((p) => p !== d.best)] : [...paths];
      const first = ordered[0]!;
      const nlri = recordNlri(family, first.nlri);
      for (const addPath of [false, true]) {
        const some = ordered.filter((p) => (p.pathId !== 0) === addPath);
        if (some.length === 0) continue;
        const entries = some.map((p) => entryOf(rib, family, p, peers, addPath));
        routes += entries.length;
        ribs.push({ kind: 'rib', sequence: sequence++, afi, safi, addPath, nlri, entries });
      }
    }
  }
  const table: MrtRecord = {
    timestamp: time,
    body: { kind: 'peer-index-table', collectorId: self.routerId, viewName, peers: peers.entries },
  };
  return { records: [table, ...ribs.map((body) => ({ timestamp: time, body }))], routes };
}
