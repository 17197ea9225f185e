// Only to Customer (type 35, RFC 9234 §5): optional transitive, one 4-octet ASN.

import { ATTR_OTC } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { expectLength, u32At } from './common.js';

export const otc: AttrDescriptor<'otc'> = {
  code: ATTR_OTC,
  kind: 'otc',
  name: 'OTC',
  optional: true,
  transitive: true,
  // RFC 9234 §5: "If the length of the OTC Attribute is not 4, the attribute is considered
  // malformed" and treat-as-withdraw applies.
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags) {
    expectLength(end - at, 4, 'OTC');
    // Value 0 is accepted: RFC 9234 §5 defines malformation by length only, and RFC 7607 (AS 0)
    // covers AS_PATH, AS4_PATH and the aggregators, not OTC. Withdrawing on it would drop routes
    // a conforming peer may send; the policy layer can still refuse such a route.
    return { kind: 'otc', flags, asn: u32At(buf, at) };
  },
  encodeValue(w, a) {
    w.u32(a.asn);
  },
};
