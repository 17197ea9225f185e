// Community lists of the three kinds: standard (RFC 1997), large (RFC 8092) and extended
// (RFC 4360: route targets and route origins). One shape for all: entries in seq order, an entry
// matches when every value it names is on the route, first match wins, implicit deny at the end.
// A standard entry naming `internet` matches every route (FRR and Cisco behave so).

import type { ExtCommunity, LargeCommunity } from '../wire/types.js';
import { extFromText, extToText, sameExt } from './ext-community.js';
import { checkSeqs } from './prefix-list.js';
import {
  communityFromText,
  communityToText,
  largeCommunityFromText,
  largeCommunityToText,
  sameLarge,
} from './text.js';
import type {
  Action,
  CommunityListEntryDef,
  ExtCommunityListEntryDef,
  LargeCommunityListEntryDef,
  PolicyError,
} from './types.js';

export type ListKind = 'community-list' | 'large-community-list' | 'ext-community-list';

const VALUES_OF: Readonly<Record<ListKind, string>> = {
  'community-list': 'communities',
  'large-community-list': 'large communities',
  'ext-community-list': 'ext communities',
};

const LIST_KEYS = ['seq', 'action', 'communities'];
const EXT_KEYS = ['seq', 'action', 'rt', 'soo'];

export interface ValueListEntry<T> {
  readonly seq: number;
  readonly action: Action;
  readonly values: readonly T[];
  /** Matches every route (`internet` in a standard list). */
  readonly any: boolean;
  readonly text: string;
}

export interface ValueList<T> {
  readonly kind: ListKind;
  readonly name: string;
  /** Sorted by seq. */
  readonly entries: readonly ValueListEntry<T>[];
  readonly eq: (a: T, b: T) => boolean;
  readonly show: (v: T) => string;
}

export type CommunityList = ValueList<number>;
export type LargeCommunityList = ValueList<LargeCommunity>;
export type ExtCommunityList = ValueList<ExtCommunity>;

function contains<T>(have: readonly T[], v: T, eq: (a: T, b: T) => boolean): boolean {
  for (let i = 0; i < have.length; i++) if (eq(have[i] as T, v)) return true;
  return false;
}

/** The index of the first entry whose values are all in `have`, or -1 (the implicit deny). */
export function valueListLookup<T>(list: ValueList<T>, have: readonly T[]): number {
  const entries = list.entries;
  outer: for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as ValueListEntry<T>;
    if (!e.any) {
      for (let k = 0; k < e.values.length; k++) {
        if (!contains(have, e.values[k] as T, list.eq)) continue outer;
      }
    }
    return i;
  }
  return -1;
}

export function valueListPermits<T>(list: ValueList<T>, have: readonly T[]): boolean {
  const i = valueListLookup(list, have);
  return i !== -1 && (list.entries[i] as ValueListEntry<T>).action === 'permit';
}

/**
 * For `remove by list`: whether one value is to be removed, i.e. the first entry that names it
 * (or matches all) is a permit (FRR `set comm-list NAME delete` semantics).
 */
export function valueListDeletes<T>(list: ValueList<T>, v: T): boolean {
  for (const e of list.entries) {
    if (e.any || contains(e.values, v, list.eq)) return e.action === 'permit';
  }
  return false;
}

export function explainValueList<T>(list: ValueList<T>, have: readonly T[]): string {
  const i = valueListLookup(list, have);
  const what = VALUES_OF[list.kind];
  const shown = `${what} [${have.map(list.show).join(' ')}]`;
  if (i === -1) return `${shown} not matched by ${list.kind} ${list.name} (implicit deny)`;
  const e = list.entries[i] as ValueListEntry<T>;
  const verb = e.action === 'permit' ? 'permitted' : 'denied';
  return `${shown} ${verb} by ${list.kind} ${list.name} seq ${e.seq} (${e.text})`;
}

function build<T, D extends { readonly seq: number; readonly action: Action }>(
  kind: ListKind,
  where: string,
  name: string,
  defs: readonly D[],
  parse: (d: D, at: string, errors: PolicyError[]) => { values: T[]; any: boolean } | undefined,
  eq: (a: T, b: T) => boolean,
  show: (v: T) => string,
  errors: PolicyError[],
): ValueList<T> {
  checkSeqs(defs, where, errors, kind === 'ext-community-list' ? EXT_KEYS : LIST_KEYS);
  const entries: ValueListEntry<T>[] = [];
  for (const d of [...defs].sort((a, b) => a.seq - b.seq)) {
    const parsed = parse(d, `${where}[seq ${d.seq}]`, errors);
    if (parsed === undefined) continue;
    const text = parsed.any ? 'internet' : parsed.values.map(show).join(' ');
    entries.push({ seq: d.seq, action: d.action, values: parsed.values, any: parsed.any, text });
  }
  return { kind, name, entries, eq, show };
}

/** Parses a list of texts with `one`; reports each bad one; undefined if any failed or none given. */
export function parseAll<T>(
  texts: readonly string[] | undefined,
  one: (t: string) => T | string,
  at: string,
  errors: PolicyError[],
): T[] | undefined {
  if (!Array.isArray(texts)) {
    errors.push({ where: at, message: 'expected a list of values' });
    return undefined;
  }
  const out: T[] = [];
  let ok = true;
  for (const t of texts) {
    const v = typeof t === 'string' ? one(t) : `${JSON.stringify(t)} is not text`;
    if (typeof v === 'string') {
      errors.push({ where: at, message: v });
      ok = false;
    } else out.push(v);
  }
  return ok ? out : undefined;
}

function nonEmpty<T>(v: T[] | undefined, at: string, errors: PolicyError[]): T[] | undefined {
  if (v !== undefined && v.length === 0) {
    errors.push({ where: at, message: 'an entry must name at least one value' });
    return undefined;
  }
  return v;
}

export function compileCommunityList(
  name: string,
  defs: readonly CommunityListEntryDef[],
  errors: PolicyError[],
): CommunityList {
  return build<number, CommunityListEntryDef>(
    'community-list',
    `communityLists.${name}`,
    name,
    defs,
    (d, at, errs) => {
      const at2 = `${at}.communities`;
      const any = Array.isArray(d.communities) && d.communities.includes('internet');
      const values = nonEmpty(parseAll(d.communities, communityFromText, at2, errs), at2, errs);
      return values === undefined ? undefined : { values, any };
    },
    (a, b) => a === b,
    communityToText,
    errors,
  );
}

export function compileLargeCommunityList(
  name: string,
  defs: readonly LargeCommunityListEntryDef[],
  errors: PolicyError[],
): LargeCommunityList {
  return build<LargeCommunity, LargeCommunityListEntryDef>(
    'large-community-list',
    `largeCommunityLists.${name}`,
    name,
    defs,
    (d, at, errs) => {
      const at2 = `${at}.communities`;
      const values = nonEmpty(
        parseAll(d.communities, largeCommunityFromText, at2, errs),
        at2,
        errs,
      );
      return values === undefined ? undefined : { values, any: false };
    },
    sameLarge,
    largeCommunityToText,
    errors,
  );
}

export function compileExtCommunityList(
  name: string,
  defs: readonly ExtCommunityListEntryDef[],
  errors: PolicyError[],
): ExtCommunityList {
  return build<ExtCommunity, ExtCommunityListEntryDef>(
    'ext-community-list',
    `extCommunityLists.${name}`,
    name,
    defs,
    (d, at, errs) => {
      const rt =
        d.rt === undefined
          ? []
          : parseAll(d.rt, (t) => extFromText('route-target', t), `${at}.rt`, errs);
      const soo =
        d.soo === undefined
          ? []
          : parseAll(d.soo, (t) => extFromText('route-origin', t), `${at}.soo`, errs);
      if (rt === undefined || soo === undefined) return undefined;
      const values = nonEmpty([...rt, ...soo], at, errs);
      return values === undefined ? undefined : { values, any: false };
    },
    sameExt,
    extToText,
    errors,
  );
}
