// MP_REACH_NLRI (type 14, RFC 4760 §3): optional non-transitive; AFI, SAFI, next hop, a reserved
// octet, then the NLRI. The next hop and NLRI codecs live in ../nexthop.ts and ../nlri/.

import { UPD_OPTIONAL_ATTR } from '../errors.js';
import { decodeNextHop, encodeNextHop, nextHopLength } from '../nexthop.js';
import { decodeNlriList, encodeNlri } from '../nlri/index.js';
import { Reader } from '../reader.js';
import { ATTR_MP_REACH } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { copyOf, u16At } from './common.js';
import { mpCall, mpFramingFault } from './mp-errors.js';

export const mpReach: AttrDescriptor<'mp-reach'> = {
  code: ATTR_MP_REACH,
  kind: 'mp-reach',
  name: 'MP_REACH_NLRI',
  optional: true,
  transitive: false,
  // RFC 7606 §7.11: session reset (or AFI/SAFI disable, which vrfleak does not do).
  onError: 'session-reset',
  decode(buf, at, end, flags, ctx) {
    // AFI (2) + SAFI (1) + next hop length (1) + reserved (1).
    if (end - at < 5) throw mpFramingFault(`MP_REACH_NLRI: ${end - at} octets, need 5`);
    const afi = u16At(buf, at);
    const safi = buf[at + 2]!;
    const nhLen = buf[at + 3]!;
    if (4 + nhLen + 1 > end - at) {
      throw mpFramingFault(`MP_REACH_NLRI: next hop length ${nhLen} runs past the attribute`);
    }
    const nhBytes = buf.subarray(at + 4, at + 4 + nhLen);
    const nextHop = mpCall('MP_REACH_NLRI next hop', () => decodeNextHop(afi, safi, nhBytes));
    // RFC 4760 §3: the octet after the next hop is reserved (ex-SNPA count) and is ignored.
    const start = at + 4 + nhLen + 1;
    const r = new Reader(buf, start, end);
    const nlri = mpCall(
      'MP_REACH_NLRI NLRI',
      () => decodeNlriList(afi, safi, r, ctx, false, UPD_OPTIONAL_ATTR),
      { afi, safi },
    );
    if (nlri === undefined) {
      return {
        kind: 'mp-reach',
        flags,
        afi,
        safi,
        nextHop,
        nlri: [],
        rawNlri: copyOf(buf.subarray(start, end)),
      };
    }
    return { kind: 'mp-reach', flags, afi, safi, nextHop, nlri };
  },
  encodeValue(w, a, ctx) {
    w.u16(a.afi).u8(a.safi).u8(nextHopLength(a.nextHop));
    encodeNextHop(w, a.nextHop);
    w.u8(0);
    if (a.rawNlri) w.bytes(a.rawNlri);
    for (const n of a.nlri) encodeNlri(w, n, a.afi, a.safi, ctx, false);
  },
};
