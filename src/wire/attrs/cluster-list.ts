// CLUSTER_LIST (type 10, RFC 4456 §8): optional non-transitive, a list of 4-octet cluster ids.

import { ATTR_CLUSTER_LIST } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { discardFromEbgp, expectMultiple, u32At } from './common.js';

export const clusterList: AttrDescriptor<'cluster-list'> = {
  code: ATTR_CLUSTER_LIST,
  kind: 'cluster-list',
  name: 'CLUSTER_LIST',
  optional: true,
  transitive: false,
  // RFC 7606 §7.10: from an internal peer, length 0 or not a multiple of 4 is treat-as-withdraw.
  onError: 'treat-as-withdraw',
  decode(value, flags, ctx) {
    // RFC 7606 §7.10: from an external peer it SHALL be discarded.
    discardFromEbgp(ctx.ibgp, 'CLUSTER_LIST');
    expectMultiple(value, 4, 'CLUSTER_LIST');
    const ids: number[] = [];
    for (let p = 0; p < value.length; p += 4) ids.push(u32At(value, p));
    return { kind: 'cluster-list', flags, ids };
  },
  encodeValue(w, a) {
    for (const id of a.ids) w.u32(id);
  },
};
