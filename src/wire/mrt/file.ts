// MRT records and files (RFC 6396 §2): the common header (timestamp, type, subtype, length) and
// the body of each type vrfleak knows. A file is decoded whole or not at all: the first record that
// does not parse is reported with its number and offset, so a caller can refuse the file before
// using any of it.

import { WireError } from '../errors.js';
import { Writer } from '../writer.js';
import {
  decodeBgp4mp,
  encodeBgp4mpMessage,
  encodeBgp4mpStateChange,
  bgp4mpMessageSubtype,
  isKnownBgp4mpSubtype,
} from './bgp4mp.js';
import {
  decodePeerIndexTable,
  decodeRibRecord,
  encodePeerIndexTable,
  encodeRibRecord,
  isKnownTableDumpSubtype,
  readerOver,
  ribSubtype,
} from './table-dump.js';
import {
  BGP4MP_STATE_CHANGE_AS4,
  MRT_BGP4MP,
  MRT_TABLE_DUMP_V2,
  TD2_PEER_INDEX_TABLE,
  type MrtBody,
  type MrtRecord,
} from './types.js';

/** RFC 6396 §2: the common header is 12 octets. */
export const MRT_HEADER_LENGTH = 12;

function typeOf(b: MrtBody): [number, number] {
  switch (b.kind) {
    case 'peer-index-table':
      return [MRT_TABLE_DUMP_V2, TD2_PEER_INDEX_TABLE];
    case 'rib':
      return [MRT_TABLE_DUMP_V2, ribSubtype(b)];
    case 'bgp4mp-message':
      return [MRT_BGP4MP, bgp4mpMessageSubtype(b)];
    case 'bgp4mp-state-change':
      return [MRT_BGP4MP, BGP4MP_STATE_CHANGE_AS4];
    case 'unknown':
      return [b.type, b.subtype];
    default: {
      const never: never = b;
      throw new WireError('mrt', `unknown MRT body ${JSON.stringify(never)}`);
    }
  }
}

function encodeBody(w: Writer, b: MrtBody): void {
  switch (b.kind) {
    case 'peer-index-table':
      return encodePeerIndexTable(w, b);
    case 'rib':
      return encodeRibRecord(w, b);
    case 'bgp4mp-message':
      return encodeBgp4mpMessage(w, b);
    case 'bgp4mp-state-change':
      return encodeBgp4mpStateChange(w, b);
    case 'unknown':
      w.bytes(b.data);
      return;
    default: {
      const never: never = b;
      throw new WireError('mrt', `unknown MRT body ${JSON.stringify(never)}`);
    }
  }
}

/** Writes one record, header and body, into w. */
export function writeMrtRecord(w: Writer, rec: MrtRecord): void {
  const [type, subtype] = typeOf(rec.body);
  w.u32(rec.timestamp).u16(type).u16(subtype);
  const lenAt = w.reserve(4);
  encodeBody(w, rec.body);
  w.buf.writeUInt32BE(w.pos - lenAt - 4, lenAt);
}

/** One record's octets. */
export function encodeMrtRecord(rec: MrtRecord): Buffer {
  const w = new Writer(512);
  writeMrtRecord(w, rec);
  return w.finish();
}

/** Where and why a file does not parse. */
export interface MrtFault {
  /** The record's number in the file, from 0. */
  readonly record: number;
  /** Octet offset of that record's header in the file. */
  readonly offset: number;
  readonly reason: string;
}

export type MrtFileResult =
  | { readonly ok: true; readonly records: readonly MrtRecord[] }
  | { readonly ok: false; readonly fault: MrtFault };

function decodeBody(type: number, subtype: number, data: Buffer): MrtBody {
  const r = readerOver(data);
  let body: MrtBody;
  if (type === MRT_TABLE_DUMP_V2 && isKnownTableDumpSubtype(subtype)) {
    body = subtype === TD2_PEER_INDEX_TABLE ? decodePeerIndexTable(r) : decodeRibRecord(r, subtype);
  } else if (type === MRT_BGP4MP && isKnownBgp4mpSubtype(subtype)) {
    body = decodeBgp4mp(r, subtype);
  } else {
    return { kind: 'unknown', type, subtype, data: new Uint8Array(data) };
  }
  if (r.remaining !== 0) {
    throw new WireError('mrt', `${r.remaining} octets after the end of the record's contents`);
  }
  return body;
}

/**
 * Decodes a whole file. RFC 6396 §4.3.4: a RIB entry's Peer Index names an entry of the peer
 * index table before it, so a RIB record without one, or with an index past its end, is a fault.
 */
export function decodeMrtFile(buf: Buffer): MrtFileResult {
  const records: MrtRecord[] = [];
  let peers: number | undefined;
  let pos = 0;
  for (let i = 0; pos < buf.length; i++) {
    const at = pos;
    const fault = (reason: string): MrtFileResult => ({
      ok: false,
      fault: { record: i, offset: at, reason },
    });
    if (buf.length - pos < MRT_HEADER_LENGTH) {
      return fault(`truncated header: ${buf.length - pos} of ${MRT_HEADER_LENGTH} octets`);
    }
    const timestamp = buf.readUInt32BE(pos);
    const type = buf.readUInt16BE(pos + 4);
    const subtype = buf.readUInt16BE(pos + 6);
    const len = buf.readUInt32BE(pos + 8);
    pos += MRT_HEADER_LENGTH;
    if (len > buf.length - pos) {
      return fault(
        `truncated record (type ${type}, subtype ${subtype}): length ${len}, ${buf.length - pos} octets left`,
      );
    }
    let body: MrtBody;
    try {
      body = decodeBody(type, subtype, buf.subarray(pos, pos + len));
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      return fault(`type ${type}, subtype ${subtype}: ${e.message}`);
    }
    pos += len;
    if (body.kind === 'peer-index-table') peers = body.peers.length;
    if (body.kind === 'rib') {
      if (peers === undefined) return fault('a RIB record before any PEER_INDEX_TABLE');
      const bad = body.entries.find((e) => e.peerIndex >= peers!);
      if (bad) {
        return fault(`peer index ${bad.peerIndex}, the peer index table has ${peers} peers`);
      }
    }
    records.push({ timestamp, body });
  }
  return { ok: true, records };
}
