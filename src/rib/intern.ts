// Attribute set interning: one frozen AttrSet per distinct set of values, found once per UPDATE
// (not per prefix) by a 32-bit hash of the values and a comparison of the values (attr-hash.ts):
// no canonical key string is built or kept (the key of a realistic table's set was a ~150-octet
// string, and building it was most of the interning time; bench/heap/). Sets are reference
// counted so a table that drops its last route using a set lets the set go.
//
// The reference rule: whoever records a set holds one reference per thing that names it and
// drops it when that thing goes. Received sets: one per route in a table or an Adj-RIB-In
// (ops.ts, rib.ts, adj-in.ts). An export filter's outbound sets (groups.ts outAttrs; without a
// filter a group's are not interned, out-set.ts): one per destination (path,
// under ADD-PATH) an update group's Adj-RIB-Out advertises with it (adj-out.ts,
// adj-out-paths.ts), all dropped when the group goes. A set interned for a change nobody recorded
// has no reference: its maker releases it (releaseUnused) once it knows nobody will, so the live
// sets after any sequence are those a fresh start would have. A released set is never handed out
// again: a cache of sets (a memo) checks isLive before answering.

import { asPathLength, type AttrSet, type AttrValues } from '../model/attrset.js';
import { attrKey } from './attr-key.js';
import { attrHash, extListHash, sameBesidesPath, sameExtWords } from './attr-hash.js';
import { AttrParts, EMPTY, frozenNumbers, type Rare } from './attr-parts.js';
import { grown } from './grown.js';
import { HashSlots } from './hash-slots.js';
import { packedNeighborAs, packPath, unpackPath } from './packed-path.js';

export { attrKey } from './attr-key.js';
export { attrHash, sameValues } from './attr-hash.js';

/**
 * An interned set. The canonical key is computed when asked (tests, the reload's comparisons,
 * the simulator's text): the interner itself finds sets by attrHash and sameValues.
 */
class InternedSet implements AttrSet {
  /**
   * The set's place in its interner's columns (refs, memo, the live set): a small integer, where
   * an object per set of bookkeeping cost 64 octets (the object and the field naming it).
   * Private: not an own enumerable property, so a spread copy of the values leaves it behind.
   */
  readonly #at: number;

  /** The set's place, or -1 for a value that is not an interned set. */
  static placeOf(x: unknown): number {
    return x instanceof InternedSet ? x.#at : -1;
  }

  /**
   * The attributes most sets lack (LOCAL_PREF on eBGP, the reflection and aggregation ones,
   * large communities, unknown ones, a weight): one field, undefined when all are absent, where
   * nine fields cost 72 octets on every set. Read through the getters below; private, so a spread
   * of a set would lose them: a copy is made with valuesOf (model/attrset.ts).
   */
  readonly #rare: Rare | undefined;

  /** The AS path packed (packed-path.ts): one string where the segments were five objects. */
  readonly #path: string;

  /**
   * ORIGIN in the low 8 bits, the AS path length (RFC 4271 §9.1.2.2 a) above: one small integer
   * where two fields cost 16 octets a set (the neighbor AS is read from the packed path).
   */
  readonly #shape: number;

  constructor(
    at: number,
    rare: Rare | undefined,
    path: string,
    origin: number,
    readonly nextHop: AttrSet['nextHop'],
    readonly med: number | undefined,
    readonly communities: readonly number[],
    readonly extCommunities: AttrSet['extCommunities'],
    readonly id: number,
    pathLength: number,
    readonly rtKeys: readonly string[],
  ) {
    this.#at = at;
    this.#rare = rare;
    this.#path = path;
    this.#shape = (origin & 0xff) | (pathLength << 8);
  }

  get origin(): number {
    return this.#shape & 0xff;
  }
  get asPathLength(): number {
    return this.#shape >>> 8;
  }
  get neighborAs(): number | undefined {
    return packedNeighborAs(this.#path);
  }

  /** The packed AS path of a set (what the interner compares), or undefined for other values. */
  static pathOf(x: unknown): string | undefined {
    return x instanceof InternedSet ? x.#path : undefined;
  }

  /** Frozen segments made at each read (a new list each time: compare paths by value). */
  get asPath(): AttrSet['asPath'] {
    return unpackPath(this.#path);
  }

  get localPref(): number | undefined {
    return this.#rare?.localPref;
  }
  get atomicAggregate(): boolean {
    return this.#rare?.atomicAggregate ?? false;
  }
  get aggregator(): AttrSet['aggregator'] {
    return this.#rare?.aggregator;
  }
  get largeCommunities(): AttrSet['largeCommunities'] {
    return this.#rare?.largeCommunities ?? EMPTY;
  }
  get originatorId(): number | undefined {
    return this.#rare?.originatorId;
  }
  get clusterList(): readonly number[] {
    return this.#rare?.clusterList ?? EMPTY;
  }
  get otc(): number | undefined {
    return this.#rare?.otc;
  }
  get others(): AttrSet['others'] {
    return this.#rare?.others ?? EMPTY;
  }
  get weight(): number {
    return this.#rare?.weight ?? 0;
  }

  get key(): string {
    return attrKey(this);
  }
}

/** An interned set's packed AS path (packed-path.ts), or undefined for other values. */
export function packedPathOf(x: unknown): string | undefined {
  return InternedSet.pathOf(x);
}

export class AttrInterner {
  private nextId = 1;
  private readonly parts = new AttrParts();
  /**
   * The bookkeeping of the live sets, by place (InternedSet #at), in columns: the set at each
   * place (a released set's place holds another set or nothing: that is how it is known released,
   * and why a set of another interner is not taken for one of these), its references, its memo,
   * its attrHash and its list's extListHash where it made the list (UNLINKED: it did not). A
   * released set's place is reused.
   */
  private sets: (InternedSet | undefined)[] = [];
  private refs = new Int32Array(INITIAL);
  private hashes = new Int32Array(INITIAL);
  private extHashes = new Int32Array(INITIAL);
  private memos: unknown[] = [];
  private readonly free: number[] = [];
  /**
   * The sets' places by attrHash (hash-slots.ts): no entry objects, no lists for the hashes two
   * sets share, and a probe that reads hashes beside the places before it touches a set.
   */
  private readonly bySet = new HashSlots(INITIAL);
  /**
   * One live set per distinct extended-community list, by extListHash: a new set with an equal
   * list takes that set's list and route-target keys (most sets of a table carry one of a few
   * lists; a realistic table's 2-RT lists are 4096 for 77k sets at 1M). Only the set that made a
   * list is in it, so it holds distinct lists; when that set goes, the next set with the list
   * makes it again.
   */
  private readonly byList = new HashSlots(INITIAL);

  get size(): number {
    return this.bySet.size;
  }

  /** This interner's place of a set that is still live (refs not dropped to zero), or -1. */
  private liveAt(set: unknown): number {
    const at = InternedSet.placeOf(set);
    return at >= 0 && this.sets[at] === set ? at : -1;
  }

  /**
   * The memo a reader left on one of this interner's live sets (undefined: none), or null when
   * the set is not one of them (it has nowhere to keep one). The update groups keep a set's
   * outbound set there (groups.ts): it lives and goes with the set, and costs no lookup in a map
   * of every set.
   */
  memoOf(set: AttrSet): unknown {
    const at = this.liveAt(set);
    return at >= 0 ? this.memos[at] : null;
  }

  /** Leaves a memo on one of this interner's live sets (see memoOf; any other set is ignored). */
  setMemo(set: AttrSet, memo: unknown): void {
    const at = this.liveAt(set);
    if (at >= 0) this.memos[at] = memo;
  }

  /** Whether a set is the live interned one (its id still names it: refs not dropped to zero). */
  isLive(set: AttrSet): boolean {
    return this.liveAt(set) >= 0;
  }

  /**
   * The interned set equal to v (made on first sight; no reference taken). `base`: the set v was
   * made from (outbound.ts): if v kept its extended communities, so does a new set, with its keys.
   */
  intern(v: AttrValues, base?: AttrSet): AttrSet {
    // Already a live interned set (an import without a map passes the VPN route's set through).
    if (this.liveAt(v) >= 0) return v as AttrSet;
    const hash = attrHash(v);
    const path = InternedSet.pathOf(v) ?? packPath(v.asPath);
    const bySet = this.bySet;
    for (let i = bySet.home(hash); ; i = bySet.next(i)) {
      const at = bySet.placeAt(i);
      if (at < 0) break;
      if (bySet.hashAt(i) !== hash) continue;
      const s = this.sets[at]!;
      if (InternedSet.pathOf(s) === path && sameBesidesPath(s, v)) return s;
    }
    const kept = base?.extCommunities === v.extCommunities && this.liveAt(base) >= 0;
    const extHash = kept ? -1 : extListHash(v.extCommunities);
    const twin = extHash < 0 ? undefined : this.extTwin(extHash, v.extCommunities);
    const exts = kept
      ? base.extCommunities
      : (twin?.extCommunities ?? this.parts.extList(v.extCommunities));
    const at = this.place();
    const set = new InternedSet(
      at,
      this.parts.rare(v),
      path,
      v.origin,
      this.parts.nextHop(v.nextHop),
      v.med,
      frozenNumbers(v.communities),
      exts,
      this.nextId++,
      asPathLength(v.asPath),
      kept ? base.rtKeys : (twin?.rtKeys ?? this.parts.rtKeys(exts)),
    );
    Object.freeze(set);
    this.sets[at] = set;
    this.hashes[at] = hash;
    this.bySet.add(hash, at);
    if (extHash >= 0 && twin === undefined) {
      this.extHashes[at] = extHash;
      this.byList.add(extHash, at);
    } else this.extHashes[at] = UNLINKED;
    return set;
  }

  /** The live set that made an extended-community list equal to this one, if any. */
  private extTwin(extHash: number, list: AttrValues['extCommunities']): InternedSet | undefined {
    const byList = this.byList;
    for (let i = byList.home(extHash); ; i = byList.next(i)) {
      const at = byList.placeAt(i);
      if (at < 0) return undefined;
      if (byList.hashAt(i) !== extHash) continue;
      const s = this.sets[at]!;
      if (sameExtWords(s.extCommunities, list)) return s;
    }
  }

  /** A free place, its references 0 and no memo. */
  private place(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const at = this.sets.length;
    if (at === this.refs.length) {
      this.refs = grown(this.refs);
      this.hashes = grown(this.hashes);
      this.extHashes = grown(this.extHashes);
    }
    this.sets.push(undefined);
    this.memos.push(undefined);
    return at;
  }

  /** Takes a reference to a live set (a set already released is not brought back). */
  ref(set: AttrSet): void {
    const at = this.liveAt(set);
    if (at >= 0) this.refs[at]!++;
  }

  /** Drops a reference; the last one releases the set (intern() makes a new one next time). */
  unref(set: AttrSet): void {
    const at = this.liveAt(set);
    if (at < 0) return;
    if (--this.refs[at]! > 0) return;
    this.release(at);
  }

  /**
   * Releases a live set nobody holds a reference to: one interned for a change that was then not
   * recorded (groups.ts: an outbound set identical to what was advertised, or replaced before the
   * flush). A set with references is left alone.
   */
  releaseUnused(set: AttrSet): void {
    const at = this.liveAt(set);
    if (at >= 0 && this.refs[at] === 0) this.release(at);
  }

  private release(at: number): void {
    this.bySet.remove(this.hashes[at]!, at);
    if (this.extHashes[at] !== UNLINKED) this.byList.remove(this.extHashes[at]!, at);
    this.sets[at] = undefined;
    this.memos[at] = undefined;
    this.refs[at] = 0;
    this.free.push(at);
  }
}

const INITIAL = 1024;
/**
 * extHashes of a set whose list is not in byList (it took another set's, or has none to share):
 * extListHash is -1 or a 30-bit hash, never this.
 */
const UNLINKED = -2;
