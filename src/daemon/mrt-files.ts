// Small helpers of the MRT output: file names that sort by time and never overwrite, and
// addresses as the octets MRT records carry.

import { existsSync } from 'node:fs';
import { ipv4FromText } from '../wire/admin-pair.js';
import { ipv6FromText } from '../wire/nlri/text.js';

/** `20261204T181500Z` for a time in seconds since the epoch. */
export function fileStamp(seconds: number): string {
  return new Date(seconds * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** `base + ext`, or `base-2 + ext`, `base-3 + ext` ... whichever does not exist yet. */
export function uniquePath(base: string, ext = ''): string {
  let p = `${base}${ext}`;
  for (let i = 2; existsSync(p); i++) p = `${base}-${i}${ext}`;
  return p;
}

/** An address as 4 or 16 octets (IPv4-mapped IPv6 as IPv4); unparsable: 0.0.0.0. */
export function addressBytes(text: string): Uint8Array {
  const v4 = ipv4FromText(text.replace(/^::ffff:/i, ''));
  if (v4 !== undefined) {
    return new Uint8Array([v4 >>> 24, (v4 >>> 16) & 255, (v4 >>> 8) & 255, v4 & 255]);
  }
  return ipv6FromText(text) ?? new Uint8Array(4);
}
