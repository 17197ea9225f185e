// What an update group keeps per advertised path, shared by its single-path (adj-out.ts) and
// ADD-PATH (adj-out-paths.ts) sides.

import type { AttrSet } from '../model/attrset.js';
import { keyLabels, type Route } from '../model/route.js';
import { NO_LABELS } from '../wire/nlri/labeled.js';
import type { Nlri } from '../wire/types.js';

/**
 * What a group told its members for one destination (one path of it under ADD-PATH). The NLRI is
 * not kept: the destination key names the prefix (and RD), and the labels and path id are here.
 * Destinations flushed together with the same (attributes, source, labels, path id) share one
 * entry, so a transit's Adj-RIB-Out costs a map slot per destination and nothing more.
 */
export interface OutEntry {
  readonly attrs: AttrSet;
  /** The source (peer id) of the route: never sent back to that peer. */
  readonly src: number;
  readonly labels: readonly number[];
  /** The path identifier the members were sent (RFC 7911), 0 without ADD-PATH. */
  readonly pathId: number;
}

/** A queued announcement: the route's NLRI and its outbound attributes (lives until flush). */
export interface OutPending {
  readonly nlri: Nlri;
  readonly attrs: AttrSet;
  readonly src: number;
  /** The NLRI's labels when known without building it (PendingRoute). */
  readonly labels?: readonly number[] | undefined;
}

/**
 * A queued announcement of a table's route: its NLRI is built when read, at packing, one at a time
 * (update-pack.ts NlriSeq). Built at enqueue, a flush's NLRI were held in bulk until packed and V8
 * promoted them (40 MiB of garbage over a 1M transit load, bench/README.md). Made by `new`: V8
 * pretenures the objects of a literal, not of a constructor, and these die with the flush.
 */
export class PendingRoute implements OutPending {
  constructor(
    private readonly route: Route,
    readonly attrs: AttrSet,
  ) {}

  get nlri(): Nlri {
    return this.route.nlri;
  }

  get src(): number {
    return this.route.src;
  }

  get labels(): readonly number[] | undefined {
    return keyLabels(this.route);
  }
}

/** The labels of a queued announcement, without building its NLRI where the route can tell. */
export function pendingLabels(p: OutPending): readonly number[] {
  return p.labels ?? labelsOf(p.nlri);
}

export function labelsOf(n: Nlri): readonly number[] {
  return n.kind === 'vpn' || n.kind === 'labeled' ? n.labels : NO_LABELS;
}

export function sameLabels(a: readonly number[], b: readonly number[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
