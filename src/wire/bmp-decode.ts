// Decoding BMP (RFC 7854, RFC 8671, RFC 9069): for tests and tools. vrfleak never reads BMP from
// a collector (RFC 7854 §3.3); this checks what wire/bmp.ts writes.

import { ipv4FromText, ipv4ToText } from './admin-pair.js';
import {
  BMP_COMMON_HEADER,
  BMP_INITIATION,
  BMP_PEER_DOWN,
  BMP_PEER_UP,
  BMP_ROUTE_MONITORING,
  BMP_STATISTICS,
  BMP_TERMINATION,
  BMP_VERSION,
  bmpError,
  type BmpMessage,
  type BmpPeer,
  type BmpPeerType,
  type BmpStat,
  type BmpTlv,
  type PeerDownReason,
} from './bmp.js';
import { WireError } from './errors.js';
import { ipv6ToText } from './nlri/text.js';
import { rdAt } from './rd.js';
import { Reader } from './reader.js';

function readAddress(r: Reader, v6: boolean): string {
  const b = r.bytes(16);
  return v6 ? ipv6ToText(b) : ipv4ToText(b.readUInt32BE(12));
}

const PEER_TYPES: readonly BmpPeerType[] = ['global', 'rd', 'local', 'loc-rib'];

function readPeer(r: Reader): BmpPeer {
  const type = PEER_TYPES[r.u8()];
  if (!type) throw bmpError('unknown peer type');
  const flags = r.u8();
  const distinguisher = rdAt(r.bytes(8), 0);
  const locRib = type === 'loc-rib';
  const address = readAddress(r, !locRib && (flags & 0x80) !== 0);
  return {
    type,
    flags: locRib
      ? { filtered: (flags & 0x80) !== 0 }
      : {
          postPolicy: (flags & 0x40) !== 0,
          legacyAsPath: (flags & 0x20) !== 0,
          adjRibOut: (flags & 0x10) !== 0,
        },
    distinguisher,
    address,
    asn: r.u32(),
    bgpId: r.u32(),
    seconds: r.u32(),
    micros: r.u32(),
  };
}

function readTlvs(r: Reader): BmpTlv[] {
  const out: BmpTlv[] = [];
  while (r.remaining > 0) {
    const type = r.u16();
    out.push({ type, value: r.copy(r.u16()) });
  }
  return out;
}

/** One BGP PDU: its length is in its own header (RFC 4271 §4.1). */
function readBgpPdu(r: Reader): Uint8Array {
  r.ensure(19);
  const len = r.buf.readUInt16BE(r.pos + 16);
  return r.copy(len);
}

function readStats(r: Reader): BmpStat[] {
  const n = r.u32();
  const out: BmpStat[] = [];
  for (let i = 0; i < n; i++) {
    const type = r.u16();
    const s = r.sub(r.u16());
    if (s.remaining === 4) out.push({ kind: 'counter', type, value: s.u32() });
    else if (s.remaining === 8)
      out.push({ kind: 'gauge', type, value: (BigInt(s.u32()) << 32n) | BigInt(s.u32()) });
    else if (s.remaining === 11) {
      const afi = s.u16();
      const safi = s.u8();
      const value = (BigInt(s.u32()) << 32n) | BigInt(s.u32());
      out.push({ kind: 'afi-safi-gauge', type, afi, safi, value });
    } else throw bmpError(`statistic ${type} of ${s.remaining} octets`);
  }
  return out;
}

function readDown(r: Reader): PeerDownReason {
  const code = r.u8();
  switch (code) {
    case 1:
      return { kind: 'local-notification', notification: readBgpPdu(r) };
    case 2:
      return { kind: 'local-no-notification', fsmEvent: r.u16() };
    case 3:
      return { kind: 'remote-notification', notification: readBgpPdu(r) };
    case 4:
      return { kind: 'remote-no-notification' };
    case 5:
      return { kind: 'deconfigured' };
    case 6:
      return { kind: 'local-tlv', tlvs: readTlvs(r) };
    default:
      throw bmpError(`unknown peer down reason ${code}`);
  }
}

/** Decodes one whole BMP message; throws a WireError of kind 'bmp' on anything else. */
export function decodeBmp(buf: Buffer): BmpMessage {
  try {
    const r = new Reader(buf);
    if (r.u8() !== BMP_VERSION) throw bmpError('not BMP version 3');
    const len = r.u32();
    if (len !== buf.length) throw bmpError(`length ${len}, have ${buf.length}`);
    const type = r.u8();
    switch (type) {
      case BMP_INITIATION:
        return { type: 'initiation', tlvs: readTlvs(r) };
      case BMP_TERMINATION:
        return { type: 'termination', tlvs: readTlvs(r) };
      case BMP_PEER_UP: {
        const peer = readPeer(r);
        const localAddress = readAddress(r, ipv4FromText(peer.address) === undefined);
        const localPort = r.u16();
        const remotePort = r.u16();
        const sentOpen = readBgpPdu(r);
        const receivedOpen = readBgpPdu(r);
        const tlvs = readTlvs(r);
        return {
          type: 'peer-up',
          peer,
          localAddress,
          localPort,
          remotePort,
          sentOpen,
          receivedOpen,
          tlvs,
        };
      }
      case BMP_PEER_DOWN:
        return { type: 'peer-down', peer: readPeer(r), reason: readDown(r) };
      case BMP_ROUTE_MONITORING:
        return { type: 'route-monitoring', peer: readPeer(r), update: readBgpPdu(r) };
      case BMP_STATISTICS:
        return { type: 'statistics', peer: readPeer(r), stats: readStats(r) };
      default:
        throw bmpError(`unknown message type ${type}`);
    }
  } catch (e) {
    if (e instanceof WireError && e.kind === 'truncated') throw bmpError(e.message);
    throw e;
  }
}

/**
 * Splits a stream into whole BMP messages; returns them and the octets of an unfinished one.
 * Throws on a message that is not version 3 or shorter than its own header.
 */
export function splitBmp(buf: Buffer): { messages: Buffer[]; rest: Buffer } {
  const messages: Buffer[] = [];
  let pos = 0;
  while (buf.length - pos >= BMP_COMMON_HEADER) {
    if (buf[pos] !== BMP_VERSION) throw bmpError('not BMP version 3');
    const len = buf.readUInt32BE(pos + 1);
    if (len < BMP_COMMON_HEADER) throw bmpError(`length ${len}`);
    if (buf.length - pos < len) break;
    messages.push(buf.subarray(pos, pos + len));
    pos += len;
  }
  return { messages, rest: buf.subarray(pos) };
}
