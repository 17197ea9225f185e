// The session-level receive checks (src/daemon/validate.ts): malformed-input cases 13, 15 and 19
// that need to know the peer and ourselves.
import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { ownAddresses, validateInbound, type InboundContext } from '../../src/daemon/validate.js';
import type { AsPathSegment } from '../../src/wire/types.js';

// We are AS 65000, router id 10.0.0.1 (0x0a000001), cluster id 10.0.0.9 (0x0a000009), session
// address 127.0.0.10 (0x7f00000a) and 2001:db8::10.
const own = ownAddresses(['127.0.0.10', '2001:db8::10', undefined]);
const EBGP: InboundContext = {
  localAs: 65000,
  routerId: 0x0a000001,
  clusterId: 0x0a000009,
  peerAs: 65001,
  ibgp: false,
  fourOctetAs: true,
  allowasIn: 0,
  ...own,
};
const IBGP: InboundContext = { ...EBGP, peerAs: 65000, ibgp: true };

const seq = (...asns: number[]): AsPathSegment => ({ type: 2, asns });
const values = (v: Partial<AttrValues>): AttrValues => ({
  ...EMPTY_ATTR_VALUES,
  asPath: [seq(65001, 65100)],
  nextHop: { afi: 1, addr: 0xc0000201 }, // 192.0.2.1
  ...v,
});

describe('ownAddresses', () => {
  it('parses IPv4, IPv4-mapped IPv6 and IPv6 text', () => {
    const o = ownAddresses(['192.0.2.7', '::ffff:198.51.100.1', '2001:db8::1', 'fe80::1:2']);
    expect([...o.ownV4]).toEqual([0xc0000207, 0xc6336401]);
    expect([...o.ownV6]).toEqual([
      '20010db8000000000000000000000001',
      'fe800000000000000000000000010002',
    ]);
  });
});

describe('validateInbound', () => {
  it('accepts a sound eBGP and iBGP path', () => {
    expect(validateInbound(values({}), EBGP)).toBeUndefined();
    expect(validateInbound(values({ asPath: [] }), IBGP)).toBeUndefined();
  });

  it('case 13: first AS is not the eBGP peer AS -> treat-as-withdraw', () => {
    const v = validateInbound(values({ asPath: [seq(65002, 65001)] }), EBGP);
    expect(v).toMatchObject({ action: 'treat-as-withdraw', rule: 'first-as', typeCode: 2 });
    // An empty path and a path starting with an AS_SET have no leftmost AS of the peer.
    expect(validateInbound(values({ asPath: [] }), EBGP)?.rule).toBe('first-as');
    const set: AsPathSegment = { type: 1, asns: [65001] };
    expect(validateInbound(values({ asPath: [set] }), EBGP)?.rule).toBe('first-as');
    // enforce-first-as off, and iBGP, do not check.
    expect(
      validateInbound(values({ asPath: [seq(65002)] }), { ...EBGP, enforceFirstAs: false }),
    ).toBeUndefined();
    expect(validateInbound(values({ asPath: [seq(65002)] }), IBGP)).toBeUndefined();
  });

  it('case 13: AS_TRANS first is the peer on a 2-octet session with a 4-octet peer AS', () => {
    const c = { ...EBGP, peerAs: 4200000001, fourOctetAs: false };
    expect(validateInbound(values({ asPath: [seq(23456, 65100)] }), c)).toBeUndefined();
    // Not on a 4-octet session: there the peer must show its real AS.
    const v = validateInbound(values({ asPath: [seq(23456)] }), { ...c, fourOctetAs: true });
    expect(v?.rule).toBe('first-as');
  });

  it('case 13: confederation segments from a non-confederation peer -> treat-as-withdraw', () => {
    for (const type of [3, 4] as const) {
      const path: AsPathSegment[] = [{ type, asns: [65010] }, seq(65001)];
      expect(validateInbound(values({ asPath: path }), EBGP)).toMatchObject({
        action: 'treat-as-withdraw',
        rule: 'confed-segment',
      });
      expect(validateInbound(values({ asPath: path }), IBGP)?.rule).toBe('confed-segment');
      expect(
        validateInbound(values({ asPath: path }), { ...IBGP, confedPeer: true }),
      ).toBeUndefined();
    }
  });

  it('case 15: a next hop that is our own address -> treat-as-withdraw', () => {
    const v4 = validateInbound(values({ nextHop: { afi: 1, addr: 0x7f00000a } }), EBGP);
    expect(v4).toMatchObject({ action: 'treat-as-withdraw', rule: 'next-hop-self', typeCode: 3 });
    const addr = Uint8Array.from(Buffer.from('20010db8000000000000000000000010', 'hex'));
    expect(validateInbound(values({ nextHop: { afi: 2, addr } }), IBGP)?.rule).toBe(
      'next-hop-self',
    );
    // A neighbouring address is fine.
    expect(
      validateInbound(values({ nextHop: { afi: 1, addr: 0x7f00000b } }), EBGP),
    ).toBeUndefined();
  });

  it('our AS in the path is a loop: ignored, allowas-in tolerates N occurrences', () => {
    const path = [seq(65001, 65000, 65000)];
    expect(validateInbound(values({ asPath: path }), EBGP)).toMatchObject({
      action: 'ignore',
      rule: 'as-loop',
    });
    expect(validateInbound(values({ asPath: path }), { ...EBGP, allowasIn: 1 })?.rule).toBe(
      'as-loop',
    );
    expect(validateInbound(values({ asPath: path }), { ...EBGP, allowasIn: 2 })).toBeUndefined();
  });

  it('case 19: ORIGINATOR_ID = our router id, or our cluster id in CLUSTER_LIST -> ignored', () => {
    expect(validateInbound(values({ originatorId: 0x0a000001 }), IBGP)).toMatchObject({
      action: 'ignore',
      rule: 'originator-id',
      typeCode: 9,
    });
    expect(validateInbound(values({ clusterList: [0x0a000002, 0x0a000009] }), IBGP)).toMatchObject({
      action: 'ignore',
      rule: 'cluster-loop',
      typeCode: 10,
    });
    expect(validateInbound(values({ originatorId: 0x0a000002 }), IBGP)).toBeUndefined();
  });

  it('a malformation wins over a loop (it is logged)', () => {
    const v = validateInbound(values({ asPath: [seq(65002, 65000)] }), EBGP);
    expect(v?.rule).toBe('first-as');
  });
});
