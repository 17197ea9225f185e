// VPN-IPv4 / VPN-IPv6 NLRI (SAFI 128): RFC 4364 §4.3.4, RFC 4659 §3.2, labels per RFC 8277.
//   [path id (4), RFC 7911] length-in-bits (1) | label stack (3 each) | RD (8) | prefix
// The length covers labels + RD + prefix, so with one label it is at least 24 + 64 = 88 and the
// prefix part is at most 32 (VPNv4) or 128 (VPNv6) bits.
//
// This is the hot path of a VPN route reflector: one bounds check per NLRI against the end, the
// address built as a number, and only the NLRI, its prefix, labels and RD objects allocated.

import { WireError } from '../errors.js';
import { RD_ZERO, writeRd } from '../rd.js';
import type { Reader } from '../reader.js';
import type { Rd, VpnNlri } from '../types.js';
import type { Writer } from '../writer.js';
import { isBottomOfStack, NO_LABELS, readLabelStack, writeLabels } from './labeled.js';
import {
  addPathHint,
  maxPrefixLen,
  nlriError,
  prefixAt,
  withdrawnPrefixAt,
  writePrefixBody,
} from './prefix.js';

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
  // NLRI packed in one UPDATE mostly share their RD (one VRF) and often their label (per-VRF
  // label mode): consecutive equal ones share one object, which halves what the GC keeps.
  let lastRd: Rd = RD_ZERO;
  let lastLabels: readonly number[] = NO_LABELS;
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
      throw nlriError(
        `VPN NLRI at ${p}: length ${bits} < 88 (label + RD)${addPathHint(addPath, bits)}`,
        subcode,
      );
    }
    const n = (bits + 7) >> 3;
    if (p + 1 + n > end) {
      throw nlriError(`VPN NLRI at ${p}: length ${bits} bits runs past the end`, subcode);
    }
    const e0 = (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!;
    let labels = lastLabels;
    if (lastLabels.length !== 1 || e0 !== lastLabels[0] || !(withdraw || isBottomOfStack(e0))) {
      const read = readLabelStack(b, p + 1, bits - 64, withdraw);
      if (read === undefined) {
        throw nlriError(
          `VPN NLRI at ${p}: no bottom-of-stack label within ${bits} bits that leaves room for the RD`,
          subcode,
        );
      }
      labels = lastLabels = read;
    }
    const used = labels.length * 3;
    const plen = bits - used * 8 - 64;
    if (plen > max) {
      throw nlriError(`VPN NLRI at ${p}: prefix length ${plen} > ${max}`, subcode);
    }
    const q = p + 1 + used;
    // RFC 4364 §4.2: an RD of an unknown type is still an RD; it is kept as received.
    let rd = lastRd;
    const hi = ((b[q]! << 24) | (b[q + 1]! << 16) | (b[q + 2]! << 8) | b[q + 3]!) >>> 0;
    const lo = ((b[q + 4]! << 24) | (b[q + 5]! << 16) | (b[q + 6]! << 8) | b[q + 7]!) >>> 0;
    if (hi !== rd.hi || lo !== rd.lo) lastRd = rd = { hi, lo };
    p += 1 + n;
    if (withdraw) {
      // Allocation sites of their own for NLRI that die at once (withdrawnPrefixAt says why).
      const prefix = withdrawnPrefixAt(afi, b, q + 8, plen);
      out.push(
        addPath ? { kind: 'vpn', labels, rd, prefix, pathId } : { kind: 'vpn', labels, rd, prefix },
      );
      continue;
    }
    const prefix = prefixAt(afi, b, q + 8, plen);
    out.push(
      addPath ? { kind: 'vpn', labels, rd, prefix, pathId } : { kind: 'vpn', labels, rd, prefix },
    );
  }
  r.pos = end;
  return out;
}

/**
 * The length octet and the labels of a VPN NLRI whose prefix is `prefixLen` bits long: RFC 4364
 * §4.3.4, the length in bits covers labels, RD and prefix; RFC 8277 §2.4, a withdrawal's label
 * field is the one compatibility value. The RD and the prefix follow (the caller's).
 */
export function writeVpnHead(
  w: Writer,
  labels: readonly number[],
  withdraw: boolean,
  prefixLen: number,
): void {
  const lenAt = w.reserve(1);
  const bits = writeLabels(w, labels, withdraw) + 64 + prefixLen;
  if (bits > 255) {
    throw new WireError('update', `VPN NLRI of ${bits} bits does not fit the length octet`);
  }
  w.patchU8(lenAt, bits);
}

export function encodeVpn(w: Writer, n: VpnNlri, withdraw: boolean): void {
  writeVpnHead(w, n.labels, withdraw, n.prefix.len);
  writeRd(w, n.rd);
  writePrefixBody(w, n.prefix);
}
