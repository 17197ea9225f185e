// Receive-side rules the codec cannot apply because they need the session or the daemon: who the
// peer is, our own AS, router id, cluster id and addresses. The codec (src/wire/update.ts) has
// already applied RFC 7606 to the bytes; this runs on the decoded values of an UPDATE that is
// still to be announced, and says whether its routes must be withdrawn instead.
//
// Two outcomes, both withdraw the UPDATE's NLRI (a replaced route must not survive its refused
// replacement):
//   treat-as-withdraw: the UPDATE is malformed (RFC 7606 §2); logged as a malformed UPDATE.
//   ignore: a routing loop, not an error (RFC 4271 §9.1.2, RFC 4456 §8); not logged per UPDATE.

import { pathContainsAs, type AttrValues, type NextHopAddr } from '../model/attrset.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import { AS_TRANS, needsFourOctets } from '../wire/asn.js';
import {
  ATTR_AS_PATH,
  ATTR_CLUSTER_LIST,
  ATTR_NEXT_HOP,
  ATTR_ORIGINATOR_ID,
} from '../wire/types.js';

/**
 * How often our own AS may appear in a received AS_PATH (FRR `allowas-in N`), or `origin`: any
 * number of times when the path's origin AS (its last) is ours, else not at all (FRR `allowas-in
 * origin`: a site of ours behind the peer, nothing that passed through us).
 */
export type AllowAsIn = number | 'origin';

export interface InboundContext {
  readonly localAs: number;
  readonly routerId: number;
  readonly clusterId: number;
  /** The AS the peer announced in its OPEN (4-octet when it sent the capability). */
  readonly peerAs: number;
  readonly ibgp: boolean;
  /** RFC 6793: 4-octet AS negotiated on this session. */
  readonly fourOctetAs: boolean;
  readonly allowasIn: AllowAsIn;
  /** Our own IPv4 addresses (session local address, listen address), as numbers. */
  readonly ownV4: ReadonlySet<number>;
  /** Our own IPv6 addresses, as 32 lower-case hex digits. */
  readonly ownV6: ReadonlySet<string>;
  /**
   * RFC 5065: the peer is a member of our confederation. vrfleak has no confederations, so this is
   * false for every peer today; the rule is written against it so that adding them stays local.
   */
  readonly confedPeer?: boolean;
  /**
   * FRR `enforce-first-as` (on by default since FRR 7.x): check that an eBGP peer put its own AS
   * first. Default true.
   */
  readonly enforceFirstAs?: boolean;
}

export type InboundVerdict =
  | {
      readonly action: 'treat-as-withdraw';
      /** The attribute the rule judged (for the malformed-update log event). */
      readonly typeCode: number;
      readonly rule: 'first-as' | 'confed-segment' | 'next-hop-self';
      readonly reason: string;
    }
  | {
      readonly action: 'ignore';
      readonly typeCode: number;
      readonly rule: 'as-loop' | 'originator-id' | 'cluster-loop';
      readonly reason: string;
    };

/** Our addresses in the forms InboundContext wants, from text (IPv4 dotted quad or IPv6). */
export function ownAddresses(addresses: readonly (string | undefined)[]): {
  ownV4: Set<number>;
  ownV6: Set<string>;
} {
  const ownV4 = new Set<number>();
  const ownV6 = new Set<string>();
  for (const a of addresses) {
    if (!a) continue;
    const plain = a.replace(/^::ffff:(?=\d+\.)/i, '');
    const v4 = ipv4FromText(plain);
    if (v4 !== undefined) ownV4.add(v4 >>> 0);
    else {
      const v6 = ipv6Hex(plain);
      if (v6 !== undefined) ownV6.add(v6);
    }
  }
  return { ownV4, ownV6 };
}

/** 32 hex digits of an IPv6 text address, or undefined (no embedded IPv4 form: not needed here). */
function ipv6Hex(text: string): string | undefined {
  if (!text.includes(':') || text.includes('.')) return undefined;
  const halves = text.toLowerCase().split('::');
  if (halves.length > 2) return undefined;
  const parts = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const head = parts(halves[0]);
  const tail = parts(halves[1]);
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array<string>(fill).fill('0'), ...tail];
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => g.padStart(4, '0')).join('');
}

function isOwn(nh: NextHopAddr, c: InboundContext): boolean {
  if (nh.afi === 1) return c.ownV4.has(nh.addr >>> 0);
  return c.ownV6.has(Buffer.from(nh.addr).toString('hex'));
}

/** The first AS of the path when it starts with an AS_SEQUENCE, else undefined. */
function firstAs(v: AttrValues): number | undefined {
  const s = v.asPath[0];
  return s && s.type === 2 ? s.asns[0] : undefined;
}

function ownAsLoops(v: AttrValues, c: InboundContext): boolean {
  const count = pathContainsAs(v.asPath, c.localAs);
  if (c.allowasIn !== 'origin') return count > c.allowasIn;
  return count > 0 && originAs(v) !== c.localAs;
}

/** The origin AS: the last AS of the path, when the path ends with an AS_SEQUENCE. */
function originAs(v: AttrValues): number | undefined {
  const s = v.asPath[v.asPath.length - 1];
  return s && s.type === 2 ? s.asns[s.asns.length - 1] : undefined;
}

/**
 * Judges the values of a received UPDATE. Returns undefined when its routes may be installed.
 * Malformations come before loops: a malformed UPDATE is logged even when it also loops.
 */
export function validateInbound(v: AttrValues, c: InboundContext): InboundVerdict | undefined {
  // RFC 5065 §5.3 / RFC 7606 §7.2 (malformed-input case 13): AS_CONFED_SEQUENCE / AS_CONFED_SET
  // from a peer outside our confederation make the AS_PATH malformed: treat-as-withdraw.
  if (!c.confedPeer && v.asPath.some((s) => s.type === 3 || s.type === 4)) {
    return {
      action: 'treat-as-withdraw',
      typeCode: ATTR_AS_PATH,
      rule: 'confed-segment',
      reason: 'AS_PATH has confederation segments from a non-confederation peer',
    };
  }
  // RFC 4271 §6.3: "the leftmost AS in the AS_PATH" of an UPDATE from an external peer must be
  // the peer's AS, else Malformed AS_PATH; RFC 7606 §7.2 makes that treat-as-withdraw (case 13).
  // A 2-octet session with a 4-octet peer AS shows AS_TRANS there (RFC 6793 §4.2.2).
  if (!c.ibgp && c.enforceFirstAs !== false) {
    const first = firstAs(v);
    const transOk = !c.fourOctetAs && needsFourOctets(c.peerAs) && first === AS_TRANS;
    if (first !== c.peerAs && !transOk) {
      return {
        action: 'treat-as-withdraw',
        typeCode: ATTR_AS_PATH,
        rule: 'first-as',
        reason: `first AS ${first ?? 'none'} is not the peer AS ${c.peerAs}`,
      };
    }
  }
  // RFC 4271 §6.3: a NEXT_HOP that is an address of the receiving speaker is semantically wrong;
  // RFC 7606 §7.3 makes that treat-as-withdraw (case 15). MP next hops are judged alike (FRR does).
  if (v.nextHop && isOwn(v.nextHop, c)) {
    return {
      action: 'treat-as-withdraw',
      typeCode: ATTR_NEXT_HOP,
      rule: 'next-hop-self',
      reason: 'next hop is one of our own addresses',
    };
  }
  // RFC 4271 §9.1.2: our own AS in the path is a loop (allowas-in tolerates N occurrences, or
  // any number when ours is the origin AS).
  if (ownAsLoops(v, c)) {
    return {
      action: 'ignore',
      typeCode: ATTR_AS_PATH,
      rule: 'as-loop',
      reason: `AS ${c.localAs} in the path`,
    };
  }
  // RFC 4456 §8: our router id as ORIGINATOR_ID, or our CLUSTER_ID in CLUSTER_LIST (case 19).
  // From eBGP the codec already discarded both attributes (RFC 7606 §7.9, §7.10).
  if (c.ibgp && v.originatorId === c.routerId) {
    return {
      action: 'ignore',
      typeCode: ATTR_ORIGINATOR_ID,
      rule: 'originator-id',
      reason: 'ORIGINATOR_ID is our router id',
    };
  }
  if (c.ibgp && v.clusterList.includes(c.clusterId)) {
    return {
      action: 'ignore',
      typeCode: ATTR_CLUSTER_LIST,
      rule: 'cluster-loop',
      reason: 'CLUSTER_LIST contains our cluster id',
    };
  }
  return undefined;
}
