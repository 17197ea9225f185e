// ORIGIN (type 1, RFC 4271 §5.1.1): well-known mandatory, one octet IGP/EGP/INCOMPLETE.

import { AttrFault, UPD_INVALID_ORIGIN } from '../errors.js';
import { ATTR_ORIGIN, ORIGIN_INCOMPLETE } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { expectLength } from './common.js';

export const origin: AttrDescriptor<'origin'> = {
  code: ATTR_ORIGIN,
  kind: 'origin',
  name: 'ORIGIN',
  optional: false,
  transitive: true,
  // RFC 7606 §7.1: a bad length or an undefined value is treat-as-withdraw.
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags) {
    expectLength(end - at, 1, 'ORIGIN');
    const v = buf[at]!;
    // RFC 4271 §6.3: an undefined ORIGIN value is "Invalid ORIGIN Attribute" (3/6).
    if (v > ORIGIN_INCOMPLETE) throw new AttrFault(`ORIGIN value ${v}`, UPD_INVALID_ORIGIN);
    return { kind: 'origin', flags, value: v };
  },
  encodeValue(w, a) {
    w.u8(a.value);
  },
};
