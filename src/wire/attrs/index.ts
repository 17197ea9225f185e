// The attribute table (type code -> descriptor) and the common attribute header (RFC 4271 §4.3):
// flags, type code, and a 1- or 2-octet length chosen by the Extended Length bit.

import type { CodecContext } from '../context.js';
import { AttrFault, UPD_MALFORMED_ATTR_LIST, WireError } from '../errors.js';
import type { Reader } from '../reader.js';
import {
  ATTR_FLAG_EXTENDED,
  ATTR_FLAG_OPTIONAL,
  ATTR_FLAG_TRANSITIVE,
  type PathAttribute,
  type PathAttributeKind,
} from '../types.js';
import type { Writer } from '../writer.js';
import { aggregator } from './aggregator.js';
import { as4Aggregator } from './as4-aggregator.js';
import { as4Path } from './as4-path.js';
import { asPath } from './as-path.js';
import { atomicAggregate } from './atomic-aggregate.js';
import { clusterList } from './cluster-list.js';
import { copyOf } from './common.js';
import { communities } from './communities.js';
import type { AttrDescriptor } from './descriptor.js';
import { extCommunities } from './ext-communities.js';
import { ipv6ExtCommunities } from './ipv6-ext-communities.js';
import { largeCommunities } from './large-communities.js';
import { localPref } from './local-pref.js';
import { med } from './med.js';
import { mpReach } from './mp-reach.js';
import { mpUnreach } from './mp-unreach.js';
import { nextHop } from './next-hop.js';
import { origin } from './origin.js';
import { originatorId } from './originator-id.js';
import { otc } from './otc.js';

/** Any one descriptor (a union, since AttrDescriptor<K> is invariant in K). */
export type AnyAttrDescriptor = {
  [K in Exclude<PathAttributeKind, 'unknown'>]: AttrDescriptor<K>;
}[Exclude<PathAttributeKind, 'unknown'>];

const DESCRIPTORS: readonly AnyAttrDescriptor[] = [
  origin,
  asPath,
  nextHop,
  med,
  localPref,
  atomicAggregate,
  aggregator,
  communities,
  originatorId,
  clusterList,
  mpReach,
  mpUnreach,
  extCommunities,
  as4Path,
  as4Aggregator,
  ipv6ExtCommunities,
  largeCommunities,
  otc,
];

export const ATTR_TABLE: ReadonlyMap<number, AnyAttrDescriptor> = new Map(
  DESCRIPTORS.map((d) => [d.code, d]),
);

const BY_KIND: ReadonlyMap<PathAttributeKind, AnyAttrDescriptor> = new Map(
  DESCRIPTORS.map((d) => [d.kind, d]),
);

/** The Optional and Transitive bits a descriptor requires. */
export function expectedFlags(d: AnyAttrDescriptor): number {
  return (d.optional ? ATTR_FLAG_OPTIONAL : 0) | (d.transitive ? ATTR_FLAG_TRANSITIVE : 0);
}

/**
 * The flags we send an attribute with: the Optional and Transitive bits of its descriptor (RFC 4271
 * §5), no Partial bit (we originate it or pass it on recognised, RFC 4271 §5), Extended Length
 * chosen by encodeAttribute.
 */
export function attrFlags(kind: Exclude<PathAttributeKind, 'unknown'>): number {
  return expectedFlags(BY_KIND.get(kind)!);
}

/** The type code of a decoded attribute. */
export function attrCode(a: PathAttribute): number {
  if (a.kind === 'unknown') return a.code;
  const d = BY_KIND.get(a.kind);
  if (!d) throw new WireError('update', `no descriptor for attribute kind ${a.kind}`);
  return d.code;
}

/** One attribute's header as found in the Path Attributes field. */
export interface AttrHeader {
  readonly flags: number;
  readonly code: number;
  /** Offsets into the buffer: the whole attribute, and its value. */
  readonly start: number;
  readonly valueStart: number;
  readonly end: number;
}

/**
 * Reads the attribute header at buf[pos] within [pos, limit). Returns a reason string instead when
 * the attribute does not fit (RFC 7606 §4: fewer than 3 octets left, 4 with Extended Length, or
 * a length running past the Total Path Attribute Length).
 */
export function readAttrHeader(buf: Buffer, pos: number, limit: number): AttrHeader | string {
  const end = attrEnd(buf, pos, limit);
  if (end < 0) return attrHeaderFault(buf, pos, limit);
  return {
    flags: buf[pos]!,
    code: buf[pos + 1]!,
    start: pos,
    valueStart: attrValueStart(buf, pos),
    end,
  };
}

/**
 * The end of the attribute at buf[pos] within [pos, limit), or -1 when it does not fit (see
 * readAttrHeader; attrHeaderFault says why). Numbers only: the UPDATE walk reads every attribute's
 * header through this, without an object per attribute.
 */
export function attrEnd(buf: Buffer, pos: number, limit: number): number {
  const left = limit - pos;
  if (left < 3) return -1;
  const ext = (buf[pos]! & ATTR_FLAG_EXTENDED) !== 0;
  if (ext && left < 4) return -1;
  const end =
    attrValueStart(buf, pos) + (ext ? (buf[pos + 2]! << 8) | buf[pos + 3]! : buf[pos + 2]!);
  return end > limit ? -1 : end;
}

/** Where the value of the attribute at buf[pos] starts (after a 1- or 2-octet length). */
export function attrValueStart(buf: Buffer, pos: number): number {
  return pos + ((buf[pos]! & ATTR_FLAG_EXTENDED) !== 0 ? 4 : 3);
}

/** Why the attribute at buf[pos] does not fit [pos, limit) (attrEnd returned -1). */
export function attrHeaderFault(buf: Buffer, pos: number, limit: number): string {
  const left = limit - pos;
  if (left < 3) return `${left} octets left, too few for an attribute header`;
  const ext = (buf[pos]! & ATTR_FLAG_EXTENDED) !== 0;
  if (ext && left < 4) return `${left} octets left, too few for an extended-length header`;
  const len = ext ? (buf[pos + 2]! << 8) | buf[pos + 3]! : buf[pos + 2]!;
  const valueStart = attrValueStart(buf, pos);
  return `attribute ${buf[pos + 1]!} of length ${len} runs ${valueStart + len - limit} octets past the attribute list`;
}

/**
 * Decodes one attribute value by the table; codes without a descriptor are kept raw with their
 * flags. Throws AttrFault (or a 'truncated' WireError) when the value is malformed.
 */
export function decodeAttributeValue(
  code: number,
  flags: number,
  value: Buffer,
  ctx: CodecContext,
): PathAttribute {
  const d = ATTR_TABLE.get(code);
  if (!d) return { kind: 'unknown', flags, code, value: copyOf(value) };
  return d.decode(value, 0, value.length, flags, ctx);
}

/**
 * Reads one whole attribute (header and value) and moves the reader past it. Strict: throws
 * AttrFault on framing or value errors. update.ts walks the list itself to apply RFC 7606.
 */
export function decodeAttribute(r: Reader, ctx: CodecContext): PathAttribute {
  const h = readAttrHeader(r.buf, r.pos, r.end);
  if (typeof h === 'string') throw new AttrFault(h, UPD_MALFORMED_ATTR_LIST, 'treat-as-withdraw');
  r.pos = h.end;
  const d = ATTR_TABLE.get(h.code);
  if (!d) return decodeAttributeValue(h.code, h.flags, r.buf.subarray(h.valueStart, h.end), ctx);
  return d.decode(r.buf, h.valueStart, h.end, h.flags, ctx);
}

/**
 * Writes flags, type, length and value. Extended Length is set when the value exceeds 255 octets
 * and kept when the attribute's flags carry it, so a decoded attribute re-encodes byte for byte.
 */
export function encodeAttribute(w: Writer, a: PathAttribute, ctx: CodecContext): void {
  const lenAt = beginAttribute(w, a.flags, attrCode(a));
  if (a.kind === 'unknown') w.bytes(a.value);
  // The table is keyed by kind, so the descriptor found takes exactly this attribute's variant.
  else (BY_KIND.get(a.kind) as AttrDescriptor | undefined)?.encodeValue(w, a, ctx);
  endAttribute(w, lenAt, a.flags);
}

/**
 * Writes an attribute's flags and type code and reserves its length (two octets when the flags
 * carry Extended Length, else one); returns where the length goes. The value follows, then
 * endAttribute.
 */
export function beginAttribute(w: Writer, flags: number, code: number): number {
  w.u8(flags).u8(code);
  return w.reserve((flags & ATTR_FLAG_EXTENDED) !== 0 ? 2 : 1);
}

/**
 * Writes the length of the attribute begun with these flags (beginAttribute gave lenAt), setting
 * Extended Length when the value came out longer than 255 octets.
 */
export function endAttribute(w: Writer, lenAt: number, flags: number): void {
  let ext = (flags & ATTR_FLAG_EXTENDED) !== 0;
  let len = w.pos - lenAt - (ext ? 2 : 1);
  if (!ext && len > 255) {
    // Make room for the second length octet: shift the value right by one.
    w.u8(0);
    w.buf.copyWithin(lenAt + 2, lenAt + 1, w.pos - 1);
    ext = true;
    len = w.pos - lenAt - 2;
  }
  // The flags octet is two before the length (flags, type code, length).
  w.patchU8(lenAt - 2, ext ? flags | ATTR_FLAG_EXTENDED : flags);
  if (ext) w.patchU16(lenAt, len);
  else w.patchU8(lenAt, len);
}
