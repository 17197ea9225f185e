// LARGE_COMMUNITY (type 32, RFC 8092): optional transitive, 12-octet values.

import { ATTR_LARGE_COMMUNITIES } from '../types.js';
import type { LargeCommunity } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { expectMultiple, u32At } from './common.js';

export const largeCommunities: AttrDescriptor<'large-communities'> = {
  code: ATTR_LARGE_COMMUNITIES,
  kind: 'large-communities',
  name: 'LARGE_COMMUNITY',
  optional: true,
  transitive: true,
  // RFC 8092 §6: length 0 or not a multiple of 12 is treat-as-withdraw.
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags) {
    expectMultiple(end - at, 12, 'LARGE_COMMUNITY');
    const values: LargeCommunity[] = [];
    for (let p = at; p < end; p += 12) {
      values.push({
        global: u32At(buf, p),
        local1: u32At(buf, p + 4),
        local2: u32At(buf, p + 8),
      });
    }
    return { kind: 'large-communities', flags, values };
  },
  encodeValue(w, a) {
    for (const v of a.values) w.u32(v.global).u32(v.local1).u32(v.local2);
  },
};
