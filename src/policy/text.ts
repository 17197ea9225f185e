// Text forms the policy definitions use: addresses, prefixes, standard and large communities (the
// codec's parsers). Runs at compile time and when a trace is built, never per route on the
// fast path. Parsers return an error string instead of throwing so the compiler can collect every
// problem.

import { ipv4FromText, ipv4ToText } from '../wire/admin-pair.js';
import {
  communityFromText as wireCommunityFromText,
  formatCommunity,
  formatLargeCommunity,
  largeCommunityFromText as wireLargeCommunityFromText,
} from '../wire/community.js';
import { WireError } from '../wire/errors.js';
import {
  ipv6FromText,
  ipv6ToText,
  prefixFromText as wirePrefixFromText,
  prefixToText,
} from '../wire/nlri/text.js';
import type { IpPrefix, LargeCommunity } from '../wire/types.js';

export { ipv4FromText, ipv4ToText, ipv6FromText, ipv6ToText, prefixToText };

/** The codec's parse, or its WireError's message (the compiler collects every problem). */
function orMessage<T>(parse: () => T): T | string {
  try {
    return parse();
  } catch (e) {
    if (e instanceof WireError) return e.message;
    throw e;
  }
}

/** Parses `A.B.C.D/len` or `X:X::X/len` (host bits beyond len refused); an error string otherwise. */
export function prefixFromText(text: string): IpPrefix | string {
  return orMessage(() => wirePrefixFromText(text));
}

// ---------------------------------------------------------------------------------------------
// Standard (RFC 1997) and large (RFC 8092) communities: the codec's parsers and printers, with
// errors as strings, plus `internet` (0:0), which only community lists name.

/** `65000:1`, a well-known name or `internet` -> unsigned 32-bit value; an error string otherwise. */
export function communityFromText(text: string): number | string {
  if (text.toLowerCase() === 'internet') return 0;
  const v = orMessage(() => wireCommunityFromText(text));
  return typeof v === 'number'
    ? v
    : `"${text}" is not a community (ASN:NN with both 0..65535, or a well-known name)`;
}

export const communityToText = formatCommunity;

/** RFC 8092 §3: three 4-octet fields, `GLOBAL:LOCAL1:LOCAL2`; an error string otherwise. */
export function largeCommunityFromText(text: string): LargeCommunity | string {
  const v = orMessage(() => wireLargeCommunityFromText(text));
  return typeof v !== 'string'
    ? v
    : `"${text}" is not a large community (three numbers 0..4294967295, G:L1:L2)`;
}

export const largeCommunityToText = formatLargeCommunity;

export function sameLarge(a: LargeCommunity, b: LargeCommunity): boolean {
  return a.global === b.global && a.local1 === b.local1 && a.local2 === b.local2;
}
