// Destination keys: the identity of a destination in a table (the prefix, with the RD in front for
// VPN NLRI; labels and the path id are not part of it). A key is a short flat string of 16-bit
// code units built by one String.fromCharCode call: no number-to-text conversion and no
// concatenation (a concatenated string keeps its parts alive beside the flattened copy), so a
// VPNv4 key costs one 32-octet string where its decimal text cost about three strings. Keys are
// unique within one family, not across families; keyText() turns one back into text.

import { rdToText } from '../rd.js';
import { FAMILIES, familyKey, type FamilyName } from '../afi.js';
import type { CodecContext } from '../context.js';
import type { IpPrefix, Nlri, Rd } from '../types.js';
import type { Writer } from '../writer.js';
import { encodeNlri } from './index.js';
import { NO_LABELS } from './labeled.js';
import { writeVpnHead } from './vpn.js';
import { ipv4ToText, ipv6ToText } from './text.js';

/** IPv4: length, then the address as two 16-bit units. IPv6: length, then the significant octets in pairs. */
export function prefixKey(p: IpPrefix): string {
  if (p.afi === 1) return String.fromCharCode(p.len, p.addr >>> 16, p.addr & 0xffff);
  return String.fromCharCode(p.len, ...v6Units(p.addr, p.len));
}

function v6Units(addr: Uint8Array, len: number): number[] {
  const n = (len + 7) >> 3;
  const out: number[] = [];
  for (let i = 0; i < n; i += 2)
    out.push(((addr[i] ?? 0) << 8) | (i + 1 < n ? (addr[i + 1] ?? 0) : 0));
  return out;
}

export function nlriKey(n: Nlri): string {
  switch (n.kind) {
    case 'prefix':
    case 'labeled':
      return prefixKey(n.prefix);
    case 'vpn': {
      const { hi, lo } = n.rd;
      const p = n.prefix;
      // The hot path of a VPNv4 transit: the whole key in one call, no arrays.
      if (p.afi === 1) {
        return String.fromCharCode(
          hi >>> 16,
          hi & 0xffff,
          lo >>> 16,
          lo & 0xffff,
          p.len,
          p.addr >>> 16,
          p.addr & 0xffff,
        );
      }
      return String.fromCharCode(...rdUnits(n.rd), p.len, ...v6Units(p.addr, p.len));
    }
    case 'rtc': {
      let s = '';
      for (const x of n.rt) s += (x < 16 ? '0' : '') + x.toString(16);
      return `rtc:${n.originAs}:${n.len}:${s}`;
    }
    default: {
      const never: never = n;
      return never;
    }
  }
}

/**
 * The number of a VPNv4 key past its RD (units 4-6: the length, the address's two halves), exact
 * in a float64: what the VPN table and the Adj-RIB-Out find a VPNv4 key by (rib/v4-key-map.ts),
 * from a decoded NLRI without its key string.
 */
export function v4KeyNumber(len: number, addr: number): number {
  return len * 0x1_0000_0000 + (addr >>> 0);
}

/** The prefix length of a v4KeyNumber. */
export function v4NumberLen(n: number): number {
  return (n - (n >>> 0)) / 0x1_0000_0000;
}

/** The address of a v4KeyNumber. */
export function v4NumberAddr(n: number): number {
  return n >>> 0;
}

/** v4KeyNumber of a VPNv4 key (its last three units). */
export function v4KeyNumberOf(key: string): number {
  return v4KeyNumber(key.charCodeAt(4), (key.charCodeAt(5) << 16) | key.charCodeAt(6));
}

/** The prefix a key names (from `at`: 4 for VPN keys, past the RD). */
export function keyPrefix(key: string, afi: 1 | 2, at = 0): IpPrefix {
  const len = key.charCodeAt(at);
  if (afi === 1) {
    return { afi: 1, len, addr: ((key.charCodeAt(at + 1) << 16) | key.charCodeAt(at + 2)) >>> 0 };
  }
  const addr = new Uint8Array(16);
  for (let i = 0, c = at + 1; c < key.length; i += 2, c++) {
    const u = key.charCodeAt(c);
    addr[i] = u >>> 8;
    if (i + 1 < 16) addr[i + 1] = u & 0xff;
  }
  return { afi: 2, len, addr };
}

/** The RD of a VPN key. */
export function keyRd(key: string): Rd {
  const u = (i: number): number => key.charCodeAt(i);
  return { hi: ((u(0) << 16) | u(1)) >>> 0, lo: ((u(2) << 16) | u(3)) >>> 0 };
}

/**
 * The RD part of a VPN key: a VPN key is this followed by the prefix key (keys of 12 units or
 * fewer are flat when concatenated; V8 makes a rope only from 13 characters on).
 */
export function rdKeyPart(rd: Rd): string {
  return String.fromCharCode(...rdUnits(rd));
}

function rdUnits(rd: Rd): number[] {
  return [rd.hi >>> 16, rd.hi & 0xffff, rd.lo >>> 16, rd.lo & 0xffff];
}

/** The prefix part of a VPN key (the key a VRF table or the default table uses for it). */
export function vpnKeyPrefixPart(key: string): string {
  return key.slice(4);
}

/** Text of a key of a table of `afi`, VPN or not: `RD:prefix` or `prefix` (messages, events). */
export function keyText(key: string, afi: 1 | 2, vpn: boolean): string {
  if (key.startsWith('rtc:')) return key;
  const p = keyPrefix(key, afi, vpn ? 4 : 0);
  const text = `${p.afi === 1 ? ipv4ToText(p.addr) : ipv6ToText(p.addr)}/${p.len}`;
  return vpn ? `${rdToText(keyRd(key))}:${text}` : text;
}

/**
 * The NLRI a key of a family's table names, with the labels and path id given (what an
 * Adj-RIB-Out needs to withdraw or replay a destination without keeping its NLRI object).
 */
export function nlriFromKey(
  family: FamilyName,
  key: string,
  labels: readonly number[],
  pathId = 0,
): Nlri {
  // No spread of an optional path id: this runs per route on the outbound side (the tables keep
  // no NLRI object, model/route.ts receivedRoute).
  switch (family) {
    case 'ipv4':
    case 'ipv6': {
      const prefix = keyPrefix(key, family === 'ipv4' ? 1 : 2);
      return pathId !== 0 ? { kind: 'prefix', prefix, pathId } : { kind: 'prefix', prefix };
    }
    case 'ipv4-labeled':
    case 'ipv6-labeled': {
      const prefix = keyPrefix(key, family === 'ipv4-labeled' ? 1 : 2);
      return pathId !== 0
        ? { kind: 'labeled', labels, prefix, pathId }
        : { kind: 'labeled', labels, prefix };
    }
    case 'vpnv4':
    case 'vpnv6': {
      const rd = keyRd(key);
      const prefix = keyPrefix(key, family === 'vpnv4' ? 1 : 2, 4);
      return pathId !== 0
        ? { kind: 'vpn', labels, rd, prefix, pathId }
        : { kind: 'vpn', labels, rd, prefix };
    }
    case 'rtc': {
      // `rtc:ORIGIN-AS:LEN:HEX` (nlriKey above).
      const [, as, len, hex] = key.split(':');
      const rt = new Uint8Array((hex ?? '').length / 2);
      for (let i = 0; i < rt.length; i++) rt[i] = parseInt(hex!.slice(2 * i, 2 * i + 2), 16);
      const nlri: Nlri = { kind: 'rtc', originAs: Number(as), len: Number(len), rt };
      return pathId !== 0 ? { ...nlri, pathId } : nlri;
    }
    default: {
      const never: never = family;
      return never;
    }
  }
}

/**
 * Writes the withdrawn NLRI (path id 0) a key of a family's table names: the bytes encodeNlri
 * writes for nlriFromKey(family, key), read straight from the key's units for the VPN families
 * (what a transit withdraws by the million), through the NLRI object for the others.
 */
export function encodeWithdrawnKey(
  w: Writer,
  family: FamilyName,
  key: string,
  ctx: CodecContext,
): void {
  encodeKey(w, family, key, NO_LABELS, ctx, true);
}

/**
 * Writes the announced NLRI (path id 0) a key of a family's table names with these labels: the
 * bytes encodeNlri writes for nlriFromKey(family, key, labels), without the NLRI object (its three
 * objects per route were 143 of the 1635 MB a 1M VPNv4 transit allocated, bench/README.md).
 */
export function encodeAnnouncedKey(
  w: Writer,
  family: FamilyName,
  key: string,
  labels: readonly number[],
  ctx: CodecContext,
): void {
  encodeKey(w, family, key, labels, ctx, false);
}

function encodeKey(
  w: Writer,
  family: FamilyName,
  key: string,
  labels: readonly number[],
  ctx: CodecContext,
  withdraw: boolean,
): void {
  const { afi, safi } = FAMILIES[family];
  if (family !== 'vpnv4' && family !== 'vpnv6') {
    encodeNlri(w, nlriFromKey(family, key, labels), afi, safi, ctx, withdraw);
    return;
  }
  // RFC 7911 §3: the path identifier when add-path was negotiated in this direction.
  if (ctx.addPath.has(familyKey(afi, safi))) w.u32(0);
  const len = key.charCodeAt(4);
  writeVpnHead(w, labels, withdraw, len);
  for (let i = 0; i < 4; i++) w.u16(key.charCodeAt(i));
  // The prefix's significant octets, two per unit from unit 5 (prefixKey's layout).
  const octets = (len + 7) >> 3;
  for (let i = 0; i < octets; i++) {
    const u = key.charCodeAt(5 + (i >> 1));
    w.u8(i & 1 ? u : u >>> 8);
  }
}
