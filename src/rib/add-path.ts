// ADD-PATH (RFC 7911) on the sending side: which paths of a destination a peer is sent under its
// send mode, and the path identifiers we give them. Pure apart from PathIds, which an update group
// owns (its members share the bytes, so they share the identifiers).

import type { Route } from '../model/route.js';

/**
 * Which paths of a destination go out with path identifiers. `all`: every path (FRR
 * `addpath-tx-all-paths`); `best`: the n best in decision order (FRR `addpath-tx-best-selected`,
 * GoBGP `send-max`); `best-per-neighbor-as`: the best path of each neighboring AS (FRR
 * `addpath-tx-bestpath-per-AS`).
 */
export type AddPathSendMode =
  | { readonly kind: 'all' }
  | { readonly kind: 'best'; readonly n: number }
  | { readonly kind: 'best-per-neighbor-as' };

/** The text of a send mode, as the config writes it (`all`, `best 2`, `best-per-neighbor-as`). */
export function sendModeText(m: AddPathSendMode): string {
  switch (m.kind) {
    case 'all':
      return 'all';
    case 'best':
      return `best ${m.n}`;
    case 'best-per-neighbor-as':
      return 'best-per-neighbor-as';
    default: {
      const never: never = m;
      return never;
    }
  }
}

/** The paths `ranked` (best first, in decision order) the send mode selects, best first. */
export function pathsToSend(ranked: readonly Route[], mode: AddPathSendMode): readonly Route[] {
  switch (mode.kind) {
    case 'all':
      return ranked;
    case 'best':
      return ranked.length <= mode.n ? ranked : ranked.slice(0, mode.n);
    case 'best-per-neighbor-as': {
      // The first path of each neighboring AS in decision order is that AS's best; paths with
      // no neighboring AS (our own AS: an empty AS_PATH) count as one more AS.
      const seen = new Set<number>();
      const out: Route[] = [];
      for (const r of ranked) {
        const as = r.attrs.neighborAs ?? -1;
        if (seen.has(as)) continue;
        seen.add(as);
        out.push(r);
      }
      return out;
    }
    default: {
      const never: never = mode;
      return never;
    }
  }
}

/** What identifies one path of a destination in the RIB: its source and the path id it came with. */
export function pathIdentity(src: number, receivedId: number): string {
  return `${src}:${receivedId}`;
}

/**
 * The path identifiers a group gives the paths of its destinations (RFC 7911 §3: "assigned by the
 * sender", unique per prefix). An identifier is stable while its path is advertised and freed when
 * the path is withdrawn; a new path takes the lowest free one (1 up: 0 reads as "no id" in
 * vrfleak's NLRI values).
 */
export class PathIds {
  /** Destination key -> path identity -> our identifier. */
  private readonly byDest = new Map<string, Map<string, number>>();

  /** The identifier of a path, allocating the lowest free one when it has none. */
  idOf(dest: string, identity: string): number {
    let m = this.byDest.get(dest);
    if (!m) this.byDest.set(dest, (m = new Map()));
    const have = m.get(identity);
    if (have !== undefined) return have;
    const used = new Set(m.values());
    let id = 1;
    while (used.has(id)) id++;
    m.set(identity, id);
    return id;
  }

  /** Frees a path's identifier (its withdrawal was sent). */
  free(dest: string, identity: string): void {
    const m = this.byDest.get(dest);
    if (!m) return;
    m.delete(identity);
    if (m.size === 0) this.byDest.delete(dest);
  }

  /** The paths of a destination that hold an identifier. */
  identities(dest: string): ReadonlyMap<string, number> {
    return this.byDest.get(dest) ?? EMPTY;
  }
}

const EMPTY: ReadonlyMap<string, number> = new Map();
