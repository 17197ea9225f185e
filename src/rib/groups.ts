// The outbound side of the RIB: update groups and their members, what each group is sent from the
// best-path changes a propagation settled, and the packed UPDATEs per peer. It reads the tables and
// never changes them.

import type { AttrSet, AttrValues } from '../model/attrset.js';
import type { Route } from '../model/route.js';
import type { FamilyName } from '../wire/afi.js';
import type { CodecContext } from '../wire/context.js';
import type { AddPathSendMode } from './add-path.js';
import { pathsToSend } from './add-path.js';
import { UpdateGroup, type OutEntry, type OutPending, type PendingChanges } from './adj-out.js';
import type { AttrInterner } from './intern.js';
import type { ChangeBatch } from './ops.js';
import { outbound, outboundValues, type OutProfile } from './outbound.js';
import { memoCache, memoOut, OutBySet, outMemo, OutSet, type OutMemo } from './out-set.js';
import { endOfRib } from '../wire/update-pack.js';
import type { Table } from './table.js';

export interface GroupMember {
  readonly peerId: number;
  /** The view whose tables this peer is fed from: GLOBAL_VIEW, or a VRF name (PE-CE peers). */
  readonly view: string;
  readonly profile: OutProfile;
  readonly ctx: CodecContext;
  readonly families: readonly FamilyName[];
  /** Outbound filter/transform (route-map-out, VRF export rules); null refuses the route. */
  readonly exportFilter?: (route: Route, values: AttrValues) => AttrValues | null;
  /**
   * RT-constrain (RFC 4684): whether the members want a route (the membership the group key
   * names, so a verdict per attribute set holds for the group); false: not sent.
   */
  readonly wants?: (route: Route) => boolean;
  /** Families sent with ADD-PATH (negotiated for sending, RFC 7911 §4) and their send modes. */
  readonly addPath?: ReadonlyMap<FamilyName, AddPathSendMode>;
}

/** The table of a view and family, if there is one. */
export type TableOf = (view: string, family: FamilyName) => Table | undefined;

export class UpdateGroups {
  private readonly groups = new Map<string, UpdateGroup>();
  private readonly memberOf = new Map<number, { group: UpdateGroup; member: GroupMember }>();
  /**
   * Outbound attribute cache: group key -> source -> attribute set id -> outbound set (OutSet, or
   * refusal). Ids and sources are small integers, so no key is a heap number or a joined string:
   * the cache is asked once per route a flush sends. The answer for the first (group, source) that
   * asks is kept on the received set instead (the OutSet itself, an OutMemo for a refusal), so a
   * table whose sets go to one group (a transit, a realistic table) has no map of every set, cold
   * on each new set and kept after it.
   */
  private readonly outCache = new Map<string, Map<number, OutBySet>>();
  /**
   * The last answer of the cache (map, set id, result): the routes of one UPDATE, which share
   * their set and source, reach outAttrs one after the other, and the rest of them skip the lookup
   * in a map of one entry per set. A forgotten group's maps are new ones, so the memo cannot
   * outlive them.
   */
  private lastCache: OutBySet | undefined;
  private lastId = -1;
  private lastOut: AttrSet | null = null;
  /**
   * The sets outAttrs interned since the last flush (an export filter's). The Adj-RIB-Out takes a
   * reference to those it records (adj-out.ts); the others (identical to what was advertised,
   * refused by the source rule, replaced before the flush) are released when the flush ends, or
   * they would stay in the interner for the life of the process (intern.ts, "the reference rule").
   */
  private made: AttrSet[] = [];
  /** Messages for peers that joined a group and need the whole table (sent by the next flush). */
  private readonly initialSync = new Map<number, Buffer[]>();
  /**
   * Groups whose whole table the next flush queues (a new group, a re-evaluated one), read then
   * from the settled tables. Read at join time, a table in the middle of a batch shows a route
   * born in it as a best: withdrawn again before the commit, it makes no change (table.ts
   * recompute), and the group would advertise it and never withdraw it.
   */
  private unfilled = new Set<UpdateGroup>();

  constructor(
    private readonly interner: AttrInterner,
    private readonly tableOf: TableOf,
  ) {}

  /** Adds a peer to the update group its outbound profile puts it in; it gets the table next flush. */
  join(groupKey: string, member: GroupMember): void {
    this.leave(member.peerId);
    let g = this.groups.get(groupKey);
    if (!g) {
      g = new UpdateGroup(groupKey, {
        ctx: member.ctx,
        ibgp: member.profile.ibgp,
        refs: this.interner,
        ...(member.addPath?.size ? { addPath: member.addPath } : {}),
      });
      this.groups.set(groupKey, g);
      // An ADD-PATH sender needs every path change, not only the best's.
      for (const f of member.addPath?.keys() ?? []) {
        const t = this.tableOf(member.view, f);
        if (t) t.trackPaths = true;
      }
      g.members.add(member.peerId);
      this.memberOf.set(member.peerId, { group: g, member });
      // A new group: the next flush fills its Adj-RIB-Out from the tables and sends it.
      this.unfilled.add(g);
    } else {
      g.members.add(member.peerId);
      this.memberOf.set(member.peerId, { group: g, member });
      // An existing group: the newcomer gets what the group already advertised.
      const msgs: Buffer[] = [];
      for (const f of member.families) msgs.push(...g.replay(f, member.peerId));
      this.initialSync.set(member.peerId, msgs);
    }
  }

  leave(peerId: number): void {
    const m = this.memberOf.get(peerId);
    if (!m) return;
    m.group.members.delete(peerId);
    this.memberOf.delete(peerId);
    if (m.group.members.size === 0) {
      this.groups.delete(m.group.key);
      this.unfilled.delete(m.group);
      this.forgetOutAttrs(m.group);
      // Its pending sets are in `made`: the next flush releases them (not now: another group's
      // pending changes may name the same sets).
      m.group.release();
    }
  }

  /** What each update group has told its members, per view and family (for invariant checks). */
  *advertisedState(): Generator<{
    view: string;
    family: FamilyName;
    members: readonly number[];
    /** (destination key, entry): one per destination, one per path under ADD-PATH. */
    keys: Iterable<[string, OutEntry]>;
  }> {
    for (const { g, member: m } of this.readers()) {
      for (const family of g.sentFamilies()) {
        yield { view: m.view, family, members: [...g.members], keys: g.sent(family) };
      }
    }
  }

  groupOf(peerId: number): UpdateGroup | undefined {
    return this.memberOf.get(peerId)?.group;
  }

  get size(): number {
    return this.groups.size;
  }

  /**
   * The outbound policy of a peer's group changed in place (a route map it names was edited):
   * every member gets the new filter, and the next flush queues every best route for the group
   * again (from the settled tables, see `unfilled`), so it sends exactly the differences
   * (withdrawals of what is now refused included).
   */
  reevaluate(peerId: number, exportFilter: GroupMember['exportFilter']): void {
    const g = this.memberOf.get(peerId)?.group;
    if (!g) return;
    for (const id of g.members) {
      const m = this.memberOf.get(id)!;
      const { exportFilter: _old, ...rest } = m.member;
      m.member = exportFilter ? { ...rest, exportFilter } : rest;
    }
    this.forgetOutAttrs(g);
    this.unfilled.add(g);
  }

  /**
   * The (view, family) tables some group sends from, as `view NUL family`: the changes of other
   * tables need not be kept until the flush (a VRF without PE-CE neighbors has none, and holding
   * its changes would carry every one, and its Destination, into the old generation).
   */
  reads(): Set<string> {
    return new Set(
      this.readers().flatMap(({ member: m }) => m.families.map((f) => readKey(m.view, f))),
    );
  }

  /**
   * Queues the final best route of every destination the batches changed to the groups reading
   * its table, and returns the packed UPDATEs per peer (with the initial tables of new members).
   * `batches`: every recompute round of the commit, in order (the last change of a destination
   * names its final best).
   */
  flush(batches: readonly ChangeBatch[]): Map<number, Buffer[]> {
    const readers = this.readers();
    // The tables are settled now: a group filled here has every destination's final best
    // queued, and the batches' changes would only name some of them again.
    const filled = this.unfilled;
    if (filled.size) {
      this.unfilled = new Set();
      for (const { g, member } of readers) if (filled.has(g)) this.enqueueAll(g, member);
    }
    for (const { view, family: f, changes, pathChanges } of batches) {
      const table = this.tableOf(view, f);
      for (const { g, member } of readers) {
        if (filled.has(g) || member.view !== view || !member.families.includes(f)) continue;
        const mode = g.sendMode(f);
        if (mode) {
          for (let i = 0; i < changes.length; i++)
            this.enqueuePaths(g, member, f, changes.key(i), table);
          for (const key of pathChanges ?? []) this.enqueuePaths(g, member, f, key, table);
          continue;
        }
        // One recompute names a destination once: a run (adj-out.ts startRun).
        const run = g.startRun(f, changes.length);
        for (let i = 0; i < changes.length; i++) {
          // The best of the round that changed it, not looked up again in the table (one lookup
          // per route in a map of a million): a later round that changed it again made a later
          // change in `batches`, and its change replaces this one (adj-out.ts PendingChanges).
          const best = table ? changes.newBest(i) : undefined;
          if (best) this.enqueueFor(g, member, best, run);
          else run.add(changes.key(i), null);
        }
      }
    }
    const out = new Map<number, Buffer[]>();
    for (const [peerId, msgs] of this.initialSync) out.set(peerId, [...msgs]);
    this.initialSync.clear();
    const push = (m: number, msgs: readonly Buffer[]): void => {
      if (msgs.length === 0) return;
      const l = out.get(m);
      if (l) l.push(...msgs);
      else out.set(m, [...msgs]);
    };
    for (const g of this.groups.values()) {
      if (g.pendingCount === 0) continue;
      for (const r of g.flush()) {
        for (const m of g.members) {
          push(m, r.messages);
          for (const [src, msgs] of r.except) if (src !== m) push(m, msgs);
          const own = r.only.get(m);
          if (own) push(m, own);
        }
      }
    }
    // Every pending change is recorded or dropped now: a set made for none of them goes.
    for (const s of this.made) this.interner.releaseUnused(s);
    this.made = [];
    return out;
  }

  /** RFC 2918: the whole table of a family again, for one peer. */
  refresh(peerId: number, family: FamilyName): Buffer[] {
    const g = this.memberOf.get(peerId)?.group;
    if (!g) return [];
    return [...g.replay(family, peerId), endOfRib(family)];
  }

  /** Everything a peer is told for a family, again (a soft clear out): no End-of-RIB. */
  resend(peerId: number, family: FamilyName): Buffer[] {
    return this.memberOf.get(peerId)?.group.replay(family, peerId) ?? [];
  }

  private forgetOutAttrs(g: UpdateGroup): void {
    // The memos on the sets that name these caches stop counting (and are replaced when asked).
    for (const c of this.outCache.get(g.key)?.values() ?? []) c.forgotten = true;
    this.outCache.delete(g.key);
  }

  private enqueueAll(g: UpdateGroup, member: GroupMember): void {
    for (const f of member.families) {
      const t = this.tableOf(member.view, f);
      if (!t) continue;
      if (g.sendMode(f)) for (const key of t.dests.keys()) this.enqueuePaths(g, member, f, key, t);
      else {
        const run = g.startRun(f);
        for (const r of t.bestRoutes()) this.enqueueFor(g, member, r, run);
      }
    }
  }

  /** RFC 7911: the paths of a destination the group's send mode selects, with their attributes. */
  private enqueuePaths(
    g: UpdateGroup,
    member: GroupMember,
    f: FamilyName,
    key: string,
    table: Table | undefined,
  ): void {
    const mode = g.sendMode(f);
    if (!mode) return;
    const out: OutPending[] = [];
    // The mode picks among the paths that may be sent (a path refused outbound is not counted).
    const sendable: { r: Route; attrs: AttrSet }[] = [];
    for (const r of table?.ranked(key) ?? []) {
      const attrs = this.outAttrs(g, member, r);
      if (attrs) sendable.push({ r, attrs });
    }
    const chosen = new Set(
      pathsToSend(
        sendable.map((x) => x.r),
        mode,
      ),
    );
    for (const { r, attrs } of sendable)
      if (chosen.has(r)) out.push({ nlri: r.nlri, attrs, src: r.src });
    g.enqueuePaths(f, key, out);
  }

  private outAttrs(g: UpdateGroup, member: GroupMember, r: Route): AttrSet | null {
    // An export filter (a route map) may decide per prefix: no caching by attribute set then.
    if (member.exportFilter) return this.filtered(member, member.exportFilter, r);
    const id = r.attrs.id;
    let bySrc = this.outCache.get(g.key);
    if (!bySrc) this.outCache.set(g.key, (bySrc = new Map()));
    let cache = bySrc.get(r.src);
    if (!cache) bySrc.set(r.src, (cache = new OutBySet()));
    // A cached set may have been released since (recorded nowhere, or no longer): made again.
    if (cache === this.lastCache && id === this.lastId && this.usable(this.lastOut))
      return this.lastOut;
    // The first (group, source) to ask keeps its answer on the set; the others, in their map.
    // A set without a memo was asked by none: no lookup in a map of every set then.
    const memo = this.interner.memoOf(r.attrs);
    const owner = memoCache(memo);
    if (owner === cache) {
      const out = memoOut(memo as OutSet | OutMemo);
      if (this.usable(out)) return this.remember(cache, id, out);
    }
    if (memo !== undefined) {
      const hit = cache.get(r.attrs);
      if (hit !== undefined && this.usable(hit)) return this.remember(cache, id, hit);
    }
    // Decided per set: the received set and what the rules change (out-set.ts), not interned.
    const v = this.refused(member, r) ? 'rt-constrain' : outbound(r, member.profile, cache.make);
    const res = typeof v === 'string' ? null : v;
    if (memo === undefined || (owner !== undefined && (owner.forgotten || owner === cache)))
      this.interner.setMemo(r.attrs, res ?? outMemo(cache, null));
    else cache.put(r.attrs, res, (set) => this.interner.isLive(set));
    return this.remember(cache, id, res);
  }

  /** What an export filter makes of the outbound values, interned (null: not sent). */
  private filtered(
    member: GroupMember,
    filter: NonNullable<GroupMember['exportFilter']>,
    r: Route,
  ): AttrSet | null {
    const v = this.refused(member, r) ? 'rt-constrain' : outboundValues(r, member.profile);
    const f = typeof v === 'string' ? null : filter(r, v);
    if (f === null) return null;
    const set = this.interner.intern(f, r.attrs);
    this.made.push(set);
    return set;
  }

  /** RT-constrain: the members do not want the route. */
  private refused(member: GroupMember, r: Route): boolean {
    return member.wants !== undefined && !member.wants(r);
  }

  /**
   * Whether a cached answer may be handed out: a refusal, an outbound set (it lives as long as the
   * memo or the cache naming it: the received set, the group's rules), or a set still live.
   */
  private usable(out: AttrSet | null): boolean {
    return out === null || out instanceof OutSet || this.interner.isLive(out);
  }

  private remember(cache: OutBySet, id: number, res: AttrSet | null): AttrSet | null {
    this.lastCache = cache;
    this.lastId = id;
    this.lastOut = res;
    return res;
  }

  private enqueueFor(g: UpdateGroup, member: GroupMember, r: Route, run: PendingChanges): void {
    // The group keeps the route's source: flush() does not send it back to that member.
    const attrs = this.outAttrs(g, member, r);
    if (attrs) run.addRoute(r, attrs);
    else run.add(r.key, null);
  }

  /** Each update group with a member, and that member's view and families (the group's). */
  private readers(): { g: UpdateGroup; member: GroupMember }[] {
    const out: { g: UpdateGroup; member: GroupMember }[] = [];
    for (const g of this.groups.values()) {
      const first = g.members.values().next().value;
      if (first !== undefined) out.push({ g, member: this.memberOf.get(first)!.member });
    }
    return out;
  }
}

/** The key of a (view, family) table in UpdateGroups.reads(). */
export function readKey(view: string, family: FamilyName): string {
  return `${view}\u0000${family}`;
}
