// ATOMIC_AGGREGATE (type 6, RFC 4271 §5.1.6): well-known discretionary, no value.

import { ATTR_ATOMIC_AGGREGATE } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { expectLength } from './common.js';

export const atomicAggregate: AttrDescriptor<'atomic-aggregate'> = {
  code: ATTR_ATOMIC_AGGREGATE,
  kind: 'atomic-aggregate',
  name: 'ATOMIC_AGGREGATE',
  optional: false,
  transitive: true,
  // RFC 7606 §7.6: a length other than 0 is attribute-discard.
  onError: 'attribute-discard',
  decode(_buf, at, end, flags) {
    expectLength(end - at, 0, 'ATOMIC_AGGREGATE');
    return { kind: 'atomic-aggregate', flags };
  },
  encodeValue() {
    // no value octets
  },
};
