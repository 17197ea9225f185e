// The path attributes of a TABLE_DUMP_V2 RIB entry (RFC 6396 §4.3.4): as in an UPDATE, with AS
// numbers always in 4 octets, except MP_REACH_NLRI, which keeps only its next hop.

import { decodeAttributeValue, encodeAttribute, readAttrHeader } from '../attrs/index.js';
import type { CodecContext } from '../context.js';
import { WireError } from '../errors.js';
import { decodeNextHop, encodeNextHop, nextHopLength } from '../nexthop.js';
import {
  ATTR_FLAG_EXTENDED,
  ATTR_FLAG_OPTIONAL,
  ATTR_MP_REACH,
  ATTR_NEXT_HOP,
  type PathAttribute,
} from '../types.js';
import type { Writer } from '../writer.js';

/**
 * RFC 6396 §4.3.4: "the BGP Attribute fields contain 4-byte AS numbers"; no path identifiers in
 * attributes. Receive-side rules that need a session (iBGP-only attributes) are not applied.
 */
export const MRT_ATTR_CONTEXT: CodecContext = {
  fourOctetAs: true,
  addPath: new Set(),
  extendedMessage: true,
};

function mrtError(reason: string): WireError {
  return new WireError('mrt', reason);
}

/**
 * Decodes the attributes of one RIB entry of (afi, safi) from exactly their octets. Throws
 * WireError('mrt') naming the attribute when one does not parse.
 */
export function decodeRibAttributes(value: Buffer, afi: number, safi: number): PathAttribute[] {
  const out: PathAttribute[] = [];
  let pos = 0;
  while (pos < value.length) {
    const h = readAttrHeader(value, pos, value.length);
    if (typeof h === 'string') throw mrtError(`attribute at octet ${pos}: ${h}`);
    const v = value.subarray(h.valueStart, h.end);
    pos = h.end;
    if (h.code === ATTR_MP_REACH) {
      out.push(decodeShortMpReach(v, h.flags, afi, safi));
      continue;
    }
    if (h.code === ATTR_NEXT_HOP) {
      // A table records what was there: RFC 4271 §6.3's judgement of an address is the
      // receiving session's, and local routes are dumped with 0.0.0.0 by some writers.
      if (v.length !== 4) throw mrtError(`NEXT_HOP at octet ${h.start}: length ${v.length}, not 4`);
      out.push({ kind: 'next-hop', flags: h.flags, addr: v.readUInt32BE(0) });
      continue;
    }
    try {
      out.push(decodeAttributeValue(h.code, h.flags, v, MRT_ATTR_CONTEXT));
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      throw mrtError(`attribute ${h.code} at octet ${h.start}: ${e.message}`);
    }
  }
  return out;
}

/**
 * RFC 6396 §4.3.4: "only the Next Hop Address Length and Next Hop Address fields are included.
 * The Reserved field is omitted."
 */
function decodeShortMpReach(v: Buffer, flags: number, afi: number, safi: number): PathAttribute {
  const nhLen = v[0];
  if (nhLen === undefined || 1 + nhLen !== v.length) {
    throw mrtError(
      `MP_REACH_NLRI of a RIB entry: ${v.length} octets, next hop length ${nhLen ?? 'missing'} (RFC 6396 §4.3.4 keeps only the length and the next hop)`,
    );
  }
  try {
    const nextHop = decodeNextHop(afi, safi, v.subarray(1));
    return { kind: 'mp-reach', flags, afi, safi, nextHop, nlri: [] };
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    throw mrtError(`MP_REACH_NLRI of a RIB entry: ${e.message}`);
  }
}

/** Writes the attributes of one RIB entry (without their total length). */
export function encodeRibAttributes(w: Writer, attrs: readonly PathAttribute[]): void {
  for (const a of attrs) {
    if (a.kind !== 'mp-reach') {
      encodeAttribute(w, a, MRT_ATTR_CONTEXT);
      continue;
    }
    if (a.nlri.length || a.rawNlri) {
      throw mrtError('an MP_REACH_NLRI in a RIB entry carries no NLRI (RFC 6396 §4.3.4)');
    }
    // Optional, non-transitive (RFC 4760 §3); the value is at most 1 + 48 octets.
    const len = 1 + nextHopLength(a.nextHop);
    w.u8((a.flags | ATTR_FLAG_OPTIONAL) & ~ATTR_FLAG_EXTENDED)
      .u8(ATTR_MP_REACH)
      .u8(len);
    w.u8(len - 1);
    encodeNextHop(w, a.nextHop);
  }
}
