// EXTENDED_COMMUNITIES (type 16, RFC 4360 §2): optional transitive, 8-octet values; the carrier
// of route targets. The per-value codec is ../ext-community.ts.

import { ATTR_EXT_COMMUNITIES } from '../types.js';
import { decodeExtCommunity, encodeExtCommunity } from '../ext-community.js';
import type { ExtCommunity } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { expectMultiple } from './common.js';

export const extCommunities: AttrDescriptor<'ext-communities'> = {
  code: ATTR_EXT_COMMUNITIES,
  kind: 'ext-communities',
  name: 'EXTENDED_COMMUNITIES',
  optional: true,
  transitive: true,
  // RFC 7606 §7.14: length 0 or not a multiple of 8 is treat-as-withdraw; an unknown type or
  // subtype is not an error (it stays raw and is propagated).
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags) {
    expectMultiple(end - at, 8, 'EXTENDED_COMMUNITIES');
    const values: ExtCommunity[] = [];
    for (let p = at; p < end; p += 8) values.push(decodeExtCommunity(buf, p));
    return { kind: 'ext-communities', flags, values };
  },
  encodeValue(w, a) {
    const values = a.values;
    for (let i = 0; i < values.length; i++) encodeExtCommunity(w, values[i]!);
  },
};
