// The Adj-RIB-Out of one update group for one family it sends with ADD-PATH (RFC 7911): every path
// the send mode selects, each under the identifier the group gave it (add-path.ts PathIds), kept
// per destination and identifier. Announcements and withdrawals name paths by identifier, so a
// path that goes away is withdrawn alone and the others stay. Each path sent holds a reference to
// its outbound set (intern.ts, "the reference rule"), dropped when it is withdrawn or replaced.

import type { AttrSet } from '../model/attrset.js';
import type { Nlri } from '../wire/types.js';
import type { FamilyName } from '../wire/afi.js';
import { nlriFromKey } from '../wire/nlri/key.js';
import { PathIds, pathIdentity } from './add-path.js';
import { sameValues } from './attr-hash.js';
import type { AttrRefs } from './adj-in.js';
import { labelsOf, sameLabels, type OutEntry, type OutPending } from './out-entry.js';

/** What one flush of a family's paths sends, by the member that must not get it (-1: none). */
export interface PathsFlush {
  /** Source bucket -> attribute set -> NLRI (with our path identifiers) to announce. */
  readonly announce: Map<number, Map<AttrSet, Nlri[]>>;
  /** Source bucket -> NLRI to withdraw. */
  readonly withdraw: Map<number, Nlri[]>;
  readonly announced: number;
  readonly withdrawn: number;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

export class PathsOut {
  /** Destination key -> our path identifier -> what the members were told. */
  readonly sent = new Map<string, Map<number, OutEntry>>();
  private readonly ids = new PathIds();
  /** Destination key -> the paths to advertise now (empty: none), replaced by each flush. */
  private pending = new Map<string, readonly OutPending[]>();

  constructor(
    readonly family: FamilyName,
    private readonly refs: AttrRefs,
  ) {}

  /** The group goes: drops every path's reference (nothing is sent). */
  release(): void {
    for (const byId of this.sent.values()) for (const e of byId.values()) this.refs.unref(e.attrs);
    this.sent.clear();
    this.pending = new Map();
  }

  /** Queues the paths a destination now has for the group, best first (empty: withdraw all). */
  enqueue(key: string, paths: readonly OutPending[]): void {
    this.pending.set(key, paths);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Turns the queued destinations into announcements and withdrawals by path identifier. A path
   * whose source is a member (`isMember`) is neither announced nor withdrawn to that member.
   */
  flush(isMember: (src: number) => boolean): PathsFlush {
    const pending = this.pending;
    this.pending = new Map();
    const announce = new Map<number, Map<AttrSet, Nlri[]>>();
    const withdraw = new Map<number, Nlri[]>();
    let announced = 0;
    let withdrawn = 0;
    const f = this.family;
    for (const [key, paths] of pending) {
      const before = this.sent.get(key);
      const now = new Map<number, OutEntry>();
      const keep = new Set<string>();
      for (const p of paths) {
        const identity = pathIdentity(p.src, p.nlri.pathId ?? 0);
        keep.add(identity);
        const id = this.ids.idOf(key, identity);
        const labels = labelsOf(p.nlri);
        const prev = before?.get(id);
        if (
          prev &&
          // Equal sets may be two objects (a set released and interned again): compared by
          // value, not by their canonical keys (built on each call: intern.ts).
          (prev.attrs === p.attrs || sameValues(prev.attrs, p.attrs)) &&
          sameLabels(prev.labels, labels)
        ) {
          now.set(id, prev);
          continue;
        }
        now.set(id, { attrs: p.attrs, src: p.src, labels, pathId: id });
        this.refs.ref(p.attrs);
        if (prev) this.refs.unref(prev.attrs);
        const b = isMember(p.src) ? p.src : -1;
        let bySet = announce.get(b);
        if (!bySet) announce.set(b, (bySet = new Map()));
        push(bySet, p.attrs, { ...p.nlri, pathId: id });
        announced++;
      }
      // RFC 7911 §3: a path that went away is withdrawn by its identifier, the others stay.
      for (const [identity, id] of [...this.ids.identities(key)]) {
        if (keep.has(identity)) continue;
        const prev = before?.get(id);
        this.ids.free(key, identity);
        if (!prev) continue;
        this.refs.unref(prev.attrs);
        push(withdraw, isMember(prev.src) ? prev.src : -1, nlriFromKey(f, key, prev.labels, id));
        withdrawn++;
      }
      if (now.size) this.sent.set(key, now);
      else this.sent.delete(key);
    }
    return { announce, withdraw, announced, withdrawn };
  }

  /** Every path sent, as (destination key, entry); the entry's pathId is our identifier. */
  *entries(): Generator<[string, OutEntry]> {
    for (const [key, byId] of this.sent) for (const e of byId.values()) yield [key, e];
  }

  get size(): number {
    let n = 0;
    for (const m of this.sent.values()) n += m.size;
    return n;
  }
}
