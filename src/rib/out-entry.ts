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
 * entry, so a transit's Adj-RIB-Out costs a map slot per destination and nothing more; an update
 * group's outbound set is the entry of the first (source, labels) it goes with (out-set.ts
 * asEntry), so a realistic table's sets, each sent once, cost no entry object.
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
}

/**
 * A queued announcement: a table's route (its outbound set kept beside it, pending-changes.ts;
 * its NLRI read when packed, one at a time, update-pack.ts NlriSeq) or an OutPending.
 */
export type Queued = Route | OutPending;

/** The labels of a queued announcement, without building its NLRI where a route's key tells. */
export function queuedLabels(q: Queued): readonly number[] {
  return ('key' in q ? keyLabels(q) : undefined) ?? labelsOf(q.nlri);
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
