// What an API request or a library call says, read into our types: families, prefixes, RDs, the
// prefix filter of `show` commands, and the routes written through the API. Bad input is an
// ApiError (400) with a message naming the field.

import { EMPTY_ATTR_VALUES, type AttrValues, type NextHopAddr } from '../model/attrset.js';
import type { Destination } from '../rib/destination.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import { communityFromText } from '../wire/community.js';
import { rtFromText } from '../wire/ext-community.js';
import { labelEntry } from '../wire/nlri/labeled.js';
import { ipv6FromText, prefixFromText } from '../wire/nlri/text.js';
import { rdFromText, rdToText } from '../wire/rd.js';
import type { IpPrefix, Nlri, Rd } from '../wire/types.js';
import { ApiError } from './errors.js';

export const TABLE_FAMILIES = ['vpnv4', 'vpnv6', 'ipv4', 'ipv6'] as const;
export type TableFamily = (typeof TABLE_FAMILIES)[number];
/** The tables that can be read: the writable ones and labeled unicast (received, RFC 8277). */
export const READ_FAMILIES = [...TABLE_FAMILIES, 'ipv4-labeled', 'ipv6-labeled'] as const;
type ReadFamily = (typeof READ_FAMILIES)[number];

export function readFamily(text: string): ReadFamily {
  if ((READ_FAMILIES as readonly string[]).includes(text)) return text as ReadFamily;
  throw new ApiError(400, `unknown family "${text}"; use one of ${READ_FAMILIES.join(', ')}`);
}

export function family(text: string): TableFamily {
  if ((TABLE_FAMILIES as readonly string[]).includes(text)) return text as TableFamily;
  throw new ApiError(400, `unknown family "${text}"; use one of ${TABLE_FAMILIES.join(', ')}`);
}

export function parsePrefix(text: unknown, what = 'prefix'): IpPrefix {
  if (typeof text !== 'string')
    throw new ApiError(400, `${what} is required (a string like 10.1.0.0/24)`);
  try {
    return prefixFromText(text);
  } catch (e) {
    throw new ApiError(400, `bad ${what}: ${(e as Error).message}`);
  }
}

export function parseRd(text: unknown): Rd {
  if (typeof text !== 'string')
    throw new ApiError(400, 'rd is required (ASN:NN, A.B.C.D:NN or ASN4:NN)');
  try {
    return rdFromText(text);
  } catch (e) {
    throw new ApiError(400, `bad rd: ${(e as Error).message}`);
  }
}

/** Whether `p` contains the address of `host` (a /32 or /128). */
export function covers(p: IpPrefix, host: IpPrefix): boolean {
  if (p.afi !== host.afi || p.len > host.len) return false;
  if (p.afi === 1 && host.afi === 1) {
    const mask = p.len === 0 ? 0 : (0xffffffff << (32 - p.len)) >>> 0;
    return (host.addr & mask) >>> 0 === p.addr;
  }
  const a = p.addr as Uint8Array;
  const b = host.addr as Uint8Array;
  for (let bit = 0; bit < p.len; bit++) {
    const m = 0x80 >> (bit & 7);
    if ((a[bit >> 3]! & m) !== (b[bit >> 3]! & m)) return false;
  }
  return true;
}

function prefixOf(n: Nlri): IpPrefix | undefined {
  return n.kind === 'rtc' ? undefined : n.prefix;
}

function samePrefix(a: IpPrefix, b: IpPrefix): boolean {
  if (a.afi !== b.afi || a.len !== b.len) return false;
  if (a.afi === 1) return a.addr === b.addr;
  return Buffer.compare(Buffer.from(a.addr as Uint8Array), Buffer.from(b.addr as Uint8Array)) === 0;
}

/**
 * A prefix filter like a router's: `A.B.C.D/len` matches that prefix exactly; a bare address
 * matches the longest prefixes that contain it.
 */
export function prefixFilter(
  text: string | undefined,
): ((dests: Destination[]) => Destination[]) | undefined {
  if (text === undefined || text === '') return undefined;
  if (text.includes('/')) {
    const p = parsePrefix(text);
    return (ds) =>
      ds.filter((d) => {
        const q = d.paths[0] && prefixOf(d.paths[0].nlri);
        return q !== undefined && samePrefix(q, p);
      });
  }
  const host = parsePrefix(text.includes(':') ? `${text}/128` : `${text}/32`, 'address');
  return (ds) => {
    const hits = ds.filter((d) => {
      const q = d.paths[0] && prefixOf(d.paths[0].nlri);
      return q !== undefined && covers(q, host);
    });
    const longest = Math.max(-1, ...hits.map((d) => prefixOf(d.paths[0]!.nlri)!.len));
    return hits.filter((d) => prefixOf(d.paths[0]!.nlri)!.len === longest);
  };
}

export interface RouteBody {
  prefix?: unknown;
  rd?: unknown;
  nextHop?: unknown;
  label?: unknown;
  routeTargets?: unknown;
  communities?: unknown;
  localPref?: unknown;
  med?: unknown;
}

function u32(v: unknown, what: string, max = 0xffffffff): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw new ApiError(400, `${what} must be an integer 0..${max}`);
  return v;
}

function strings(v: unknown, what: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
    throw new ApiError(400, `${what} must be a list of strings`);
  return v as string[];
}

/** Path attributes of a route written through the API or the library. */
export function attrsFrom(b: RouteBody, extraRts: readonly string[] = []): AttrValues {
  let nextHop: NextHopAddr | undefined;
  if (b.nextHop !== undefined && b.nextHop !== null) {
    const t = String(b.nextHop);
    const v4 = ipv4FromText(t);
    const v6 = v4 === undefined ? ipv6FromText(t) : undefined;
    if (v4 !== undefined) nextHop = { afi: 1, addr: v4 };
    else if (v6 !== undefined) nextHop = { afi: 2, addr: v6 };
    else throw new ApiError(400, `bad nextHop: "${t}" is not an IP address`);
  }
  const rts = [...extraRts, ...strings(b.routeTargets, 'routeTargets')].map((t) => {
    try {
      return rtFromText(t);
    } catch (e) {
      throw new ApiError(400, `bad route target: ${(e as Error).message}`);
    }
  });
  const communities = strings(b.communities, 'communities').map((t) => {
    try {
      return communityFromText(t);
    } catch (e) {
      throw new ApiError(400, `bad community: ${(e as Error).message}`);
    }
  });
  return {
    ...EMPTY_ATTR_VALUES,
    extCommunities: rts,
    communities,
    ...(nextHop ? { nextHop } : {}),
    localPref: u32(b.localPref, 'localPref'),
    med: u32(b.med, 'med'),
  };
}

/** The NLRI of a route written through the API or the library, and its text for messages. */
export function nlriFor(f: TableFamily, b: RouteBody): [Nlri, string] {
  const prefix = parsePrefix(b.prefix);
  const afi = f.endsWith('4') ? 1 : 2;
  if (prefix.afi !== afi) throw new ApiError(400, `prefix ${String(b.prefix)} is not ${f}`);
  if (f === 'ipv4' || f === 'ipv6') {
    if (b.rd !== undefined) throw new ApiError(400, `rd applies to vpnv4 and vpnv6, not ${f}`);
    return [{ kind: 'prefix', prefix }, String(b.prefix)];
  }
  const rd = parseRd(b.rd);
  const label = u32(b.label, 'label', 1048575) ?? 3;
  return [
    { kind: 'vpn', labels: [labelEntry(label)], rd, prefix },
    `${rdToText(rd)}:${String(b.prefix)}`,
  ];
}
