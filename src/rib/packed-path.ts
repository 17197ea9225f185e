// An interned set's AS path as one string of 16-bit units: per segment its type and its count,
// then each ASN as two units (high, low). A realistic table's sets each have their own path (80%
// distinct, bench/README.md "Attribute sets"): as a list of frozen segments it was ~180 octets
// (the list, its store, a segment object, the ASN list and its store: five objects), as a string
// ~40 (one object, nothing to freeze: a string cannot change). The segments are made when read
// (intern.ts InternedSet asPath); the readers of a set's path read it once per set they send or
// judge, not per route (the decision process reads the path length, kept as a number, and the
// neighbor AS, read from the string's first units by packedNeighborAs).

import {
  AS_CONFED_SEQUENCE,
  AS_CONFED_SET,
  AS_SEQUENCE,
  type AsPathSegment,
} from '../wire/types.js';

type Segments = readonly AsPathSegment[];

const EMPTY: readonly never[] = Object.freeze([]);

/** Reused for every pack: the units are handed to String.fromCharCode at once. */
const units: number[] = [];

/** The packed form of a path ('' for the empty path). */
export function packPath(path: Segments): string {
  if (path.length === 0) return '';
  let n = 0;
  for (let i = 0; i < path.length; i++) {
    const s = path[i]!;
    units[n++] = s.type;
    units[n++] = s.asns.length;
    const asns = s.asns;
    for (let k = 0; k < asns.length; k++) {
      const a = asns[k]!;
      units[n++] = a >>> 16;
      units[n++] = a & 0xffff;
    }
  }
  units.length = n;
  if (n <= CHUNK) return String.fromCharCode.apply(undefined, units);
  // A long path (up to ~32k units in a 65535-octet attribute) in pieces: apply() passes its
  // array as arguments, on the stack.
  let out = '';
  for (let i = 0; i < n; i += CHUNK)
    out += String.fromCharCode.apply(undefined, units.slice(i, i + CHUNK));
  return out;
}

const CHUNK = 4096;

/** The frozen segments of a packed path. */
export function unpackPath(p: string): Segments {
  if (p.length === 0) return EMPTY;
  let count = 0;
  for (let at = 0; at < p.length; at += 2 + 2 * p.charCodeAt(at + 1)) count++;
  const out = new Array<AsPathSegment>(count);
  for (let at = 0, i = 0; i < count; i++) {
    const type = p.charCodeAt(at) as AsPathSegment['type'];
    const len = p.charCodeAt(at + 1);
    at += 2;
    const asns = new Array<number>(len);
    for (let k = 0; k < len; k++, at += 2)
      asns[k] = p.charCodeAt(at) * 0x10000 + p.charCodeAt(at + 1);
    out[i] = Object.freeze({ type, asns: Object.freeze(asns) });
  }
  return Object.freeze(out);
}

/**
 * The neighbor AS of a packed path (model/attrset.ts neighborAsOf): the first AS of the first
 * segment past the confederation ones (RFC 5065 §5.3), where that segment is an AS_SEQUENCE.
 */
export function packedNeighborAs(p: string): number | undefined {
  for (let at = 0; at < p.length; at += 2 + 2 * p.charCodeAt(at + 1)) {
    const type = p.charCodeAt(at);
    if (type === AS_CONFED_SEQUENCE || type === AS_CONFED_SET) continue;
    if (type !== AS_SEQUENCE || p.charCodeAt(at + 1) === 0) return undefined;
    return p.charCodeAt(at + 2) * 0x10000 + p.charCodeAt(at + 3);
  }
  return undefined;
}
