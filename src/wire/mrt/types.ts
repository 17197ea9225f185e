// The typed forms of MRT records (RFC 6396) vrfleak reads and writes: TABLE_DUMP_V2 (the peer
// index table and RIB records, with the RFC 8050 add-path variants) and BGP4MP (messages and state
// changes, 4-octet AS). Anything else keeps its raw bytes.

import type { IpPrefix, Nlri, PathAttribute } from '../types.js';

/** RFC 6396 §4: MRT types. */
export const MRT_TABLE_DUMP_V2 = 13;
export const MRT_BGP4MP = 16;

/** RFC 6396 §4.3, RFC 8050 §4: TABLE_DUMP_V2 subtypes. */
export const TD2_PEER_INDEX_TABLE = 1;
export const TD2_RIB_IPV4_UNICAST = 2;
export const TD2_RIB_IPV4_MULTICAST = 3;
export const TD2_RIB_IPV6_UNICAST = 4;
export const TD2_RIB_IPV6_MULTICAST = 5;
export const TD2_RIB_GENERIC = 6;
/** RFC 8050 §4: each RIB subtype + 6 is its add-path variant (8..12). */
export const TD2_ADDPATH_OFFSET = 6;

/** RFC 6396 §4.4, RFC 8050 §3: BGP4MP subtypes. */
export const BGP4MP_STATE_CHANGE_AS4 = 5;
export const BGP4MP_MESSAGE_AS4 = 4;
export const BGP4MP_MESSAGE_AS4_LOCAL = 7;
export const BGP4MP_MESSAGE_AS4_ADDPATH = 9;
export const BGP4MP_MESSAGE_AS4_LOCAL_ADDPATH = 11;

/** An IP address as its 4 or 16 octets (the length is the family). */
export type IpBytes = Uint8Array;

/** RFC 6396 §4.3.1: one peer of the peer index table. */
export interface PeerEntry {
  /** BGP identifier as an unsigned 32-bit number. */
  readonly bgpId: number;
  readonly address: IpBytes;
  readonly asn: number;
}

export interface PeerIndexTable {
  readonly kind: 'peer-index-table';
  /** Collector BGP ID. */
  readonly collectorId: number;
  /** RFC 6396 §4.3.1 View Name: vrfleak names the table dumped (README "MRT"). */
  readonly viewName: string;
  readonly peers: readonly PeerEntry[];
}

/** RFC 6396 §4.3.4: one path of a RIB record. */
export interface RibEntry {
  readonly peerIndex: number;
  /** Seconds since the epoch the path was heard (Originated Time). */
  readonly originatedTime: number;
  /** RFC 8050 §4.1: present exactly in the ADDPATH subtypes. */
  readonly pathId?: number;
  /**
   * The path attributes, AS numbers in 4 octets (RFC 6396 §4.3.4). An `mp-reach` here carries
   * only its next hop (nlri empty): the record's header holds the AFI, SAFI and NLRI.
   */
  readonly attributes: readonly PathAttribute[];
}

/**
 * A RIB record: RIB_IPV4/IPV6_UNICAST/MULTICAST for SAFI 1 and 2, RIB_GENERIC for any other
 * (VPNv4/VPNv6: SAFI 128), and the RFC 8050 add-path variant of each when `addPath`.
 */
export interface RibRecord {
  readonly kind: 'rib';
  readonly sequence: number;
  readonly afi: number;
  readonly safi: number;
  readonly addPath: boolean;
  /** A `prefix` NLRI for SAFI 1/2, a `vpn` one (labels, RD, prefix) for SAFI 128. */
  readonly nlri: Nlri;
  readonly entries: readonly RibEntry[];
}

/** The common fields of BGP4MP records (RFC 6396 §4.4.1), 4-octet AS form. */
export interface Bgp4mpPeering {
  readonly peerAs: number;
  readonly localAs: number;
  readonly ifIndex: number;
  /** Both of the family the Address Family field names. */
  readonly peerIp: IpBytes;
  readonly localIp: IpBytes;
}

/**
 * BGP4MP_MESSAGE_AS4 (received from the peer) or BGP4MP_MESSAGE_AS4_LOCAL (sent by us, §4.4.7),
 * with their RFC 8050 ADDPATH variants when add-path was negotiated in that direction.
 */
export interface Bgp4mpMessage extends Bgp4mpPeering {
  readonly kind: 'bgp4mp-message';
  readonly local: boolean;
  readonly addPath: boolean;
  /** The whole BGP message, marker included. */
  readonly message: Uint8Array;
}

/** BGP4MP_STATE_CHANGE_AS4 (§4.4.8): FSM states numbered as RFC 6396 lists them (1 Idle .. 6 Established). */
export interface Bgp4mpStateChange extends Bgp4mpPeering {
  readonly kind: 'bgp4mp-state-change';
  readonly oldState: number;
  readonly newState: number;
}

/** Any other type or subtype, kept as read. */
export interface UnknownRecord {
  readonly kind: 'unknown';
  readonly type: number;
  readonly subtype: number;
  readonly data: Uint8Array;
}

export type MrtBody =
  PeerIndexTable | RibRecord | Bgp4mpMessage | Bgp4mpStateChange | UnknownRecord;

export interface MrtRecord {
  /** RFC 6396 §2 Timestamp: seconds since the epoch. */
  readonly timestamp: number;
  readonly body: MrtBody;
}

/** A prefix NLRI's prefix, or a VPN NLRI's, for readers that only want the address part. */
export function nlriPrefix(n: Nlri): IpPrefix | undefined {
  return n.kind === 'rtc' ? undefined : n.prefix;
}
