// Plain prefixes: the IPv4 Withdrawn Routes / NLRI fields (RFC 4271 §4.3) and unicast / multicast
// NLRI in MP_REACH / MP_UNREACH (RFC 4760 §5), optionally with an RFC 7911 path identifier.
// Also the prefix-body helpers shared by the labeled, VPN and RTC codecs.
//
// Host bits: RFC 4271 §4.3 says the trailing bits after the prefix length are irrelevant, so
// decode zeroes them (types.ts: "host bits beyond len zero"). A prefix received with stray
// trailing bits therefore re-encodes with them cleared, not byte for byte.
//
// Speed: decoders read the Buffer through the Reader's buf/pos/end directly, check the bounds
// once per NLRI and set r.pos = r.end when done (the Reader spans exactly the NLRI octets).

import type { CodecContext } from '../context.js';
import { AFI_IPV4, SAFI_UNICAST, familyKey } from '../afi.js';
import { ERR_UPDATE, UPD_INVALID_NETWORK, WireError, notify } from '../errors.js';
import type { Reader } from '../reader.js';
import type { IpPrefix, Ipv4Prefix, Ipv6Prefix, PrefixNlri } from '../types.js';
import type { Writer } from '../writer.js';

/** The error every NLRI syntax problem raises (RFC 7606 §5.3: the NLRI cannot be parsed). */
export function nlriError(reason: string, subcode: number): WireError {
  return new WireError('update', reason, notify(ERR_UPDATE, subcode));
}

/**
 * What a length of 0 where a label stack must start most likely is: the first octet of a path
 * identifier (RFC 7911 §3, small ids start with 0) from a peer that sends them although add-path
 * was not negotiated for the family in this direction. Named in the error so the log says so.
 */
export function addPathHint(addPath: boolean, bits: number): string {
  return !addPath && bits === 0
    ? ' (a path identifier, RFC 7911 §3? add-path is not negotiated for this family)'
    : '';
}

/** Keeps the top `len` bits of an IPv4 address (unsigned). */
export function maskV4(addr: number, len: number): number {
  return len === 0 ? 0 : (addr & (0xffffffff << (32 - len))) >>> 0;
}

/** The IPv4 prefix of `len` bits stored at buf[p..] (bounds checked by the caller). */
export function v4At(buf: Buffer, p: number, len: number): number {
  if (len === 0) return 0;
  let a = buf[p]! << 24;
  if (len > 8) {
    a |= buf[p + 1]! << 16;
    if (len > 16) {
      a |= buf[p + 2]! << 8;
      if (len > 24) a |= buf[p + 3]!;
    }
  }
  return (a & (0xffffffff << (32 - len))) >>> 0;
}

/** The IPv6 prefix of `len` bits stored at buf[p..], in a fresh 16-octet array, host bits zero. */
export function v6At(buf: Buffer, p: number, len: number): Uint8Array {
  const out = new Uint8Array(16);
  const n = (len + 7) >> 3;
  for (let i = 0; i < n; i++) out[i] = buf[p + i]!;
  if (len & 7) out[n - 1] = out[n - 1]! & (0xff << (8 - (len & 7)));
  return out;
}

/** The prefix of `len` bits of `afi` at buf[p..] (bounds checked by the caller). */
export function prefixAt(afi: number, buf: Buffer, p: number, len: number): IpPrefix {
  return afi === AFI_IPV4
    ? ({ afi: 1, len, addr: v4At(buf, p, len) } satisfies Ipv4Prefix)
    : ({ afi: 2, len, addr: v6At(buf, p, len) } satisfies Ipv6Prefix);
}

/**
 * prefixAt for withdrawn NLRI, from allocation sites of its own: V8 pretenures the objects of a
 * literal whose objects mostly survive (announced prefixes live on in the RIB), so withdrawn
 * prefixes made by the same literal would go straight to the old generation and stay there as
 * garbage until the next full GC. Withdrawn ones die at once; here they die young.
 */
export function withdrawnPrefixAt(afi: number, buf: Buffer, p: number, len: number): IpPrefix {
  return afi === AFI_IPV4
    ? ({ afi: 1, len, addr: v4At(buf, p, len) } satisfies Ipv4Prefix)
    : ({ afi: 2, len, addr: v6At(buf, p, len) } satisfies Ipv6Prefix);
}

export function maxPrefixLen(afi: number): number {
  return afi === AFI_IPV4 ? 32 : 128;
}

/** Writes the ceil(len/8) address octets of a prefix (not the length octet). */
export function writePrefixBody(w: Writer, p: IpPrefix): void {
  const n = (p.len + 7) >> 3;
  if (p.afi === 1) {
    const a = p.addr;
    for (let i = 0; i < n; i++) w.u8(a >>> (24 - 8 * i));
  } else {
    for (let i = 0; i < n; i++) w.u8(p.addr[i] ?? 0);
  }
}

/** Unicast / multicast NLRI of `afi` filling the reader. */
export function decodePrefixList(
  afi: number,
  r: Reader,
  addPath: boolean,
  subcode: number,
  /** Withdrawn prefixes come from allocation sites of their own (withdrawnPrefixAt). */
  withdraw = false,
): PrefixNlri[] {
  const b = r.buf;
  const end = r.end;
  const max = maxPrefixLen(afi);
  const out: PrefixNlri[] = [];
  let p = r.pos;
  // A peer sending path identifiers (RFC 7911 §3) where add-path was not negotiated cannot, in
  // general, be told apart here: the identifier's octets read as prefix lengths, and a small one
  // (00 00 00 01, then /24 10.1.0) parses as 0.0.0.0/0 three times, a /1 and a /10, all valid
  // NLRI. VPN and labeled NLRI catch it (their length must cover a label and an RD: vpn.ts,
  // labeled.ts). When unicast NLRI do fail to parse and the field starts with a length of 0 (where
  // a path identifier's high octet would be), the error says it may be one.
  const hint = (): string => (p > r.pos ? addPathHint(addPath, b[r.pos]!) : '');
  while (p < end) {
    let pathId = 0;
    if (addPath) {
      // RFC 7911 §3: a 4-octet path identifier precedes the length octet.
      if (p + 5 > end) throw nlriError(`NLRI at ${p}: path identifier truncated`, subcode);
      pathId = b.readUInt32BE(p);
      p += 4;
    }
    const len = b[p]!;
    if (len > max) {
      throw nlriError(`NLRI at ${p}: prefix length ${len} > ${max}${hint()}`, subcode);
    }
    const n = (len + 7) >> 3;
    if (p + 1 + n > end) {
      throw nlriError(
        `NLRI at ${p}: /${len} needs ${n} octets, ${end - p - 1} left${hint()}`,
        subcode,
      );
    }
    p += 1 + n;
    if (withdraw) {
      const prefix = withdrawnPrefixAt(afi, b, p - n, len);
      out.push(addPath ? { kind: 'prefix', prefix, pathId } : { kind: 'prefix', prefix });
      continue;
    }
    const prefix = prefixAt(afi, b, p - n, len);
    out.push(addPath ? { kind: 'prefix', prefix, pathId } : { kind: 'prefix', prefix });
  }
  r.pos = end;
  return out;
}

/**
 * The IPv4 Withdrawn Routes / NLRI fields of an UPDATE. RFC 4271 §6.3: a prefix length > 32 or
 * a prefix overrunning the field is 3/10 Invalid Network Field.
 */
export function decodeIpv4Field(r: Reader, ctx: CodecContext, withdraw = false): PrefixNlri[] {
  return decodePrefixList(
    AFI_IPV4,
    r,
    ctx.addPath.has(familyKey(AFI_IPV4, SAFI_UNICAST)),
    UPD_INVALID_NETWORK,
    withdraw,
  );
}

export function encodePrefix(w: Writer, p: IpPrefix): void {
  w.u8(p.len);
  writePrefixBody(w, p);
}
