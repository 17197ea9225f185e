// From plain definitions to a compiled, frozen policy set. Every problem is collected (not just
// the first) with a key path, so the config layer can point at the exact spot. A route map that
// names a list that is not defined is an error naming the map and the clause's seq.

import type { CommunityList, ExtCommunityList, LargeCommunityList } from './community-list.js';
import {
  compileCommunityList,
  compileExtCommunityList,
  compileLargeCommunityList,
  parseAll,
} from './community-list.js';
import { extFromText } from './ext-community.js';
import type { CompiledPrefixList } from './prefix-list.js';
import { checkSeqs, compilePrefixList } from './prefix-list.js';
import type { CompiledClause, CompiledMatch, CompiledRouteMap, PolicyLists } from './route-map.js';
import type { CompiledSets, ValueEdits } from './sets.js';
import { communityFromText, ipv4FromText, ipv6FromText, largeCommunityFromText } from './text.js';
import type {
  PolicyDefs,
  PolicyError,
  PolicyNextHop,
  RouteMapClauseDef,
  RouteMapMatchDef,
  RouteMapSetDef,
} from './types.js';
import { SOURCE_PROTOCOLS } from './types.js';

export interface Policies extends PolicyLists {
  readonly routeMaps: ReadonlyMap<string, CompiledRouteMap>;
}

export type CompileResult =
  | { readonly ok: true; readonly policies: Policies }
  | { readonly ok: false; readonly errors: readonly PolicyError[] };

const CLAUSE_KEYS = ['seq', 'action', 'match', 'set', 'continue', 'onMatch'];
const MATCH_KEYS = [
  'prefixList',
  'communityList',
  'largeCommunityList',
  'extCommunityList',
  'sourceVrf',
  'sourceProtocol',
];
const SET_KEYS = [
  'localPreference',
  'med',
  'weight',
  'nextHop',
  'community',
  'largeCommunity',
  'routeTarget',
  'asPathPrepend',
];

function unknownKeys(o: object, known: string[], where: string, errors: PolicyError[]): void {
  for (const k of Object.keys(o)) {
    if (!known.includes(k)) errors.push({ where, message: `unknown key "${k}"` });
  }
}

function u32(v: unknown, where: string, errors: PolicyError[]): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffffffff) return v;
  errors.push({ where, message: `${JSON.stringify(v)} is not an integer in 0..4294967295` });
  return undefined;
}

function nextHopFromText(
  t: unknown,
  where: string,
  errors: PolicyError[],
): PolicyNextHop | undefined {
  if (t === undefined) return undefined;
  if (typeof t === 'string') {
    const v4 = ipv4FromText(t);
    if (v4 !== undefined) return { afi: 1, addr: v4 };
    const v6 = t.includes(':') ? ipv6FromText(t) : undefined;
    if (v6 !== undefined) return { afi: 2, addr: v6 };
  }
  errors.push({ where, message: `${JSON.stringify(t)} is not an IPv4 or IPv6 address` });
  return undefined;
}

function edits<T>(
  def: Record<string, unknown>,
  one: (t: string) => T | string,
  allowed: string[],
  where: string,
  errors: PolicyError[],
): ValueEdits<T> | undefined {
  unknownKeys(def, allowed, where, errors);
  const list = (k: string): T[] | undefined =>
    def[k] === undefined
      ? undefined
      : parseAll(def[k] as readonly string[], one, `${where}.${k}`, errors);
  const none = def.none === true;
  const replace = list('replace');
  const remove = list('remove');
  const add = list('add');
  if (none && (replace !== undefined || add !== undefined || remove !== undefined)) {
    errors.push({ where, message: '"none" cannot be combined with add, remove or replace' });
  }
  if (replace !== undefined && (add !== undefined || remove !== undefined)) {
    errors.push({ where, message: '"replace" cannot be combined with add or remove' });
  }
  const removeList = def.removeList;
  if (removeList !== undefined && typeof removeList !== 'string') {
    errors.push({ where: `${where}.removeList`, message: 'expected a list name' });
  }
  return {
    ...(none ? { reset: [] } : replace !== undefined ? { reset: replace } : {}),
    ...(remove !== undefined ? { remove } : {}),
    ...(typeof removeList === 'string' ? { removeList } : {}),
    ...(add !== undefined ? { add } : {}),
  };
}

function compileSets(s: RouteMapSetDef, where: string, errors: PolicyError[]): CompiledSets {
  unknownKeys(s, SET_KEYS, where, errors);
  const out: { -readonly [K in keyof CompiledSets]: CompiledSets[K] } = {};
  out.localPref = u32(s.localPreference, `${where}.localPreference`, errors);
  out.med = u32(s.med, `${where}.med`, errors);
  out.weight = u32(s.weight, `${where}.weight`, errors);
  out.nextHop = nextHopFromText(s.nextHop, `${where}.nextHop`, errors);
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (s.community !== undefined && obj(s.community)) {
    const keys = ['add', 'remove', 'removeList', 'replace', 'none'];
    out.community = edits(s.community, communityFromText, keys, `${where}.community`, errors);
  }
  if (s.largeCommunity !== undefined && obj(s.largeCommunity)) {
    const keys = ['add', 'remove', 'removeList', 'replace'];
    const at = `${where}.largeCommunity`;
    out.largeCommunity = edits(s.largeCommunity, largeCommunityFromText, keys, at, errors);
  }
  if (s.routeTarget !== undefined && obj(s.routeTarget)) {
    const rt = (t: string): ReturnType<typeof extFromText> => extFromText('route-target', t);
    const keys = ['add', 'remove', 'replace'];
    out.routeTarget = edits(s.routeTarget, rt, keys, `${where}.routeTarget`, errors);
  }
  if (s.asPathPrepend !== undefined) {
    const at = `${where}.asPathPrepend`;
    const raw =
      typeof s.asPathPrepend === 'string'
        ? s.asPathPrepend
            .trim()
            .split(/\s+/)
            .map((t) => (/^[0-9]+$/.test(t) ? Number(t) : t))
        : s.asPathPrepend;
    const asns = Array.isArray(raw) ? raw.map((a) => u32(a, at, errors)) : [];
    if (!Array.isArray(raw) || asns.length === 0) {
      errors.push({ where: at, message: 'expected one or more AS numbers' });
    }
    if (asns.every((a) => a !== undefined)) out.asPathPrepend = asns as number[];
  }
  for (const k of Object.keys(out) as (keyof CompiledSets)[]) {
    if (out[k] === undefined) delete out[k];
  }
  return out;
}

function compileMatch(
  m: RouteMapMatchDef,
  lists: PolicyLists,
  where: string,
  errors: PolicyError[],
): CompiledMatch {
  unknownKeys(m, MATCH_KEYS, where, errors);
  const ref = (name: unknown, kind: string, map: ReadonlyMap<string, unknown>): void => {
    if (name === undefined) return;
    if (typeof name !== 'string' || !map.has(name)) {
      errors.push({ where, message: `${kind} ${JSON.stringify(name)} is not defined` });
    }
  };
  ref(m.prefixList, 'prefix-list', lists.prefixLists);
  ref(m.communityList, 'community-list', lists.communityLists);
  ref(m.largeCommunityList, 'large-community-list', lists.largeCommunityLists);
  ref(m.extCommunityList, 'ext-community-list', lists.extCommunityLists);
  if (m.sourceProtocol !== undefined && !SOURCE_PROTOCOLS.includes(m.sourceProtocol)) {
    errors.push({
      where: `${where}.sourceProtocol`,
      message: `${JSON.stringify(m.sourceProtocol)} is not one of ${SOURCE_PROTOCOLS.join(', ')}`,
    });
  }
  if (m.sourceVrf !== undefined && typeof m.sourceVrf !== 'string') {
    errors.push({ where: `${where}.sourceVrf`, message: 'expected a VRF name' });
  }
  const out: Record<string, unknown> = {};
  for (const k of MATCH_KEYS)
    if (m[k as keyof RouteMapMatchDef] !== undefined) out[k] = m[k as keyof RouteMapMatchDef];
  return out as CompiledMatch;
}

function compileRouteMap(
  name: string,
  defs: readonly RouteMapClauseDef[],
  lists: PolicyLists,
  errors: PolicyError[],
): CompiledRouteMap {
  const where = `routeMaps.${name}`;
  checkSeqs(defs, where, errors);
  const sorted = [...defs].sort((a, b) => a.seq - b.seq);
  const clauses: CompiledClause[] = sorted.map((d, i) => {
    const at = `${where}[seq ${d.seq}]`;
    unknownKeys(d, CLAUSE_KEYS, at, errors);
    const match = compileMatch(d.match ?? {}, lists, `${at}.match`, errors);
    const sets = d.set === undefined ? undefined : compileSets(d.set, `${at}.set`, errors);
    let next = -1;
    if (d.continue !== undefined && d.onMatch !== undefined) {
      errors.push({ where: at, message: 'use either continue or onMatch, not both' });
    }
    const om: unknown = d.onMatch;
    if (om !== undefined && om !== 'next' && typeof (om as { goto?: unknown }).goto !== 'number') {
      errors.push({ where: `${at}.onMatch`, message: 'expected "next" or { goto: SEQ }' });
    }
    const target = d.onMatch === 'next' ? true : (d.onMatch?.goto ?? d.continue);
    if (target === true) next = i + 1;
    else if (target !== undefined) {
      const j = sorted.findIndex((c) => c.seq === target);
      if (typeof target !== 'number' || target <= d.seq || j === -1) {
        errors.push({
          where: at,
          message: `continue / on-match goto ${String(target)} must name a later clause of ${name}`,
        });
      } else next = j;
    }
    if (next !== -1 && d.action === 'deny') {
      errors.push({ where: at, message: 'continue / on-match applies to permit clauses only' });
    }
    return { seq: d.seq, action: d.action, match, sets, next };
  });
  return { name, clauses };
}

function each<D, C>(
  defs: Readonly<Record<string, readonly D[]>> | undefined,
  kind: string,
  compile: (name: string, d: readonly D[], errors: PolicyError[]) => C,
  errors: PolicyError[],
): Map<string, C> {
  const out = new Map<string, C>();
  for (const [name, d] of Object.entries(defs ?? {})) {
    if (!Array.isArray(d)) {
      errors.push({ where: `${kind}.${name}`, message: 'expected a list of entries' });
      continue;
    }
    out.set(name, compile(name, d, errors));
  }
  return out;
}

export function compilePolicies(def: PolicyDefs): CompileResult {
  const errors: PolicyError[] = [];
  unknownKeys(
    def,
    ['prefixLists', 'communityLists', 'largeCommunityLists', 'extCommunityLists', 'routeMaps'],
    'policy',
    errors,
  );
  const prefixLists: Map<string, CompiledPrefixList> = each(
    def.prefixLists,
    'prefixLists',
    compilePrefixList,
    errors,
  );
  const communityLists: Map<string, CommunityList> = each(
    def.communityLists,
    'communityLists',
    compileCommunityList,
    errors,
  );
  const largeCommunityLists: Map<string, LargeCommunityList> = each(
    def.largeCommunityLists,
    'largeCommunityLists',
    compileLargeCommunityList,
    errors,
  );
  const extCommunityLists: Map<string, ExtCommunityList> = each(
    def.extCommunityLists,
    'extCommunityLists',
    compileExtCommunityList,
    errors,
  );
  const lists: PolicyLists = {
    prefixLists,
    communityLists,
    largeCommunityLists,
    extCommunityLists,
  };
  const routeMaps = each(
    def.routeMaps,
    'routeMaps',
    (name, d: readonly RouteMapClauseDef[], errs) => compileRouteMap(name, d, lists, errs),
    errors,
  );
  // Sets that remove by list need the list too.
  for (const [name, rm] of routeMaps) {
    for (const c of rm.clauses) {
      const at = `routeMaps.${name}[seq ${c.seq}].set`;
      const cl = c.sets?.community?.removeList;
      if (cl !== undefined && !communityLists.has(cl)) {
        errors.push({ where: `${at}.community`, message: `community-list "${cl}" is not defined` });
      }
      const ll = c.sets?.largeCommunity?.removeList;
      if (ll !== undefined && !largeCommunityLists.has(ll)) {
        errors.push({
          where: `${at}.largeCommunity`,
          message: `large-community-list "${ll}" is not defined`,
        });
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, policies: { ...lists, routeMaps } };
}
