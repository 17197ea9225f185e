// The RIB: the default tables (IPv4/IPv6 unicast), the VPN tables (VPNv4/VPNv6, keyed by RD and
// prefix), Adj-RIB-In per peer, and Adj-RIB-Out per update group. It never touches sockets: the
// daemon feeds it decoded routes and sends the messages commit() returns.

import type { AttrSet, AttrValues } from '../model/attrset.js';
import type { Route, RouteOrigin } from '../model/route.js';
import type { FamilyName } from '../wire/afi.js';
import type { CodecContext } from '../wire/context.js';
import type { Nlri } from '../wire/types.js';
import { UpdateGroup, type OutEntry, type OutPending } from './adj-out.js';
import { DEFAULT_DECISION, type DecisionOptions } from './decision.js';
import { AttrInterner } from './intern.js';
import { nlriKey } from './keys.js';
import { outboundValues, type OutProfile } from './outbound.js';
import { endOfRib } from './pack.js';
import { Table, type BestChange } from './table.js';

export const RIB_FAMILIES: readonly FamilyName[] = ['ipv4', 'ipv6', 'vpnv4', 'vpnv6'];
/** The families a VRF's own table holds. */
export const VRF_FAMILIES: readonly FamilyName[] = ['ipv4', 'ipv6'];
/** The name of the global view (the default table and the VPN tables). */
export const GLOBAL_VIEW = '';

/** What Adj-RIB-In keeps per (peer, family). */
interface InSide {
  view: string;
  count: number;
}

/** Called with the best-path changes of one table while a commit settles; may change tables. */
export type SettleHook = (view: string, family: FamilyName, changes: readonly BestChange[]) => void;

export interface GroupMember {
  readonly peerId: number;
  /** The view whose tables this peer is fed from: GLOBAL_VIEW, or a VRF name (PE-CE peers). */
  readonly view: string;
  readonly profile: OutProfile;
  readonly ctx: CodecContext;
  readonly families: readonly FamilyName[];
  /** Outbound filter/transform (route-map-out, VRF export rules); null refuses the route. */
  readonly exportFilter?: (route: Route, values: AttrValues) => AttrValues | null;
}

/** A change the daemon may want to report (event stream, logs). */
export interface RibEvent {
  readonly view: string;
  readonly family: FamilyName;
  readonly change: BestChange;
}

export class Rib {
  readonly interner = new AttrInterner();
  /** view -> family -> table. */
  private readonly views = new Map<string, Map<FamilyName, Table>>();
  private settleHook: SettleHook | undefined;
  private afterSettle: (() => void) | undefined;
  /**
   * Adj-RIB-In, per peer and family: the view its paths went into and how many there are. The
   * paths themselves are the table's (a table holds one path per (src, pathId), the same object):
   * no second map with an entry per received route (the transit memory budget).
   */
  private readonly adjIn = new Map<number, Map<FamilyName, InSide>>();
  private readonly groups = new Map<string, UpdateGroup>();
  private readonly memberOf = new Map<number, { group: UpdateGroup; member: GroupMember }>();
  /** Outbound attribute cache: group key + attr set id + source -> interned outbound set (or refusal). */
  private readonly outCache = new Map<string, AttrSet | null>();
  private seq = 0;
  private puts = 0;
  /** Messages for peers that joined a group and need the whole table (sent by the next commit). */
  private readonly initialSync = new Map<number, Buffer[]>();
  // More than one reader (the API's event stream, metrics, the leak engine): a list, not a slot.
  private readonly eventSinks = new Set<(e: RibEvent) => void>();

  constructor(readonly decision: DecisionOptions = DEFAULT_DECISION) {
    this.addView(GLOBAL_VIEW, RIB_FAMILIES);
  }

  /** Adds a reader of best-path changes; returns its removal. */
  onEvent(sink: (e: RibEvent) => void): () => void {
    this.eventSinks.add(sink);
    return () => this.eventSinks.delete(sink);
  }

  /** The leak engine's hook: it sees every best change and may add or remove routes in turn. */
  onSettle(hook: SettleHook, after?: () => void): void {
    this.settleHook = hook;
    this.afterSettle = after;
  }

  /** A set of tables of its own (a VRF). `candidates` narrows what the decision process sees (of two or more paths). */
  addView(
    view: string,
    families: readonly FamilyName[] = VRF_FAMILIES,
    candidates?: (paths: readonly Route[]) => readonly Route[],
  ): void {
    if (this.views.has(view)) return;
    const t = new Map<FamilyName, Table>();
    for (const f of families)
      t.set(f, new Table(view ? `${view}/${f}` : f, this.decision, candidates));
    this.views.set(view, t);
  }

  hasView(view: string): boolean {
    return this.views.has(view);
  }

  /** Drops a view's tables (the caller withdrew its routes first). */
  removeView(view: string): void {
    if (view !== GLOBAL_VIEW) this.views.delete(view);
  }

  viewNames(): string[] {
    return [...this.views.keys()];
  }

  table(f: FamilyName, view: string = GLOBAL_VIEW): Table {
    const t = this.views.get(view)?.get(f);
    if (!t) throw new Error(`no ${f} table in ${view || 'the global view'}`);
    return t;
  }

  /** The global tables (kept for readers that predate views). */
  get tables(): ReadonlyMap<FamilyName, Table> {
    return this.views.get(GLOBAL_VIEW)!;
  }

  /** Paths put or dropped by putRoute/dropRoute since the last commit. */
  get uncommittedPuts(): number {
    return this.puts;
  }

  /** Puts a route built elsewhere (a leak) into a table, keeping the attribute set referenced. */
  putRoute(view: string, family: FamilyName, route: Route): void {
    this.puts++;
    this.interner.ref(route.attrs);
    const old = this.table(family, view).upsert(route);
    if (old) this.interner.unref(old.attrs);
  }

  /** Removes the path of (src, pathId) at key from a table. */
  dropRoute(
    view: string,
    family: FamilyName,
    key: string,
    src: number,
    pathId = 0,
  ): Route | undefined {
    this.puts++;
    const old = this.table(family, view).remove(key, src, pathId);
    if (old) this.interner.unref(old.attrs);
    return old;
  }

  nextSeq(): number {
    return this.seq++;
  }

  private adj(peerId: number, f: FamilyName, view: string): InSide {
    let byFam = this.adjIn.get(peerId);
    if (!byFam) this.adjIn.set(peerId, (byFam = new Map()));
    let side = byFam.get(f);
    if (!side) byFam.set(f, (side = { view, count: 0 }));
    side.view = view;
    return side;
  }

  /** How many paths a peer has in a family (received, as accepted into its table). */
  adjRibIn(peerId: number, f: FamilyName): { readonly size: number } | undefined {
    const side = this.adjIn.get(peerId)?.get(f);
    return side && { size: side.count };
  }

  /**
   * Announce NLRI from one source with one attribute set (one UPDATE's worth): the set is interned
   * once for the batch. `pathIds` gives add-path ids when in use.
   */
  announce(
    family: FamilyName,
    src: number,
    origin: RouteOrigin,
    values: AttrValues,
    nlri: readonly Nlri[],
    view: string = GLOBAL_VIEW,
  ): void {
    const table = this.table(family, view);
    const attrs = this.interner.intern(values);
    const adj = origin.kind === 'peer' ? this.adj(src, family, view) : undefined;
    for (const n of nlri) {
      const key = nlriKey(n);
      const pathId = n.pathId ?? 0;
      const route: Route = {
        key,
        nlri: n,
        attrs,
        origin,
        src,
        pathId,
        seq: this.seq++,
        stale: false,
      };
      this.interner.ref(attrs);
      const old = table.upsert(route);
      if (old) this.interner.unref(old.attrs);
      else if (adj) adj.count++;
    }
  }

  withdraw(
    family: FamilyName,
    src: number,
    nlri: readonly Nlri[],
    view: string = GLOBAL_VIEW,
  ): number {
    const table = this.table(family, view);
    const adj = this.adjIn.get(src)?.get(family);
    let n = 0;
    for (const x of nlri) {
      const key = nlriKey(x);
      const pathId = x.pathId ?? 0;
      const old = table.remove(key, src, pathId);
      if (old) {
        this.interner.unref(old.attrs);
        if (adj) adj.count--;
        n++;
      }
    }
    return n;
  }

  /** Drops every path of a source (session down without graceful restart, or a stale sweep). */
  removeSource(src: number, family?: FamilyName, onlyStale = false): number {
    let n = 0;
    const fams = family ? [family] : RIB_FAMILIES;
    for (const f of fams) {
      const adj = this.adjIn.get(src)?.get(f);
      if (adj) {
        // One scan of the peer's table (a session going down, a stale sweep: not per UPDATE).
        const t = this.table(f, adj.view);
        for (const r of [...t.pathsOf(src)]) {
          if (onlyStale && !r.stale) continue;
          t.remove(r.key, src, r.pathId);
          this.interner.unref(r.attrs);
          adj.count--;
          n++;
        }
      } else {
        // Local sources have no Adj-RIB-In: scan the tables.
        for (const tables of this.views.values()) {
          const t = tables.get(f);
          if (!t) continue;
          for (const r of [...t.pathsOf(src)]) {
            if (onlyStale && !r.stale) continue;
            t.remove(r.key, src, r.pathId);
            this.interner.unref(r.attrs);
            n++;
          }
        }
      }
    }
    if (!family && !onlyStale) this.adjIn.delete(src);
    return n;
  }

  /** RFC 4724 §4.2: keep a restarting peer's routes, marked stale. */
  markStale(src: number): number {
    let n = 0;
    const byFam = this.adjIn.get(src);
    if (!byFam) return 0;
    for (const [f, adj] of byFam) {
      const t = this.table(f, adj.view);
      for (const r of [...t.pathsOf(src)]) {
        if (r.stale) continue;
        // Replaces the path of the same (src, pathId): the count stays.
        t.upsert({ ...r, stale: true });
        n++;
      }
    }
    return n;
  }

  countStale(src: number): number {
    let n = 0;
    for (const [f, adj] of this.adjIn.get(src) ?? [])
      for (const r of this.table(f, adj.view).pathsOf(src)) if (r.stale) n++;
    return n;
  }

  // ------------------------------------------------------------------------------------------
  // Outbound

  /** Adds a peer to the update group its outbound profile puts it in; it gets the table next commit. */
  join(groupKey: string, member: GroupMember): void {
    this.leave(member.peerId);
    let g = this.groups.get(groupKey);
    if (!g) {
      g = new UpdateGroup(groupKey, { ctx: member.ctx, ibgp: member.profile.ibgp });
      this.groups.set(groupKey, g);
      g.members.add(member.peerId);
      this.memberOf.set(member.peerId, { group: g, member });
      // A new group: fill its Adj-RIB-Out from the tables; flush sends it.
      for (const f of member.families) {
        const t = this.views.get(member.view)?.get(f);
        if (t) for (const r of t.bestRoutes()) this.enqueueFor(g, member, f, r);
      }
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
      for (const k of [...this.outCache.keys()])
        if (k.startsWith(m.group.key + '|')) this.outCache.delete(k);
    }
  }

  /** What each update group has told its members, per view and family (for invariant checks). */
  *advertisedState(): Generator<{
    view: string;
    family: FamilyName;
    members: readonly number[];
    keys: ReadonlyMap<string, OutEntry>;
  }> {
    for (const { g, member: m } of this.groupReaders()) {
      for (const [family, keys] of g.advertised) {
        yield { view: m.view, family, members: [...g.members], keys };
      }
    }
  }

  groupOf(peerId: number): UpdateGroup | undefined {
    return this.memberOf.get(peerId)?.group;
  }

  /**
   * The outbound policy of a peer's group changed in place (a route map it names was edited):
   * every member gets the new filter, and every best route is queued for the group again, so the
   * next commit sends exactly the differences (withdrawals of what is now refused included).
   */
  reevaluate(peerId: number, exportFilter: GroupMember['exportFilter']): void {
    const g = this.memberOf.get(peerId)?.group;
    if (!g) return;
    let first: GroupMember | undefined;
    for (const id of g.members) {
      const m = this.memberOf.get(id)!;
      const { exportFilter: _old, ...rest } = m.member;
      m.member = exportFilter ? { ...rest, exportFilter } : rest;
      first ??= m.member;
    }
    for (const k of [...this.outCache.keys()])
      if (k.startsWith(g.key + '|')) this.outCache.delete(k);
    if (!first) return;
    for (const f of first.families) {
      const t = this.views.get(first.view)?.get(f);
      if (t) for (const r of t.bestRoutes()) this.enqueueFor(g, first, f, r);
    }
  }

  get groupCount(): number {
    return this.groups.size;
  }

  private outAttrs(g: UpdateGroup, member: GroupMember, r: Route): AttrSet | null {
    // An export filter (a route map) may decide per prefix: no caching by attribute set then.
    const ck = member.exportFilter ? undefined : `${g.key}|${r.attrs.id}|${r.src}`;
    const hit = ck === undefined ? undefined : this.outCache.get(ck);
    if (hit !== undefined) return hit;
    let v = outboundValues(r, member.profile);
    let res: AttrSet | null = null;
    if (typeof v !== 'string') {
      if (member.exportFilter) {
        const f = member.exportFilter(r, v);
        v = f ?? 'no-advertise';
      }
      if (typeof v !== 'string') res = this.interner.intern(v);
    }
    if (ck !== undefined) this.outCache.set(ck, res);
    return res;
  }

  private enqueueFor(
    g: UpdateGroup,
    member: GroupMember,
    f: FamilyName,
    r: Route | undefined,
  ): void {
    if (!r) return;
    // The group keeps the route's source: flush() does not send it back to that member.
    const attrs = this.outAttrs(g, member, r);
    g.enqueue(f, r.key, attrs ? ({ nlri: r.nlri, attrs, src: r.src } satisfies OutPending) : null);
  }

  /**
   * Runs best path on every touched destination, queues the changes to every update group, and
   * returns the packed UPDATEs per peer.
   */
  commit(): Map<number, Buffer[]> {
    this.puts = 0;
    const out = new Map<number, Buffer[]>();
    // Settle: best-path changes may make the leak engine add or remove routes in other tables,
    // whose changes are settled in turn. Loops are prevented by the leak rules; the bound is a
    // guard, not a semantic.
    const settled: { view: string; family: FamilyName; changes: BestChange[] }[] = [];
    // Only tables some update group reads are kept for the enqueue below: a VRF without PE-CE
    // neighbors has none, and holding its changes to the end of the commit would carry every one
    // (and its Destination) into the old generation (1000-VRF fan-out: ~2M of them).
    const readers = this.groupReaders();
    const read = new Set(
      readers.flatMap(({ member: m }) => m.families.map((f) => `${m.view}\u0000${f}`)),
    );
    for (let round = 0; round < 32; round++) {
      let any = false;
      for (const [view, tables] of this.views) {
        for (const [f, table] of tables) {
          const changes = table.recompute();
          if (changes.length === 0) continue;
          any = true;
          if (read.has(`${view}\u0000${f}`)) settled.push({ view, family: f, changes });
          for (const sink of this.eventSinks)
            for (const ch of changes) sink({ view, family: f, change: ch });
          this.settleHook?.(view, f, changes);
        }
      }
      if (!any) break;
    }
    this.afterSettle?.();
    for (const { view, family: f, changes } of settled) {
      for (const { g, member } of readers) {
        if (member.view !== view || !member.families.includes(f)) continue;
        for (const ch of changes) {
          // The current best, not the one of this round: a later round may have changed it.
          const best = this.views.get(view)?.get(f)?.bestOf(ch.dest.key);
          if (best) this.enqueueFor(g, member, f, best);
          else g.enqueue(f, ch.dest.key, null);
        }
      }
    }
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
    return out;
  }

  /** Each update group with a member, and that member's view and families (the group's). */
  private groupReaders(): { g: UpdateGroup; member: GroupMember }[] {
    const out: { g: UpdateGroup; member: GroupMember }[] = [];
    for (const g of this.groups.values()) {
      const first = g.members.values().next().value;
      if (first !== undefined) out.push({ g, member: this.memberOf.get(first)!.member });
    }
    return out;
  }

  /** RFC 4724 §4: End-of-RIB for each family, after the initial table. */
  endOfRib(families: readonly FamilyName[]): Buffer[] {
    return families.map((f) => endOfRib(f));
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
}
