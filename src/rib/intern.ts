// Attribute set interning: one frozen AttrSet per distinct set of values, found by a canonical key
// computed once per UPDATE (not per prefix). Sets are reference counted so a table that drops its
// last route using a set lets the set go.

import {
  asPathLength,
  neighborAsOf,
  type AttrSet,
  type AttrValues,
  type NextHopAddr,
} from '../model/attrset.js';
import { extCommunityKey } from '../wire/ext-community.js';
import type { PathAttribute } from '../wire/types.js';

function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

function nextHopKey(nh: NextHopAddr | undefined): string {
  if (!nh) return '-';
  if (nh.afi === 1) return String(nh.addr);
  return hex(nh.addr) + (nh.linkLocal ? '/' + hex(nh.linkLocal) : '');
}

function otherKey(a: PathAttribute): string {
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

interface Slot {
  set: AttrSet;
  refs: number;
}

export class AttrInterner {
  private readonly byKey = new Map<string, Slot>();
  private readonly byId = new Map<number, Slot>();
  private nextId = 1;

  get size(): number {
    return this.byKey.size;
  }

  /** Whether a set is the live interned one (its id still names it: refs not dropped to zero). */
  isLive(set: AttrSet): boolean {
    return this.byId.get(set.id)?.set === set;
  }

  /** The interned set equal to v (created on first sight). Does not take a reference. */
  intern(v: AttrValues): AttrSet {
    // Already a live interned set (an import without a map passes the VPN route's set through):
    // no key to compute.
    const id = (v as Partial<AttrSet>).id;
    if (id !== undefined && this.byId.get(id)?.set === v) return v as AttrSet;
    const key = attrKey(v);
    const hit = this.byKey.get(key);
    if (hit) return hit.set;
    const rtKeys: string[] = [];
    for (const ec of v.extCommunities) {
      // DESIGN.md "RT match": transitive route targets only, compared byte for byte.
      if (ec.kind === 'route-target' && ec.transitive) rtKeys.push(extCommunityKey(ec));
    }
    const set: AttrSet = Object.freeze({
      origin: v.origin,
      asPath: Object.freeze(
        v.asPath.map((s) => Object.freeze({ type: s.type, asns: Object.freeze([...s.asns]) })),
      ),
      nextHop: v.nextHop,
      med: v.med,
      localPref: v.localPref,
      atomicAggregate: v.atomicAggregate,
      aggregator: v.aggregator,
      communities: Object.freeze([...v.communities]),
      extCommunities: Object.freeze([...v.extCommunities]),
      largeCommunities: Object.freeze([...v.largeCommunities]),
      originatorId: v.originatorId,
      clusterList: Object.freeze([...v.clusterList]),
      otc: v.otc,
      others: Object.freeze([...v.others]),
      weight: v.weight,
      id: this.nextId++,
      key,
      asPathLength: asPathLength(v.asPath),
      neighborAs: neighborAsOf(v.asPath),
      rtKeys: Object.freeze(rtKeys),
    });
    const slot = { set, refs: 0 };
    this.byKey.set(key, slot);
    this.byId.set(set.id, slot);
    return set;
  }

  ref(set: AttrSet): void {
    const s = this.byId.get(set.id);
    if (s) s.refs++;
  }

  unref(set: AttrSet): void {
    const s = this.byId.get(set.id);
    if (!s) return;
    if (--s.refs <= 0) {
      this.byId.delete(set.id);
      this.byKey.delete(set.key);
    }
  }
}
