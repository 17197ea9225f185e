// BMP, the BGP Monitoring Protocol (RFC 7854), with Adj-RIB-Out (RFC 8671) and Loc-RIB (RFC 9069):
// bytes <-> typed messages. Every octet vrfleak sends to a collector is written here; the decoder
// is in bmp-decode.ts, for tests and tools (vrfleak never reads BMP, RFC 7854 §3.3).

import { ipv4FromText } from './admin-pair.js';
import { WireError } from './errors.js';
import { ipv6FromText } from './nlri/text.js';
import { RD_ZERO, writeRd } from './rd.js';
import type { Rd } from './types.js';
import { Writer } from './writer.js';

/** RFC 7854 §4.1: the version this codec speaks. */
export const BMP_VERSION = 3;
/** RFC 7854 §4.1: version (1), message length (4), message type (1). */
export const BMP_COMMON_HEADER = 6;
/** RFC 7854 §4.2: the per-peer header is 42 octets. */
export const BMP_PEER_HEADER = 42;

/** RFC 7854 §4.1 message types. */
export const BMP_ROUTE_MONITORING = 0;
export const BMP_STATISTICS = 1;
export const BMP_PEER_DOWN = 2;
export const BMP_PEER_UP = 3;
export const BMP_INITIATION = 4;
export const BMP_TERMINATION = 5;

/** RFC 7854 §4.2 peer types; 3 is RFC 9069 §4.1's Loc-RIB instance peer. */
export type BmpPeerType = 'global' | 'rd' | 'local' | 'loc-rib';
const PEER_TYPE_CODE: Readonly<Record<BmpPeerType, number>> = {
  global: 0,
  rd: 1,
  local: 2,
  'loc-rib': 3,
};

/** RFC 7854 §4.2 flags (V is derived from the address), RFC 8671 §4 O, RFC 9069 §4.2 F. */
export interface BmpPeerFlags {
  /** L: post-policy (RFC 7854 §4.2). */
  readonly postPolicy?: boolean;
  /** A: the UPDATEs carry 2-octet AS_PATHs (RFC 7854 §4.2). */
  readonly legacyAsPath?: boolean;
  /** O: Adj-RIB-Out (RFC 8671 §4). */
  readonly adjRibOut?: boolean;
  /** F: the Loc-RIB is filtered (RFC 9069 §4.2; the only Loc-RIB flag). */
  readonly filtered?: boolean;
}

export interface BmpPeer {
  readonly type: BmpPeerType;
  readonly flags: BmpPeerFlags;
  /** RFC 7854 §4.2: the RD of an RD instance peer, RFC 9069 §4.1: of a Loc-RIB's VRF; else zero. */
  readonly distinguisher: Rd;
  /** Dotted IPv4 or IPv6 text; Loc-RIB peers use 0.0.0.0 (RFC 9069 §4.1). */
  readonly address: string;
  readonly asn: number;
  readonly bgpId: number;
  /** Seconds and microseconds since the epoch. */
  readonly seconds: number;
  readonly micros: number;
}

/** RFC 7854 §4.4 Information TLV types; 3 is RFC 9069 §4.4's VRF/Table Name. */
export const INFO_STRING = 0;
export const INFO_SYS_DESCR = 1;
export const INFO_SYS_NAME = 2;
export const INFO_TABLE_NAME = 3;

export interface BmpTlv {
  readonly type: number;
  readonly value: Uint8Array;
}

/** A text TLV (UTF-8, RFC 7854 §4.4). */
export function textTlv(type: number, text: string): BmpTlv {
  return { type, value: Buffer.from(text, 'utf8') };
}

/** RFC 7854 §4.5 Termination reasons (TLV type 1). */
export const TERM_ADMIN_CLOSE = 0;
export const TERM_UNSPECIFIED = 1;
export const TERM_OUT_OF_RESOURCES = 2;
export const TERM_TYPE_STRING = 0;
export const TERM_TYPE_REASON = 1;

/** RFC 7854 §4.9 Peer Down reasons; local-tlv is RFC 9069 §4.5's reason 6. */
export type PeerDownReason =
  | { readonly kind: 'local-notification'; readonly notification: Uint8Array }
  | { readonly kind: 'local-no-notification'; readonly fsmEvent: number }
  | { readonly kind: 'remote-notification'; readonly notification: Uint8Array }
  | { readonly kind: 'remote-no-notification' }
  | { readonly kind: 'deconfigured' }
  | { readonly kind: 'local-tlv'; readonly tlvs: readonly BmpTlv[] };

/** RFC 7854 §4.8 statistic: 32-bit counters and 64-bit gauges, per AFI/SAFI for some types. */
export type BmpStat =
  | { readonly kind: 'counter'; readonly type: number; readonly value: number }
  | { readonly kind: 'gauge'; readonly type: number; readonly value: bigint }
  | {
      readonly kind: 'afi-safi-gauge';
      readonly type: number;
      readonly afi: number;
      readonly safi: number;
      readonly value: bigint;
    };

/** RFC 7854 §4.8, RFC 8671 §5 stat types vrfleak sends. */
export const STAT_REJECTED = 0;
export const STAT_ADJ_RIB_IN = 7;
export const STAT_LOC_RIB = 8;
export const STAT_ADJ_RIB_IN_AFI = 9;
export const STAT_LOC_RIB_AFI = 10;
export const STAT_ADJ_RIB_OUT_POST = 15;
export const STAT_ADJ_RIB_OUT_POST_AFI = 17;
/** IANA "BMP Statistics Types" experimental range (65531-65534): vrfleak's leak violations. */
export const STAT_LEAK_VIOLATIONS = 65531;

export type BmpMessage =
  | { readonly type: 'initiation'; readonly tlvs: readonly BmpTlv[] }
  | { readonly type: 'termination'; readonly tlvs: readonly BmpTlv[] }
  | {
      readonly type: 'peer-up';
      readonly peer: BmpPeer;
      /** Our end of the session (0.0.0.0 / port 0 for a Loc-RIB peer, RFC 9069 §4.4). */
      readonly localAddress: string;
      readonly localPort: number;
      readonly remotePort: number;
      /** The OPEN messages, whole BGP PDUs with their headers, as they were on the wire. */
      readonly sentOpen: Uint8Array;
      readonly receivedOpen: Uint8Array;
      readonly tlvs: readonly BmpTlv[];
    }
  | { readonly type: 'peer-down'; readonly peer: BmpPeer; readonly reason: PeerDownReason }
  /** One whole BGP UPDATE PDU (RFC 7854 §4.6). */
  | { readonly type: 'route-monitoring'; readonly peer: BmpPeer; readonly update: Uint8Array }
  | { readonly type: 'statistics'; readonly peer: BmpPeer; readonly stats: readonly BmpStat[] };

export function bmpError(message: string): WireError {
  return new WireError('bmp', message);
}

function writeAddress(w: Writer, text: string): boolean {
  const v4 = ipv4FromText(text);
  if (v4 !== undefined) {
    // RFC 7854 §4.2: an IPv4 address sits in the last four octets, the first twelve zero.
    for (let i = 0; i < 12; i++) w.u8(0);
    w.u32(v4);
    return false;
  }
  const v6 = ipv6FromText(text);
  if (!v6) throw bmpError(`not an address: ${text}`);
  w.bytes(v6);
  return true;
}

function writePeer(w: Writer, p: BmpPeer): void {
  w.u8(PEER_TYPE_CODE[p.type]);
  const flagsAt = w.reserve(1);
  // RFC 7854 §4.2: zero for a global instance peer; RFC 9069 §4.1: a Loc-RIB peer's is its
  // instance's RD (zero for the global one).
  writeRd(w, p.type === 'global' ? RD_ZERO : p.distinguisher);
  const v6 = writeAddress(w, p.address);
  const f = p.flags;
  // RFC 9069 §4.2: a Loc-RIB peer's only flag is F, in the V bit's place.
  const flags =
    p.type === 'loc-rib'
      ? f.filtered
        ? 0x80
        : 0
      : (v6 ? 0x80 : 0) |
        (f.postPolicy ? 0x40 : 0) |
        (f.legacyAsPath ? 0x20 : 0) |
        (f.adjRibOut ? 0x10 : 0);
  w.patchU8(flagsAt, flags);
  w.u32(p.asn);
  w.u32(p.bgpId);
  w.u32(p.seconds);
  w.u32(p.micros);
}

function writeTlvs(w: Writer, tlvs: readonly BmpTlv[]): void {
  for (const t of tlvs) {
    w.u16(t.type);
    w.u16(t.value.length);
    w.bytes(t.value);
  }
}

const TYPE_CODE: Readonly<Record<BmpMessage['type'], number>> = {
  'route-monitoring': BMP_ROUTE_MONITORING,
  statistics: BMP_STATISTICS,
  'peer-down': BMP_PEER_DOWN,
  'peer-up': BMP_PEER_UP,
  initiation: BMP_INITIATION,
  termination: BMP_TERMINATION,
};

const DOWN_CODE: Readonly<Record<PeerDownReason['kind'], number>> = {
  'local-notification': 1,
  'local-no-notification': 2,
  'remote-notification': 3,
  'remote-no-notification': 4,
  deconfigured: 5,
  'local-tlv': 6,
};

function writeBody(w: Writer, m: BmpMessage): void {
  switch (m.type) {
    case 'initiation':
    case 'termination':
      writeTlvs(w, m.tlvs);
      return;
    case 'peer-up':
      // RFC 7854 §4.10: local address, local port, remote port, sent OPEN, received OPEN, TLVs.
      writePeer(w, m.peer);
      writeAddress(w, m.localAddress);
      w.u16(m.localPort);
      w.u16(m.remotePort);
      w.bytes(m.sentOpen);
      w.bytes(m.receivedOpen);
      writeTlvs(w, m.tlvs);
      return;
    case 'peer-down': {
      writePeer(w, m.peer);
      const r = m.reason;
      w.u8(DOWN_CODE[r.kind]);
      switch (r.kind) {
        case 'local-notification':
        case 'remote-notification':
          w.bytes(r.notification);
          return;
        case 'local-no-notification':
          w.u16(r.fsmEvent);
          return;
        case 'remote-no-notification':
        case 'deconfigured':
          return;
        case 'local-tlv':
          writeTlvs(w, r.tlvs);
          return;
        default: {
          const never: never = r;
          return never;
        }
      }
    }
    case 'route-monitoring':
      writePeer(w, m.peer);
      w.bytes(m.update);
      return;
    case 'statistics':
      // RFC 7854 §4.8: a count, then type-length-value statistics.
      writePeer(w, m.peer);
      w.u32(m.stats.length);
      for (const s of m.stats) {
        w.u16(s.type);
        switch (s.kind) {
          case 'counter':
            w.u16(4).u32(s.value);
            break;
          case 'gauge':
            w.u16(8)
              .u32(Number(s.value >> 32n))
              .u32(Number(s.value & 0xffffffffn));
            break;
          case 'afi-safi-gauge':
            // RFC 7854 §4.8 types 9 and 10: AFI (2), SAFI (1), 64-bit gauge.
            w.u16(11).u16(s.afi).u8(s.safi);
            w.u32(Number(s.value >> 32n)).u32(Number(s.value & 0xffffffffn));
            break;
          default: {
            const never: never = s;
            return never;
          }
        }
      }
      return;
    default: {
      const never: never = m;
      return never;
    }
  }
}

export function encodeBmp(m: BmpMessage): Buffer {
  const w = new Writer(256);
  w.u8(BMP_VERSION);
  const lenAt = w.reserve(4);
  w.u8(TYPE_CODE[m.type]);
  writeBody(w, m);
  const len = w.pos;
  w.buf.writeUInt32BE(len, lenAt);
  return w.finish();
}
