// Applying a permit clause's sets, copy-on-write: the route is copied on the first real change,
// so a clause whose sets change nothing returns the very object it was given.
// Fixed order within a clause: communities (none / replace, then remove, then add), large
// communities (remove, add), route targets (replace, remove, add), local-preference, MED, weight,
// next hop, AS-path prepend.

import {
  AS_SEQUENCE,
  MAX_SEGMENT_ASNS,
  type AsPathSegment,
  type ExtCommunity,
  type LargeCommunity,
} from '../wire/types.js';
import type { ValueList } from './community-list.js';
import { valueListDeletes } from './community-list.js';
import { extToText, isRouteTarget, sameExt } from './ext-community.js';
import type { PolicyLists } from './lists.js';
import {
  communityToText,
  ipv4ToText,
  ipv6ToText,
  largeCommunityToText,
  sameLarge,
} from './text.js';
import type { PolicyNextHop, PolicyRoute } from './types.js';

export interface ValueEdits<T> {
  /** Start from no values (`none`) or from these (`replace`) instead of the route's. */
  readonly reset?: readonly T[];
  readonly remove?: readonly T[];
  readonly removeList?: string;
  readonly add?: readonly T[];
}

export interface CompiledSets {
  readonly community?: ValueEdits<number>;
  readonly largeCommunity?: ValueEdits<LargeCommunity>;
  /** `reset` here strips only the route targets; other ext communities stay. */
  readonly routeTarget?: ValueEdits<ExtCommunity>;
  readonly localPref?: number;
  readonly med?: number;
  readonly weight?: number;
  readonly nextHop?: PolicyNextHop;
  readonly asPathPrepend?: readonly number[];
}

type Draft = { -readonly [K in keyof PolicyRoute]: PolicyRoute[K] };

function has<T>(xs: readonly T[], v: T, eq: (a: T, b: T) => boolean): boolean {
  for (const x of xs) if (eq(x, v)) return true;
  return false;
}

function sameList<T>(a: readonly T[], b: readonly T[], eq: (a: T, b: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eq(a[i] as T, b[i] as T)) return false;
  return true;
}

function editValues<T>(
  what: string,
  have: readonly T[],
  ed: ValueEdits<T>,
  eq: (a: T, b: T) => boolean,
  show: (v: T) => string,
  list: ValueList<T> | undefined,
  keep: (v: T) => boolean,
  log: string[] | undefined,
): readonly T[] {
  const fmt = (vs: readonly T[]): string => `[${vs.map(show).join(' ')}]`;
  let out: T[] = [...have];
  if (ed.reset !== undefined) {
    out = out.filter(keep);
    for (const v of ed.reset) if (!has(out, v, eq)) out.push(v);
    log?.push(ed.reset.length === 0 ? `${what} none` : `${what} replace ${fmt(ed.reset)}`);
  }
  if (ed.remove !== undefined) {
    const gone = out.filter((v) => has(ed.remove as readonly T[], v, eq));
    out = out.filter((v) => !has(ed.remove as readonly T[], v, eq));
    log?.push(`${what} remove ${fmt(ed.remove)}: removed ${fmt(gone)}`);
  }
  if (ed.removeList !== undefined) {
    const l = list;
    const gone = l === undefined ? [] : out.filter((v) => valueListDeletes(l, v));
    out = out.filter((v) => !has(gone, v, eq));
    log?.push(`${what} remove by list ${ed.removeList}: removed ${fmt(gone)}`);
  }
  if (ed.add !== undefined) {
    for (const v of ed.add) if (!has(out, v, eq)) out.push(v);
    log?.push(`${what} add ${fmt(ed.add)}`);
  }
  return sameList(out, have, eq) ? have : out;
}

function sameNextHop(a: PolicyNextHop | undefined, b: PolicyNextHop): boolean {
  if (a === undefined || a.afi !== b.afi) return false;
  if (a.afi === 1) return a.addr === b.addr;
  const x = a.addr;
  const y = b.addr as Uint8Array;
  for (let i = 0; i < 16; i++) if (x[i] !== y[i]) return false;
  return a.linkLocal === undefined;
}

export function nextHopToText(n: PolicyNextHop | undefined): string {
  if (n === undefined) return '(none)';
  return n.afi === 1 ? ipv4ToText(n.addr) : ipv6ToText(n.addr);
}

/** RFC 4271 §5.1.2: prepend to a leading AS_SEQUENCE, or start a new one before anything else. */
export function prependAsPath(
  path: readonly AsPathSegment[],
  asns: readonly number[],
): AsPathSegment[] {
  const first = path[0];
  let lead: number[] = [...asns];
  let rest = path;
  if (first !== undefined && first.type === AS_SEQUENCE) {
    lead = [...asns, ...first.asns];
    rest = path.slice(1);
  }
  const segs: AsPathSegment[] = [];
  // Keep the fullest segment last so a later prepend has room at the front.
  const head = lead.length % MAX_SEGMENT_ASNS;
  if (head > 0) segs.push({ type: AS_SEQUENCE, asns: lead.slice(0, head) });
  for (let i = head; i < lead.length; i += MAX_SEGMENT_ASNS) {
    segs.push({ type: AS_SEQUENCE, asns: lead.slice(i, i + MAX_SEGMENT_ASNS) });
  }
  return [...segs, ...rest];
}

export function applySets(
  s: CompiledSets,
  input: PolicyRoute,
  ctx: PolicyLists,
  log: string[] | undefined,
): PolicyRoute {
  let d: Draft | undefined;
  const draft = (): Draft => (d ??= { ...input });
  const cur = (): PolicyRoute => d ?? input;

  if (s.community !== undefined) {
    const list = s.community.removeList;
    const have = cur().communities;
    const next = editValues(
      'community',
      have,
      s.community,
      (a, b) => a === b,
      communityToText,
      list === undefined ? undefined : ctx.communityLists.get(list),
      () => false,
      log,
    );
    if (next !== have) draft().communities = next;
  }
  if (s.largeCommunity !== undefined) {
    const list = s.largeCommunity.removeList;
    const have = cur().largeCommunities;
    const next = editValues(
      'large-community',
      have,
      s.largeCommunity,
      sameLarge,
      largeCommunityToText,
      list === undefined ? undefined : ctx.largeCommunityLists.get(list),
      () => false,
      log,
    );
    if (next !== have) draft().largeCommunities = next;
  }
  if (s.routeTarget !== undefined) {
    const have = cur().extCommunities;
    const next = editValues(
      'route-target',
      have,
      s.routeTarget,
      sameExt,
      extToText,
      undefined,
      (c) => !isRouteTarget(c),
      log,
    );
    if (next !== have) draft().extCommunities = next;
  }
  const num = (name: string, key: 'localPref' | 'med' | 'weight', v: number | undefined): void => {
    if (v === undefined) return;
    const old = cur()[key];
    log?.push(`${name} ${old ?? '(none)'} -> ${v}`);
    if (old !== v) draft()[key] = v;
  };
  num('local-preference', 'localPref', s.localPref);
  num('med', 'med', s.med);
  num('weight', 'weight', s.weight);
  if (s.nextHop !== undefined) {
    const old = cur().nextHop;
    log?.push(`next-hop ${nextHopToText(old)} -> ${nextHopToText(s.nextHop)}`);
    if (!sameNextHop(old, s.nextHop)) draft().nextHop = s.nextHop;
  }
  if (s.asPathPrepend !== undefined && s.asPathPrepend.length > 0) {
    log?.push(`as-path prepend ${s.asPathPrepend.join(' ')}`);
    draft().asPath = prependAsPath(cur().asPath, s.asPathPrepend);
  }
  return cur();
}
