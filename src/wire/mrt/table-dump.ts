// TABLE_DUMP_V2 bodies (RFC 6396 §4.3, add-path variants RFC 8050 §4): the peer index table and
// the RIB records, each entry with its peer index, originated time, path id and attributes.

import { AFI_IPV4, AFI_IPV6, SAFI_MULTICAST, SAFI_UNICAST, SAFI_VPN } from '../afi.js';
import { WireError } from '../errors.js';
import { encodePrefix, decodePrefixList } from '../nlri/prefix.js';
import { decodeVpnList, encodeVpn } from '../nlri/vpn.js';
import { Reader } from '../reader.js';
import type { Nlri } from '../types.js';
import type { Writer } from '../writer.js';
import { decodeRibAttributes, encodeRibAttributes } from './rib-attrs.js';
import {
  TD2_ADDPATH_OFFSET,
  TD2_PEER_INDEX_TABLE,
  TD2_RIB_GENERIC,
  TD2_RIB_IPV4_MULTICAST,
  TD2_RIB_IPV4_UNICAST,
  TD2_RIB_IPV6_MULTICAST,
  TD2_RIB_IPV6_UNICAST,
  type PeerEntry,
  type PeerIndexTable,
  type RibEntry,
  type RibRecord,
} from './types.js';

/** RFC 6396 §4.3.1 Peer Type bits: the IP address is IPv6; the AS number has 4 octets. */
const PEER_IPV6 = 0x01;
const PEER_AS4 = 0x02;

function mrtError(reason: string): WireError {
  return new WireError('mrt', reason);
}

/** RFC 6396 §4.3.2: the AFI/SAFI-specific subtypes; everything else is RIB_GENERIC (§4.3.3). */
const SPECIFIC: readonly (readonly [number, number, number])[] = [
  [TD2_RIB_IPV4_UNICAST, AFI_IPV4, SAFI_UNICAST],
  [TD2_RIB_IPV4_MULTICAST, AFI_IPV4, SAFI_MULTICAST],
  [TD2_RIB_IPV6_UNICAST, AFI_IPV6, SAFI_UNICAST],
  [TD2_RIB_IPV6_MULTICAST, AFI_IPV6, SAFI_MULTICAST],
];

/** The subtype a RIB record is written with. */
export function ribSubtype(r: Pick<RibRecord, 'afi' | 'safi' | 'addPath'>): number {
  const s = SPECIFIC.find(([, afi, safi]) => afi === r.afi && safi === r.safi)?.[0];
  // RFC 8050 §4: RIB_IPV4_UNICAST_ADDPATH = 8 ... RIB_GENERIC_ADDPATH = 12.
  return (s ?? TD2_RIB_GENERIC) + (r.addPath ? TD2_ADDPATH_OFFSET : 0);
}

/** Whether a TABLE_DUMP_V2 subtype is one this codec reads. */
export function isKnownTableDumpSubtype(subtype: number): boolean {
  return subtype === TD2_PEER_INDEX_TABLE || (subtype >= 2 && subtype <= 12 && subtype !== 7);
}

// ---------------------------------------------------------------------------------------------
// PEER_INDEX_TABLE (RFC 6396 §4.3.1)

export function encodePeerIndexTable(w: Writer, t: PeerIndexTable): void {
  w.u32(t.collectorId);
  const name = Buffer.from(t.viewName, 'utf8');
  w.u16(name.length).bytes(name);
  w.u16(t.peers.length);
  for (const p of t.peers) {
    const v6 = p.address.length === 16;
    if (!v6 && p.address.length !== 4) {
      throw mrtError(`a peer address has 4 or 16 octets, not ${p.address.length}`);
    }
    // vrfleak always writes 4-octet AS numbers (the AS bit set).
    w.u8((v6 ? PEER_IPV6 : 0) | PEER_AS4);
    w.u32(p.bgpId).bytes(p.address).u32(p.asn);
  }
}

export function decodePeerIndexTable(r: Reader): PeerIndexTable {
  const collectorId = r.u32();
  const viewName = r.bytes(r.u16()).toString('utf8');
  const count = r.u16();
  const peers: PeerEntry[] = [];
  for (let i = 0; i < count; i++) {
    const type = r.u8();
    const bgpId = r.u32();
    const address = new Uint8Array(r.bytes(type & PEER_IPV6 ? 16 : 4));
    const asn = type & PEER_AS4 ? r.u32() : r.u16();
    peers.push({ bgpId, address, asn });
  }
  return { kind: 'peer-index-table', collectorId, viewName, peers };
}

// ---------------------------------------------------------------------------------------------
// RIB records (RFC 6396 §4.3.2 - §4.3.4, RFC 8050 §4)

function encodeRecordNlri(w: Writer, r: RibRecord): void {
  const n = r.nlri;
  if (n.kind === 'prefix' && n.prefix.afi === r.afi && r.safi !== SAFI_VPN) {
    // §4.3.2 Prefix Length + Prefix; §4.3.3 "a single NLRI entry": the same octets for SAFI 1/2.
    encodePrefix(w, n.prefix);
    return;
  }
  if (n.kind === 'vpn' && n.prefix.afi === r.afi && r.safi === SAFI_VPN) {
    // RFC 4364 §4.3.4: length in bits, the label stack, the RD, the prefix.
    encodeVpn(w, n, false);
    return;
  }
  throw mrtError(`cannot write a ${n.kind} NLRI in a RIB record of AFI ${r.afi} / SAFI ${r.safi}`);
}

export function encodeRibRecord(w: Writer, r: RibRecord): void {
  w.u32(r.sequence);
  // §4.3.3: only RIB_GENERIC names its AFI and SAFI; the specific subtypes imply them.
  if (!SPECIFIC.some(([, afi, safi]) => afi === r.afi && safi === r.safi)) {
    w.u16(r.afi).u8(r.safi);
  }
  encodeRecordNlri(w, r);
  w.u16(r.entries.length);
  for (const e of r.entries) {
    w.u16(e.peerIndex).u32(e.originatedTime);
    // RFC 8050 §4.1: the Path Identifier follows the Originated Time in the ADDPATH subtypes.
    if (r.addPath) w.u32(e.pathId ?? 0);
    else if (e.pathId !== undefined) throw mrtError('a path id needs an ADDPATH RIB subtype');
    const lenAt = w.reserve(2);
    encodeRibAttributes(w, e.attributes);
    const len = w.pos - lenAt - 2;
    if (len > 0xffff) throw mrtError(`RIB entry attributes of ${len} octets exceed 65535`);
    w.patchU16(lenAt, len);
  }
}

/** The one NLRI of a record: its octets end where its own length says. */
function decodeRecordNlri(r: Reader, afi: number, safi: number): Nlri {
  const bits = r.buf[r.pos];
  if (bits === undefined || r.pos >= r.end) throw mrtError('the NLRI is missing');
  const sub = r.sub(1 + ((bits + 7) >> 3));
  const known = afi === AFI_IPV4 || afi === AFI_IPV6;
  let list: readonly Nlri[];
  try {
    if (known && (safi === SAFI_UNICAST || safi === SAFI_MULTICAST)) {
      list = decodePrefixList(afi, sub, false, 0);
    } else if (known && safi === SAFI_VPN) {
      list = decodeVpnList(afi, sub, false, false, 0);
    } else {
      throw mrtError(`RIB_GENERIC of AFI ${afi} / SAFI ${safi} is not read by vrfleak`);
    }
  } catch (e) {
    if (!(e instanceof WireError) || e.kind === 'mrt') throw e;
    throw mrtError(`NLRI: ${e.message}`);
  }
  const n = list[0];
  if (list.length !== 1 || n === undefined) throw mrtError('a RIB record holds exactly one NLRI');
  return n;
}

export function decodeRibRecord(r: Reader, subtype: number): RibRecord {
  const addPath = subtype > TD2_ADDPATH_OFFSET;
  const base = addPath ? subtype - TD2_ADDPATH_OFFSET : subtype;
  const sequence = r.u32();
  const specific = SPECIFIC.find(([s]) => s === base);
  const afi = specific ? specific[1] : r.u16();
  const safi = specific ? specific[2] : r.u8();
  const nlri = decodeRecordNlri(r, afi, safi);
  const count = r.u16();
  const entries: RibEntry[] = [];
  for (let i = 0; i < count; i++) {
    const peerIndex = r.u16();
    const originatedTime = r.u32();
    const pathId = addPath ? r.u32() : undefined;
    const len = r.u16();
    let attributes;
    try {
      attributes = decodeRibAttributes(r.bytes(len), afi, safi);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      throw mrtError(`entry ${i}: ${e.message}`);
    }
    entries.push({
      peerIndex,
      originatedTime,
      ...(pathId !== undefined ? { pathId } : {}),
      attributes,
    });
  }
  return { kind: 'rib', sequence, afi, safi, addPath, nlri, entries };
}

/** Reads a record's body through a Reader over exactly its octets. */
export function readerOver(data: Buffer): Reader {
  return new Reader(data, 0, data.length);
}
