// The parts attribute sets share: one frozen object per distinct extended community and next hop,
// one key string per distinct route target, one key list per lone route target. A table's sets
// draw these from a few hundred values, where the decoder (and the outbound rules' next-hop-self)
// make a new object per UPDATE: 40-56 octets per set for the next hop, ~32 per route target key
// string and ~56 per key list (bench/README.md, "Attribute sets"). Each pool is bounded: past
// MAX_SHARED distinct values, further ones are kept as they came.

import type { AttrValues, NextHopAddr } from '../model/attrset.js';
import { extCommunityHi, extCommunityKey, extCommunityLo } from '../wire/ext-community.js';
import type { ExtCommunity } from '../wire/types.js';
import { nextHopKey } from './attr-key.js';
import { keptNumbers, keptObjects } from './kept-lists.js';

export const EMPTY: readonly never[] = Object.freeze([]);

/**
 * A frozen copy; an empty list is one shared array (most sets have no large communities, cluster
 * list or unknown attributes, half no communities: 32 octets each per set otherwise). A list
 * already frozen cannot change under the set and is shared as it is: the set sent to a group
 * shares the lists of the set it was made from (outbound.ts changes the AS path only).
 */
export function frozen<T>(a: readonly T[]): readonly T[] {
  if (a.length === 0) return EMPTY;
  return Object.isFrozen(a) ? a : Object.freeze(a.slice());
}

/** frozen() for the lists of numbers every set has (AS path ASNs, communities): see kept-lists.ts. */
export function frozenNumbers(a: readonly number[]): readonly number[] {
  if (a.length === 0) return EMPTY;
  return Object.isFrozen(a) ? a : Object.freeze(keptNumbers(a));
}

/** The attributes most sets lack, as an interned set keeps them (intern.ts InternedSet #rare). */
export interface Rare {
  readonly localPref: number | undefined;
  readonly atomicAggregate: boolean;
  readonly aggregator: AttrValues['aggregator'];
  readonly largeCommunities: AttrValues['largeCommunities'];
  readonly originatorId: number | undefined;
  readonly clusterList: readonly number[];
  readonly otc: number | undefined;
  readonly others: AttrValues['others'];
  readonly weight: number;
}
const MAX_SHARED = 1 << 16;

export class AttrParts {
  /** First word -> second word -> the shared community. */
  private readonly exts = new Map<number, Map<number, ExtCommunity>>();
  /** The key of each shared route target (DESIGN.md "RT match"). */
  private readonly rtKeyOf = new Map<ExtCommunity, string>();
  /** The key list of a set whose only transitive route target is the key's. */
  private readonly loneRt = new Map<string, readonly string[]>();
  private readonly v4 = new Map<number, NextHopAddr>();
  private readonly v6 = new Map<string, NextHopAddr>();
  /** The rare part of sets whose only rare attribute is a LOCAL_PREF (iBGP), by its value. */
  private readonly localPrefOnly = new Map<number, Rare>();
  private count = 0;

  /** The rare part of a set of values: undefined when all are absent (most sets). */
  rare(v: AttrValues): Rare | undefined {
    const plain =
      !v.atomicAggregate &&
      v.aggregator === undefined &&
      v.largeCommunities.length === 0 &&
      v.originatorId === undefined &&
      v.clusterList.length === 0 &&
      v.otc === undefined &&
      v.others.length === 0 &&
      v.weight === 0;
    if (plain && v.localPref === undefined) return undefined;
    if (plain) {
      const had = this.localPrefOnly.get(v.localPref!);
      if (had) return had;
    }
    const r: Rare = Object.freeze({
      localPref: v.localPref,
      atomicAggregate: v.atomicAggregate,
      aggregator: v.aggregator,
      largeCommunities: frozen(v.largeCommunities),
      originatorId: v.originatorId,
      clusterList: frozen(v.clusterList),
      otc: v.otc,
      others: frozen(v.others),
      weight: v.weight,
    });
    if (plain && this.localPrefOnly.size < MAX_SHARED) this.localPrefOnly.set(v.localPref!, r);
    return r;
  }

  /** The list with each community replaced by the shared one (a new, frozen, exact-size list). */
  extList(list: readonly ExtCommunity[]): readonly ExtCommunity[] {
    if (list.length === 0) return EMPTY;
    // A copy from a literal (kept-lists.ts), then each entry replaced in place: not push(), a
    // pushed-to array keeps the slack of its growth (17 slots for one).
    const out = keptObjects(list);
    for (let i = 0; i < out.length; i++) out[i] = this.ext(out[i]!);
    return Object.freeze(out);
  }

  private ext(ec: ExtCommunity): ExtCommunity {
    if (ec.kind === 'raw') return ec;
    const hi = extCommunityHi(ec);
    const lo = extCommunityLo(ec);
    let byLo = this.exts.get(hi);
    const had = byLo?.get(lo);
    if (had) return had;
    if (this.count >= MAX_SHARED) return ec;
    const own = Object.freeze({ ...ec });
    if (!byLo) this.exts.set(hi, (byLo = new Map()));
    byLo.set(lo, own);
    if (own.kind === 'route-target' && own.transitive) this.rtKeyOf.set(own, extCommunityKey(own));
    this.count++;
    return own;
  }

  /** Keys of the transitive RTs of a list extList made (DESIGN.md "RT match"). */
  rtKeys(list: readonly ExtCommunity[]): readonly string[] {
    let n = 0;
    let first = -1;
    for (let i = 0; i < list.length; i++)
      if (isRt(list[i]!)) {
        if (n++ === 0) first = i;
      }
    if (n === 0) return EMPTY;
    if (n === 1) {
      const key = this.keyOf(list[first]!);
      let lone = this.loneRt.get(key);
      if (lone === undefined && this.loneRt.size < MAX_SHARED)
        this.loneRt.set(key, (lone = Object.freeze([key])));
      return lone ?? Object.freeze([key]);
    }
    // Filled by index at the exact size (a pushed-to one keeps the slack of its growth), kept as
    // a copy from a literal (kept-lists.ts).
    const keys = new Array<string>(n);
    for (let i = first, k = 0; k < n; i++) if (isRt(list[i]!)) keys[k++] = this.keyOf(list[i]!);
    return Object.freeze(keptObjects(keys));
  }

  private keyOf(ec: ExtCommunity): string {
    return this.rtKeyOf.get(ec) ?? extCommunityKey(ec);
  }

  /** The shared next hop equal to this one. */
  nextHop(nh: NextHopAddr | undefined): NextHopAddr | undefined {
    if (nh === undefined) return undefined;
    if (nh.afi === 1) {
      const had = this.v4.get(nh.addr);
      if (had) return had;
      if (this.count >= MAX_SHARED) return nh;
      const own: NextHopAddr = Object.freeze({ afi: 1, addr: nh.addr });
      this.v4.set(nh.addr, own);
      this.count++;
      return own;
    }
    const key = nextHopKey(nh);
    const had = this.v6.get(key);
    if (had) return had;
    if (this.count >= MAX_SHARED) return nh;
    // Copies of the octets: the decoder's may be views of a received message.
    const own: NextHopAddr = Object.freeze(
      nh.linkLocal
        ? { afi: 2, addr: nh.addr.slice(), linkLocal: nh.linkLocal.slice() }
        : { afi: 2, addr: nh.addr.slice() },
    );
    this.v6.set(key, own);
    this.count++;
    return own;
  }
}

function isRt(ec: ExtCommunity): boolean {
  return ec.kind === 'route-target' && ec.transitive;
}
