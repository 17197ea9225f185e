// Text forms the policy definitions use: addresses, prefixes, standard and large communities. Runs
// at compile time and when a trace is built, never per route on the fast path. Parsers return
// undefined or an error string instead of throwing so the compiler can collect every problem.

import { ipv4FromText, ipv4ToText } from '../wire/admin-pair.js';
import type { IpPrefix, LargeCommunity } from '../wire/types.js';

export { ipv4FromText, ipv4ToText };

const HEX16 = /^[0-9a-fA-F]{1,4}$/;

/** Parses an IPv6 address (RFC 4291 §2.2 forms: `::` once, optional dotted IPv4 tail). */
export function ipv6FromText(text: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  const dbl = text.indexOf('::');
  if (dbl !== -1 && text.indexOf('::', dbl + 1) !== -1) return undefined;
  const head = dbl === -1 ? text : text.slice(0, dbl);
  const tail = dbl === -1 ? '' : text.slice(dbl + 2);
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const words: number[] = [];
  const tailWords: number[] = [];
  const parse = (groups: string[], into: number[], last: boolean): boolean => {
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] as string;
      if (last && i === groups.length - 1 && g.includes('.')) {
        const v4 = ipv4FromText(g);
        if (v4 === undefined) return false;
        into.push(v4 >>> 16, v4 & 0xffff);
      } else if (HEX16.test(g)) {
        into.push(parseInt(g, 16));
      } else {
        return false;
      }
    }
    return true;
  };
  if (!parse(headGroups, words, dbl === -1)) return undefined;
  if (!parse(tailGroups, tailWords, true)) return undefined;
  const total = words.length + tailWords.length;
  if (dbl === -1 ? total !== 8 : total > 7) return undefined;
  const all = [...words, ...new Array<number>(8 - total).fill(0), ...tailWords];
  all.forEach((w, i) => {
    out[i * 2] = w >>> 8;
    out[i * 2 + 1] = w & 0xff;
  });
  return out;
}

/** RFC 5952 §4: lowercase, leading zeros dropped, the longest run (>= 2) of zero words as `::`. */
export function ipv6ToText(b: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(((b[i * 2] ?? 0) << 8) | (b[i * 2 + 1] ?? 0));
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]): string => ws.map((x) => x.toString(16)).join(':');
  if (bestAt === -1) return hex(w);
  return `${hex(w.slice(0, bestAt))}::${hex(w.slice(bestAt + bestLen))}`;
}

/** Parses `A.B.C.D/len` or `X:X::X/len`; host bits beyond len must be zero. */
export function prefixFromText(text: string): IpPrefix | string {
  const slash = text.indexOf('/');
  if (slash === -1) return `"${text}" has no /length`;
  const a = text.slice(0, slash);
  const l = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(l)) return `"${text}" has a bad length`;
  const len = Number(l);
  if (a.includes(':')) {
    const addr = ipv6FromText(a);
    if (addr === undefined) return `"${a}" is not an IPv6 address`;
    if (len > 128) return `"${text}": an IPv6 prefix length is at most 128`;
    for (let i = len; i < 128; i++) {
      if (((addr[i >> 3] as number) >> (7 - (i & 7))) & 1) {
        return `"${text}" has host bits set beyond /${len}`;
      }
    }
    return { afi: 2, len, addr };
  }
  const addr = ipv4FromText(a);
  if (addr === undefined) return `"${a}" is not an IPv4 address`;
  if (len > 32) return `"${text}": an IPv4 prefix length is at most 32`;
  if (len < 32 && addr % 2 ** (32 - len) !== 0) return `"${text}" has host bits set beyond /${len}`;
  return { afi: 1, len, addr };
}

export function prefixToText(p: IpPrefix): string {
  return p.afi === 1 ? `${ipv4ToText(p.addr)}/${p.len}` : `${ipv6ToText(p.addr)}/${p.len}`;
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
