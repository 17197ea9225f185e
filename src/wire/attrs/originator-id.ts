// ORIGINATOR_ID (type 9, RFC 4456 §8): optional non-transitive, the originating router's BGP id.

import { ATTR_ORIGINATOR_ID } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { discardFromEbgp, expectLength, u32At } from './common.js';

export const originatorId: AttrDescriptor<'originator-id'> = {
  code: ATTR_ORIGINATOR_ID,
  kind: 'originator-id',
  name: 'ORIGINATOR_ID',
  optional: true,
  transitive: false,
  // RFC 7606 §7.9: from an internal peer a length other than 4 is treat-as-withdraw.
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags, ctx) {
    // RFC 7606 §7.9: from an external peer it SHALL be discarded.
    discardFromEbgp(ctx.ibgp, 'ORIGINATOR_ID');
    expectLength(end - at, 4, 'ORIGINATOR_ID');
    return { kind: 'originator-id', flags, id: u32At(buf, at) };
  },
  encodeValue(w, a) {
    w.u32(a.id);
  },
};
