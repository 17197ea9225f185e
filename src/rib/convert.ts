// Between the wire's attribute lists and the RIB's attribute values, in both directions,
// including the RFC 6793 2-octet/4-octet AS reconciliation.

import { EMPTY_ATTR_VALUES, type AttrValues, type NextHopAddr } from '../model/attrset.js';
import { as2, AS_TRANS, needsFourOctets } from '../wire/asn.js';
import { attrCode, attrFlags } from '../wire/attrs/index.js';
import { encodeCommonAttributes, type PathWriter } from '../wire/attrs/set-encode.js';
import type { AttrWriter } from '../wire/update-pack.js';
import {
  ATTR_FLAG_OPTIONAL,
  ATTR_FLAG_PARTIAL,
  ATTR_FLAG_TRANSITIVE,
  type AsPathSegment,
  type NextHop,
  type PathAttribute,
} from '../wire/types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The next hop the RIB keeps, from an MP_REACH next hop (the RD of VPN next hops is 0 and dropped). */
export function nextHopAddrOf(nh: NextHop): NextHopAddr | undefined {
  switch (nh.kind) {
    case 'ipv4':
    case 'vpn-ipv4':
      return { afi: 1, addr: nh.addr };
    case 'ipv6':
    case 'vpn-ipv6':
      return nh.linkLocal
        ? { afi: 2, addr: nh.global, linkLocal: nh.linkLocal }
        : { afi: 2, addr: nh.global };
    case 'raw':
      return undefined;
    default: {
      const never: never = nh;
      return never;
    }
  }
}

function countAs(segs: readonly AsPathSegment[]): number {
  let n = 0;
  for (const s of segs) {
    if (s.type === 2) n += s.asns.length;
    else if (s.type === 1) n += 1;
  }
  return n;
}

/** RFC 6793 §4.2.3: rebuild the 4-octet path from AS_PATH and AS4_PATH of a 2-octet speaker. */
export function mergeAs4Path(
  asPath: readonly AsPathSegment[],
  as4Path: readonly AsPathSegment[],
): AsPathSegment[] {
  const n = countAs(asPath);
  const n4 = countAs(as4Path);
  // "if the number of AS numbers in the AS_PATH attribute is less than the number of AS numbers in
  // the AS4_PATH attribute, then the AS4_PATH attribute SHALL be ignored".
  if (n < n4) return [...asPath];
  let keep = n - n4;
  const out: AsPathSegment[] = [];
  for (const s of asPath) {
    if (keep <= 0) {
      // Confederation segments before the AS4_PATH part are kept as they are.
      if (s.type === 3 || s.type === 4) out.push(s);
      continue;
    }
    if (s.type === 2) {
      const take = Math.min(keep, s.asns.length);
      out.push({ type: 2, asns: s.asns.slice(0, take) });
      keep -= take;
    } else if (s.type === 1) {
      out.push(s);
      keep -= 1;
    } else {
      out.push(s);
    }
  }
  return [...out, ...as4Path];
}

/**
 * The attribute values of a received UPDATE. `fourOctetAs` is the session's RFC 6793 state;
 * `mpNextHop` the MP_REACH next hop when the NLRI came in MP_REACH.
 */
export function valuesFromWire(
  attrs: readonly PathAttribute[],
  fourOctetAs: boolean,
  mpNextHop?: NextHop,
): AttrValues {
  const v: Mutable<AttrValues> = { ...EMPTY_ATTR_VALUES };
  const others: PathAttribute[] = [];
  let asPath: readonly AsPathSegment[] = [];
  let as4Path: readonly AsPathSegment[] | undefined;
  let as4Aggregator: { asn: number; id: number } | undefined;
  for (const a of attrs) {
    switch (a.kind) {
      case 'origin':
        v.origin = a.value;
        break;
      case 'as-path':
        asPath = a.segments;
        break;
      case 'as4-path':
        as4Path = a.segments;
        break;
      case 'next-hop':
        v.nextHop = { afi: 1, addr: a.addr };
        break;
      case 'med':
        v.med = a.value;
        break;
      case 'local-pref':
        v.localPref = a.value;
        break;
      case 'atomic-aggregate':
        v.atomicAggregate = true;
        break;
      case 'aggregator':
        v.aggregator = { asn: a.asn, id: a.id };
        break;
      case 'as4-aggregator':
        as4Aggregator = { asn: a.asn, id: a.id };
        break;
      case 'communities':
        v.communities = a.values;
        break;
      case 'originator-id':
        v.originatorId = a.id;
        break;
      case 'cluster-list':
        v.clusterList = a.ids;
        break;
      case 'ext-communities':
        v.extCommunities = a.values;
        break;
      case 'large-communities':
        v.largeCommunities = a.values;
        break;
      case 'otc':
        v.otc = a.asn;
        break;
      case 'mp-reach':
      case 'mp-unreach':
        break;
      case 'ipv6-ext-communities':
      case 'unknown':
        others.push(a);
        break;
      default: {
        const never: never = a;
        return never;
      }
    }
  }
  if (mpNextHop) {
    const nh = nextHopAddrOf(mpNextHop);
    if (nh) v.nextHop = nh;
  }
  v.asPath = asPath;
  if (!fourOctetAs) {
    // RFC 6793 §4.2.3: AS4_AGGREGATOR and AS4_PATH count only when AGGREGATOR says AS_TRANS.
    const aggTrans = v.aggregator === undefined || v.aggregator.asn === AS_TRANS;
    if (aggTrans && as4Aggregator) v.aggregator = as4Aggregator;
    if (aggTrans && as4Path) v.asPath = mergeAs4Path(asPath, as4Path);
  }
  v.others = others;
  return v;
}

function needs4(segs: readonly AsPathSegment[]): boolean {
  for (const s of segs) for (const a of s.asns) if (needsFourOctets(a)) return true;
  return false;
}

export interface ToWireOptions {
  /** The receiving session negotiated 4-octet AS numbers. */
  readonly fourOctetAs: boolean;
  /** Include LOCAL_PREF (iBGP only: RFC 4271 §5.1.5). */
  readonly localPref: boolean;
  /** Set the Partial bit on optional transitive attributes we pass on without recognizing (RFC 4271 §5). */
  readonly markPartial: boolean;
}

/**
 * The path attributes (without MP_REACH and NEXT_HOP, which depend on the family) for a set of
 * values, in type-code order (RFC 4271 §5: "SHOULD be ordered by type code" is a recommendation
 * that helps peers and byte-level comparison).
 */
export function valuesToWire(v: AttrValues, o: ToWireOptions): PathAttribute[] {
  const out: PathAttribute[] = [];
  out.push({ kind: 'origin', flags: attrFlags('origin'), value: v.origin });
  if (o.fourOctetAs || !needs4(v.asPath)) {
    out.push({ kind: 'as-path', flags: attrFlags('as-path'), segments: v.asPath });
  } else {
    // RFC 6793 §4.2.2: a NEW speaker sending to an OLD one substitutes AS_TRANS and adds AS4_PATH.
    const two = v.asPath.map((s) => ({
      type: s.type,
      asns: s.asns.map(as2),
    }));
    out.push({ kind: 'as-path', flags: attrFlags('as-path'), segments: two });
    const as4 = v.asPath.filter((s) => s.type === 1 || s.type === 2);
    out.push({ kind: 'as4-path', flags: attrFlags('as4-path'), segments: as4 });
  }
  if (v.med !== undefined) out.push({ kind: 'med', flags: attrFlags('med'), value: v.med });
  if (o.localPref)
    out.push({ kind: 'local-pref', flags: attrFlags('local-pref'), value: v.localPref ?? 100 });
  if (v.atomicAggregate)
    out.push({ kind: 'atomic-aggregate', flags: attrFlags('atomic-aggregate') });
  if (v.aggregator) {
    if (o.fourOctetAs || !needsFourOctets(v.aggregator.asn)) {
      out.push({ kind: 'aggregator', flags: attrFlags('aggregator'), ...v.aggregator });
    } else {
      out.push({
        kind: 'aggregator',
        flags: attrFlags('aggregator'),
        asn: AS_TRANS,
        id: v.aggregator.id,
      });
      out.push({ kind: 'as4-aggregator', flags: attrFlags('as4-aggregator'), ...v.aggregator });
    }
  }
  if (v.communities.length)
    out.push({ kind: 'communities', flags: attrFlags('communities'), values: v.communities });
  if (v.originatorId !== undefined)
    out.push({ kind: 'originator-id', flags: attrFlags('originator-id'), id: v.originatorId });
  if (v.clusterList.length)
    out.push({ kind: 'cluster-list', flags: attrFlags('cluster-list'), ids: v.clusterList });
  if (v.extCommunities.length)
    out.push({
      kind: 'ext-communities',
      flags: attrFlags('ext-communities'),
      values: v.extCommunities,
    });
  if (v.largeCommunities.length) {
    out.push({
      kind: 'large-communities',
      flags: attrFlags('large-communities'),
      values: v.largeCommunities,
    });
  }
  if (v.otc !== undefined) out.push({ kind: 'otc', flags: attrFlags('otc'), asn: v.otc });
  for (const a of v.others) {
    // RFC 4271 §9: unrecognized non-transitive optional attributes are not passed on.
    if (a.kind === 'unknown' && (a.flags & ATTR_FLAG_TRANSITIVE) === 0) continue;
    if (a.kind === 'unknown' && o.markPartial && a.flags & ATTR_FLAG_OPTIONAL) {
      out.push({ ...a, flags: a.flags | ATTR_FLAG_PARTIAL });
    } else out.push(a);
  }
  // Built in type-code order but for AS4_PATH, AS4_AGGREGATOR and unknown attributes: sort only
  // then (Array.prototype.sort copies the array: ~200 MB over a realistic 1M table's sets).
  for (let i = 1; i < out.length; i++) {
    if (codeOf(out[i - 1]!) > codeOf(out[i]!)) {
      out.sort((a, b) => codeOf(a) - codeOf(b));
      break;
    }
  }
  return out;
}

export function codeOf(a: PathAttribute): number {
  return attrCode(a);
}

/** What an update group packs a set with: its attribute objects, or a writer of their octets. */
export type WireAttrs = readonly PathAttribute[] | AttrWriter;

/**
 * The path attributes for a set of values as valuesToWire gives them, or, for a set of only the
 * common attributes (ORIGIN, AS_PATH, MED, LOCAL_PREF, COMMUNITIES, EXTENDED_COMMUNITIES, and no
 * AS4_PATH to add), a writer of the same octets without an attribute object each (what nearly
 * every set of a table is, and an update group packs each of its sets).
 */
export function wireAttrs(v: AttrValues, o: ToWireOptions, path?: PathWriter): WireAttrs {
  // `path`: the set's AS path as a writer (out-set.ts packedPathWriter), taken towards a 4-octet
  // speaker only (towards a 2-octet one AS4_PATH may be needed, which reads the segments). Else
  // read once: an outbound set makes its eBGP AS path when read (outbound.ts sentPath).
  const segments = path !== undefined && o.fourOctetAs ? undefined : v.asPath;
  if (
    (segments !== undefined && !o.fourOctetAs && needs4(segments)) ||
    v.atomicAggregate ||
    v.aggregator !== undefined ||
    v.originatorId !== undefined ||
    v.clusterList.length > 0 ||
    v.largeCommunities.length > 0 ||
    v.otc !== undefined ||
    v.others.length > 0
  )
    return valuesToWire(v, o);
  const { origin, med, communities, extCommunities } = v;
  const asPath = segments ?? path!;
  const localPref = o.localPref ? (v.localPref ?? 100) : undefined;
  return (w, ctx) =>
    encodeCommonAttributes(w, ctx, origin, asPath, med, localPref, communities, extCommunities);
}
