// LOCAL_PREF (type 5, RFC 4271 §5.1.5): well-known, 4 octets, meaningful inside an AS only.

import { ATTR_LOCAL_PREF } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { discardFromEbgp, expectLength, u32At } from './common.js';

export const localPref: AttrDescriptor<'local-pref'> = {
  code: ATTR_LOCAL_PREF,
  kind: 'local-pref',
  name: 'LOCAL_PREF',
  optional: false,
  transitive: true,
  // RFC 7606 §7.5: from an internal peer a length other than 4 is treat-as-withdraw.
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags, ctx) {
    // RFC 7606 §7.5: from an external peer it SHALL be discarded (whatever its length).
    discardFromEbgp(ctx.ibgp, 'LOCAL_PREF');
    expectLength(end - at, 4, 'LOCAL_PREF');
    return { kind: 'local-pref', flags, value: u32At(buf, at) };
  },
  encodeValue(w, a) {
    w.u32(a.value);
  },
};
