// What the routes a source derives in one run have in common (route.ts SharedRoute): the routes
// of one UPDATE, a VRF's own networks, the exports of one set share one of these, found again for
// the next route of the run without a new object.

import type { AttrSet } from './attrset.js';
import type { FamilyName } from '../wire/afi.js';
import { NO_LABELS } from '../wire/nlri/labeled.js';
import { hasHead, headOf } from './v4-key-code.js';

/**
 * What the routes a source derives in one run have in common: a VRF's own networks, its exports,
 * the imports of one VPN route set share the family, labels, attribute set, origin and source id.
 */
export interface RouteShare<O> {
  /** The family of the key (the NLRI is rebuilt from it), or undefined when the route keeps one. */
  readonly fam: FamilyName | undefined;
  readonly labels: readonly number[];
  readonly attrs: AttrSet;
  /** route.ts RouteOrigin (a parameter: route.ts imports this file). */
  readonly origin: O;
  readonly src: number;
  /** The RD part of the VPNv4 keys its routes keep as a code (v4-key-code.ts), else ''. */
  readonly head: string;
}

/** The share made last: a run of routes from one source finds it again without a new object. */
let lastShare: RouteShare<unknown> | undefined;

/**
 * The shares made last with another head: a run whose NLRI alternate between a few RDs finds its
 * shares again rather than making one per change of RD.
 */
const recentShares: (RouteShare<unknown> | undefined)[] = [
  undefined,
  undefined,
  undefined,
  undefined,
];
let recentAt = 0;

/** Whether a share is of the same run (all but the head, which each caller checks its own way). */
function sameRun(
  s: RouteShare<unknown>,
  fam: FamilyName | undefined,
  labels: readonly number[],
  attrs: AttrSet,
  origin: unknown,
  src: number,
): boolean {
  return (
    s.attrs === attrs &&
    s.origin === origin &&
    s.src === src &&
    s.fam === fam &&
    s.labels === labels
  );
}

/**
 * A one-label stack kept by its label, frozen: a share per UPDATE and RD kept the array the
 * decoder made for the UPDATE (56 octets; ~13 MB of a realistic 1M table, where 100 VRF labels
 * are all there are). Bounded: past MAX_KEPT labels (per-prefix label allocation) further stacks
 * are kept as they came.
 */
const oneLabel = new Map<number, readonly number[]>();
/** The RD parts of keys (v4-key-code.ts headOf), kept once each (a string per share otherwise). */
const heads = new Map<string, string>();
const MAX_KEPT = 4096;

/** The stack the decoder gave last (an UPDATE's NLRI share one) and what was kept for it. */
let lastLabelsIn: readonly number[] = NO_LABELS;
let lastLabelsKept: readonly number[] = NO_LABELS;

/** The kept stack equal to `labels` (labels itself when none is kept). */
function keptLabels(labels: readonly number[]): readonly number[] {
  if (labels === lastLabelsIn) return lastLabelsKept;
  let kept = labels;
  if (labels.length === 1) {
    const label = labels[0]!;
    kept = oneLabel.get(label) ?? labels;
    if (kept === labels && oneLabel.size < MAX_KEPT) {
      kept = Object.freeze([label]);
      oneLabel.set(label, kept);
    }
  }
  lastLabelsIn = labels;
  lastLabelsKept = kept;
  return kept;
}

/** The kept RD part of a VPNv4 key. */
function keptHead(key: string): string {
  const head = headOf(key);
  const had = heads.get(head);
  if (had !== undefined) return had;
  if (heads.size < MAX_KEPT) heads.set(head, head);
  return head;
}

/** `key` a VPNv4 key whose code the route keeps: the share's head must be its RD part. */
export function shareOf<O>(
  fam: FamilyName | undefined,
  given: readonly number[],
  attrs: AttrSet,
  origin: O,
  src: number,
  key?: string,
): RouteShare<O> {
  const labels = keptLabels(given);
  const s = lastShare;
  if (
    s !== undefined &&
    sameRun(s, fam, labels, attrs, origin, src) &&
    (key === undefined ? s.head === '' : s.head !== '' && hasHead(key, s.head))
  ) {
    return s as RouteShare<O>;
  }
  if (key !== undefined) {
    for (let i = 0; i < recentShares.length; i++) {
      const r = recentShares[i];
      if (r !== undefined && sameRun(r, fam, labels, attrs, origin, src) && hasHead(key, r.head)) {
        return (lastShare = r) as RouteShare<O>;
      }
    }
  }
  const made = { fam, labels, attrs, origin, src, head: key === undefined ? '' : keptHead(key) };
  if (key !== undefined) {
    recentShares[recentAt] = made;
    recentAt = (recentAt + 1) % recentShares.length;
  }
  lastShare = made;
  return made;
}
