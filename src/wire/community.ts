// Communities (RFC 1997) and large communities (RFC 8092) as text, both ways.
// `65000:1` is high:low 16-bit halves; the well-known values print by their IANA registry names
// ("BGP Well-known Communities"); large communities are `global:local1:local2`.

import { WireError } from './errors.js';
import type { LargeCommunity } from './types.js';

/** IANA "BGP Well-known Communities" that vrfleak names, value -> canonical text. */
export const WELL_KNOWN_COMMUNITIES: ReadonlyMap<number, string> = new Map([
  [0xffff0000, 'graceful-shutdown'], // RFC 8326
  [0xffff0001, 'accept-own'], // RFC 7611
  [0xffff0006, 'llgr-stale'], // RFC 9494
  [0xffff0007, 'no-llgr'], // RFC 9494
  [0xffff029a, 'blackhole'], // RFC 7999
  [0xffffff01, 'no-export'], // RFC 1997
  [0xffffff02, 'no-advertise'], // RFC 1997
  [0xffffff03, 'no-export-subconfed'], // RFC 1997 (Cisco and FRR call it local-AS)
  [0xffffff04, 'no-peer'], // RFC 3765
]);

const BY_NAME: ReadonlyMap<string, number> = new Map([
  ...[...WELL_KNOWN_COMMUNITIES].map(([v, n]): [string, number] => [n, v]),
  ['local-as', 0xffffff03],
]);

const DEC = /^(0|[1-9][0-9]*)$/;

function num(text: string, max: number, whole: string): number {
  const v = DEC.test(text) ? Number(text) : NaN;
  if (!(v <= max)) throw new WireError('text', `"${text}" in "${whole}" is not a number 0..${max}`);
  return v;
}

/** `65000:1` or a well-known name (case-insensitive) -> the 32-bit value. */
export function communityFromText(text: string): number {
  const named = BY_NAME.get(text.toLowerCase());
  if (named !== undefined) return named;
  const parts = text.split(':');
  if (parts.length !== 2) {
    throw new WireError('text', `"${text}" is not ASN:NN or a well-known community name`);
  }
  return (num(parts[0]!, 0xffff, text) * 0x10000 + num(parts[1]!, 0xffff, text)) >>> 0;
}

/** The registry name of a well-known value, else `high:low`. */
export function formatCommunity(value: number): string {
  const v = value >>> 0;
  return WELL_KNOWN_COMMUNITIES.get(v) ?? `${v >>> 16}:${v & 0xffff}`;
}

/** `global:local1:local2`, each 0..4294967295 (RFC 8092 §3). */
export function largeCommunityFromText(text: string): LargeCommunity {
  const parts = text.split(':');
  if (parts.length !== 3) throw new WireError('text', `"${text}" is not GLOBAL:LOCAL1:LOCAL2`);
  return {
    global: num(parts[0]!, 0xffffffff, text),
    local1: num(parts[1]!, 0xffffffff, text),
    local2: num(parts[2]!, 0xffffffff, text),
  };
}

export function formatLargeCommunity(c: LargeCommunity): string {
  return `${c.global >>> 0}:${c.local1 >>> 0}:${c.local2 >>> 0}`;
}
