// COMMUNITIES (type 8, RFC 1997): optional transitive, a list of 32-bit values.

import { ATTR_COMMUNITIES } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { expectMultiple, u32At } from './common.js';

export const communities: AttrDescriptor<'communities'> = {
  code: ATTR_COMMUNITIES,
  kind: 'communities',
  name: 'COMMUNITIES',
  optional: true,
  transitive: true,
  // RFC 7606 §7.8: length 0 or not a multiple of 4 is treat-as-withdraw.
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags) {
    expectMultiple(end - at, 4, 'COMMUNITIES');
    const values: number[] = [];
    for (let p = at; p < end; p += 4) values.push(u32At(buf, p));
    return { kind: 'communities', flags, values };
  },
  encodeValue(w, a) {
    const values = a.values;
    for (let i = 0; i < values.length; i++) w.u32(values[i]!);
  },
};
