// AGGREGATOR (type 7, RFC 4271 §5.1.7): optional transitive, ASN + BGP identifier; the ASN is 4
// octets between NEW speakers and 2 otherwise (RFC 6793 §4).

import { as2 } from '../asn.js';
import { AttrFault, UPD_ATTR_LENGTH, UPD_OPTIONAL_ATTR } from '../errors.js';
import { ATTR_AGGREGATOR } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { u16At, u32At } from './common.js';

export const aggregator: AttrDescriptor<'aggregator'> = {
  code: ATTR_AGGREGATOR,
  kind: 'aggregator',
  name: 'AGGREGATOR',
  optional: true,
  transitive: true,
  // RFC 7606 §7.7: a length other than 6 (or 8 with 4-octet ASNs) is attribute-discard.
  onError: 'attribute-discard',
  decode(buf, at, end, flags, ctx) {
    const want = ctx.fourOctetAs ? 8 : 6;
    if (end - at !== want) {
      throw new AttrFault(`AGGREGATOR: length ${end - at}, expected ${want}`, UPD_ATTR_LENGTH);
    }
    const asn = ctx.fourOctetAs ? u32At(buf, at) : u16At(buf, at);
    // RFC 7607 §2: AS 0 in AGGREGATOR is malformed; RFC 7606 §7.7 makes that attribute-discard.
    if (asn === 0) throw new AttrFault('AGGREGATOR with AS 0', UPD_OPTIONAL_ATTR);
    return { kind: 'aggregator', flags, asn, id: u32At(buf, at + want - 4) };
  },
  encodeValue(w, a, ctx) {
    // RFC 6793 §4.2.2: to an OLD speaker a 4-octet ASN is sent as AS_TRANS (23456).
    if (ctx.fourOctetAs) w.u32(a.asn);
    else w.u16(as2(a.asn));
    w.u32(a.id);
  },
};
