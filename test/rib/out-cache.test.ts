// The outbound attribute cache of the update groups (rib/groups.ts) and its one-entry memo: an
// answer is reused only for the same group (as it is now), the same source and the same set.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { peerOrigin as origin } from './peer-origin.js';
import { Propagation } from '../../src/daemon/propagate.js';
import { adjRibOutOf } from '../../src/rib/adj-rib-out.js';
import { OutMemo } from '../../src/rib/out-set.js';
import { Rib } from '../../src/rib/rib.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { keyText } from '../../src/wire/nlri/key.js';
import type { Nlri } from '../../src/wire/types.js';

const v4 = (a: number): Nlri => ({
  kind: 'prefix',
  prefix: { afi: 1, addr: ((10 << 24) | (a << 8)) >>> 0, len: 24 },
});
const vals = (asn: number): AttrValues => ({
  ...EMPTY_ATTR_VALUES,
  nextHop: { afi: 1, addr: 0x7f00000b },
  asPath: [{ type: 2, asns: [asn] }],
});
const member = (peerId: number, localAs: number, ibgp = false) => ({
  peerId,
  view: '',
  profile: {
    localAs,
    routerId: 1,
    clusterId: 1,
    ibgp,
    rrClient: false,
    nextHopSelf: false,
    localV4: 0x7f00000a,
  },
  ctx: DEFAULT_CONTEXT,
  families: ['ipv4' as const],
});
/** What member `id` holds: "prefix AS path". */
const sent = (rib: Rib, id: number): string[] =>
  [...adjRibOutOf(rib.groupOf(id), id).routes('ipv4')]
    .map(
      (r) => `${keyText(r.key, 1, false)} ${r.attrs.asPath.map((s) => s.asns.join(' ')).join(' ')}`,
    )
    .sort();

describe('outbound attribute cache', () => {
  it('gives each set, in turn, its own outbound set', () => {
    const rib = new Rib();
    rib.join('g', member(9, 65000));
    // Alternating sets within one flush: a memo keyed on anything less than the set would repeat.
    rib.announce('ipv4', 1, origin(1, false), vals(65001), [v4(1), v4(2)]);
    rib.announce('ipv4', 1, origin(1, false), vals(65011), [v4(3)]);
    rib.announce('ipv4', 1, origin(1, false), vals(65001), [v4(4)]);
    new Propagation(rib).commit();
    expect(sent(rib, 9)).toEqual([
      '10.0.1.0/24 65000 65001',
      '10.0.2.0/24 65000 65001',
      '10.0.3.0/24 65000 65011',
      '10.0.4.0/24 65000 65001',
    ]);
  });

  it('tells sources apart: one set from an iBGP and an eBGP peer, towards an iBGP group', () => {
    const rib = new Rib();
    rib.join('ibgp', member(9, 65000, true));
    const set = vals(65001);
    // RFC 4271 §9.2: a route from an iBGP peer is not sent to another iBGP peer; one from eBGP is.
    rib.announce('ipv4', 1, origin(1, true), set, [v4(1)]);
    rib.announce('ipv4', 2, origin(2, false), set, [v4(2)]);
    rib.announce('ipv4', 1, origin(1, true), set, [v4(3)]);
    new Propagation(rib).commit();
    // One received set (the three routes share it); the set sent for it is not interned.
    expect(rib.interner.size).toBe(1);
    expect(sent(rib, 9)).toEqual(['10.0.2.0/24 65001']);
  });

  it('forgets a group that lost its members: a new one of the same key computes again', () => {
    const rib = new Rib();
    rib.join('g', member(9, 65000));
    rib.announce('ipv4', 1, origin(1, false), vals(65001), [v4(1)]);
    new Propagation(rib).commit();
    expect(sent(rib, 9)).toEqual(['10.0.1.0/24 65000 65001']);
    rib.leave(9);
    // Same group key, same route (same set and source), another outbound profile.
    rib.join('g', member(9, 65100));
    new Propagation(rib).commit();
    expect(sent(rib, 9)).toEqual(['10.0.1.0/24 65100 65001']);
  });

  it('keeps a sent set as the memo on its received set, a refusal in an OutMemo, and answers both again', () => {
    const rib = new Rib();
    rib.join('ibgp', member(9, 65000, true));
    const set = vals(65001);
    rib.announce('ipv4', 2, origin(2, false), set, [v4(1)]);
    const refused = vals(65002);
    rib.announce('ipv4', 1, origin(1, true), refused, [v4(2)]);
    new Propagation(rib).commit();
    const sentSet = [...adjRibOutOf(rib.groupOf(9), 9).routes('ipv4')][0]!.attrs;
    const received = rib.interner.intern(set);
    // The outbound set is the memo itself (no OutMemo object per set sent).
    expect(rib.interner.memoOf(received)).toBe(sentSet);
    expect(rib.interner.memoOf(rib.interner.intern(refused))).toBeInstanceOf(OutMemo);
    // More routes of both sets: the memo answers (the same outbound set, the refusal kept).
    rib.announce('ipv4', 2, origin(2, false), set, [v4(3)]);
    rib.announce('ipv4', 1, origin(1, true), refused, [v4(4)]);
    new Propagation(rib).commit();
    const all = [...adjRibOutOf(rib.groupOf(9), 9).routes('ipv4')];
    expect(all.map((r) => keyText(r.key, 1, false)).sort()).toEqual(['10.0.1.0/24', '10.0.3.0/24']);
    for (const r of all) expect(r.attrs).toBe(sentSet);
  });
});
