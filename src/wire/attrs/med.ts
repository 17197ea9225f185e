// MULTI_EXIT_DISC (type 4, RFC 4271 §5.1.4): optional non-transitive, 4 octets.

import { ATTR_MED } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { expectLength, u32At } from './common.js';

export const med: AttrDescriptor<'med'> = {
  code: ATTR_MED,
  kind: 'med',
  name: 'MULTI_EXIT_DISC',
  optional: true,
  transitive: false,
  // RFC 7606 §7.4: length other than 4 is treat-as-withdraw.
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags) {
    expectLength(end - at, 4, 'MULTI_EXIT_DISC');
    return { kind: 'med', flags, value: u32At(buf, at) };
  },
  encodeValue(w, a) {
    w.u32(a.value);
  },
};
