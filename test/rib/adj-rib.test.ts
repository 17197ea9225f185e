// The Adj-RIB storage interfaces: the pre-policy Adj-RIB-In (replace by prefix and path id,
// withdraw, stale marking and sweeping, attribute references held and released) and the
// Adj-RIB-Out reader over an update group (what one member was sent: never its own routes).

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { ebgpMember, peerOrigin } from './peer-origin.js';
import { createAdjRibIn } from '../../src/rib/adj-in.js';
import { adjRibOutOf } from '../../src/rib/adj-rib-out.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { Propagation } from '../../src/daemon/propagate.js';
import { Rib } from '../../src/rib/rib.js';
import { keyText, nlriKey } from '../../src/wire/nlri/key.js';
import { RdMap } from '../../src/rib/rd-map.js';
import type { Nlri } from '../../src/wire/types.js';

const v4 = (a: number, b: number, len = 24, pathId?: number): Nlri => ({
  kind: 'prefix',
  prefix: { afi: 1, addr: ((10 << 24) | (a << 16) | (b << 8)) >>> 0, len },
  ...(pathId !== undefined ? { pathId } : {}),
});
const vals = (localPref: number): AttrValues => ({
  ...EMPTY_ATTR_VALUES,
  nextHop: { afi: 1, addr: 0x7f00000b },
  localPref,
});

describe('AdjRibIn (pre-policy)', () => {
  it('keeps one route per prefix and path id, the last one received', () => {
    const interner = new AttrInterner();
    const a = createAdjRibIn(interner);
    const s1 = interner.intern(vals(100));
    const s2 = interner.intern(vals(200));
    a.announce('ipv4', s1, [v4(1, 0), v4(2, 0)]);
    a.announce('ipv4', s2, [v4(1, 0), v4(1, 0, 24, 7)]);
    expect(a.count('ipv4')).toBe(3);
    const lp = [...a.routes('ipv4')].map((r) => `${r.nlri.pathId ?? 0}/${r.attrs.localPref}`);
    expect(lp.sort()).toEqual(['0/100', '0/200', '7/200']);
    expect(a.families()).toEqual(['ipv4']);
    expect(a.count('ipv6')).toBe(0);
  });

  it('withdraws by prefix and path id, and says how many were there', () => {
    const interner = new AttrInterner();
    const a = createAdjRibIn(interner);
    a.announce('ipv4', interner.intern(vals(100)), [v4(1, 0), v4(1, 0, 24, 7)]);
    expect(a.withdraw('ipv4', [v4(1, 0), v4(9, 0)])).toBe(1);
    expect(a.withdraw('ipv6', [v4(1, 0)])).toBe(0);
    expect([...a.routes('ipv4')].map((r) => r.nlri.pathId)).toEqual([7]);
    expect(a.withdraw('ipv4', [v4(1, 0, 24, 7)])).toBe(1);
    expect(a.families()).toEqual([]);
  });

  it('holds a reference on each attribute set and lets it go with the last route', () => {
    const interner = new AttrInterner();
    const a = createAdjRibIn(interner);
    const s1 = interner.intern(vals(100));
    a.announce('ipv4', s1, [v4(1, 0), v4(2, 0)]);
    a.announce('ipv4', interner.intern(vals(200)), [v4(1, 0)]);
    expect(interner.isLive(s1)).toBe(true);
    a.withdraw('ipv4', [v4(2, 0)]);
    expect(interner.isLive(s1)).toBe(false);
    a.clear();
    expect(interner.size).toBe(0);
  });

  it('marks routes stale, un-marks those sent again, sweeps the rest per family', () => {
    const interner = new AttrInterner();
    const a = createAdjRibIn(interner);
    const s = interner.intern(vals(100));
    a.announce('ipv4', s, [v4(1, 0), v4(2, 0)]);
    a.announce('vpnv4', s, []);
    a.announce('ipv6', s, [
      { kind: 'prefix', prefix: { afi: 2, addr: new Uint8Array(16), len: 0 } },
    ]);
    expect(a.markStale()).toBe(3);
    expect(a.markStale()).toBe(0);
    a.announce('ipv4', s, [v4(1, 0)]);
    expect(a.sweepStale('ipv4')).toBe(1);
    expect([...a.routes('ipv4')].map((r) => [r.nlri.kind, r.stale])).toEqual([['prefix', false]]);
    expect(a.count('ipv6')).toBe(1);
    expect(a.sweepStale()).toBe(1);
    expect(a.families()).toEqual(['ipv4']);
  });
});

describe('AdjRibOut (reader of an update group)', () => {
  const member = ebgpMember;

  const text = (
    routes: Iterable<{ key: string; attrs: { asPath: readonly { asns: readonly number[] }[] } }>,
  ) =>
    [...routes]
      .map(
        (r) =>
          `${keyText(r.key, 1, false)} ${r.attrs.asPath.map((s) => s.asns.join(' ')).join(' ')}`,
      )
      .sort();

  it('a member reads what the group sent, without the routes whose source it is', () => {
    const rib = new Rib();
    rib.join('g', member(1));
    rib.join('g', member(2));
    rib.announce('ipv4', 1, peerOrigin(1), { ...vals(100), asPath: [{ type: 2, asns: [65001] }] }, [
      v4(1, 0),
    ]);
    rib.announce('ipv4', 2, peerOrigin(2), { ...vals(100), asPath: [{ type: 2, asns: [65002] }] }, [
      v4(2, 0),
    ]);
    new Propagation(rib).commit();
    const out1 = adjRibOutOf(rib.groupOf(1), 1);
    const out2 = adjRibOutOf(rib.groupOf(2), 2);
    // Sent with our AS prepended (eBGP): the attributes as sent, not as received.
    expect(text(out1.routes('ipv4'))).toEqual(['10.2.0.0/24 65000 65002']);
    expect(text(out2.routes('ipv4'))).toEqual(['10.1.0.0/24 65000 65001']);
    expect(out1.count('ipv4')).toBe(1);
    expect(out1.families()).toEqual(['ipv4']);
    const key2 = [...out1.routes('ipv4')][0]!.key;
    expect(out1.get('ipv4', key2)?.nlri).toMatchObject({ kind: 'prefix', prefix: { len: 24 } });
    expect(out2.get('ipv4', key2)).toBeUndefined();
    // A withdrawal leaves the Adj-RIB-Out of the members it was sent to.
    rib.withdraw('ipv4', 2, [v4(2, 0)]);
    new Propagation(rib).commit();
    expect(out1.count('ipv4')).toBe(0);
    expect(out1.families()).toEqual([]);
  });

  it("keeps a VPN family's Adj-RIB-Out in one Map per RD, and reads it across RDs", () => {
    const rib = new Rib();
    rib.join('g', { ...member(1), families: ['vpnv4' as const] });
    rib.join('g', { ...member(2), families: ['vpnv4' as const] });
    const vpn = (rd: number, b: number): Nlri => ({
      kind: 'vpn',
      rd: { hi: 65001, lo: rd },
      labels: [16],
      prefix: { afi: 1, addr: ((10 << 24) | (b << 8)) >>> 0, len: 24 },
    });
    const nlri = [vpn(1, 0), vpn(2, 0), vpn(1, 1)];
    rib.announce('vpnv4', 2, peerOrigin(2), vals(100), nlri);
    new Propagation(rib).commit();
    const group = rib.groupOf(1)!;
    // Split by RD (rd-map.ts): no rehash of the whole Adj-RIB-Out in one go.
    expect(group.advertised.get('vpnv4')).toBeInstanceOf(RdMap);
    const out1 = adjRibOutOf(group, 1);
    expect(out1.count('vpnv4')).toBe(3);
    rib.withdraw('vpnv4', 2, [vpn(1, 0), vpn(2, 0)]);
    new Propagation(rib).commit();
    expect([...out1.routes('vpnv4')].map((r) => r.key)).toEqual([nlriKey(vpn(1, 1))]);
  });

  it('a peer outside every group (not up, or deferred) has an empty Adj-RIB-Out', () => {
    const rib = new Rib();
    rib.join('g', member(1));
    expect(adjRibOutOf(rib.groupOf(3), 3).families()).toEqual([]);
    // Another group's storage never answers for a non-member.
    expect(adjRibOutOf(rib.groupOf(1), 3).count('ipv4')).toBe(0);
  });
});
