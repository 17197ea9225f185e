// The PE-CE rules as pure functions (src/rib/pe-ce.ts) and their place in the outbound rules.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import { makeRoute } from '../../src/model/route.js';
import { type PeerRef } from '../../src/model/route-origin.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { outboundValues, type OutProfile } from '../../src/rib/outbound.js';
import { overrideAs, tagSiteOfOrigin } from '../../src/rib/pe-ce.js';
import { extCommunityKey, soOFromText } from '../../src/wire/ext-community.js';
import { prefixFromText } from '../../src/wire/nlri/text.js';

const CE: PeerRef = {
  id: 7,
  address: '127.0.0.21',
  addrKey: '127.0.0.21',
  asn: 65100,
  bgpId: 1,
  ibgp: false,
  rrClient: false,
};
const TO_CE: OutProfile = {
  localAs: 65000,
  routerId: 2,
  clusterId: 2,
  ibgp: false,
  rrClient: false,
  nextHopSelf: false,
  localV4: 0x7f000001,
};

describe('overrideAs', () => {
  it('replaces every occurrence of the peer AS, in sequences and sets, keeping the length', () => {
    const path = [
      { type: 2 as const, asns: [65200, 65100, 65100] },
      { type: 1 as const, asns: [65100, 65300] },
    ];
    expect(overrideAs(path, 65100, 65000)).toEqual([
      { type: 2, asns: [65200, 65000, 65000] },
      { type: 1, asns: [65000, 65300] },
    ]);
    expect(overrideAs(path, 65400, 65000)).toBe(path);
  });
});

describe('outbound rules toward a CE', () => {
  const soo = soOFromText('65100:1');
  const interner = new AttrInterner();
  const route = (tagged: boolean) =>
    makeRoute(
      'k',
      { kind: 'prefix', prefix: prefixFromText('10.1.0.0/24') },
      interner.intern(
        tagged
          ? tagSiteOfOrigin({ ...EMPTY_ATTR_VALUES, asPath: [{ type: 2, asns: [65100] }] }, soo)
          : { ...EMPTY_ATTR_VALUES, asPath: [{ type: 2, asns: [65100] }] },
      ),
      { kind: 'peer', peer: CE },
      99,
      0,
      1,
    );

  it("refuses a route carrying the CE's site of origin with the typed reason 'soo'", () => {
    const p = { ...TO_CE, sooKey: extCommunityKey(soo) };
    expect(outboundValues(route(true), p)).toBe('soo');
    expect(typeof outboundValues(route(false), p)).toBe('object');
  });

  it('as-override: the CE AS becomes ours before ours is prepended', () => {
    const v = outboundValues(route(false), { ...TO_CE, asOverride: { peerAs: 65100 } });
    expect(typeof v === 'object' && v.asPath).toEqual([{ type: 2, asns: [65000, 65000] }]);
  });
});
