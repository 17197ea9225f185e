// The PE-CE rules of a neighbor bound to a customer site (issue 14, point 4): site of origin on
// the way in and out, and as-override on the way out. Pure functions over attribute values; the
// outbound rules (outbound.ts) and ingestion (daemon/ingest.ts) call them.

import { valuesOf, type AttrValues } from '../model/attrset.js';
import { extCommunityKey } from '../wire/ext-community.js';
import type { AsPathSegment, ExtCommunity } from '../wire/types.js';

/**
 * RFC 4360 §5 (route origin, "site of origin"): the routes a CE sends are tagged with its site's
 * SoO. An SoO already there stays (another site's tag, as FRR's `neighbor soo` merges); ours is
 * added once.
 */
export function tagSiteOfOrigin(v: AttrValues, soo: ExtCommunity): AttrValues {
  const key = extCommunityKey(soo);
  if (v.extCommunities.some((e) => extCommunityKey(e) === key)) return v;
  return { ...valuesOf(v), extCommunities: [...v.extCommunities, soo] };
}

/**
 * Whether a route carries the site of origin `sooKey` (extCommunityKey form): such a route came
 * from that site and is not sent back to it (RFC 4364 §7, FRR's "filtered by SoO extcommunity").
 * Compared byte for byte, as route targets are (DESIGN.md "RT match").
 */
export function fromSite(v: AttrValues, sooKey: string): boolean {
  return v.extCommunities.some((e) => e.kind === 'route-origin' && extCommunityKey(e) === sooKey);
}

/**
 * FRR/Cisco `as-override`: every occurrence of the receiving neighbor's AS in the path becomes our
 * AS (in AS_SEQUENCE and AS_SET segments alike, as FRR's aspath_replace_specific_asn), before our
 * own AS is prepended. The neighbor's RFC 4271 §9.1.2 loop check then no longer sees its own AS in
 * the route of another site of the same customer AS; the path keeps its length.
 */
export function overrideAs(
  path: readonly AsPathSegment[],
  peerAs: number,
  localAs: number,
): readonly AsPathSegment[] {
  if (!path.some((s) => s.asns.includes(peerAs))) return path;
  return path.map((s) =>
    s.asns.includes(peerAs) ? { ...s, asns: s.asns.map((a) => (a === peerAs ? localAs : a)) } : s,
  );
}
