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
  decode(buf, at, end, flags, ctx) {
    // RFC 7606 §7.10: from an external peer it SHALL be discarded.
    discardFromEbgp(ctx.ibgp, 'CLUSTER_LIST');
    expectMultiple(end - at, 4, 'CLUSTER_LIST');
    const ids: number[] = [];
    for (let p = at; p < end; p += 4) ids.push(u32At(buf, p));
    return { kind: 'cluster-list', flags, ids };
  },
  encodeValue(w, a) {
    for (const id of a.ids) w.u32(id);
  },
};
