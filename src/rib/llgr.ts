// Long-lived graceful restart (RFC 9494) in the RIB: the step that turns a restarting peer's stale
// paths of one family into long-lived stale ones when the graceful restart period ends.

import { valuesOf } from '../model/attrset.js';
import { staleCopy } from '../model/route.js';
import type { FamilyName } from '../wire/afi.js';
import type { Nlri } from '../wire/types.js';
import { isLlgrStale, LLGR_STALE, NO_LLGR } from './llgr-community.js';
import type { Rib } from './rib.js';

/** What entering the long-lived stale period did to one family of a peer. */
export interface LlgrEntry {
  /** Stale paths kept, now carrying LLGR_STALE (already long-lived stale ones are not counted). */
  readonly kept: number;
  /** Stale paths dropped because they carry NO_LLGR (RFC 9494 §4.2). */
  readonly dropped: number;
}

/**
 * RFC 9494 §4.2: when the Restart Time ends (or at once when it is zero) the helper keeps the
 * peer's stale routes of a family whose Long-lived Stale Time is nonzero: those marked NO_LLGR are
 * deleted, the others get LLGR_STALE attached ("this requirement implies that such routes would
 * need to be readvertised, to update their attributes": the new attribute set replaces the path,
 * and the next commit re-decides and re-advertises it).
 */
export function enterLongLivedStale(rib: Rib, src: number, family: FamilyName): LlgrEntry {
  const view = rib.viewOfSource(src, family);
  if (view === undefined) return { kept: 0, dropped: 0 };
  const t = rib.table(family, view);
  const drop: Nlri[] = [];
  let kept = 0;
  for (const r of [...t.pathsOf(src)]) {
    if (!r.stale || isLlgrStale(r.attrs)) continue;
    if (r.attrs.communities.includes(NO_LLGR)) {
      drop.push(r.nlri);
      continue;
    }
    const attrs = rib.interner.intern({
      ...valuesOf(r.attrs),
      communities: [...r.attrs.communities, LLGR_STALE],
    });
    rib.interner.ref(attrs);
    // Replaces the path of the same (src, pathId): the Adj-RIB-In count stays.
    t.upsert(staleCopy(r, attrs));
    rib.interner.unref(r.attrs);
    kept++;
  }
  const dropped = drop.length ? rib.withdraw(family, src, drop, view) : 0;
  return { kept, dropped };
}
