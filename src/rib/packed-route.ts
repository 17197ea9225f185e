// A VPNv4 table's lone paths kept as columns, not objects. Most destinations of a VPN table hold
// one path, a route received or exported with its key as a code (model/route.ts SharedRoute: 48
// octets, a third of a transit's retained octets a route, bench/README.md). Its key is the slot's
// key and its share is one of a few per UPDATE, so the slot keeps the share in its value column
// and the arrival number in a Uint32 column (v4-key-map.ts Packing): 12 octets a route where the
// object and its pointer were 56. A read makes the route again, equal in every field to the one
// stored but not the same object: a table compares paths by (src, pathId) and no caller keeps a
// route of a packed slot to compare it by identity with a later read (destination.ts samePath).

import { codedV4Route, v4PackedShare, type Route } from '../model/route.js';
import type { RouteOrigin } from '../model/route-origin.js';
import type { RouteShare } from '../model/route-share.js';
import { v4CodeOf } from '../model/v4-key-code.js';
import { v4NumberAddr, v4NumberLen } from '../wire/nlri/key.js';
import { Destination } from './destination.js';
import type { Packing } from './v4-key-map.js';

/** The packing of a VPNv4 table's slots: a lone SharedRoute with a code as its share and seq. */
export const packedV4Routes: Packing<Destination | Route> = {
  part: (v) => (v instanceof Destination ? undefined : v4PackedShare(v)),
  num: (v) => (v as Route).seq,
  unpack: (part, seq, key) =>
    codedV4Route(
      part as RouteShare<RouteOrigin>,
      v4CodeOf(v4NumberLen(key), v4NumberAddr(key)),
      seq,
    ),
};
