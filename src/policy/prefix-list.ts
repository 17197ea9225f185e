// Prefix lists (the FRR / Cisco `ip prefix-list` semantics): entries in seq order, first match
// wins, an implicit deny after the last entry. An entry P/len matches a prefix whose first len
// bits equal P's and whose length is in the entry's range:
//   neither ge nor le: exactly len;  le only: len..le;  ge only: ge..max;  both: ge..le.
// A list may hold IPv4 and IPv6 entries; a prefix is only compared with entries of its family.
//
// Each list compiles into one binary trie per family keyed by the entry prefixes' bits. Matching
// walks the trie along the candidate prefix's bits (at most len + 1 nodes) and keeps the lowest
// entry index whose length range fits, so a lookup allocates nothing and does not scan the list.

import type { IpPrefix } from '../wire/types.js';
import { prefixFromText, prefixToText } from './text.js';
import type { Action, PolicyError, PrefixListEntryDef } from './types.js';

export interface PrefixListEntry {
  readonly seq: number;
  readonly action: Action;
  readonly prefix: IpPrefix;
  /** The length range a candidate must fall in. */
  readonly minLen: number;
  readonly maxLen: number;
  /** `10.0.0.0/8 le 32`, for traces and `show policy`. */
  readonly text: string;
}

interface TrieNode {
  zero: TrieNode | undefined;
  one: TrieNode | undefined;
  /** Indices into entries of the entries whose prefix ends at this node, ascending. */
  readonly here: number[];
}

export interface CompiledPrefixList {
  readonly name: string;
  /** Sorted by seq. */
  readonly entries: readonly PrefixListEntry[];
  readonly v4: TrieNode;
  readonly v6: TrieNode;
}

function node(): TrieNode {
  return { zero: undefined, one: undefined, here: [] };
}

function bitAt(p: IpPrefix, i: number): number {
  if (p.afi === 1) return (p.addr >>> (31 - i)) & 1;
  return ((p.addr[i >> 3] as number) >> (7 - (i & 7))) & 1;
}

function isAction(a: unknown): a is Action {
  return a === 'permit' || a === 'deny';
}

/** Checks a list's seq numbers and actions (shared by every list kind). */
export function checkSeqs(
  entries: readonly { readonly seq: number; readonly action: Action }[],
  where: string,
  errors: PolicyError[],
  known?: readonly string[],
): void {
  const seen = new Set<number>();
  for (const e of entries) {
    for (const k of known === undefined ? [] : Object.keys(e)) {
      if (!known?.includes(k)) {
        errors.push({ where: `${where}[seq ${e.seq}]`, message: `unknown key "${k}"` });
      }
    }
    if (!Number.isSafeInteger(e.seq) || e.seq < 0) {
      errors.push({ where, message: `seq ${String(e.seq)} is not a non-negative integer` });
    } else if (seen.has(e.seq)) {
      errors.push({ where, message: `seq ${e.seq} appears twice` });
    }
    seen.add(e.seq);
    if (!isAction(e.action)) {
      errors.push({
        where: `${where}[seq ${e.seq}]`,
        message: `action must be permit or deny, not ${JSON.stringify(e.action)}`,
      });
    }
  }
}

function rangeText(ge: number | undefined, le: number | undefined): string {
  return `${ge === undefined ? '' : ` ge ${ge}`}${le === undefined ? '' : ` le ${le}`}`;
}

export function compilePrefixList(
  name: string,
  defs: readonly PrefixListEntryDef[],
  errors: PolicyError[],
): CompiledPrefixList {
  const where = `prefixLists.${name}`;
  checkSeqs(defs, where, errors, ['seq', 'action', 'prefix', 'ge', 'le']);
  const entries: PrefixListEntry[] = [];
  for (const d of [...defs].sort((a, b) => a.seq - b.seq)) {
    const at = `${where}[seq ${d.seq}]`;
    const p = typeof d.prefix === 'string' ? prefixFromText(d.prefix) : 'prefix is missing';
    if (typeof p === 'string') {
      errors.push({ where: `${at}.prefix`, message: p });
      continue;
    }
    const max = p.afi === 1 ? 32 : 128;
    const bad = (v: number | undefined): boolean =>
      v !== undefined && (!Number.isInteger(v) || v < p.len || v > max);
    // FRR and Cisco insist on len < ge <= le <= max; ge equal to len is accepted here as well
    // (it means what it says) since refusing it helps no one.
    if (bad(d.ge) || bad(d.le) || (d.ge !== undefined && d.le !== undefined && d.ge > d.le)) {
      errors.push({
        where: at,
        message: `ge/le for ${prefixToText(p)} must satisfy ${p.len} <= ge <= le <= ${max}`,
      });
      continue;
    }
    const minLen = d.ge ?? p.len;
    const maxLen = d.le ?? (d.ge !== undefined ? max : p.len);
    const text = `${prefixToText(p)}${rangeText(d.ge, d.le)}`;
    entries.push({ seq: d.seq, action: d.action, prefix: p, minLen, maxLen, text });
  }
  const v4 = node();
  const v6 = node();
  entries.forEach((e, idx) => {
    let n = e.prefix.afi === 1 ? v4 : v6;
    for (let i = 0; i < e.prefix.len; i++) {
      if (bitAt(e.prefix, i)) n = n.one ??= node();
      else n = n.zero ??= node();
    }
    n.here.push(idx);
  });
  return { name, entries, v4, v6 };
}

/** The index of the first entry (in seq order) that matches, or -1 (the implicit deny). */
export function prefixListLookup(list: CompiledPrefixList, p: IpPrefix): number {
  let n: TrieNode | undefined = p.afi === 1 ? list.v4 : list.v6;
  let best = -1;
  const len = p.len;
  const entries = list.entries;
  for (let depth = 0; n !== undefined; depth++) {
    const here = n.here;
    for (let k = 0; k < here.length; k++) {
      const idx = here[k] as number;
      if (best !== -1 && idx >= best) break;
      const e = entries[idx] as PrefixListEntry;
      if (len >= e.minLen && len <= e.maxLen) {
        best = idx;
        break;
      }
    }
    if (depth === len) break;
    n = bitAt(p, depth) ? n.one : n.zero;
  }
  return best;
}

/** True when the first matching entry permits the prefix. */
export function prefixListPermits(list: CompiledPrefixList, p: IpPrefix): boolean {
  const i = prefixListLookup(list, p);
  return i !== -1 && (list.entries[i] as PrefixListEntry).action === 'permit';
}

/** The trace sentence for a lookup. */
export function explainPrefixList(list: CompiledPrefixList, p: IpPrefix): string {
  const i = prefixListLookup(list, p);
  const pt = prefixToText(p);
  if (i === -1) return `prefix ${pt} not in prefix-list ${list.name} (implicit deny)`;
  const e = list.entries[i] as PrefixListEntry;
  return e.action === 'permit'
    ? `prefix ${pt} permitted by prefix-list ${list.name} seq ${e.seq} (${e.text})`
    : `prefix ${pt} denied by prefix-list ${list.name} seq ${e.seq} (${e.text})`;
}
