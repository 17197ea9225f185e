// The RIB: the default tables (IPv4/IPv6 unicast), the VPN tables (VPNv4/VPNv6, keyed by RD and
// prefix), Adj-RIB-In per peer, and the update groups (rib/groups.ts). It never touches sockets and
// never calls out to derive routes: recompute() returns the best-path changes as values, apply()
// takes the operations derived from them, and the propagation loop (daemon/propagate.ts) runs the
// two until nothing changes before flush() packs the UPDATEs.

import type { AttrValues } from '../model/attrset.js';
import { receivedRoute, receivedV4Route, type Route } from '../model/route.js';
import { type RouteOrigin } from '../model/route-origin.js';
import { NO_CODE, v4CodeOf } from '../model/v4-key-code.js';
import type { FamilyName } from '../wire/afi.js';
import type { Nlri, Rd, VpnNlri } from '../wire/types.js';
import type { OutEntry, UpdateGroup } from './adj-out.js';
import { DEFAULT_DECISION, type DecisionOptions } from './decision.js';
import { readKey, UpdateGroups, type GroupMember } from './groups.js';
import { AttrInterner } from './intern.js';
import { nlriKey, rdKeyPart, v4KeyNumber } from './keys.js';
import { PathDrop, type ChangeBatch, type RibOps } from './ops.js';
import { SeqClock } from './seq-clock.js';
import { SourcePaths } from './source-paths.js';
import { endOfRib } from '../wire/update-pack.js';
import type { BestChange } from './destination.js';
import { Table } from './table.js';

export type { GroupMember } from './groups.js';
export type { ChangeBatch } from './ops.js';

/** The global tables; labeled unicast (RFC 8277, SAFI 4) has its own, routes with their labels. */
export const RIB_FAMILIES: readonly FamilyName[] = [
  'ipv4',
  'ipv6',
  'vpnv4',
  'vpnv6',
  'ipv4-labeled',
  'ipv6-labeled',
  // RT-constrain memberships (RFC 4684), received and originated (daemon/rtc.ts).
  'rtc',
];
/** The families a VRF's own table holds. */
export const VRF_FAMILIES: readonly FamilyName[] = ['ipv4', 'ipv6'];
/** The name of the global view (the default table and the VPN tables). */
export const GLOBAL_VIEW = '';

/** A table of a view, with its place in the order of the views and their families. */
interface TableSlot {
  readonly view: string;
  readonly family: FamilyName;
  readonly table: Table;
  readonly ord: number;
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
  /** Adj-RIB-In, per peer and family: the view its paths went into and how many there are. */
  private readonly sources = new SourcePaths({
    table: (f, view) => this.table(f, view),
    tablesOf: (f) => this.tablesOf(f),
    unref: (r) => this.interner.unref(r.attrs),
  });
  /** The outbound side: update groups, read from the tables. */
  readonly groups = new UpdateGroups(this.interner, (view, f) => this.views.get(view)?.get(f));
  private seq = 0;
  /** When each route arrived, by its seq (MRT Originated Time). */
  readonly clock = new SeqClock();
  private puts = 0;
  // More than one reader (the API's event stream, metrics, the leak engine): a list, not a slot.
  private readonly eventSinks = new Set<(e: RibEvent) => void>();
  /** Tables touched since the last recompute (Table.onTouch), and the next table's place. */
  private touchedTables: TableSlot[] = [];
  private tableOrd = 0;
  /** The RD of the VPNv4 NLRI announced last and its RD part (headOf). */
  private lastRd: Rd | undefined;
  private lastHead = '';

  constructor(readonly decision: DecisionOptions = DEFAULT_DECISION) {
    this.addView(GLOBAL_VIEW, RIB_FAMILIES);
  }

  /** Adds a reader of best-path changes; returns its removal. */
  onEvent(sink: (e: RibEvent) => void): () => void {
    this.eventSinks.add(sink);
    return () => this.eventSinks.delete(sink);
  }

  /** A set of tables of its own (a VRF). `candidates` narrows what the decision process sees (of two or more paths). */
  addView(
    view: string,
    families: readonly FamilyName[] = VRF_FAMILIES,
    candidates?: (paths: readonly Route[]) => readonly Route[],
  ): void {
    if (this.views.has(view)) return;
    const t = new Map<FamilyName, Table>();
    for (const family of families) {
      const table = new Table(
        view ? `${view}/${family}` : family,
        this.decision,
        candidates,
        family,
      );
      const slot: TableSlot = { view, family, table, ord: this.tableOrd++ };
      table.onTouch = () => this.touchedTables.push(slot);
      t.set(family, table);
    }
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

  /** Paths put or dropped by apply() so far (a count that only grows). */
  get pathsApplied(): number {
    return this.puts;
  }

  /**
   * Applies operations in the order they were made (views first: puts go into them). The one way
   * a route derived elsewhere (a leak) enters or leaves a table.
   */
  apply(ops: RibOps): void {
    for (const v of ops.views) this.addView(v.view, v.families, v.candidates);
    for (const { view, family, items } of ops.runs) {
      const t = this.table(family, view);
      for (const x of items) {
        this.puts++;
        if (x instanceof PathDrop) {
          const old = t.remove(x.key, x.src, x.pathId);
          if (old) this.interner.unref(old.attrs);
          continue;
        }
        // RibOps.put took the reference when it recorded the put.
        const old = t.upsert(x);
        if (old) this.interner.unref(old.attrs);
      }
    }
  }

  nextSeq(): number {
    this.clock.mark(this.seq);
    return this.seq++;
  }

  /** The first of n consecutive arrival numbers taken at once (one clock reading for all). */
  nextSeqs(n: number): number {
    this.clock.mark(this.seq);
    const first = this.seq;
    this.seq += n;
    return first;
  }

  /** How many paths a peer has in a family (received, as accepted into its table). */
  adjRibIn(peerId: number, f: FamilyName): { readonly size: number } | undefined {
    const side = this.sources.get(peerId, f);
    return side && { size: side.count };
  }

  /** Every view's table of f. */
  private *tablesOf(f: FamilyName): Generator<Table> {
    for (const tables of this.views.values()) {
      const t = tables.get(f);
      if (t) yield t;
    }
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
    // A set interned for no route would have no reference and stay live (intern.ts).
    if (nlri.length === 0) return;
    const attrs = this.interner.intern(values);
    const adj = origin.kind === 'peer' ? this.sources.side(src, family, view) : undefined;
    this.clock.mark(this.seq);
    const byNumber = table.byNumber !== undefined;
    for (const n of nlri) {
      let old: Route | undefined;
      const pathId = n.pathId ?? 0;
      const code =
        byNumber && pathId === 0 && n.kind === 'vpn' && n.prefix.afi === 1
          ? v4CodeOf(n.prefix.len, n.prefix.addr)
          : NO_CODE;
      if (code !== NO_CODE) {
        // A VPNv4 route of the VPN table: found and kept by number, no key string made (the key
        // strings, made only to be read back as numbers, were a quarter of a transit's garbage).
        const { rd, labels, prefix } = n as VpnNlri;
        const head = this.headOf(rd);
        const route = receivedV4Route(head, code, labels, attrs, origin, src, this.seq++);
        this.interner.ref(attrs);
        old = table.upsertV4(route, rd, v4KeyNumber(prefix.len, prefix.addr as number));
      } else {
        const key = nlriKey(n);
        const route: Route = receivedRoute(key, n, attrs, origin, src, pathId, this.seq++);
        this.interner.ref(attrs);
        old = table.upsert(route, key);
      }
      if (old) this.interner.unref(old.attrs);
      else if (adj) adj.count++;
    }
  }

  /** The RD part of a key of rd (rdKeyPart), made once for a run of NLRI sharing the RD object. */
  private headOf(rd: Rd): string {
    if (rd !== this.lastRd) {
      this.lastRd = rd;
      this.lastHead = rdKeyPart(rd);
    }
    return this.lastHead;
  }

  /** Withdraws paths of a source; `missing` collects the NLRI that named no path here. */
  withdraw(
    family: FamilyName,
    src: number,
    nlri: readonly Nlri[],
    view: string = GLOBAL_VIEW,
    missing?: Nlri[],
  ): number {
    const table = this.table(family, view);
    const adj = this.sources.get(src, family);
    const byNumber = table.byNumber !== undefined;
    let n = 0;
    for (const x of nlri) {
      const pathId = x.pathId ?? 0;
      // The VPN table finds a VPNv4 key by number (as upsertV4): no key string per withdrawal.
      const old =
        byNumber && x.kind === 'vpn' && x.prefix.afi === 1
          ? table.removeV4(x.rd, v4KeyNumber(x.prefix.len, x.prefix.addr), src, pathId)
          : table.remove(nlriKey(x), src, pathId);
      if (old) {
        this.interner.unref(old.attrs);
        if (adj) adj.count--;
        n++;
      } else missing?.push(x);
    }
    return n;
  }

  /** Drops every path of a source (session down without graceful restart, or a stale sweep). */
  removeSource(src: number, family?: FamilyName, onlyStale = false): number {
    const n = this.sources.removeSource(src, family ? [family] : RIB_FAMILIES, onlyStale);
    if (!family && !onlyStale) this.sources.forget(src);
    return n;
  }

  /** RFC 4724 §4.2: keep a restarting peer's routes, marked stale. */
  markStale(src: number): number {
    return this.sources.markStale(src);
  }

  /** The view a peer's paths of a family went into, if it sent any (RFC 9494 helper, rib/llgr.ts). */
  viewOfSource(src: number, f: FamilyName): string | undefined {
    return this.sources.get(src, f)?.view;
  }

  countStale(src: number): number {
    return this.sources.countStale(src);
  }

  // ------------------------------------------------------------------------------------------
  // Change and outbound

  /**
   * Runs best path on every touched destination of every table and returns the changes, one batch
   * per table that changed (its event readers see them too). Derived routes are not this module's
   * business: the propagation loop hands the batches on and applies what comes back.
   */
  recompute(): ChangeBatch[] {
    const out: ChangeBatch[] = [];
    if (this.touchedTables.length === 0) return out;
    // The touched tables only, in the order of the views and their families (as a walk of every
    // table would give them).
    const touched = this.touchedTables.sort((a, b) => a.ord - b.ord);
    this.touchedTables = [];
    for (const { view, family, table } of touched) {
      // A view dropped since it was touched is no longer the RIB's.
      if (this.views.get(view)?.get(family) !== table) continue;
      const changes = table.recompute();
      const paths = table.trackPaths ? table.takePathChanges() : undefined;
      if (changes.length === 0 && !paths?.length) continue;
      out.push(
        paths?.length ? { view, family, changes, pathChanges: paths } : { view, family, changes },
      );
      // One object per change for the event readers only (none on a bench's or a plain daemon's path).
      for (const sink of this.eventSinks)
        for (let i = 0; i < changes.length; i++) sink({ view, family, change: changes.at(i) });
    }
    return out;
  }

  /** Whether some update group sends from a (view, family) table (see UpdateGroups.reads). */
  outboundReads(): (batch: ChangeBatch) => boolean {
    const read = this.groups.reads();
    return (b) => read.has(readKey(b.view, b.family));
  }

  /** The UPDATEs per peer for the settled changes, every round in order (UpdateGroups.flush). */
  flush(settled: readonly ChangeBatch[]): Map<number, Buffer[]> {
    return this.groups.flush(settled);
  }

  /** Adds a peer to the update group its outbound profile puts it in; it gets the table next flush. */
  join(groupKey: string, member: GroupMember): void {
    this.groups.join(groupKey, member);
  }

  leave(peerId: number): void {
    this.groups.leave(peerId);
  }

  advertisedState(): Generator<{
    view: string;
    family: FamilyName;
    members: readonly number[];
    keys: Iterable<[string, OutEntry]>;
  }> {
    return this.groups.advertisedState();
  }

  groupOf(peerId: number): UpdateGroup | undefined {
    return this.groups.groupOf(peerId);
  }

  reevaluate(peerId: number, exportFilter: GroupMember['exportFilter']): void {
    this.groups.reevaluate(peerId, exportFilter);
  }

  get groupCount(): number {
    return this.groups.size;
  }

  /** RFC 4724 §4: End-of-RIB for each family, after the initial table. */
  endOfRib(families: readonly FamilyName[]): Buffer[] {
    return families.map((f) => endOfRib(f));
  }

  refresh(peerId: number, family: FamilyName): Buffer[] {
    return this.groups.refresh(peerId, family);
  }

  resend(peerId: number, family: FamilyName): Buffer[] {
    return this.groups.resend(peerId, family);
  }
}
