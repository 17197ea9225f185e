// AS4_AGGREGATOR (type 18, RFC 6793 §3): optional transitive, 4-octet ASN + BGP identifier, sent
// by a NEW speaker to an OLD one alongside a 2-octet AGGREGATOR.

import { AttrFault, UPD_ATTR_LENGTH, UPD_OPTIONAL_ATTR } from '../errors.js';
import { ATTR_AS4_AGGREGATOR } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { u32At } from './common.js';

export const as4Aggregator: AttrDescriptor<'as4-aggregator'> = {
  code: ATTR_AS4_AGGREGATOR,
  kind: 'as4-aggregator',
  name: 'AS4_AGGREGATOR',
  optional: true,
  transitive: true,
  // RFC 6793 §6: "the 'attribute discard' approach is chosen to handle a malformed AS4_AGGREGATOR".
  onError: 'attribute-discard',
  decode(buf, at, end, flags, ctx) {
    // RFC 6793 §6: between NEW speakers it MUST be discarded and processing continues.
    if (ctx.fourOctetAs) {
      throw new AttrFault('AS4_AGGREGATOR from a 4-octet AS speaker (ignored)', UPD_OPTIONAL_ATTR);
    }
    if (end - at !== 8) {
      throw new AttrFault(`AS4_AGGREGATOR: length ${end - at}, expected 8`, UPD_ATTR_LENGTH);
    }
    const asn = u32At(buf, at);
    // RFC 7607 §2: AS 0 is malformed; RFC 6793 §6 makes that attribute-discard.
    if (asn === 0) throw new AttrFault('AS4_AGGREGATOR with AS 0', UPD_OPTIONAL_ATTR);
    return { kind: 'as4-aggregator', flags, asn, id: u32At(buf, at + 4) };
  },
  encodeValue(w, a) {
    w.u32(a.asn).u32(a.id);
  },
};
