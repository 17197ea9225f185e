// The typed forms of every BGP message the codec reads and writes. Variants are tagged unions
// (`kind`); anything unknown keeps its raw bytes so it can be re-encoded byte for byte.

import type { Notify } from './errors.js';

// ---------------------------------------------------------------------------------------------
// Header (RFC 4271 §4.1)

export const MSG_OPEN = 1;
export const MSG_UPDATE = 2;
export const MSG_NOTIFICATION = 3;
export const MSG_KEEPALIVE = 4;
/** RFC 2918 */
export const MSG_ROUTE_REFRESH = 5;

export const HEADER_LENGTH = 19;

// ---------------------------------------------------------------------------------------------
// NLRI

/** An IPv4 prefix: address as an unsigned 32-bit number (host order), host bits beyond len zero. */
export interface Ipv4Prefix {
  readonly afi: 1;
  readonly len: number;
  readonly addr: number;
}

/** An IPv6 prefix: 16 octets, host bits beyond len zero. */
export interface Ipv6Prefix {
  readonly afi: 2;
  readonly len: number;
  readonly addr: Uint8Array;
}

export type IpPrefix = Ipv4Prefix | Ipv6Prefix;

/**
 * A route distinguisher (RFC 4364 §4.2) as two unsigned 32-bit halves of its 8 octets:
 * hi = type (2 octets) + first 2 value octets, lo = last 4 value octets. Compact, comparable and
 * total: an unknown type (not 0, 1 or 2) is kept as it is.
 */
export interface Rd {
  readonly hi: number;
  readonly lo: number;
}

/** Plain unicast / multicast prefix (SAFI 1, 2). */
export interface PrefixNlri {
  readonly kind: 'prefix';
  readonly prefix: IpPrefix;
  /** RFC 7911 path identifier, present when add-path is in use for the family. */
  readonly pathId?: number;
}

/**
 * Labeled unicast (SAFI 4, RFC 8277). Labels are the raw 3-octet label stack entries
 * (label << 4 | TC << 1 | BoS), so the stack re-encodes byte for byte.
 */
export interface LabeledNlri {
  readonly kind: 'labeled';
  readonly labels: readonly number[];
  readonly prefix: IpPrefix;
  readonly pathId?: number;
}

/** VPN-IPv4 / VPN-IPv6 (SAFI 128, RFC 4364 §4.3.4, RFC 4659 §3.2, RFC 8277). */
export interface VpnNlri {
  readonly kind: 'vpn';
  readonly labels: readonly number[];
  readonly rd: Rd;
  readonly prefix: IpPrefix;
  readonly pathId?: number;
}

/**
 * Route target membership (SAFI 132, RFC 4684 §4): origin AS plus a route target prefix of
 * 0..64 bits. len 0 is the default route target. `rt` holds the ceil(len/8) octets present (the
 * first being the ext-community type octet).
 */
export interface RtcNlri {
  readonly kind: 'rtc';
  readonly len: number;
  readonly originAs: number;
  readonly rt: Uint8Array;
  readonly pathId?: number;
}

export type Nlri = PrefixNlri | LabeledNlri | VpnNlri | RtcNlri;

// ---------------------------------------------------------------------------------------------
// Next hops of MP_REACH_NLRI (RFC 4760 §3, RFC 4364 §4.3.2, RFC 4659 §3.2.1, RFC 8950)

export type NextHop =
  /** 4 octets: IPv4 unicast/labeled, and RTC. */
  | { readonly kind: 'ipv4'; readonly addr: number }
  /** 16 or 32 octets (global, then link-local): IPv6 unicast/labeled, and RFC 8950 IPv4 over IPv6. */
  | { readonly kind: 'ipv6'; readonly global: Uint8Array; readonly linkLocal?: Uint8Array }
  /** 12 octets: RD (0) + IPv4 (VPNv4). The RD is kept as received. */
  | { readonly kind: 'vpn-ipv4'; readonly rd: Rd; readonly addr: number }
  /** 24 or 48 octets: RD + IPv6 [+ RD + link-local] (VPNv6, and VPNv4 over IPv6 per RFC 8950). */
  | {
      readonly kind: 'vpn-ipv6';
      readonly rd: Rd;
      readonly global: Uint8Array;
      readonly linkLocalRd?: Rd;
      readonly linkLocal?: Uint8Array;
    }
  /** Any other length: kept raw. */
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

// ---------------------------------------------------------------------------------------------
// Path attributes (RFC 4271 §4.3, §5)

export const ATTR_FLAG_OPTIONAL = 0x80;
export const ATTR_FLAG_TRANSITIVE = 0x40;
export const ATTR_FLAG_PARTIAL = 0x20;
export const ATTR_FLAG_EXTENDED = 0x10;

export const ATTR_ORIGIN = 1;
export const ATTR_AS_PATH = 2;
export const ATTR_NEXT_HOP = 3;
export const ATTR_MED = 4;
export const ATTR_LOCAL_PREF = 5;
export const ATTR_ATOMIC_AGGREGATE = 6;
export const ATTR_AGGREGATOR = 7;
export const ATTR_COMMUNITIES = 8;
export const ATTR_ORIGINATOR_ID = 9;
export const ATTR_CLUSTER_LIST = 10;
export const ATTR_MP_REACH = 14;
export const ATTR_MP_UNREACH = 15;
export const ATTR_EXT_COMMUNITIES = 16;
export const ATTR_AS4_PATH = 17;
export const ATTR_AS4_AGGREGATOR = 18;
export const ATTR_IPV6_EXT_COMMUNITIES = 25;
export const ATTR_LARGE_COMMUNITIES = 32;
export const ATTR_OTC = 35;

export const ORIGIN_IGP = 0;
export const ORIGIN_EGP = 1;
export const ORIGIN_INCOMPLETE = 2;

export const AS_SET = 1;
export const AS_SEQUENCE = 2;
export const AS_CONFED_SEQUENCE = 3;
export const AS_CONFED_SET = 4;
/** RFC 4271 §4.3: an AS_PATH segment holds at most 255 ASNs (its count is one octet). */
export const MAX_SEGMENT_ASNS = 255;

export interface AsPathSegment {
  /** AS_SET 1, AS_SEQUENCE 2, AS_CONFED_SEQUENCE 3, AS_CONFED_SET 4 (RFC 5065). */
  readonly type: 1 | 2 | 3 | 4;
  readonly asns: readonly number[];
}

/**
 * An extended community (RFC 4360). Route targets and route origins (subtype 0x02 / 0x03) in the
 * 2-octet AS (type 0x00/0x40), IPv4 (0x01/0x41) and 4-octet AS (0x02/0x42, RFC 5668) forms are
 * decoded; transitive is false for the 0x40-bit types. Everything else keeps its 8 raw octets.
 */
export type ExtCommunity =
  | {
      readonly kind: 'route-target' | 'route-origin';
      readonly form: 'as2' | 'ipv4' | 'as4';
      readonly transitive: boolean;
      /** The AS number, or the IPv4 address as an unsigned 32-bit number. */
      readonly global: number;
      /** The local administrator: 4 octets for as2, 2 octets for ipv4 and as4. */
      readonly local: number;
    }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

/**
 * An IPv6 address-specific extended community (RFC 5701): 20 octets. Route targets
 * (subtype 0x02) and route origins (0x03) are decoded; others are raw.
 */
export type Ipv6ExtCommunity =
  | {
      readonly kind: 'route-target' | 'route-origin';
      readonly transitive: boolean;
      readonly addr: Uint8Array;
      readonly local: number;
    }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

export interface LargeCommunity {
  readonly global: number;
  readonly local1: number;
  readonly local2: number;
}

/**
 * A decoded path attribute. `flags` are the flags as received or to be sent (the Extended Length
 * and Partial bits are kept so re-encoding is byte-exact; an encoder picks Extended Length itself
 * when the value needs it).
 */
export type PathAttribute =
  | { readonly kind: 'origin'; readonly flags: number; readonly value: number }
  | {
      readonly kind: 'as-path';
      readonly flags: number;
      readonly segments: readonly AsPathSegment[];
    }
  | { readonly kind: 'next-hop'; readonly flags: number; readonly addr: number }
  | { readonly kind: 'med'; readonly flags: number; readonly value: number }
  | { readonly kind: 'local-pref'; readonly flags: number; readonly value: number }
  | { readonly kind: 'atomic-aggregate'; readonly flags: number }
  | {
      readonly kind: 'aggregator';
      readonly flags: number;
      readonly asn: number;
      readonly id: number;
    }
  | { readonly kind: 'communities'; readonly flags: number; readonly values: readonly number[] }
  | { readonly kind: 'originator-id'; readonly flags: number; readonly id: number }
  | { readonly kind: 'cluster-list'; readonly flags: number; readonly ids: readonly number[] }
  | {
      readonly kind: 'mp-reach';
      readonly flags: number;
      readonly afi: number;
      readonly safi: number;
      readonly nextHop: NextHop;
      readonly nlri: readonly Nlri[];
      /** NLRI of a family the codec does not know, kept raw (nlri is then empty). */
      readonly rawNlri?: Uint8Array;
    }
  | {
      readonly kind: 'mp-unreach';
      readonly flags: number;
      readonly afi: number;
      readonly safi: number;
      readonly nlri: readonly Nlri[];
      /** NLRI of a family the codec does not know, kept raw (nlri is then empty). */
      readonly rawNlri?: Uint8Array;
    }
  | {
      readonly kind: 'ext-communities';
      readonly flags: number;
      readonly values: readonly ExtCommunity[];
    }
  | {
      readonly kind: 'as4-path';
      readonly flags: number;
      readonly segments: readonly AsPathSegment[];
    }
  | {
      readonly kind: 'as4-aggregator';
      readonly flags: number;
      readonly asn: number;
      readonly id: number;
    }
  | {
      readonly kind: 'ipv6-ext-communities';
      readonly flags: number;
      readonly values: readonly Ipv6ExtCommunity[];
    }
  | {
      readonly kind: 'large-communities';
      readonly flags: number;
      readonly values: readonly LargeCommunity[];
    }
  | { readonly kind: 'otc'; readonly flags: number; readonly asn: number }
  /** Any other type code: kept byte-exact with its flags. */
  | {
      readonly kind: 'unknown';
      readonly flags: number;
      readonly code: number;
      readonly value: Uint8Array;
    };

export type PathAttributeKind = PathAttribute['kind'];

// ---------------------------------------------------------------------------------------------
// Capabilities (RFC 5492) and OPEN (RFC 4271 §4.2, RFC 9072)

/** RFC 7911 §4 Send/Receive field: the sender can receive path identifiers for the family. */
export const ADD_PATH_RECEIVE = 1;
/** RFC 7911 §4 Send/Receive field: the sender would like to send path identifiers. */
export const ADD_PATH_SEND = 2;

export interface AddPathEntry {
  readonly afi: number;
  readonly safi: number;
  /** 1 receive, 2 send, 3 both (RFC 7911 §4). */
  readonly sendReceive: number;
}

export interface GrFamily {
  readonly afi: number;
  readonly safi: number;
  /** Forwarding state preserved (F bit). */
  readonly forwarding: boolean;
}

export interface LlgrFamily {
  readonly afi: number;
  readonly safi: number;
  /** Flags octet (F bit 0x80). */
  readonly flags: number;
  /** Long-lived stale time, 24 bits, seconds. */
  readonly staleTime: number;
}

export interface ExtNextHopEntry {
  readonly afi: number;
  readonly safi: number;
  readonly nextHopAfi: number;
}

export const CAP_MULTIPROTOCOL = 1;
export const CAP_ROUTE_REFRESH = 2;
export const CAP_EXTENDED_NEXT_HOP = 5;
export const CAP_EXTENDED_MESSAGE = 6;
export const CAP_GRACEFUL_RESTART = 64;
export const CAP_FOUR_OCTET_AS = 65;
export const CAP_ADD_PATH = 69;
export const CAP_ENHANCED_ROUTE_REFRESH = 70;
export const CAP_LLGR = 71;
export const CAP_HOSTNAME = 73;

export type Capability =
  | { readonly kind: 'multiprotocol'; readonly afi: number; readonly safi: number }
  | { readonly kind: 'route-refresh' }
  | { readonly kind: 'enhanced-route-refresh' }
  | { readonly kind: 'four-octet-as'; readonly asn: number }
  | {
      readonly kind: 'graceful-restart';
      /** Restart State (R) bit. */
      readonly restarting: boolean;
      /** Graceful Notification (N) bit, RFC 8538. */
      readonly notification: boolean;
      /** 12-bit restart time, seconds. */
      readonly restartTime: number;
      readonly families: readonly GrFamily[];
    }
  | { readonly kind: 'llgr'; readonly families: readonly LlgrFamily[] }
  | { readonly kind: 'add-path'; readonly entries: readonly AddPathEntry[] }
  | { readonly kind: 'extended-message' }
  | { readonly kind: 'extended-next-hop'; readonly entries: readonly ExtNextHopEntry[] }
  | { readonly kind: 'hostname'; readonly hostname: string; readonly domain: string }
  /** Any other code, or a known code whose value does not parse: kept raw. */
  | { readonly kind: 'unknown'; readonly code: number; readonly value: Uint8Array };

/** An optional parameter: capabilities (type 2) are decoded; others are kept raw. */
export type OptionalParameter =
  | { readonly kind: 'capabilities'; readonly capabilities: readonly Capability[] }
  | { readonly kind: 'unknown'; readonly type: number; readonly value: Uint8Array };

export interface OpenMessage {
  readonly type: 'open';
  readonly version: number;
  /** "My Autonomous System": 2 octets (AS_TRANS 23456 when the real ASN needs 4). */
  readonly myAs: number;
  readonly holdTime: number;
  /** BGP Identifier as an unsigned 32-bit number. */
  readonly bgpId: number;
  readonly params: readonly OptionalParameter[];
  /** RFC 9072: the extended optional parameters form was used (or is to be used). */
  readonly extendedParams?: boolean;
}

// ---------------------------------------------------------------------------------------------
// UPDATE, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH

export interface UpdateMessage {
  readonly type: 'update';
  /** IPv4 unicast withdrawn routes (RFC 4271 §4.3). */
  readonly withdrawn: readonly PrefixNlri[];
  readonly attributes: readonly PathAttribute[];
  /** IPv4 unicast NLRI. */
  readonly nlri: readonly PrefixNlri[];
}

export interface NotificationMessage {
  readonly type: 'notification';
  readonly code: number;
  readonly subcode: number;
  readonly data: Uint8Array;
}

export interface KeepaliveMessage {
  readonly type: 'keepalive';
}

/** RFC 2918; RFC 7313 subtypes: 0 normal request, 1 BoRR, 2 EoRR. */
export interface RouteRefreshMessage {
  readonly type: 'route-refresh';
  readonly afi: number;
  readonly subtype: number;
  readonly safi: number;
  /** RFC 5291 ORF entries or anything after the 4 octets, kept raw. */
  readonly rest?: Uint8Array;
}

export type BgpMessage =
  OpenMessage | UpdateMessage | NotificationMessage | KeepaliveMessage | RouteRefreshMessage;

export type { Notify };
