// The attributes nearly every outbound set is made of (ORIGIN, AS_PATH, MULTI_EXIT_DISC,
// LOCAL_PREF, COMMUNITIES, EXTENDED_COMMUNITIES), written from their values: the octets
// encodeAttribute writes for the attribute objects of these values, without an object each. An
// update group encodes each outbound set once when it packs it (~230k sets per million routes of
// the realistic table): the objects were ~93 MB of garbage per million routes, and some runs had
// V8 pretenure them (bench/README.md, "The realistic cell, round 7").

import type { CodecContext } from '../context.js';
import { encodeExtCommunity } from '../ext-community.js';
import {
  ATTR_AS_PATH,
  ATTR_COMMUNITIES,
  ATTR_EXT_COMMUNITIES,
  ATTR_LOCAL_PREF,
  ATTR_MED,
  ATTR_ORIGIN,
  type AsPathSegment,
  type ExtCommunity,
} from '../types.js';
import type { Writer } from '../writer.js';
import { attrFlags, beginAttribute, endAttribute } from './index.js';
import { encodeSegments } from './segments.js';

const ORIGIN = attrFlags('origin');
const AS_PATH = attrFlags('as-path');
const MED = attrFlags('med');
const LOCAL_PREF = attrFlags('local-pref');
const COMMUNITIES = attrFlags('communities');
const EXT_COMMUNITIES = attrFlags('ext-communities');

/**
 * Writes an AS path's segments with ASNs of `width` octets: what encodeSegments writes for the
 * path (a caller that keeps the path in another form than segments, rib/packed-path-wire.ts).
 */
export type PathWriter = (w: Writer, width: 2 | 4) => void;

/**
 * Writes, in type-code order (RFC 4271 §5), ORIGIN, AS_PATH (its ASNs 4 or 2 octets by
 * ctx.fourOctetAs, as the AS_PATH codec does: the caller sends no AS4_PATH with it), MED when
 * defined, LOCAL_PREF when defined, and COMMUNITIES and EXTENDED_COMMUNITIES when not empty.
 */
export function encodeCommonAttributes(
  w: Writer,
  ctx: CodecContext,
  origin: number,
  asPath: readonly AsPathSegment[] | PathWriter,
  med: number | undefined,
  localPref: number | undefined,
  communities: readonly number[],
  extCommunities: readonly ExtCommunity[],
): void {
  let at = beginAttribute(w, ORIGIN, ATTR_ORIGIN);
  w.u8(origin);
  endAttribute(w, at, ORIGIN);
  at = beginAttribute(w, AS_PATH, ATTR_AS_PATH);
  const width = ctx.fourOctetAs ? 4 : 2;
  if (typeof asPath === 'function') asPath(w, width);
  else encodeSegments(w, asPath, width);
  endAttribute(w, at, AS_PATH);
  if (med !== undefined) {
    at = beginAttribute(w, MED, ATTR_MED);
    w.u32(med);
    endAttribute(w, at, MED);
  }
  if (localPref !== undefined) {
    at = beginAttribute(w, LOCAL_PREF, ATTR_LOCAL_PREF);
    w.u32(localPref);
    endAttribute(w, at, LOCAL_PREF);
  }
  if (communities.length > 0) {
    at = beginAttribute(w, COMMUNITIES, ATTR_COMMUNITIES);
    for (let i = 0; i < communities.length; i++) w.u32(communities[i]!);
    endAttribute(w, at, COMMUNITIES);
  }
  if (extCommunities.length > 0) {
    at = beginAttribute(w, EXT_COMMUNITIES, ATTR_EXT_COMMUNITIES);
    for (let i = 0; i < extCommunities.length; i++) encodeExtCommunity(w, extCommunities[i]!);
    endAttribute(w, at, EXT_COMMUNITIES);
  }
}
