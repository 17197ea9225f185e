// Packing outbound UPDATEs: NLRI that share an attribute set go into as few messages as the size
// limit allows (DESIGN.md: "fill messages to the size limit"). Attributes are encoded once per
// message group, not per prefix. The UPDATE layout is RFC 4271 §4.3; MP_REACH_NLRI and
// MP_UNREACH_NLRI are RFC 4760 §3-4, written here in place so that NLRI can be added until full.

import { FAMILIES, type FamilyName } from './afi.js';
import { attrFlags, encodeAttribute } from './attrs/index.js';
import { MAX_MESSAGE, maxMessageLength, type CodecContext } from './context.js';
import { beginMessage, endMessage } from './header.js';
import { encodeNextHop, nextHopLength } from './nexthop.js';
import { encodeNlri } from './nlri/index.js';
import { encodeAnnouncedKey, encodeWithdrawnKey } from './nlri/key.js';
import {
  ATTR_FLAG_EXTENDED,
  ATTR_MP_REACH,
  ATTR_MP_UNREACH,
  MSG_UPDATE,
  type NextHop,
  type Nlri,
  type PathAttribute,
} from './types.js';
import { Writer } from './writer.js';

/** A slab's octets: ~15 full 4096-octet UPDATEs, or ~280 of a realistic table's. */
const SLAB_OCTETS = 64 * 1024;
/**
 * Room past the size limit for the NLRI that overruns it before fillNlri rolls it back (a VPN
 * NLRI is at most 1 + 3 x labels + 8 + 16 octets). A longer one only makes the Writer grow: it
 * copies the slab into a larger one, and the views given out keep the old.
 */
const OVERRUN = 256;

/**
 * The writers shared by every call (packing is synchronous and never re-entered). `slab` writes
 * the messages: one after another into a slab, each returned as a view of its octets, so none is
 * copied out (a Buffer copied out per UPDATE was ~60 ms of a realistic 1M table's profile, its
 * ~230k UPDATEs mostly ~230 octets). A message starts only where the largest one fits, so a slab
 * is never written again under a view given out: once less is left, a new slab is taken and the
 * old one is the views' alone (the GC frees it with the last). `attrScratch` holds a set's
 * attributes while its messages are written (copied into each).
 */
const slab = new Writer(SLAB_OCTETS);
const attrScratch = new Writer(256);

/** Starts an UPDATE where one of up to `max` octets fits; returns where it starts. */
function startUpdate(w: Writer, max: number): number {
  const room = max + OVERRUN;
  if (w.buf.length - w.pos < room) {
    // Extended messages (RFC 8654: 65535 octets) take a slab of room for four.
    w.buf = Buffer.allocUnsafeSlow(Math.max(SLAB_OCTETS, 4 * room));
    w.pos = 0;
  }
  return beginMessage(w, MSG_UPDATE);
}

/** The message begun at `start`, its length patched: a view of the slab (never written again). */
function finishMessage(w: Writer, start: number, max: number): Buffer {
  endMessage(w, start, max);
  return w.buf.subarray(start, w.pos);
}

/**
 * Starts an MP attribute with the Extended Length bit (so it can grow as NLRI are added) and its
 * AFI/SAFI; returns where its length goes. finishMp patches it.
 */
function startMp(w: Writer, kind: 'mp-reach' | 'mp-unreach', afi: number, safi: number): number {
  w.u8(attrFlags(kind) | ATTR_FLAG_EXTENDED);
  w.u8(kind === 'mp-reach' ? ATTR_MP_REACH : ATTR_MP_UNREACH);
  const lenAt = w.reserve(2);
  w.u16(afi);
  w.u8(safi);
  return lenAt;
}

function finishMp(w: Writer, lenAt: number): void {
  w.patchU16(lenAt, w.pos - lenAt - 2);
}

/**
 * NLRI read one at a time: an array, or a list that makes each when asked (an update group's
 * announcements: made in bulk and held until packed, V8 promoted them, bench/README.md).
 */
export interface NlriSeq {
  readonly length: number;
  at(i: number): Nlri | undefined;
}

/** Writes the i-th NLRI of a run into w: from an NLRI object, or from a table key (withdrawals). */
type PutNlri = (w: Writer, i: number) => void;

/**
 * Encodes NLRI [from, n) into w while it ends at or before `limit` (the slab offset the message's
 * size limit puts its end at), and returns the index of the first NLRI left for the next message. Each NLRI is encoded once: one that overruns
 * the limit is rolled back (the Writer grows, so writing past the limit is harmless).
 */
function fillNlri(w: Writer, n: number, put: PutNlri, from: number, limit: number): number {
  let i = from;
  while (i < n) {
    const at = w.pos;
    put(w, i);
    if (w.pos > limit) {
      w.pos = at;
      break;
    }
    i++;
  }
  return i;
}

/**
 * Writes a set's path attributes (no MP_REACH, no NEXT_HOP) from its values: what encodeAttribute
 * writes for their attribute objects (a caller's way to skip making them, attrs/set-encode.ts).
 */
export type AttrWriter = (w: Writer, ctx: CodecContext) => void;

/**
 * UPDATEs announcing `nlri` (all of one family) with the attributes `attrs` (no MP_REACH, no
 * NEXT_HOP: this adds them; objects, or a writer of their octets) and next hop `nh`.
 */
export function packAnnounce(
  family: FamilyName,
  attrs: readonly PathAttribute[] | AttrWriter,
  nh: NextHop,
  nlri: NlriSeq,
  ctx: CodecContext,
): Buffer[] {
  const { afi, safi } = FAMILIES[family];
  const put: PutNlri = (pw, j) => encodeNlri(pw, nlri.at(j)!, afi, safi, ctx, false);
  return packAnnounced(family, attrs, nh, nlri.length, put, ctx);
}

/** Destinations of a family's table to announce: each by its key (nlri/key.ts) and its labels. */
export interface KeySeq {
  readonly length: number;
  key(i: number): string;
  labels(i: number): readonly number[];
}

/**
 * UPDATEs announcing the destinations named by their keys, path id 0: the bytes packAnnounce
 * writes for their NLRI (nlriFromKey), without an NLRI object per destination (what an update
 * group announces by the million, from its queue of keys).
 */
export function packAnnounceKeys(
  family: FamilyName,
  attrs: readonly PathAttribute[] | AttrWriter,
  nh: NextHop,
  keys: KeySeq,
  ctx: CodecContext,
): Buffer[] {
  const put: PutNlri = (w, i) => encodeAnnouncedKey(w, family, keys.key(i), keys.labels(i), ctx);
  return packAnnounced(family, attrs, nh, keys.length, put, ctx);
}

/** UPDATEs announcing n NLRI of one family, each written by `put`. */
function packAnnounced(
  family: FamilyName,
  attrs: readonly PathAttribute[] | AttrWriter,
  nh: NextHop,
  n: number,
  put: PutNlri,
  ctx: CodecContext,
): Buffer[] {
  const { afi, safi } = FAMILIES[family];
  const max = maxMessageLength(ctx);
  const out: Buffer[] = [];
  const w = slab;
  // Encode the shared attributes once.
  const aw = attrScratch;
  aw.pos = 0;
  if (typeof attrs === 'function') attrs(aw, ctx);
  else for (const a of attrs) encodeAttribute(aw, a, ctx);
  if (family === 'ipv4' && nh.kind === 'ipv4') {
    // RFC 4271 §4.3: IPv4 unicast NLRI travel in the UPDATE's own NLRI field with NEXT_HOP.
    encodeAttribute(aw, { kind: 'next-hop', flags: attrFlags('next-hop'), addr: nh.addr }, ctx);
  }
  // A view: aw is not written again until this call is done.
  const attrBytes = aw.view();
  let i = 0;
  while (i < n) {
    const first = i;
    const start = startUpdate(w, max);
    w.u16(0); // withdrawn routes length
    const attrLenAt = w.reserve(2);
    w.bytes(attrBytes);
    if (family === 'ipv4' && nh.kind === 'ipv4') {
      w.patchU16(attrLenAt, w.pos - attrLenAt - 2);
      i = fillNlri(w, n, put, i, start + max);
    } else {
      // RFC 4760 §3: MP_REACH_NLRI.
      const mpLenAt = startMp(w, 'mp-reach', afi, safi);
      w.u8(nextHopLength(nh));
      encodeNextHop(w, nh);
      w.u8(0); // reserved
      i = fillNlri(w, n, put, i, start + max);
      finishMp(w, mpLenAt);
      w.patchU16(attrLenAt, w.pos - attrLenAt - 2);
    }
    // Attributes that leave no room for one NLRI within the message size (RFC 4271 §4: 4096
    // octets; RFC 8654: 65535) cannot be sent at all: stop instead of looping on empty messages.
    if (i === first) {
      w.pos = start;
      break;
    }
    out.push(finishMessage(w, start, max));
  }
  return out;
}

/** UPDATEs withdrawing `nlri` (all of one family). */
export function packWithdraw(
  family: FamilyName,
  nlri: readonly Nlri[],
  ctx: CodecContext,
): Buffer[] {
  const { afi, safi } = FAMILIES[family];
  const put: PutNlri = (w, i) => encodeNlri(w, nlri[i]!, afi, safi, ctx, true);
  return packWithdrawn(family, nlri.length, put, ctx);
}

/**
 * UPDATEs withdrawing the destinations of a family's table named by their keys (nlri/key.ts),
 * path id 0: the bytes packWithdraw writes for their NLRI, without an NLRI object per key (an
 * Adj-RIB-Out keeps keys, and a full withdrawal of 1M routes made ~285 MB of them).
 */
export function packWithdrawKeys(
  family: FamilyName,
  keys: readonly string[],
  ctx: CodecContext,
): Buffer[] {
  const put: PutNlri = (w, i) => encodeWithdrawnKey(w, family, keys[i]!, ctx);
  return packWithdrawn(family, keys.length, put, ctx);
}

/** UPDATEs withdrawing n NLRI of one family, each written by `put`. */
function packWithdrawn(family: FamilyName, n: number, put: PutNlri, ctx: CodecContext): Buffer[] {
  const { afi, safi } = FAMILIES[family];
  const max = maxMessageLength(ctx);
  const out: Buffer[] = [];
  const w = slab;
  let i = 0;
  while (i < n) {
    const start = startUpdate(w, max);
    if (family === 'ipv4') {
      const wdLenAt = w.reserve(2);
      // Two octets (the path attribute length) still follow the withdrawn routes.
      i = fillNlri(w, n, put, i, start + max - 2);
      w.patchU16(wdLenAt, w.pos - wdLenAt - 2);
      w.u16(0); // total path attribute length
    } else {
      w.u16(0);
      const attrLenAt = w.reserve(2);
      // RFC 4760 §4: MP_UNREACH_NLRI.
      const mpLenAt = startMp(w, 'mp-unreach', afi, safi);
      i = fillNlri(w, n, put, i, start + max);
      finishMp(w, mpLenAt);
      w.patchU16(attrLenAt, w.pos - attrLenAt - 2);
    }
    out.push(finishMessage(w, start, max));
  }
  return out;
}

/** RFC 4724 §2: End-of-RIB: an empty UPDATE for IPv4 unicast, an empty MP_UNREACH otherwise. */
export function endOfRib(family: FamilyName): Buffer {
  const w = new Writer(40);
  beginMessage(w, MSG_UPDATE);
  if (family === 'ipv4') {
    w.u16(0);
    w.u16(0);
  } else {
    const { afi, safi } = FAMILIES[family];
    w.u16(0);
    const attrLenAt = w.reserve(2);
    // An empty MP_UNREACH_NLRI, without Extended Length (3 octets of value).
    w.u8(attrFlags('mp-unreach'));
    w.u8(ATTR_MP_UNREACH);
    w.u8(3);
    w.u16(afi);
    w.u8(safi);
    w.patchU16(attrLenAt, w.pos - attrLenAt - 2);
  }
  endMessage(w, 0, MAX_MESSAGE);
  return w.finish();
}
