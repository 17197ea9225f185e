// VPN-IPv4 / VPN-IPv6 NLRI (SAFI 128): RFC 4364 §4.3.4, RFC 4659 §3.2, labels per RFC 8277.
//   [path id (4), RFC 7911] length-in-bits (1) | label stack (3 each) | RD (8) | prefix
// The length covers labels + RD + prefix, so with one label it is at least 24 + 64 = 88 and the
// prefix part is at most 32 (VPNv4) or 128 (VPNv6) bits.
//
// This is the hot path of a VPN route reflector: one bounds check per NLRI against the end, the
// address built as a number, and only the NLRI, its prefix, labels and RD objects allocated.

import { WireError } from '../errors.js';
import { rdAt, writeRd } from '../rd.js';
import type { Reader } from '../reader.js';
import type { VpnNlri } from '../types.js';
import type { Writer } from '../writer.js';
import { readLabelStack, writeLabels } from './labeled.js';
import { maxPrefixLen, nlriError, prefixAt, writePrefixBody } from './prefix.js';

export function decodeVpnList(
  afi: number,
  r: Reader,
  addPath: boolean,
  withdraw: boolean,
  subcode: number,
): VpnNlri[] {
  const b = r.buf;
  const end = r.end;
  const max = maxPrefixLen(afi);
  const out: VpnNlri[] = [];
  let p = r.pos;
  while (p < end) {
    let pathId = 0;
    if (addPath) {
      if (p + 5 > end) throw nlriError(`VPN NLRI at ${p}: path identifier truncated`, subcode);
      pathId = b.readUInt32BE(p);
      p += 4;
    }
    const bits = b[p]!;
    // RFC 4364 §4.3.4 / RFC 7606 §5.3: a length below one label + RD cannot be parsed.
    if (bits < 88) {
      throw nlriError(`VPN NLRI at ${p}: length ${bits} < 88 (label + RD)`, subcode);
    }
    const n = (bits + 7) >> 3;
    if (p + 1 + n > end) {
      throw nlriError(`VPN NLRI at ${p}: length ${bits} bits runs past the end`, subcode);
    }
    const labels = readLabelStack(b, p + 1, bits - 64, withdraw);
    if (labels === undefined) {
      throw nlriError(
        `VPN NLRI at ${p}: no bottom-of-stack label within ${bits} bits that leaves room for the RD`,
        subcode,
      );
    }
    const used = labels.length * 3;
    const plen = bits - used * 8 - 64;
    if (plen > max) {
      throw nlriError(`VPN NLRI at ${p}: prefix length ${plen} > ${max}`, subcode);
    }
    const q = p + 1 + used;
    // RFC 4364 §4.2: an RD of an unknown type is still an RD; it is kept as received.
    const rd = rdAt(b, q);
    const prefix = prefixAt(afi, b, q + 8, plen);
    p += 1 + n;
    out.push(
      addPath ? { kind: 'vpn', labels, rd, prefix, pathId } : { kind: 'vpn', labels, rd, prefix },
    );
  }
  r.pos = end;
  return out;
}

export function encodeVpn(w: Writer, n: VpnNlri, withdraw: boolean): void {
  const lenAt = w.reserve(1);
  const bits = writeLabels(w, n.labels, withdraw) + 64 + n.prefix.len;
  if (bits > 255) {
    throw new WireError('update', `VPN NLRI of ${bits} bits does not fit the length octet`);
  }
  w.patchU8(lenAt, bits);
  writeRd(w, n.rd);
  writePrefixBody(w, n.prefix);
}
