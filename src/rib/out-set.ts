// The attribute set an update group sends for a received set, when its outbound rules decide per
// set (no export filter): the received set and the fields the RFC 4271 / RFC 4456 rules change
// (outbound.ts; the eBGP AS path is made when read), not interned. Interning it cost a hash, a lookup and an insertion in the
// interner's map of every set, and a deletion when the last destination sent with it went: ~1.7 s
// of a realistic 1M table's 230k sets, where each received set makes one outbound set anyway
// (bench/README.md, "Outbound sets not interned"). It lives in the group's memo on the received set
// (groups.ts OutMemo), so it goes with that set, and in the Adj-RIB-Out entries sent with it.

import { asPathLength, neighborAsOf, type AttrSet, type NextHopAddr } from '../model/attrset.js';
import type { PathWriter } from '../wire/attrs/set-encode.js';
import { attrKey } from './attr-key.js';
import { sameLabels, type OutEntry } from './out-entry.js';
import { packedPathOf } from './intern.js';
import { writePackedPath } from './packed-path-wire.js';
import { sentPath, type MakeOut, type OutProfile } from './outbound.js';

/** Ids of outbound sets: negative, so never an interned set's; unique per object. */
let nextId = -1;

export class OutSet implements AttrSet, OutEntry {
  // Fields only declared: every OutSet is made by makeOutSet below, from one object literal (see
  // there).
  /** Unique per outbound set (equal values made for two received sets have two ids). */
  declare readonly id: number;
  /** The received set this one was made from: every field the rules leave alone is its. */
  declare private readonly base: AttrSet;
  /**
   * The fields the rules decide, in an object the sets one (group, source) sends share while
   * they are equal: toward an eBGP peer every set gets the same (our AS's path rule, next hop
   * self, no MED, LOCAL_PREF or reflection attributes), where each set kept its own copy of them
   * (48 octets a set: ~11 MB of a realistic 1M table's 230k sets; bench/README.md, issue 13).
   */
  declare private readonly tail: OutTail;
  /**
   * The source and labels of the first Adj-RIB-Out entry asked of this set (asEntry): the set is
   * that entry itself, where an entry object per set and flush cost 56 octets (~13 MB of a
   * realistic 1M table: most sets go out once, with one RD's label). Set once, then only read.
   */
  declare private entrySrc: number;
  declare private entryLabels: readonly number[] | undefined;

  /** As an Adj-RIB-Out entry (out-entry.ts OutEntry): the set sent is itself. */
  get attrs(): AttrSet {
    return this;
  }
  get src(): number {
    return this.entrySrc;
  }
  get labels(): readonly number[] {
    return this.entryLabels!;
  }
  /** Only entries without a path identifier (asEntry). */
  get pathId(): number {
    return 0;
  }

  /**
   * This set as the Adj-RIB-Out entry of (this set, src, labels, no path id), if it is the first
   * entry asked of it or equal to that one; else undefined (the caller makes an entry object).
   */
  asEntry(src: number, labels: readonly number[]): OutEntry | undefined {
    const had = this.entryLabels;
    if (had === undefined) {
      this.entrySrc = src;
      this.entryLabels = labels;
      return this;
    }
    return this.entrySrc === src && sameLabels(had, labels) ? this : undefined;
  }

  /**
   * Whose eBGP AS path rule makes the path (undefined: the received path): the path is made
   * when read (at packing), not kept, ~150 octets per set that lived as long as the set.
   */
  private get ebgp(): OutProfile | undefined {
    return this.tail.ebgp;
  }
  get nextHop(): NextHopAddr {
    return this.tail.nextHop;
  }
  get med(): number | undefined {
    return this.tail.med;
  }
  get localPref(): number | undefined {
    return this.tail.localPref;
  }
  get originatorId(): number | undefined {
    return this.tail.originatorId;
  }
  get clusterList(): readonly number[] {
    return this.tail.clusterList;
  }
  /**
   * The (group, source) answers it was made for (undefined: made for none). Kept on a received
   * set as the memo of that (group, source) (groups.ts), the outbound set names them itself: an
   * OutMemo object per set (40 octets) only for a refusal.
   */
  get cache(): OutBySet | undefined {
    return this.tail.cache;
  }

  get asPath(): AttrSet['asPath'] {
    return this.ebgp ? sentPath(this.base.asPath, this.ebgp) : this.base.asPath;
  }

  /**
   * The path `asPath` gives, written from the received set's packed path (no segments made),
   * where it is an interned set's and the eBGP rule only prepends (no as-override); else
   * undefined (read asPath).
   */
  pathWriter(): PathWriter | undefined {
    const p = packedPathOf(this.base);
    const ebgp = this.ebgp;
    if (p === undefined || ebgp?.asOverride !== undefined) return undefined;
    const lead = ebgp?.localAs;
    return (w, width) => writePackedPath(w, p, lead, width);
  }
  get origin(): number {
    return this.base.origin;
  }
  get atomicAggregate(): boolean {
    return this.base.atomicAggregate;
  }
  get aggregator(): AttrSet['aggregator'] {
    return this.base.aggregator;
  }
  get communities(): readonly number[] {
    return this.base.communities;
  }
  get extCommunities(): AttrSet['extCommunities'] {
    return this.base.extCommunities;
  }
  get largeCommunities(): AttrSet['largeCommunities'] {
    return this.base.largeCommunities;
  }
  get otc(): number | undefined {
    return this.base.otc;
  }
  get others(): AttrSet['others'] {
    return this.base.others;
  }
  /** Local only, never sent. */
  get weight(): number {
    return 0;
  }
  /** The received set's: the extended communities are its. */
  get rtKeys(): readonly string[] {
    return this.base.rtKeys;
  }
  get asPathLength(): number {
    return asPathLength(this.asPath);
  }
  get neighborAs(): number | undefined {
    return neighborAsOf(this.asPath);
  }
  get key(): string {
    return attrKey(this);
  }
}

/**
 * One group's outbound sets for one source, by the id of the received set: those of the sets whose
 * memo (OutMemo) another (group, source) holds. Forgotten when the group goes or its policy
 * changes. The answers of received sets released since are dropped each time the map has doubled
 * (amortized: a walk per as many insertions): ids are not reused, so they are never asked again,
 * and an OutSet holds its received set, which would otherwise stay for the life of the group.
 */
export class OutBySet {
  private readonly sets = new Map<
    number,
    { readonly set: AttrSet; readonly out: AttrSet | null }
  >();
  private sweepAt = SWEEP_MIN;
  forgotten = false;
  /** The outbound rules' maker of the OutSets these answers hold (outbound.ts outbound). */
  readonly make: MakeOut<OutSet> = outSetMaker(this);

  /** The answer for a received set (undefined: none). */
  get(set: AttrSet): AttrSet | null | undefined {
    return this.sets.get(set.id)?.out;
  }

  /** Keeps the answer for a received set; `live`: whether a received set is still interned. */
  put(set: AttrSet, out: AttrSet | null, live: (s: AttrSet) => boolean): void {
    this.sets.set(set.id, { set, out });
    if (this.sets.size < this.sweepAt) return;
    for (const [id, a] of this.sets) if (!live(a.set)) this.sets.delete(id);
    this.sweepAt = Math.max(SWEEP_MIN, 2 * this.sets.size);
  }

  get size(): number {
    return this.sets.size;
  }
}

const SWEEP_MIN = 1024;

/**
 * A received set's refusal for the first (group, source) that asked (an outbound set is its own
 * memo: OutSet cache).
 */
export class OutMemo {
  // Fields only declared: every OutMemo is made by outMemo() below.
  declare readonly cache: OutBySet;
  declare readonly out: AttrSet | null;
}

/** An OutMemo, from an object literal (kept as long as its received set: see makeOutSet). */
export function outMemo(cache: OutBySet, out: AttrSet | null): OutMemo {
  const memo = { __proto__: OutMemo.prototype, cache, out };
  return memo as unknown as OutMemo;
}

/**
 * The outbound rules' maker of an OutSet for a (group, source)'s answers (outbound.ts outbound),
 * from one object literal with the class's prototype rather than `new`, as intern.ts makes the
 * received sets: V8 allocates a literal's objects in the old generation once it sees them
 * survive, and an outbound set lives as long as its received set (one per set of a realistic
 * table).
 */
function outSetMaker(cache: OutBySet | undefined): MakeOut<OutSet> {
  let last: OutTail | undefined;
  return (v, ebgp, nextHop, med, localPref, originatorId, clusterList) => {
    let tail = last;
    if (
      tail === undefined ||
      tail.ebgp !== ebgp ||
      tail.nextHop !== nextHop ||
      tail.med !== med ||
      tail.localPref !== localPref ||
      tail.originatorId !== originatorId ||
      tail.clusterList !== clusterList
    ) {
      tail = last = { ebgp, nextHop, med, localPref, originatorId, clusterList, cache };
    }
    const out = {
      __proto__: OutSet.prototype,
      id: nextId--,
      base: v,
      tail,
      entrySrc: 0,
      entryLabels: undefined,
    };
    return out as unknown as OutSet;
  };
}

/**
 * What the outbound rules decided for a set (outbound.ts MakeOut), and the (group, source) it was
 * decided for: shared by the OutSets made one after another with the same (OutSet tail).
 */
interface OutTail {
  readonly ebgp: OutProfile | undefined;
  readonly nextHop: NextHopAddr;
  readonly med: number | undefined;
  readonly localPref: number | undefined;
  readonly originatorId: number | undefined;
  readonly clusterList: readonly number[];
  readonly cache: OutBySet | undefined;
}

/** An OutSet made for no (group, source) (tests). */
export const makeOutSet: MakeOut<OutSet> = outSetMaker(undefined);

/** The (group, source) a memo on a received set is for (undefined: not a memo of theirs). */
export function memoCache(memo: unknown): OutBySet | undefined {
  if (memo instanceof OutSet) return memo.cache;
  return memo instanceof OutMemo ? memo.cache : undefined;
}

/** The answer a memo holds (memoCache said whose). */
export function memoOut(memo: OutSet | OutMemo): AttrSet | null {
  return memo instanceof OutSet ? memo : memo.out;
}
