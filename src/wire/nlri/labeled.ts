// Labeled unicast NLRI (SAFI 4, RFC 8277) and the label stack shared with VPN NLRI.
// Label stack entries are kept raw as 24-bit numbers: label (20 bits) << 4 | TC (3) << 1 | BoS.

import { WireError } from '../errors.js';
import type { Reader } from '../reader.js';
import type { LabeledNlri } from '../types.js';
import type { Writer } from '../writer.js';
import {
  addPathHint,
  maxPrefixLen,
  nlriError,
  prefixAt,
  withdrawnPrefixAt,
  writePrefixBody,
} from './prefix.js';

/**
 * The labels of an NLRI without any, one frozen array for all: a route's share is found again
 * only for the same labels array (model/route.ts keyedRoute), so every empty stack is this one.
 */
export const NO_LABELS: readonly number[] = Object.freeze([]);

/** RFC 8277 §2.4: the label field value a withdrawal carries (and receivers ignore). */
export const WITHDRAW_LABEL = 0x800000;

/** A raw stack entry for `label` (20 bits), with the traffic class and bottom-of-stack bit. */
export function labelEntry(label: number, bos = true, tc = 0): number {
  return ((label & 0xfffff) << 4) | ((tc & 7) << 1) | (bos ? 1 : 0);
}

/** RFC 3032 §2.1: whether a raw stack entry is the last of its stack (bottom-of-stack bit). */
export function isBottomOfStack(entry: number): boolean {
  return (entry & 1) === 1;
}

/** The 20-bit label value of a raw stack entry. */
export function labelValue(entry: number): number {
  return entry >>> 4;
}

/**
 * Reads the label stack at buf[p..] within `bits` bits of the NLRI (its octets are known to be
 * in bounds). Announcements: entries up to and including the one with the BoS bit
 * (RFC 8277 §2.2). Withdrawals: exactly one 3-octet field, whatever it holds (RFC 8277 §2.4).
 * Returns undefined when the stack does not end inside `bits`. The octets used are 3 * length.
 */
export function readLabelStack(
  buf: Buffer,
  p: number,
  bits: number,
  withdraw: boolean,
): number[] | undefined {
  if (bits < 24) return undefined;
  const first = (buf[p]! << 16) | (buf[p + 1]! << 8) | buf[p + 2]!;
  // The common case, one label, allocates an array of exactly one element.
  if (withdraw || isBottomOfStack(first)) return [first];
  const out = [first];
  for (let q = p + 3; q + 3 - p <= bits >> 3; q += 3) {
    const e = (buf[q]! << 16) | (buf[q + 1]! << 8) | buf[q + 2]!;
    out.push(e);
    if (isBottomOfStack(e)) return out;
  }
  return undefined;
}

/** Writes the label field: the stack as given, or the compatibility value for a withdrawal. */
export function writeLabels(w: Writer, labels: readonly number[], withdraw: boolean): number {
  if (withdraw) {
    w.u24(WITHDRAW_LABEL);
    return 24;
  }
  if (labels.length === 0) {
    // RFC 8277 §2.2: an announcement carries at least one label.
    throw new WireError('update', 'labeled / VPN NLRI to announce has no label');
  }
  for (const l of labels) w.u24(l);
  return 24 * labels.length;
}

export function decodeLabeledList(
  afi: number,
  r: Reader,
  addPath: boolean,
  withdraw: boolean,
  subcode: number,
): LabeledNlri[] {
  const b = r.buf;
  const end = r.end;
  const max = maxPrefixLen(afi);
  const out: LabeledNlri[] = [];
  let p = r.pos;
  while (p < end) {
    let pathId = 0;
    if (addPath) {
      if (p + 5 > end) throw nlriError(`labeled NLRI at ${p}: path identifier truncated`, subcode);
      pathId = b.readUInt32BE(p);
      p += 4;
    }
    // RFC 8277 §2.2: the length in bits covers the label stack and the prefix.
    const bits = b[p]!;
    const n = (bits + 7) >> 3;
    if (p + 1 + n > end) {
      throw nlriError(`labeled NLRI at ${p}: length ${bits} bits runs past the end`, subcode);
    }
    const labels = readLabelStack(b, p + 1, bits, withdraw);
    if (labels === undefined) {
      throw nlriError(
        `labeled NLRI at ${p}: label stack has no bottom of stack${addPathHint(addPath, bits)}`,
        subcode,
      );
    }
    const used = labels.length * 3;
    const plen = bits - used * 8;
    if (plen > max) {
      throw nlriError(`labeled NLRI at ${p}: prefix length ${plen} > ${max}`, subcode);
    }
    const at = p + 1 + used;
    p += 1 + n;
    if (withdraw) {
      // Allocation sites of their own for NLRI that die at once (withdrawnPrefixAt says why).
      const prefix = withdrawnPrefixAt(afi, b, at, plen);
      out.push(
        addPath ? { kind: 'labeled', labels, prefix, pathId } : { kind: 'labeled', labels, prefix },
      );
      continue;
    }
    const prefix = prefixAt(afi, b, at, plen);
    out.push(
      addPath ? { kind: 'labeled', labels, prefix, pathId } : { kind: 'labeled', labels, prefix },
    );
  }
  r.pos = end;
  return out;
}

export function encodeLabeled(w: Writer, n: LabeledNlri, withdraw: boolean): void {
  const lenAt = w.reserve(1);
  const bits = writeLabels(w, n.labels, withdraw) + n.prefix.len;
  if (bits > 255) {
    throw new WireError('update', `labeled NLRI of ${bits} bits does not fit the length octet`);
  }
  w.patchU8(lenAt, bits);
  writePrefixBody(w, n.prefix);
}
