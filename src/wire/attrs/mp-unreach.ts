// MP_UNREACH_NLRI (type 15, RFC 4760 §4): optional non-transitive; AFI, SAFI, withdrawn NLRI.
// With no NLRI it is the End-of-RIB marker of its family (RFC 4724 §2).

import { UPD_OPTIONAL_ATTR } from '../errors.js';
import { decodeNlriList, encodeNlri } from '../nlri/index.js';
import { Reader } from '../reader.js';
import { ATTR_MP_UNREACH } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { copyOf, u16At } from './common.js';
import { mpCall, mpFramingFault } from './mp-errors.js';

export const mpUnreach: AttrDescriptor<'mp-unreach'> = {
  code: ATTR_MP_UNREACH,
  kind: 'mp-unreach',
  name: 'MP_UNREACH_NLRI',
  optional: true,
  transitive: false,
  // RFC 7606 §7.12 / §5.3: the withdrawn NLRI must be parsed in full, or the session resets.
  onError: 'session-reset',
  decode(buf, at, end, flags, ctx) {
    if (end - at < 3) throw mpFramingFault(`MP_UNREACH_NLRI: ${end - at} octets, need 3`);
    const afi = u16At(buf, at);
    const safi = buf[at + 2]!;
    const r = new Reader(buf, at + 3, end);
    // RFC 8277 §2.4: the NLRI codec reads the VPN label field as a compatibility value.
    const nlri = mpCall(
      'MP_UNREACH_NLRI NLRI',
      () => decodeNlriList(afi, safi, r, ctx, true, UPD_OPTIONAL_ATTR),
      { afi, safi },
    );
    if (nlri === undefined) {
      return {
        kind: 'mp-unreach',
        flags,
        afi,
        safi,
        nlri: [],
        rawNlri: copyOf(buf.subarray(at + 3, end)),
      };
    }
    return { kind: 'mp-unreach', flags, afi, safi, nlri };
  },
  encodeValue(w, a, ctx) {
    w.u16(a.afi).u8(a.safi);
    if (a.rawNlri) w.bytes(a.rawNlri);
    for (const n of a.nlri) encodeNlri(w, n, a.afi, a.safi, ctx, true);
  },
};
