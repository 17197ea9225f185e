// Attribute set interning: one frozen AttrSet per distinct set of values, found once per UPDATE
// (not per prefix) by a 32-bit hash of the values and a comparison of the values: no canonical
// key string is built or kept (the key of a realistic table's set was a ~150-octet string, and
// building it was most of the interning time; bench/heap/). Sets are reference counted so a table
// that drops its last route using a set lets the set go.
//
// The reference rule: whoever records a set holds one reference per thing that names it and
// drops it when that thing goes. Received sets: one per route in a table or an Adj-RIB-In
// (ops.ts, rib.ts, adj-in.ts). Outbound sets (groups.ts outAttrs): one per destination (path,
// under ADD-PATH) an update group's Adj-RIB-Out advertises with it (adj-out.ts,
// adj-out-paths.ts), all dropped when the group goes. A set interned for a change nobody recorded
// has no reference: its maker releases it (releaseUnused) once it knows nobody will, so the live
// sets after any sequence are those a fresh start would have. A released set is never handed out
// again: a cache of sets (a memo) checks isLive before answering.

import {
  asPathLength,
  neighborAsOf,
  type AttrSet,
  type AttrValues,
  type NextHopAddr,
} from '../model/attrset.js';
import { extCommunityHi, extCommunityKey, extCommunityLo } from '../wire/ext-community.js';
import type { ExtCommunity } from '../wire/types.js';
import { ShardedMap } from './sharded-map.js';
import { attrKey, otherKey } from './attr-key.js';

export { attrKey } from './attr-key.js';

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
  if (
    a.origin !== b.origin ||
    a.med !== b.med ||
    a.localPref !== b.localPref ||
    a.atomicAggregate !== b.atomicAggregate ||
    a.originatorId !== b.originatorId ||
    a.otc !== b.otc ||
    a.weight !== b.weight ||
    a.asPath.length !== b.asPath.length ||
    a.extCommunities.length !== b.extCommunities.length ||
    a.largeCommunities.length !== b.largeCommunities.length ||
    a.others.length !== b.others.length
  )
    return false;
  for (let i = 0; i < a.asPath.length; i++) {
    const x = a.asPath[i]!;
    const y = b.asPath[i]!;
    if (x.type !== y.type || !sameNumbers(x.asns, y.asns)) return false;
  }
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
 * The interner's bookkeeping of one set, reached from the set itself (no map from id to slot: at
 * 1M routes that map held one entry per set and was looked up for every route put or dropped).
 */
class Slot {
  refs = 0;
  /** False once the last reference went (the set is no longer found by intern()). */
  live = true;
  /** What a reader derived from the set (AttrInterner.memoOf), gone with the set. */
  memo: unknown = undefined;
  constructor(readonly owner: AttrInterner) {}
}

/**
 * An interned set. The canonical key is computed when asked (tests, the reload's comparisons,
 * the simulator's text): the interner itself finds sets by attrHash and sameValues.
 */
class InternedSet implements AttrSet {
  /** Private: not an own enumerable property, so a spread copy of the values leaves it behind. */
  readonly #slot: Slot;

  static slotOf(x: unknown): Slot | undefined {
    return x instanceof InternedSet ? x.#slot : undefined;
  }

  constructor(
    slot: Slot,
    readonly origin: number,
    readonly asPath: AttrSet['asPath'],
    readonly nextHop: NextHopAddr | undefined,
    readonly med: number | undefined,
    readonly localPref: number | undefined,
    readonly atomicAggregate: boolean,
    readonly aggregator: AttrSet['aggregator'],
    readonly communities: readonly number[],
    readonly extCommunities: AttrSet['extCommunities'],
    readonly largeCommunities: AttrSet['largeCommunities'],
    readonly originatorId: number | undefined,
    readonly clusterList: readonly number[],
    readonly otc: number | undefined,
    readonly others: AttrSet['others'],
    readonly weight: number,
    readonly id: number,
    readonly asPathLength: number,
    readonly neighborAs: number | undefined,
    readonly rtKeys: readonly string[],
    /** attrHash of the values. */
    readonly hash: number,
  ) {
    this.#slot = slot;
  }

  get key(): string {
    return attrKey(this);
  }
}

const EMPTY: readonly never[] = Object.freeze([]);
const MAX_SHARED_EXT = 1 << 16;

/**
 * A frozen copy; an empty list is one shared array (most sets have no large communities, cluster
 * list or unknown attributes, half no communities: 32 octets each per set otherwise). A list
 * already frozen cannot change under the set and is shared as it is: the set sent to a group
 * shares the lists of the set it was made from (outbound.ts changes the AS path only).
 */
function frozen<T>(a: readonly T[]): readonly T[] {
  if (a.length === 0) return EMPTY;
  return Object.isFrozen(a) ? a : Object.freeze(a.slice());
}

type Segments = AttrSet['asPath'];

function frozenSegment(s: Segments[number]): Segments[number] {
  return Object.isFrozen(s) && Object.isFrozen(s.asns)
    ? s
    : Object.freeze({ type: s.type, asns: frozen(s.asns) });
}

/** The AS path as frozen segments, sharing those (and the list) already frozen. */
function frozenPath(path: Segments): Segments {
  if (path.length === 0) return EMPTY;
  if (Object.isFrozen(path) && path.every((s) => frozenSegment(s) === s)) return path;
  return Object.freeze(path.map(frozenSegment));
}

/** Keys of the transitive RTs (DESIGN.md "RT match"); filter() and map() size arrays exactly. */
function rtKeysOf(list: readonly ExtCommunity[]): readonly string[] {
  const rts = list.filter((ec) => ec.kind === 'route-target' && ec.transitive);
  return rts.length === 0 ? EMPTY : Object.freeze(rts.map(extCommunityKey));
}

export class AttrInterner {
  /** attrHash -> the live set, or the sets when two share a hash (sharded: no rehash pause). */
  private readonly byHash = new ShardedMap<number, InternedSet | InternedSet[]>();
  private live = 0;
  private nextId = 1;
  /**
   * One object per distinct route target or origin (first word -> second word -> it): a table's
   * sets draw them from a few hundred, and the decoder makes one object (64 octets) per community
   * of every UPDATE. Bounded: past MAX_SHARED_EXT, further ones are kept as they came.
   */
  private readonly exts = new Map<number, Map<number, ExtCommunity>>();
  private extCount = 0;

  private sharedExts(list: readonly ExtCommunity[]): readonly ExtCommunity[] {
    if (list.length === 0) return EMPTY;
    // map(), not push(): a pushed-to array keeps the slack of its growth (17 slots for one).
    const out = list.map((ec) => {
      if (ec.kind === 'raw') return ec;
      const hi = extCommunityHi(ec);
      const lo = extCommunityLo(ec);
      let byLo = this.exts.get(hi);
      const had = byLo?.get(lo);
      if (had) return had;
      if (this.extCount >= MAX_SHARED_EXT) return ec;
      const own = Object.freeze({ ...ec });
      if (!byLo) this.exts.set(hi, (byLo = new Map()));
      byLo.set(lo, own);
      this.extCount++;
      return own;
    });
    return Object.freeze(out);
  }

  get size(): number {
    return this.live;
  }

  /** This interner's slot of a set that is still live (refs not dropped to zero). */
  private liveSlot(set: unknown): Slot | undefined {
    const slot = InternedSet.slotOf(set);
    return slot !== undefined && slot.live && slot.owner === this ? slot : undefined;
  }

  /**
   * The memo a reader left on one of this interner's sets (undefined: none), or null when the set
   * is not one of them (it has nowhere to keep one). The update groups keep a set's outbound set
   * there (groups.ts): it lives and goes with the set, and costs no lookup in a map of every set.
   */
  memoOf(set: AttrSet): unknown {
    const slot = InternedSet.slotOf(set);
    return slot !== undefined && slot.owner === this ? slot.memo : null;
  }

  /** Leaves a memo on one of this interner's sets (see memoOf; a set not one of them is ignored). */
  setMemo(set: AttrSet, memo: unknown): void {
    const slot = InternedSet.slotOf(set);
    if (slot !== undefined && slot.owner === this) slot.memo = memo;
  }

  /** Whether a set is the live interned one (its id still names it: refs not dropped to zero). */
  isLive(set: AttrSet): boolean {
    return this.liveSlot(set) !== undefined;
  }

  /**
   * The interned set equal to v (made on first sight; no reference taken). `base`: the set v was
   * made from (outbound.ts): if v kept its extended communities, so does a new set, with its keys.
   */
  intern(v: AttrValues, base?: AttrSet): AttrSet {
    // Already a live interned set (an import without a map passes the VPN route's set through).
    if (this.liveSlot(v) !== undefined) return v as AttrSet;
    const hash = attrHash(v);
    const hit = this.byHash.get(hash);
    if (hit !== undefined) {
      if (!Array.isArray(hit)) {
        if (sameValues(hit, v)) return hit;
      } else for (const s of hit) if (sameValues(s, v)) return s;
    }
    const kept =
      base?.extCommunities === v.extCommunities && InternedSet.slotOf(base)?.owner === this;
    const exts = kept ? base.extCommunities : this.sharedExts(v.extCommunities);
    const rtKeys = kept ? base.rtKeys : rtKeysOf(v.extCommunities);
    const set = new InternedSet(
      new Slot(this),
      v.origin,
      frozenPath(v.asPath),
      v.nextHop,
      v.med,
      v.localPref,
      v.atomicAggregate,
      v.aggregator,
      frozen(v.communities),
      exts,
      frozen(v.largeCommunities),
      v.originatorId,
      frozen(v.clusterList),
      v.otc,
      frozen(v.others),
      v.weight,
      this.nextId++,
      asPathLength(v.asPath),
      neighborAsOf(v.asPath),
      rtKeys,
      hash,
    );
    Object.freeze(set);
    if (hit === undefined) this.byHash.set(hash, set);
    else if (Array.isArray(hit)) hit.push(set);
    else this.byHash.set(hash, [hit, set]);
    this.live++;
    return set;
  }

  /** Takes a reference to a live set (a set already released is not brought back). */
  ref(set: AttrSet): void {
    const s = this.liveSlot(set);
    if (s) s.refs++;
  }

  /** Drops a reference; the last one releases the set (intern() makes a new one next time). */
  unref(set: AttrSet): void {
    const s = this.liveSlot(set);
    if (!s) return;
    if (--s.refs > 0) return;
    this.release(set, s);
  }

  /**
   * Releases a live set nobody holds a reference to: one interned for a change that was then not
   * recorded (groups.ts: an outbound set identical to what was advertised, or replaced before the
   * flush). A set with references is left alone.
   */
  releaseUnused(set: AttrSet): void {
    const s = this.liveSlot(set);
    if (s && s.refs === 0) this.release(set, s);
  }

  private release(set: AttrSet, s: Slot): void {
    s.live = false;
    this.live--;
    const hash = (set as InternedSet).hash;
    const at = this.byHash.get(hash);
    if (at === set) this.byHash.delete(hash);
    else if (Array.isArray(at)) {
      const rest = at.filter((x) => x !== set);
      if (rest.length === 0) this.byHash.delete(hash);
      else this.byHash.set(hash, rest.length === 1 ? rest[0]! : rest);
    }
  }
}
