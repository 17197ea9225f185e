// Values for the cross-check corpus written the way people read them: addresses and prefixes as
// text, route distinguishers by type, label stack entries by label.

import type { Ipv4Prefix, Ipv6Prefix, Rd } from '../../src/wire/types.js';

export function ip(text: string): number {
  const p = text.split('.').map(Number);
  if (p.length !== 4 || p.some((x) => !(x >= 0 && x <= 255))) throw new Error(`bad IPv4 ${text}`);
  return ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
}

export function ip6(text: string): Uint8Array {
  const [head, tail] = text.split('::') as [string, string | undefined];
  const hs = head === '' ? [] : head.split(':');
  const ts = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? hs : [...hs, ...Array(8 - hs.length - ts.length).fill('0'), ...ts];
  if (groups.length !== 8) throw new Error(`bad IPv6 ${text}`);
  return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 255]));
}

export function p4(text: string): Ipv4Prefix {
  const [a, l] = text.split('/');
  return { afi: 1, len: Number(l), addr: ip(a!) };
}

export function p6(text: string): Ipv6Prefix {
  const [a, l] = text.split('/');
  return { afi: 2, len: Number(l), addr: ip6(a!) };
}

/** Route distinguishers by type (RFC 4364 §4.2). */
export const rd0 = (asn: number, n: number): Rd => ({ hi: asn, lo: n >>> 0 });
export const rd1 = (addr: string, n: number): Rd => {
  const a = ip(addr);
  return { hi: ((1 << 16) | (a >>> 16)) >>> 0, lo: (((a & 0xffff) << 16) | n) >>> 0 };
};
export const rd2 = (asn: number, n: number): Rd => ({
  hi: ((2 << 16) | (asn >>> 16)) >>> 0,
  lo: (((asn & 0xffff) << 16) | n) >>> 0,
});

/** A bottom-of-stack label entry (RFC 3032 layout: label << 4 | TC << 1 | S). */
export const bos = (label: number): number => (label << 4) | 1;
export const mid = (label: number): number => label << 4;

/** Octets as tshark prints bytes fields: `de:ad:be:ef`. */
export function colonHex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}
