// Text forms the policy definitions use: addresses and prefixes (the codec's parsers), standard
// and large communities. Runs at compile time and when a trace is built, never per route on the
// fast path. Parsers return an error string instead of throwing so the compiler can collect every
// problem.

import { ipv4FromText, ipv4ToText } from '../wire/admin-pair.js';
import { WireError } from '../wire/errors.js';
import {
  ipv6FromText,
  ipv6ToText,
  prefixFromText as wirePrefixFromText,
  prefixToText,
} from '../wire/nlri/text.js';
import type { IpPrefix, LargeCommunity } from '../wire/types.js';

export { ipv4FromText, ipv4ToText, ipv6FromText, ipv6ToText, prefixToText };

/** Parses `A.B.C.D/len` or `X:X::X/len` (host bits beyond len refused); an error string otherwise. */
export function prefixFromText(text: string): IpPrefix | string {
  try {
    return wirePrefixFromText(text);
  } catch (e) {
    if (e instanceof WireError) return e.message;
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Standard communities (RFC 1997) and the well-known values IANA lists.

/** Well-known communities by name; `internet` (0:0) is special in community lists (matches all). */
export const WELL_KNOWN_COMMUNITIES: Readonly<Record<string, number>> = {
  internet: 0,
  'graceful-shutdown': 0xffff0000, // RFC 8326
  'accept-own': 0xffff0001, // RFC 7611
  'llgr-stale': 0xffff0006, // RFC 9494
  'no-llgr': 0xffff0007, // RFC 9494
  blackhole: 0xffff029a, // RFC 7999
  'no-export': 0xffffff01, // RFC 1997
  'no-advertise': 0xffffff02, // RFC 1997
  'no-export-subconfed': 0xffffff03, // RFC 1997 (a.k.a. local-AS)
  'local-as': 0xffffff03,
  'no-peer': 0xffffff04, // RFC 3765
};

const NAME_OF: ReadonlyMap<number, string> = new Map(
  Object.entries(WELL_KNOWN_COMMUNITIES)
    .filter(([n]) => n !== 'local-as' && n !== 'internet')
    .map(([n, v]) => [v, n]),
);

function u(text: string, max: number): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) return undefined;
  const v = Number(text);
  return v <= max ? v : undefined;
}

/** `65000:1` or a well-known name -> unsigned 32-bit value. */
export function communityFromText(text: string): number | string {
  const wk = WELL_KNOWN_COMMUNITIES[text.toLowerCase()];
  if (wk !== undefined) return wk;
  const parts = text.split(':');
  if (parts.length === 2) {
    const hi = u(parts[0] as string, 0xffff);
    const lo = u(parts[1] as string, 0xffff);
    if (hi !== undefined && lo !== undefined) return hi * 0x10000 + lo;
  }
  return `"${text}" is not a community (ASN:NN with both 0..65535, or a well-known name)`;
}

export function communityToText(v: number): string {
  return NAME_OF.get(v) ?? `${v >>> 16}:${v & 0xffff}`;
}

/** RFC 8092 §3: three 4-octet fields, `GLOBAL:LOCAL1:LOCAL2`. */
export function largeCommunityFromText(text: string): LargeCommunity | string {
  const parts = text.split(':');
  if (parts.length === 3) {
    const [g, a, b] = parts.map((p) => u(p, 0xffffffff));
    if (g !== undefined && a !== undefined && b !== undefined) {
      return { global: g, local1: a, local2: b };
    }
  }
  return `"${text}" is not a large community (three numbers 0..4294967295, G:L1:L2)`;
}

export function largeCommunityToText(c: LargeCommunity): string {
  return `${c.global}:${c.local1}:${c.local2}`;
}

export function sameLarge(a: LargeCommunity, b: LargeCommunity): boolean {
  return a.global === b.global && a.local1 === b.local1 && a.local2 === b.local2;
}
