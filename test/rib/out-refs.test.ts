// The sets an export filter makes for the update groups are interned and reference counted by the
// Adj-RIB-Out (intern.ts, "the reference rule"); without a filter a group's outbound sets are not
// interned (out-set.ts) and go with the received sets. After any sequence the interner holds the
// sets a fresh start would.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { EBGP_PROFILE, peerOrigin as origin } from './peer-origin.js';
import { Propagation } from '../../src/daemon/propagate.js';
import { OutSet } from '../../src/rib/out-set.js';
import { Rib } from '../../src/rib/rib.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import type { Nlri } from '../../src/wire/types.js';

const v4 = (a: number): Nlri => ({
  kind: 'prefix',
  prefix: { afi: 1, addr: ((10 << 24) | (a << 8)) >>> 0, len: 24 },
});
/** `tag`: a community (sent on to eBGP, unlike a MED). */
const vals = (asn: number, tag = 0): AttrValues => ({
  ...EMPTY_ATTR_VALUES,
  nextHop: { afi: 1, addr: 0x7f00000b },
  asPath: [{ type: 2, asns: [asn] }],
  communities: [tag],
});
/** An eBGP member (local AS 65000: every outbound set differs from the received one). */
const member = (peerId: number, addPath = false) => ({
  peerId,
  view: '',
  profile: EBGP_PROFILE,
  ctx: DEFAULT_CONTEXT,
  families: ['ipv4' as const],
  ...(addPath ? { addPath: new Map([['ipv4' as const, { kind: 'all' as const }]]) } : {}),
});

const N = 40;
/** Announces N routes from peer 1 in 10 sets (4 routes each), `tag` on all, and commits. */
function announce(rib: Rib, tag: number): void {
  for (let s = 0; s < 10; s++) {
    const nlri = [0, 1, 2, 3].map((i) => v4(s * 4 + i));
    rib.announce('ipv4', 1, origin(1), vals(65100 + s, tag), nlri);
  }
  new Propagation(rib).commit();
}
function withdrawAll(rib: Rib): void {
  rib.withdraw(
    'ipv4',
    1,
    Array.from({ length: N }, (_, i) => v4(i)),
  );
  new Propagation(rib).commit();
}

describe.each([false, true])('outbound set references (ADD-PATH: %s)', (addPath) => {
  it('a table announced through a group and withdrawn leaves the interner as it started', () => {
    const rib = new Rib();
    rib.join('g', member(9, addPath));
    const start = rib.interner.size;
    announce(rib, 0);
    // 10 received sets; the outbound ones (the AS path gets our AS prepended) are not interned.
    expect(rib.interner.size).toBe(start + 10);
    const sent = [...(rib.groupOf(9)?.sent('ipv4') ?? [])];
    expect(sent).toHaveLength(N);
    for (const [, e] of sent) expect(e.attrs).toBeInstanceOf(OutSet);
    withdrawAll(rib);
    expect(rib.interner.size).toBe(start);
  });

  it('re-advertised with changed attributes: the old outbound sets go', () => {
    const rib = new Rib();
    rib.join('g', member(9, addPath));
    const start = rib.interner.size;
    announce(rib, 0);
    for (let tag = 1; tag <= 5; tag++) announce(rib, tag);
    expect(rib.interner.size).toBe(start + 10);
    // Announced again unchanged: the sets made for it are identical to what was advertised.
    announce(rib, 5);
    expect(rib.interner.size).toBe(start + 10);
    for (const [, e] of rib.groupOf(9)?.sent('ipv4') ?? [])
      expect(e.attrs.communities).toEqual([5]);
    withdrawAll(rib);
    expect(rib.interner.size).toBe(start);
  });

  it('a group dropped releases its outbound sets; a new one gets them again', () => {
    const rib = new Rib();
    rib.join('g', member(9, addPath));
    const start = rib.interner.size;
    announce(rib, 0);
    rib.leave(9);
    expect(rib.interner.size).toBe(start + 10);
    rib.join('h', member(8, addPath));
    new Propagation(rib).commit();
    expect(rib.interner.size).toBe(start + 10);
    expect([...(rib.groupOf(8)?.sent('ipv4') ?? [])]).toHaveLength(N);
    expect(rib.groupOf(8)?.pendingCount).toBe(0);
    withdrawAll(rib);
    expect(rib.interner.size).toBe(start);
  });

  it('a group that went before its first flush leaves no set', () => {
    const rib = new Rib();
    const start = rib.interner.size;
    announce(rib, 0);
    // The group is filled by its first flush, from the settled tables (groups.ts `unfilled`): no
    // outbound set is made before, and a group gone by then is not filled at all.
    rib.join('g', member(9, addPath));
    expect(rib.interner.size).toBe(start + 10);
    rib.leave(9);
    new Propagation(rib).commit();
    expect(rib.interner.size).toBe(start + 10);
  });

  it('sets made for changes refused by an export filter do not stay', () => {
    const rib = new Rib();
    rib.join('g', {
      ...member(9, addPath),
      exportFilter: (_r, v) => (v.communities.includes(7) ? null : v),
    });
    const start = rib.interner.size;
    announce(rib, 0);
    announce(rib, 7);
    // Refused: withdrawn from the group; only the received sets are left.
    expect(rib.interner.size).toBe(start + 10);
    withdrawAll(rib);
    expect(rib.interner.size).toBe(start);
  });
});

describe('outbound answers cached on a received set', () => {
  it('go with the received set: a route best again is advertised with its set', () => {
    const rib = new Rib();
    rib.join('g', member(9));
    const start = rib.interner.size;
    announce(rib, 0);
    // Peer 2 wins every prefix: peer 1's outbound sets are withdrawn from the group, while its
    // received sets (and the answers cached on them) stay.
    const all = Array.from({ length: N }, (_, i) => v4(i));
    rib.announce('ipv4', 2, origin(2), { ...vals(65200), weight: 100 }, all);
    new Propagation(rib).commit();
    expect(rib.interner.size).toBe(start + 11);
    rib.withdraw('ipv4', 2, all);
    new Propagation(rib).commit();
    const adv = [...(rib.groupOf(9)?.advertised.get('ipv4')?.values() ?? [])];
    expect(adv).toHaveLength(N);
    for (const e of adv) expect(e.attrs.asPath[0]?.asns[0]).toBe(65000);
    expect(rib.interner.size).toBe(start + 10);
    withdrawAll(rib);
    expect(rib.interner.size).toBe(start);
  });

  it("are not handed to the set that takes a released set's place", () => {
    const rib = new Rib();
    rib.join('g', member(9));
    rib.announce('ipv4', 1, origin(1), vals(65101), [v4(1)]);
    new Propagation(rib).commit();
    rib.withdraw('ipv4', 1, [v4(1)]);
    new Propagation(rib).commit();
    // The released set's place (and id) in the interner is taken by the next set interned.
    rib.announce('ipv4', 1, origin(1), vals(65102), [v4(1)]);
    new Propagation(rib).commit();
    const adv = [...(rib.groupOf(9)?.advertised.get('ipv4')?.values() ?? [])];
    expect(adv.map((e) => e.attrs.asPath.map((s) => s.asns))).toEqual([[[65000, 65102]]]);
  });
});
