// An update group's first table is read from settled tables: a group made (a peer's session up,
// an outbound route map edited) while a batch is still open must end where a group made after
// the commit would, and not advertise a route born and withdrawn inside that batch (no change
// ever names it, so nothing would withdraw it: a stale route at the peer for the session's life).

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { Propagation } from '../../src/daemon/propagate.js';
import { adjRibOutOf } from '../../src/rib/adj-rib-out.js';
import { Rib } from '../../src/rib/rib.js';
import { keyText } from '../../src/wire/nlri/key.js';
import type { Nlri } from '../../src/wire/types.js';
import { ebgpMember, peerOrigin } from './peer-origin.js';

const v4 = (b: number): Nlri => ({
  kind: 'prefix',
  prefix: { afi: 1, addr: ((10 << 24) | (b << 8)) >>> 0, len: 24 },
});
const vals = (localPref: number): AttrValues => ({
  ...EMPTY_ATTR_VALUES,
  nextHop: { afi: 1, addr: 0x7f00000b },
  asPath: [{ type: 2, asns: [65002] }],
  localPref,
});
const member = ebgpMember;
const sent = (rib: Rib, peerId: number): string[] =>
  [...adjRibOutOf(rib.groupOf(peerId), peerId).routes('ipv4')]
    .map((r) => keyText(r.key, 1, false))
    .sort();

describe('an update group made while a batch is open', () => {
  it('does not advertise a route born and withdrawn in that batch', () => {
    const rib = new Rib();
    rib.announce('ipv4', 2, peerOrigin(2), vals(100), [v4(1), v4(2)]);
    new Propagation(rib).commit();
    // The open batch: 10.0.3.0/24 born, then gone again; 10.0.1.0/24 withdrawn.
    rib.announce('ipv4', 2, peerOrigin(2), vals(100), [v4(3)]);
    rib.withdraw('ipv4', 2, [v4(1)]);
    rib.join('g', member(1));
    rib.withdraw('ipv4', 2, [v4(3)]);
    const out = new Propagation(rib).commit();
    expect(sent(rib, 1)).toEqual(['10.0.2.0/24']);
    // What went on the wire: the one route, in one UPDATE.
    expect(out.get(1)?.length).toBe(1);
  });

  it('re-reads the settled tables when a route map edit re-evaluates the group', () => {
    const rib = new Rib();
    rib.join('g', member(1));
    rib.announce('ipv4', 2, peerOrigin(2), vals(100), [v4(1)]);
    new Propagation(rib).commit();
    expect(sent(rib, 1)).toEqual(['10.0.1.0/24']);
    rib.announce('ipv4', 2, peerOrigin(2), vals(100), [v4(4)]);
    rib.reevaluate(1, undefined);
    rib.withdraw('ipv4', 2, [v4(4)]);
    new Propagation(rib).commit();
    expect(sent(rib, 1)).toEqual(['10.0.1.0/24']);
  });
});
