// An AS path written to the wire from its packed form (packed-path.ts: per segment its type and
// count, each ASN as two 16-bit units), with our AS prepended when asked: the octets encodeSegments
// writes for `prepend(unpackPath(p), asn)` (outbound.ts), without the segments. An update group
// writes the path of every set it sends (~230k per million routes of the realistic table): making
// the frozen segments and the prepended copy was ~80 ms of them (bench/README.md, round 9).

import { as2 } from '../wire/asn.js';
import { AS_SEQUENCE, MAX_SEGMENT_ASNS } from '../wire/types.js';
import type { Writer } from '../wire/writer.js';

/**
 * Writes packed path `p` as AS_PATH segments of `width`-octet ASNs (an ASN past 2 octets as
 * AS_TRANS for a 2-octet speaker, as encodeSegments does), `lead` prepended when defined.
 */
export function writePackedPath(
  w: Writer,
  p: string,
  lead: number | undefined,
  width: 2 | 4,
): void {
  let at = 0;
  if (lead !== undefined) {
    // RFC 4271 §5.1.2: prepended to the leading AS_SEQUENCE, or in a new one when that is full
    // or absent.
    const joins =
      p.length > 0 && p.charCodeAt(0) === AS_SEQUENCE && p.charCodeAt(1) < MAX_SEGMENT_ASNS;
    const n = joins ? p.charCodeAt(1) : 0;
    w.u8(AS_SEQUENCE).u8(n + 1);
    writeAsn(w, lead, width);
    if (joins) {
      writeAsns(w, p, 2, n, width);
      at = 2 + 2 * n;
    }
  }
  while (at < p.length) {
    const type = p.charCodeAt(at);
    const len = p.charCodeAt(at + 1);
    at += 2;
    // A longer run (a path made here, not received) goes as consecutive segments.
    for (let i = 0; i < len; i += MAX_SEGMENT_ASNS) {
      const n = Math.min(len - i, MAX_SEGMENT_ASNS);
      w.u8(type).u8(n);
      writeAsns(w, p, at + 2 * i, n, width);
    }
    at += 2 * len;
  }
}

function writeAsns(w: Writer, p: string, from: number, n: number, width: 2 | 4): void {
  for (let k = 0, at = from; k < n; k++, at += 2)
    writeAsn(w, p.charCodeAt(at) * 0x10000 + p.charCodeAt(at + 1), width);
}

function writeAsn(w: Writer, asn: number, width: 2 | 4): void {
  if (width === 2) w.u16(as2(asn));
  else w.u32(asn);
}
