// The canonical text key of a set of attribute values: what tests, the reload's comparisons and the
// simulator's text compare (the interner finds sets by a hash and a comparison instead, intern.ts).

import type { AttrValues, NextHopAddr } from '../model/attrset.js';
import { extCommunityKey } from '../wire/ext-community.js';
import type { PathAttribute } from '../wire/types.js';

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

/** A next hop's part of the key; also what the shared next hops are found by (attr-parts.ts). */
export function nextHopKey(nh: NextHopAddr | undefined): string {
  if (!nh) return '-';
  if (nh.afi === 1) return String(nh.addr);
  return hex(nh.addr) + (nh.linkLocal ? '/' + hex(nh.linkLocal) : '');
}

export function otherKey(a: PathAttribute): string {
  switch (a.kind) {
    case 'unknown':
      return `${a.code}.${a.flags}.${hex(a.value)}`;
    case 'ipv6-ext-communities':
      return (
        '25.' +
        a.values
          .map((v) =>
            v.kind === 'raw' ? hex(v.bytes) : `${v.kind}.${v.transitive}.${hex(v.addr)}.${v.local}`,
          )
          .join(',')
      );
    default:
      return `${a.kind}:${JSON.stringify(a)}`;
  }
}

/** The canonical key of a set of values: equal values give equal keys. */
export function attrKey(v: AttrValues): string {
  const parts: string[] = [
    String(v.origin),
    v.asPath.map((s) => `${s.type}:${s.asns.join(' ')}`).join('|'),
    nextHopKey(v.nextHop),
    v.med === undefined ? '' : String(v.med),
    v.localPref === undefined ? '' : String(v.localPref),
    v.atomicAggregate ? 'A' : '',
    v.aggregator ? `${v.aggregator.asn}/${v.aggregator.id}` : '',
    v.communities.join(','),
    v.extCommunities.map(extCommunityKey).join(','),
    v.largeCommunities.map((l) => `${l.global}:${l.local1}:${l.local2}`).join(','),
    v.originatorId === undefined ? '' : String(v.originatorId),
    v.clusterList.join(','),
    v.otc === undefined ? '' : String(v.otc),
    v.others.map(otherKey).join(','),
    String(v.weight),
  ];
  return parts.join(';');
}
