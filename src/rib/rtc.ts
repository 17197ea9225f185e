// Route target membership (RT-constrain, RFC 4684) as values: the membership NLRI of a route
// target, whether a membership covers a VPN route, and a peer's membership as one comparable token
// (the update groups put peers with equal memberships together: daemon/rtc.ts).

import { createHash } from 'node:crypto';
import type { AttrValues } from '../model/attrset.js';
import { extCommunityBytes } from '../wire/ext-community.js';
import type { ExtCommunity, RtcNlri } from '../wire/types.js';

/** RFC 4684 §4: the membership NLRI of one route target, originated by `originAs`. */
export function rtcNlriOf(originAs: number, rt: ExtCommunity): RtcNlri {
  return { kind: 'rtc', originAs, len: 64, rt: extCommunityBytes(rt) };
}

/** The route target prefix as text: `LEN:HEX`, the default route target `0:`. */
function prefixKey(n: RtcNlri): string {
  const k = (n.len + 7) >> 3;
  return `${n.len}:${Buffer.from(n.rt.subarray(0, k)).toString('hex')}`;
}

/**
 * Whether the first `n.len` bits of the 8-octet route target equal the NLRI's (RFC 4684 §4: the
 * NLRI is a prefix of the route target; length 0, the default route target, covers every one).
 */
export function rtcCovers(n: RtcNlri, rt: Uint8Array): boolean {
  const full = n.len >> 3;
  for (let i = 0; i < full; i++) if (n.rt[i] !== rt[i]) return false;
  const rest = n.len & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((n.rt[full] ?? 0) & mask) === ((rt[full] ?? 0) & mask);
}

/** The 8 octets of a VPN route's route targets (the transitive ones: RFC 4360 §4). */
export function routeTargetsOf(v: Pick<AttrValues, 'extCommunities'>): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const e of v.extCommunities)
    if (e.kind === 'route-target' && e.transitive) out.push(extCommunityBytes(e));
  return out;
}

/** What a peer told us it wants: the RT membership NLRI it advertised (every path, §3.2). */
export class Membership {
  readonly all: boolean;
  private readonly prefixes: readonly RtcNlri[];

  constructor(nlri: Iterable<RtcNlri>) {
    const byKey = new Map<string, RtcNlri>();
    for (const n of nlri) byKey.set(prefixKey(n), n);
    this.prefixes = [...byKey.values()];
    // RFC 4684 §4: "a prefix length of zero ... the default route target", any RT matches.
    this.all = this.prefixes.some((n) => n.len === 0);
  }

  /** Whether a VPN route with these route targets is wanted (one covered RT is enough). */
  admits(v: Pick<AttrValues, 'extCommunities'>): boolean {
    if (this.all) return true;
    for (const rt of routeTargetsOf(v))
      for (const n of this.prefixes) if (rtcCovers(n, rt)) return true;
    return false;
  }

  /**
   * Equal tokens, equal filters: the sorted route target prefixes (origin AS does not change what
   * a peer is sent), `*` for the default route target.
   */
  get token(): string {
    if (this.all) return '*';
    const s = this.prefixes.map(prefixKey).sort().join(',');
    // The token is part of an update group's key (and of its cache keys): kept short.
    return s.length <= 48 ? s : `#${createHash('sha1').update(s).digest('hex')}`;
  }

  get size(): number {
    return this.prefixes.length;
  }
}
