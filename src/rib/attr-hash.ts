// Equality of attribute sets without a key string: a 32-bit hash of the values and a comparison of
// them, what the interner (intern.ts) finds a set by. Equal values give equal hashes; sameValues
// decides what attrKey (attr-key.ts) would.

import type { AttrValues, NextHopAddr } from '../model/attrset.js';
import type { ExtCommunity } from '../wire/types.js';
import { extCommunityHi, extCommunityKey, extCommunityLo } from '../wire/ext-community.js';
import { otherKey } from './attr-key.js';

/** FNV-1a over 32-bit words. */
function mix(h: number, x: number): number {
  return Math.imul(h ^ (x | 0), 0x01000193);
}

function mixArray(h: number, a: readonly number[]): number {
  h = mix(h, a.length);
  for (let i = 0; i < a.length; i++) h = mix(h, a[i]!);
  return h;
}

function mixBytes(h: number, b: Uint8Array): number {
  h = mix(h, b.length);
  for (let i = 0; i < b.length; i++) h = mix(h, b[i]!);
  return h;
}

const NONE = 0x7fffffff;

/** A hash of a set of values: equal values give equal hashes (sameValues decides). */
export function attrHash(v: AttrValues): number {
  let h = mix(0x811c9dc5, v.origin);
  h = mix(h, v.asPath.length);
  // Indexed loops: this runs once per UPDATE received and per set sent, and a for-of here left
  // an iterator result per element to the collector (~110 MB over a realistic 1M table).
  const path = v.asPath;
  for (let i = 0; i < path.length; i++) h = mixArray(mix(h, path[i]!.type), path[i]!.asns);
  const nh = v.nextHop;
  if (!nh) h = mix(h, NONE);
  else if (nh.afi === 1) h = mix(mix(h, 1), nh.addr);
  else {
    h = mixBytes(mix(h, 2), nh.addr);
    if (nh.linkLocal) h = mixBytes(h, nh.linkLocal);
  }
  h = mix(h, v.med ?? NONE);
  h = mix(h, v.med === undefined ? 0 : 1);
  h = mix(h, v.localPref ?? NONE);
  h = mix(h, v.localPref === undefined ? 0 : 1);
  h = mix(h, v.atomicAggregate ? 1 : 0);
  if (v.aggregator) h = mix(mix(h, v.aggregator.asn), v.aggregator.id);
  h = mixArray(h, v.communities);
  h = mix(h, v.extCommunities.length);
  const exts = v.extCommunities;
  for (let i = 0; i < exts.length; i++)
    h = mix(mix(h, extCommunityHi(exts[i]!)), extCommunityLo(exts[i]!));
  const large = v.largeCommunities;
  h = mix(h, large.length);
  for (let i = 0; i < large.length; i++)
    h = mix(mix(mix(h, large[i]!.global), large[i]!.local1), large[i]!.local2);
  h = mix(h, v.originatorId ?? NONE);
  h = mixArray(h, v.clusterList);
  h = mix(h, v.otc ?? NONE);
  h = mix(h, v.others.length);
  h = mix(h, v.weight);
  // 30 bits: a small integer in V8, so the map's key is not a heap number (allocated, and read
  // through a pointer on every probe).
  return h & 0x3fffffff;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameNextHop(a: NextHopAddr | undefined, b: NextHopAddr | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.afi !== b.afi) return false;
  if (a.afi === 1) return a.addr === b.addr;
  return b.afi === 2 && sameBytes(a.addr, b.addr) && sameBytes(a.linkLocal, b.linkLocal);
}

/** Whether two sets of values are equal (what attrKey compares, without building keys). */
export function sameValues(a: AttrValues, b: AttrValues): boolean {
  return samePath(a.asPath, b.asPath) && sameBesidesPath(a, b);
}

function samePath(a: AttrValues['asPath'], b: AttrValues['asPath']): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.type !== y.type || !sameNumbers(x.asns, y.asns)) return false;
  }
  return true;
}

/**
 * sameValues but for the AS path: the interner compares its sets' paths in their packed form
 * (intern.ts), without making their segments.
 */
export function sameBesidesPath(a: AttrValues, b: AttrValues): boolean {
  if (
    a.origin !== b.origin ||
    a.med !== b.med ||
    a.localPref !== b.localPref ||
    a.atomicAggregate !== b.atomicAggregate ||
    a.originatorId !== b.originatorId ||
    a.otc !== b.otc ||
    a.weight !== b.weight ||
    a.extCommunities.length !== b.extCommunities.length ||
    a.largeCommunities.length !== b.largeCommunities.length ||
    a.others.length !== b.others.length
  )
    return false;
  if (!sameNextHop(a.nextHop, b.nextHop)) return false;
  if (a.aggregator !== b.aggregator) {
    if (!a.aggregator || !b.aggregator) return false;
    if (a.aggregator.asn !== b.aggregator.asn || a.aggregator.id !== b.aggregator.id) return false;
  }
  if (!sameNumbers(a.communities, b.communities) || !sameNumbers(a.clusterList, b.clusterList))
    return false;
  for (let i = 0; i < a.extCommunities.length; i++) {
    const x = a.extCommunities[i]!;
    const y = b.extCommunities[i]!;
    if (x === y) continue;
    if (extCommunityHi(x) !== extCommunityHi(y) || extCommunityLo(x) !== extCommunityLo(y))
      return false;
    // Raw communities of another length than 8 compare by their keys.
    if (x.kind === 'raw' || y.kind === 'raw')
      if (extCommunityKey(x) !== extCommunityKey(y)) return false;
  }
  for (let i = 0; i < a.largeCommunities.length; i++) {
    const x = a.largeCommunities[i]!;
    const y = b.largeCommunities[i]!;
    if (x.global !== y.global || x.local1 !== y.local1 || x.local2 !== y.local2) return false;
  }
  for (let i = 0; i < a.others.length; i++)
    if (otherKey(a.others[i]!) !== otherKey(b.others[i]!)) return false;
  return true;
}

/**
 * A hash of an extended-community list by its wire words (30 bits), or -1 for a list the
 * interner does not share between sets: an empty one (one shared empty list already) or one with
 * a raw community (compared by its octets, attr-parts.ts keeps it as it came).
 */
export function extListHash(list: readonly ExtCommunity[]): number {
  if (list.length === 0) return -1;
  let h = mix(0x811c9dc5, list.length);
  for (let i = 0; i < list.length; i++) {
    const ec = list[i]!;
    if (ec.kind === 'raw') return -1;
    h = mix(mix(h, extCommunityHi(ec)), extCommunityLo(ec));
  }
  return h & 0x3fffffff;
}

/** Whether two lists extListHash hashes (no raw communities) carry the same communities. */
export function sameExtWords(a: readonly ExtCommunity[], b: readonly ExtCommunity[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x !== y &&
      (extCommunityHi(x) !== extCommunityHi(y) || extCommunityLo(x) !== extCommunityLo(y))
    )
      return false;
  }
  return true;
}
