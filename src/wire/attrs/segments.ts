// The AS path segment list shared by AS_PATH (RFC 4271 §4.3, 2- or 4-octet ASNs per RFC 6793) and
// AS4_PATH (RFC 6793 §3, always 4-octet).

import { as2 } from '../asn.js';
import { AttrFault, type ErrorAction } from '../errors.js';
import { MAX_SEGMENT_ASNS, type AsPathSegment } from '../types.js';
import type { Writer } from '../writer.js';

/**
 * Decodes the segments of `width`-octet ASNs in value[from, to). A malformed list throws
 * AttrFault(subcode): RFC 7606 §7.2 (and RFC 6793 §6 for AS4_PATH) name an unknown segment type, a
 * zero segment length, an overrun and a one-octet underrun; RFC 7607 §2 adds AS 0 anywhere in the
 * path.
 */
export function decodeSegments(
  value: Uint8Array,
  from: number,
  to: number,
  width: 2 | 4,
  name: string,
  subcode: number,
  action?: ErrorAction,
): AsPathSegment[] {
  const out: AsPathSegment[] = [];
  const fault = (why: string): AttrFault => new AttrFault(`${name}: ${why}`, subcode, action);
  let p = from;
  while (p < to) {
    if (to - p < 2) throw fault('one octet left where a segment header must be');
    const type = value[p]!;
    const n = value[p + 1]!;
    p += 2;
    if (type < 1 || type > 4) throw fault(`segment type ${type}`);
    if (n === 0) throw fault('segment of length 0');
    if (p + n * width > to) throw fault(`segment of ${n} ASNs overruns the attribute`);
    const asns: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++, p += width) {
      const asn =
        width === 2
          ? (value[p]! << 8) | value[p + 1]!
          : ((value[p]! << 24) | (value[p + 1]! << 16) | (value[p + 2]! << 8) | value[p + 3]!) >>>
            0;
      if (asn === 0) throw fault('AS 0 in the path (RFC 7607)');
      asns[i] = asn;
    }
    out.push({ type: type as AsPathSegment['type'], asns });
  }
  return out;
}

export function encodeSegments(w: Writer, segments: readonly AsPathSegment[], width: 2 | 4): void {
  // Indexed, without a copy per chunk: this runs once per attribute set sent.
  for (let k = 0; k < segments.length; k++) {
    const s = segments[k]!;
    const asns = s.asns;
    // RFC 4271 §4.3: a segment holds at most 255 ASNs; longer runs become consecutive segments.
    for (let i = 0; i < asns.length; i += MAX_SEGMENT_ASNS) {
      const end = Math.min(asns.length, i + MAX_SEGMENT_ASNS);
      w.u8(s.type).u8(end - i);
      for (let j = i; j < end; j++) {
        if (width === 2) w.u16(as2(asns[j]!));
        else w.u32(asns[j]!);
      }
    }
  }
}
