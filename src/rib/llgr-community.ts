// The two well-known communities of long-lived graceful restart (RFC 9494 §3.2, §3.3) and what
// makes a path long-lived stale, for the decision process and the outbound rules.

import type { AttrValues } from '../model/attrset.js';

/** RFC 9494 §3.2: LLGR_STALE, 65535:6. */
export const LLGR_STALE = 0xffff0006;
/** RFC 9494 §3.3: NO_LLGR, 65535:7. */
export const NO_LLGR = 0xffff0007;

/**
 * RFC 9494 §4.3: a path carrying LLGR_STALE, received with it or given it by us (§4.2), is treated
 * as least preferred and is not advertised to a neighbor without the capability. The RFC scopes
 * the first rule to routes from neighbors we advertised the capability to; like FRR we apply it to
 * every path carrying the community, so that a stale path never wins over a live one whatever the
 * sender negotiated (and §4.6 partial deployment senders set LOCAL_PREF 0 anyway).
 */
export function isLlgrStale(v: AttrValues): boolean {
  const c = v.communities;
  return c.length !== 0 && c.includes(LLGR_STALE);
}
