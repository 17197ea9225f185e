// Adj-RIB-Out of one peer, as a reader: exactly what this peer was sent, per family. The storage
// is its update group's (UpdateGroup.advertised, shared by every member, see adj-out.ts); a member
// was never sent the routes whose source it is (the group sends those to the other members, and
// the source a withdrawal of what it held before), so its view leaves them out.
//
// Under ADD-PATH (RFC 7911) a destination has one route per path identifier sent.
//
// Callers (the API, later BMP) see only the AdjRibOut interface: the group's
// representation can change without them.

import type { AttrSet } from '../model/attrset.js';
import type { FamilyName } from '../wire/afi.js';
import { nlriFromKey } from '../wire/nlri/key.js';
import type { Nlri } from '../wire/types.js';
import type { OutEntry, UpdateGroup } from './adj-out.js';

/** One route as the peer was sent it: the NLRI (labels, path id) and the attributes. */
export interface SentRoute {
  /** The destination key (prefix, RD and prefix for VPN families). */
  readonly key: string;
  readonly nlri: Nlri;
  /** The outbound attributes (after route-map-out and the outbound profile). */
  readonly attrs: AttrSet;
}

/** One peer's Adj-RIB-Out. */
export interface AdjRibOut {
  /** The families the peer was sent anything in. */
  families(): FamilyName[];
  routes(family: FamilyName): Iterable<SentRoute>;
  /** What the peer holds from us for a destination, if anything (ADD-PATH: one of its paths). */
  get(family: FamilyName, key: string): SentRoute | undefined;
  count(family: FamilyName): number;
}

const EMPTY: AdjRibOut = {
  families: () => [],
  routes: () => [],
  get: () => undefined,
  count: () => 0,
};

function sent(family: FamilyName, key: string, e: OutEntry): SentRoute {
  return { key, nlri: nlriFromKey(family, key, e.labels, e.pathId), attrs: e.attrs };
}

/** The Adj-RIB-Out of `peerId`, read from its update group (none: it was sent nothing). */
export function adjRibOutOf(group: UpdateGroup | undefined, peerId: number): AdjRibOut {
  if (!group?.members.has(peerId)) return EMPTY;
  const count = (f: FamilyName): number => {
    let n = 0;
    for (const [, e] of group.sent(f)) if (e.src !== peerId) n++;
    return n;
  };
  return {
    families: () => group.sentFamilies().filter((f) => count(f) > 0),
    *routes(f) {
      for (const [key, e] of group.sent(f)) if (e.src !== peerId) yield sent(f, key, e);
    },
    get(f, key) {
      // Under ADD-PATH the first path sent (the lowest identifier still in use).
      for (const [k, e] of group.sent(f)) if (k === key && e.src !== peerId) return sent(f, key, e);
      return undefined;
    },
    count,
  };
}
