// Adj-RIB-Out per update group: peers whose outbound attributes and encoding are identical share one
// group, so each change is computed, packed and encoded once and the same bytes go to every member.
// Pending changes coalesce by destination until flush() (a later change to the same destination
// replaces an earlier one), so bursts cost one UPDATE per attribute set, not one per change.
// Ownership (intern.ts, "the reference rule"): the Adj-RIB-Out holds one reference to an outbound
// set per destination advertised with it (entries are shared, the references are not), drops it
// when the destination is withdrawn or advertised with another set, and drops all of them when
// the group goes (release()). Pending changes hold none: their maker (groups.ts) releases what was
// never recorded.

import type { AttrSet } from '../model/attrset.js';
import type { FamilyName } from '../wire/afi.js';
import type { CodecContext } from '../wire/context.js';
import type { Nlri } from '../wire/types.js';
import { wireNextHop } from './wire-next-hop.js';
import { nlriFromKey } from '../wire/nlri/key.js';
import { wireAttrs } from './convert.js';
import { OutSet } from './out-set.js';
import { sameValues } from './attr-hash.js';
import {
  packAnnounce,
  packAnnounceKeys,
  packWithdraw,
  packWithdrawKeys,
  type KeySeq,
  type NlriSeq,
} from '../wire/update-pack.js';
import { familyKey, FAMILIES } from '../wire/afi.js';
import type { AddPathSendMode } from './add-path.js';
import type { AttrRefs } from './adj-in.js';
import { PathsOut } from './adj-out-paths.js';
import { destinationMap, keyedByRd } from './rd-map.js';
import {
  queuedLabels,
  sameLabels,
  type OutEntry,
  type OutPending,
  type Queued,
} from './out-entry.js';
import { PendingChanges } from './pending-changes.js';

export type { OutEntry, OutPending } from './out-entry.js';
export { PendingChanges } from './pending-changes.js';
export { wireNextHop } from './wire-next-hop.js';

export interface GroupOptions {
  readonly ctx: CodecContext;
  readonly ibgp: boolean;
  /**
   * Families sent with ADD-PATH (negotiated in this direction, RFC 7911 §4) and their send mode;
   * the others get the best path only.
   */
  readonly addPath?: ReadonlyMap<FamilyName, AddPathSendMode>;
  /** The interner the outbound sets come from (references per destination); none: not counted. */
  readonly refs?: AttrRefs;
}

const NO_REFS: AttrRefs = { ref: () => undefined, unref: () => undefined };

export interface FlushResult {
  readonly family: FamilyName;
  /** For every member. */
  readonly messages: Buffer[];
  /** For every member except the key (the routes' source). */
  readonly except: Map<number, Buffer[]>;
  /** For one member only (withdrawals of what it has, where its own route is now best). */
  readonly only: Map<number, Buffer[]>;
  readonly announced: number;
  readonly withdrawn: number;
}

export class UpdateGroup {
  readonly members = new Set<number>();
  /**
   * What each member has been told, per family: destination key -> entry. A VPN family's is one
   * Map per RD like a VPN table's destinations (rd-map.ts): one Map of a million keys paused the
   * event loop 100-300 ms each time V8 rehashed it, and consecutive keys stay together.
   */
  readonly advertised = new Map<FamilyName, Map<string, OutEntry>>();
  /**
   * Queued changes, replaced (not cleared) by every flush, like the entries made during one flush
   * (see OutEntry): V8 allocates the grown or cleared table of a long-lived Map in the old
   * generation, so reused scratch maps become garbage only a full GC reclaims.
   */
  private pending = new Map<FamilyName, PendingChanges>();
  private made = new Map<AttrSet, OutEntry>();
  /** The entry `made` got last (entry()): it goes with `made`. */
  private lastMade: OutEntry | undefined;
  /** The families sent with ADD-PATH: their Adj-RIB-Out per path (adj-out-paths.ts). */
  readonly paths = new Map<FamilyName, PathsOut>();
  private readonly refs: AttrRefs;

  constructor(
    readonly key: string,
    readonly opts: GroupOptions,
  ) {
    this.refs = opts.refs ?? NO_REFS;
    for (const f of opts.addPath?.keys() ?? []) this.paths.set(f, new PathsOut(f, this.refs));
  }

  /** The group goes: drops the references its Adj-RIB-Out holds (nothing is sent). */
  release(): void {
    for (const adv of this.advertised.values())
      for (const e of adv.values()) this.refs.unref(e.attrs);
    this.advertised.clear();
    for (const p of this.paths.values()) p.release();
  }

  /** The ADD-PATH send mode of a family (undefined: the best path only). */
  sendMode(family: FamilyName): AddPathSendMode | undefined {
    return this.opts.addPath?.get(family);
  }

  /** Every path the members were told for a family: (destination key, entry). */
  *sent(family: FamilyName): Generator<[string, OutEntry]> {
    const p = this.paths.get(family);
    if (p) yield* p.entries();
    else yield* this.advertised.get(family) ?? [];
  }

  /** The families the members were told anything in. */
  sentFamilies(): FamilyName[] {
    const out = [...this.advertised.keys()];
    for (const [f, p] of this.paths) if (p.size > 0 && !out.includes(f)) out.push(f);
    return out;
  }

  private adv(f: FamilyName): Map<string, OutEntry> {
    let x = this.advertised.get(f);
    if (!x) this.advertised.set(f, (x = destinationMap<OutEntry>(f, undefined, true)));
    return x;
  }

  private pendingOf(f: FamilyName): PendingChanges {
    let p = this.pending.get(f);
    if (!p) this.pending.set(f, (p = new PendingChanges()));
    return p;
  }

  /** Queue an announcement (entry) or a withdrawal (null) of a destination. */
  enqueue(family: FamilyName, key: string, entry: OutPending | null): void {
    const p = this.pendingOf(family);
    p.coalesce = true;
    p.add(key, entry);
  }

  /**
   * Starts a run of changes of a family that names each destination at most once (the changes of
   * one recompute, a walk of a table): add() them to what it returns. A flush that got a single
   * run sends them as queued, without a map to coalesce them by destination (a Map insertion and
   * its grown stores per route; ~200 MB over a 1M transit's announcements and withdrawals).
   * `size`: how many the run will add, when known (a recompute's changes): the first run of a
   * flush makes its lists at that size rather than growing them.
   */
  startRun(family: FamilyName, size = 0): PendingChanges {
    const p = this.pendingOf(family);
    if (p.length > 0) p.coalesce = true;
    else p.reserve(size);
    return p;
  }

  /** Queue the paths of a destination in an ADD-PATH family, best first (empty: none). */
  enqueuePaths(family: FamilyName, key: string, paths: readonly OutPending[]): void {
    this.paths.get(family)?.enqueue(key, paths);
  }

  /** Changes queued (a destination changed twice before the flush may count twice). */
  get pendingCount(): number {
    let n = 0;
    for (const m of this.pending.values()) n += m.length;
    for (const p of this.paths.values()) n += p.pendingCount;
    return n;
  }

  /**
   * Turns the pending changes into packed UPDATEs and records them as advertised. A route is not
   * sent back to the member it came from (as FRR and GoBGP do): those announcements go to the other
   * members, and the source member gets a withdrawal when it held another route for the key.
   */
  flush(): FlushResult[] {
    const results: FlushResult[] = [];
    const pending = this.pending;
    this.pending = new Map();
    for (const [family, pend] of pending) {
      if (pend.length === 0) continue;
      const adv = this.adv(family);
      const { keys, entries, outs } = pend.coalesced();
      // Announcements grouped by source bucket (-1: every member) and attribute set.
      const buckets = new Map<number, Map<AttrSet, Announced>>();
      // Withdrawn destinations by key (packWithdrawKeys: no NLRI object per route withdrawn).
      const withdrawals: string[] = [];
      const ownWithdraw = new Map<number, string[]>();
      // A flush's announcements come in runs of one source and one set (an UPDATE's routes): the
      // last source's membership and the last (bucket, set)'s list are kept, not asked of a Set
      // and two Maps per route.
      let lastSrc = NaN;
      let lastOwn = false;
      let lastB = NaN;
      let lastSet: AttrSet | undefined;
      let lastList: Announced | undefined;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i]!;
        const entry = entries[i] ?? null;
        const prev = adv.get(key);
        if (entry === null) {
          if (prev) {
            withdrawals.push(key);
            adv.delete(key);
            this.refs.unref(prev.attrs);
          }
          continue;
        }
        // A table's route carries its received set: the outbound one is beside it (PendingChanges).
        const attrs = 'key' in entry ? outs[i]! : entry.attrs;
        const src = entry.src;
        if (src !== lastSrc) {
          lastSrc = src;
          lastOwn = this.members.has(src);
        }
        const own = lastOwn;
        const labels = queuedLabels(entry);
        // Without ADD-PATH towards the group, the path id a route came with is not ours to send.
        const pathId = 0;
        // Nothing to send when the peers already have exactly this (attributes, labels, source).
        // Equal sets may be two objects: a set released and interned again within one commit (a
        // VRF re-evaluated by a reload drops and puts its routes back) gets a new one.
        if (
          prev &&
          (prev.attrs === attrs || sameValues(prev.attrs, attrs)) &&
          // The source matters only where it is a member (never sent back to it): a VRF's
          // exports get a new source id when the VRF is re-evaluated.
          (prev.src === src || (!own && !this.members.has(prev.src))) &&
          prev.pathId === pathId &&
          sameLabels(prev.labels, labels)
        ) {
          continue;
        }
        adv.set(key, this.entry(attrs, src, labels, pathId));
        // Taken before the old one is dropped: the same set must not be released in between.
        this.refs.ref(attrs);
        if (prev) this.refs.unref(prev.attrs);
        if (own && prev && prev.src !== src) {
          let l = ownWithdraw.get(src);
          if (!l) ownWithdraw.set(src, (l = []));
          l.push(key);
        }
        const b = own ? src : -1;
        let list = lastList;
        if (b !== lastB || attrs !== lastSet || list === undefined) {
          let bySet = buckets.get(b);
          if (!bySet) buckets.set(b, (bySet = new Map()));
          list = bySet.get(attrs);
          if (!list) bySet.set(attrs, (list = new Announced()));
          lastB = b;
          lastSet = attrs;
          lastList = list;
        }
        list.keys.push(key);
        list.entries.push(entry);
      }
      this.made = new Map();
      this.lastMade = undefined;
      const messages: Buffer[] = [];
      const except = new Map<number, Buffer[]>();
      const only = new Map<number, Buffer[]>();
      if (withdrawals.length)
        messages.push(...packWithdrawKeys(family, withdrawals, this.opts.ctx));
      let announced = 0;
      for (const [b, bySet] of buckets) {
        const out: Buffer[] = [];
        for (const [set, list] of bySet) {
          out.push(...this.announceQueued(family, set, list));
          announced += list.keys.length;
        }
        if (b === -1) messages.push(...out);
        else except.set(b, out);
      }
      for (const [m, keys] of ownWithdraw)
        only.set(m, packWithdrawKeys(family, keys, this.opts.ctx));
      results.push({ family, messages, except, only, announced, withdrawn: withdrawals.length });
    }
    for (const [family, p] of this.paths) {
      if (p.pendingCount === 0) continue;
      results.push(this.flushPaths(family, p));
    }
    return results;
  }

  /** flush() for a family sent with ADD-PATH: by path identifier (adj-out-paths.ts). */
  private flushPaths(family: FamilyName, p: PathsOut): FlushResult {
    const r = p.flush((src) => this.members.has(src));
    const messages: Buffer[] = [];
    const except = new Map<number, Buffer[]>();
    const add = (b: number, msgs: Buffer[]): void => {
      if (b === -1) messages.push(...msgs);
      else except.set(b, [...(except.get(b) ?? []), ...msgs]);
    };
    for (const [b, nlri] of r.withdraw) add(b, packWithdraw(family, nlri, this.opts.ctx));
    for (const [b, bySet] of r.announce)
      for (const [set, nlri] of bySet) add(b, this.announce(family, set, nlri));
    return {
      family,
      messages,
      except,
      only: new Map(),
      announced: r.announced,
      withdrawn: r.withdrawn,
    };
  }

  /** The shared entry for these values (the last one made for the set in this flush, if equal). */
  private entry(attrs: AttrSet, src: number, labels: readonly number[], pathId: number): OutEntry {
    // The entry made last first: a run of one set and source asks for it again and again.
    const l = this.lastMade;
    if (
      l &&
      l.attrs === attrs &&
      l.src === src &&
      l.pathId === pathId &&
      sameLabels(l.labels, labels)
    )
      return l;
    // An outbound set is the entry of the first (source, labels) it is sent with (out-set.ts).
    const own = pathId === 0 && attrs instanceof OutSet ? attrs.asEntry(src, labels) : undefined;
    if (own !== undefined) return (this.lastMade = own);
    const m = this.made.get(attrs);
    if (m && m.src === src && m.pathId === pathId && sameLabels(m.labels, labels)) return m;
    const e: OutEntry = { attrs, src, labels, pathId };
    this.made.set(attrs, e);
    this.lastMade = e;
    return e;
  }

  /** Packed UPDATEs for one attribute set (also used to replay the table on a route refresh). */
  announce(family: FamilyName, set: AttrSet, nlri: NlriSeq | KeySeq): Buffer[] {
    const nh = wireNextHop(family, set);
    if (!nh) return [];
    const attrs = wireAttrs(
      set,
      { fourOctetAs: this.opts.ctx.fourOctetAs, localPref: this.opts.ibgp, markPartial: true },
      set instanceof OutSet ? set.pathWriter() : undefined,
    );
    return 'key' in nlri
      ? packAnnounceKeys(family, attrs, nh, nlri, this.opts.ctx)
      : packAnnounce(family, attrs, nh, nlri, this.opts.ctx);
  }

  /**
   * The queued announcements of one set, packed. A VPN family's NLRI are written from the keys and
   * labels (no NLRI object per route); the path id is 0 here, so only where none is sent. Else each
   * NLRI is read when packed, one at a time (a table's route builds it from its key then).
   */
  private announceQueued(family: FamilyName, set: AttrSet, q: Announced): Buffer[] {
    const { keys, entries } = q;
    const { afi, safi } = FAMILIES[family];
    if (keyedByRd(family) && !this.opts.ctx.addPath.has(familyKey(afi, safi))) {
      const seq: KeySeq = {
        length: keys.length,
        key: (i) => keys[i]!,
        labels: (i) => queuedLabels(entries[i]!),
      };
      return this.announce(family, set, seq);
    }
    return this.announce(family, set, { length: keys.length, at: (i) => entries[i]?.nlri });
  }

  /** Everything advertised for a family, packed again, for one member (RFC 2918 route refresh). */
  replay(family: FamilyName, member: number): Buffer[] {
    const bySet = new Map<AttrSet, Nlri[]>();
    for (const [key, e] of this.sent(family)) {
      if (e.src === member) continue;
      let l = bySet.get(e.attrs);
      if (!l) bySet.set(e.attrs, (l = []));
      l.push(nlriFromKey(family, key, e.labels, e.pathId));
    }
    const out: Buffer[] = [];
    for (const [set, nlri] of bySet) out.push(...this.announce(family, set, nlri));
    return out;
  }
}

/** The announcements of one (source bucket, attribute set) in a flush: destination keys, in order. */
class Announced {
  readonly keys: string[] = [];
  /** The announcements (their set is the list's): a table's route, or an OutPending. */
  readonly entries: Queued[] = [];
}
