// Route target membership NLRI (SAFI 132, RFC 4684 §4):
//   [path id (4), RFC 7911] length-in-bits (1) | origin AS (4) | route target prefix (0..64 bits)
// Length 0 is the default route target (matches every RT) and has no origin AS; otherwise the
// length is 32..96. RtcNlri.len is the route target prefix length (length - 32), so the default
// decodes as { len: 0, originAs: 0 } and that value encodes back as length 0. (A 32-bit NLRI with
// origin AS 0 therefore re-encodes as the default; AS 0 is invalid anyway, RFC 7607.)

import { WireError } from '../errors.js';
import type { Reader } from '../reader.js';
import type { RtcNlri } from '../types.js';
import type { Writer } from '../writer.js';
import { nlriError } from './prefix.js';

export function decodeRtcList(
  r: Reader,
  addPath: boolean,
  _withdraw: boolean,
  subcode: number,
): RtcNlri[] {
  const b = r.buf;
  const end = r.end;
  const out: RtcNlri[] = [];
  let p = r.pos;
  while (p < end) {
    let pathId = 0;
    if (addPath) {
      if (p + 5 > end) throw nlriError(`RTC NLRI at ${p}: path identifier truncated`, subcode);
      pathId = b.readUInt32BE(p);
      p += 4;
    }
    const bits = b[p]!;
    let originAs = 0;
    let len = 0;
    let rt = new Uint8Array(0);
    if (bits !== 0) {
      // RFC 4684 §4: "the prefix length ... 0 or 32 to 96".
      if (bits < 32 || bits > 96) {
        throw nlriError(`RTC NLRI at ${p}: length ${bits} is not 0 or 32..96`, subcode);
      }
      const n = (bits + 7) >> 3;
      if (p + 1 + n > end) {
        throw nlriError(`RTC NLRI at ${p}: length ${bits} bits runs past the end`, subcode);
      }
      originAs = b.readUInt32BE(p + 1);
      len = bits - 32;
      rt = new Uint8Array(b.subarray(p + 5, p + 1 + n));
      // Trailing bits beyond the RT prefix are irrelevant; zero them like IP host bits.
      if (len & 7) rt[rt.length - 1] = rt[rt.length - 1]! & (0xff << (8 - (len & 7)));
    }
    p += 1 + ((bits + 7) >> 3);
    out.push(
      addPath ? { kind: 'rtc', len, originAs, rt, pathId } : { kind: 'rtc', len, originAs, rt },
    );
  }
  r.pos = end;
  return out;
}

export function encodeRtc(w: Writer, n: RtcNlri): void {
  if (n.len < 0 || n.len > 64) {
    throw new WireError('update', `RTC route target prefix length ${n.len} is not 0..64`);
  }
  if (n.len === 0 && n.originAs === 0) {
    w.u8(0);
    return;
  }
  w.u8(32 + n.len);
  w.u32(n.originAs);
  const k = (n.len + 7) >> 3;
  for (let i = 0; i < k; i++) w.u8(n.rt[i] ?? 0);
}
