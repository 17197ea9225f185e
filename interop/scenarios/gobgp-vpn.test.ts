// Issue: sessions with real peers, scenarios a-c against GoBGP. vrfleak runs in this process (the
// library API); gobgpd runs natively on its own loopback address. Everything is checked twice:
// with GoBGP's own CLI (`gobgp ... -j`) and with vrfleak's tables.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import {
  assertPeersOrFail,
  startGobgp,
  waitUntil,
  type GobgpHandle,
  type GobgpPathJson,
  type GobgpRibJson,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

type Attr = GobgpPathJson['attrs'][number];

/** Field 1 (varint) of a base64 protobuf message, as GoBGP's capability JSON carries them. */
function protoVarint(b64: string | undefined, from = 1): number | undefined {
  if (b64 === undefined) return undefined;
  const b = Buffer.from(b64, 'base64');
  let v = 0;
  let mul = 1;
  for (let i = from; i < b.length; i++) {
    v += (b[i]! & 0x7f) * mul;
    if ((b[i]! & 0x80) === 0) return v;
    mul *= 128;
  }
  return undefined;
}

/** `afi/safi` of GoBGP's MultiProtocolCapability (field 1: a Family message {afi 1, safi 2}). */
function protoFamily(b64: string | undefined): string {
  const b = Buffer.from(b64 ?? '', 'base64');
  // 0a LEN 08 AFI 10 SAFI(varint)
  const afi = b[3];
  const safi = protoVarint(b.subarray(4).toString('base64'), 1);
  return `${afi}/${safi}`;
}
const attr = (p: GobgpPathJson | undefined, type: number): Attr | undefined =>
  p?.attrs.find((a) => a.type === type);

describe.skipIf(peers.skip)(peers.title('vrfleak <-> GoBGP: VPNv4, VPNv6, unicast'), () => {
  const sc = useScenario(import.meta.url);
  let gobgp: GobgpHandle;
  let ibgp: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; gobgp: string; ibgp: string };

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), gobgp: sc.nextAddress(), ibgp: sc.nextAddress() };
    const families = ['vpnv4', 'vpnv6', 'ipv4', 'ipv6'] as const;
    [gobgp, ibgp] = await Promise.all([
      startGobgp({
        name: 'gobgp-ebgp',
        parentDir: sc.dir,
        asn: 65001,
        routerId: ip.gobgp,
        address: ip.gobgp,
        neighbors: [{ address: ip.vrfleak, asn: 65000, families }],
      }),
      startGobgp({
        name: 'gobgp-ibgp',
        parentDir: sc.dir,
        asn: 65000,
        routerId: ip.ibgp,
        address: ip.ibgp,
        neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
      }),
    ]);
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        {
          address: ip.gobgp,
          asn: 65001,
          families: [...families],
          'connect-retry': 1,
          // GoBGP refuses loopback next hops: announce this one as "self".
          'next-hop-address': '192.0.2.50',
        },
        { address: ip.ibgp, asn: 65000, families: ['vpnv4'], 'connect-retry': 1 },
      ],
      networks: [
        { prefix: '198.51.100.0/24', 'next-hop': '192.0.2.10', med: 5 },
        { prefix: '2001:db8:100::/48', 'next-hop': '2001:db8::10' },
      ],
      vrfs: {
        // RD type 0, 2-octet AS RT.
        AS2: {
          rd: '65000:100',
          'route-targets': { export: ['65000:100'] },
          label: 100,
          networks: [
            {
              prefix: '10.100.0.0/24',
              'next-hop': '192.0.2.10',
              communities: ['65000:1', '65000:2'],
              'large-communities': ['65000:7:8'],
              med: 42,
            },
            { prefix: '2001:db8:a::/48', 'next-hop': '2001:db8::10' },
          ],
        },
        // RD type 1, IPv4-address RT.
        IP: {
          rd: '10.0.0.1:5',
          'route-targets': { export: ['10.0.0.1:5'] },
          label: 101,
          networks: [{ prefix: '10.101.0.0/24', 'next-hop': '192.0.2.10' }],
        },
        // RD type 2, 4-octet AS RT.
        AS4: {
          rd: '4200000000:7',
          'route-targets': { export: ['4200000000:7'] },
          label: 102,
          networks: [{ prefix: '10.102.0.0/24', 'next-hop': '192.0.2.10' }],
        },
      },
    });
  });

  it('a. eBGP and iBGP sessions reach Established with the negotiated capabilities', async () => {
    await gobgp.waitEstablished(ip.vrfleak);
    await ibgp.waitEstablished(ip.vrfleak);
    const n = (await gobgp.neighbors()).find((x) => x.conf.neighbor_address === ip.vrfleak);
    expect(n?.conf.peer_asn).toBe(65000);
    // GoBGP reports what vrfleak advertised: 4-octet AS 65000, route refresh, the four families.
    const caps = (n?.state['remote_cap'] ?? []) as Array<{ type_url: string; value?: string }>;
    const kinds = caps.map((c) => c.type_url.replace(/^.*\./, ''));
    expect(kinds.filter((k) => k === 'MultiProtocolCapability')).toHaveLength(4);
    expect(kinds).toContain('RouteRefreshCapability');
    const asnCap = caps.find((c) => c.type_url.endsWith('FourOctetASNCapability'));
    expect(protoVarint(asnCap?.value)).toBe(65000);
    const families = caps
      .filter((c) => c.type_url.endsWith('MultiProtocolCapability'))
      .map((c) => protoFamily(c.value));
    expect(families.sort()).toEqual(['1/1', '1/128', '2/1', '2/128']);
    await speaker.waitFor((s) => s.neighbor(ip.gobgp)?.state === 'Established', {
      what: 'vrfleak sees GoBGP Established',
    });
    expect([...(speaker.neighbor(ip.gobgp)?.families ?? [])].sort()).toEqual(
      ['ipv4', 'ipv6', 'vpnv4', 'vpnv6'].sort(),
    );
    await speaker.waitFor((s) => s.neighbor(ip.ibgp)?.state === 'Established', {
      what: 'vrfleak sees the iBGP GoBGP Established',
    });
  });

  it('b. VPNv4 routes vrfleak originates reach GoBGP with every attribute intact', async () => {
    const rib = await waitUntil(
      () => gobgp.globalRib('vpnv4'),
      (r) => Object.keys(r).length >= 3,
      { what: 'GoBGP has the three vrfleak VPNv4 routes' },
    );
    const as2 = rib['65000:100:10.100.0.0/24']?.[0];
    expect(as2?.nlri.rd).toEqual({ type: 0, admin: 65000, assigned: 100 });
    expect(as2?.nlri.labels).toEqual([100]);
    expect(attr(as2, 14)?.['nexthop']).toBe('192.0.2.10');
    expect(attr(as2, 2)).toMatchObject({ as_paths: [{ segment_type: 2, asns: [65000] }] });
    expect(attr(as2, 4)?.['metric']).toBe(42);
    expect(attr(as2, 8)?.['communities']).toEqual([65000 * 65536 + 1, 65000 * 65536 + 2]);
    expect(attr(as2, 32)?.['value']).toEqual([{ ASN: 65000, LocalData1: 7, LocalData2: 8 }]);
    expect(attr(as2, 16)?.['value']).toEqual([{ type: 0, subtype: 2, value: '65000:100' }]);
    const ipv4rt = rib['10.0.0.1:5:10.101.0.0/24']?.[0];
    expect(ipv4rt?.nlri.rd).toMatchObject({ type: 1, assigned: 5 });
    expect(ipv4rt?.nlri.labels).toEqual([101]);
    expect(attr(ipv4rt, 16)?.['value']).toEqual([{ type: 1, subtype: 2, value: '10.0.0.1:5' }]);
    // GoBGP keys a type-2 RD by its own spelling; find the route by prefix and check the RD fields.
    const as4 = Object.values(rib)
      .flat()
      .find((p) => p.nlri.prefix === '10.102.0.0/24');
    expect(as4?.nlri.rd).toMatchObject({ type: 2, admin: 4200000000, assigned: 7 });
    expect(as4?.nlri.labels).toEqual([102]);
    // Type 0x02 (4-octet AS): GoBGP prints the AS in asdot (RFC 5396): 4200000000 = 64086.59904.
    const asdot = `${Math.floor(4200000000 / 65536)}.${4200000000 % 65536}`;
    expect(attr(as4, 16)?.['value']).toEqual([{ type: 2, subtype: 2, value: `${asdot}:7` }]);
    // The iBGP peer gets LOCAL_PREF and no AS prepended.
    const irib = await waitUntil(
      () => ibgp.globalRib('vpnv4'),
      (r) => r['65000:100:10.100.0.0/24'] !== undefined,
      { what: 'the iBGP GoBGP has 65000:100:10.100.0.0/24' },
    );
    const ip2 = irib['65000:100:10.100.0.0/24']?.[0];
    expect(attr(ip2, 5)?.['value']).toBe(100);
    expect(attr(ip2, 2)?.['as_paths'] ?? []).toEqual([]);
  });

  it('b. VPNv4 routes GoBGP originates reach vrfleak intact, and withdrawals remove them', async () => {
    await gobgp.vrfAdd({
      name: 'RED',
      rd: '65001:10',
      importRts: ['65001:10'],
      exportRts: ['65001:10'],
    });
    await gobgp.vrfRibAdd('RED', '10.1.0.0/24', [
      'nexthop',
      '192.0.2.1',
      'community',
      '65001:5',
      'large-community',
      '1:2:3',
      'med',
      '9',
    ]);
    const r = await speaker.waitFor(
      (s) => s.routes('vpnv4').find((v) => v.rd === '65001:10' && v.prefix === '10.1.0.0/24'),
      { what: 'vrfleak has 65001:10:10.1.0.0/24' },
    );
    expect(r).toMatchObject({
      source: 'bgp',
      nextHop: '192.0.2.1',
      routeTargets: ['65001:10'],
      communities: ['65001:5'],
      largeCommunities: ['1:2:3'],
      med: 9,
      asPath: '65001',
      peer: ip.gobgp,
    });
    // The route is passed on to the iBGP peer (retention: all VPN routes are kept and passed on).
    await waitUntil(
      () => ibgp.globalRib('vpnv4'),
      (t) => t['65001:10:10.1.0.0/24'] !== undefined,
      { what: 'the iBGP peer receives the GoBGP route through vrfleak' },
    );
    await gobgp.vrfRibDel('RED', '10.1.0.0/24');
    await speaker.waitFor((s) => !s.routes('vpnv4').some((v) => v.rd === '65001:10'), {
      what: 'vrfleak drops 65001:10:10.1.0.0/24 after the withdrawal',
    });
    await waitUntil(
      () => ibgp.globalRib('vpnv4'),
      (t) => t['65001:10:10.1.0.0/24'] === undefined,
      { what: 'the iBGP peer drops it too' },
    );
  });

  it('transit: an iBGP route reaches the eBGP peer with next-hop-self as next-hop-address', async () => {
    await ibgp.vrfAdd({
      name: 'BLUE',
      rd: '65000:77',
      importRts: ['65000:77'],
      exportRts: ['65000:77'],
    });
    await ibgp.vrfRibAdd('BLUE', '10.77.0.0/24', ['nexthop', '192.0.2.7']);
    const rib = await waitUntil(
      () => gobgp.globalRib('vpnv4'),
      (r) => r['65000:77:10.77.0.0/24'] !== undefined,
      { what: 'the eBGP GoBGP gets the iBGP route through vrfleak' },
    );
    const p = rib['65000:77:10.77.0.0/24']?.[0];
    expect(attr(p, 14)?.['nexthop']).toBe('192.0.2.50');
    expect(attr(p, 2)).toMatchObject({ as_paths: [{ segment_type: 2, asns: [65000] }] });
    expect(attr(p, 5)).toBeUndefined(); // no LOCAL_PREF on eBGP (RFC 4271 §5.1.5)
  });

  it('c. VPNv6 and IPv4/IPv6 unicast both ways', async () => {
    const v6 = await waitUntil(
      () => gobgp.globalRib('vpnv6'),
      (r) => r['65000:100:2001:db8:a::/48'] !== undefined,
      { what: 'GoBGP has the vrfleak VPNv6 route' },
    );
    expect(v6['65000:100:2001:db8:a::/48']?.[0]?.nlri.labels).toEqual([100]);
    const u4 = await waitUntil(
      () => gobgp.globalRib('ipv4'),
      (r) => r['198.51.100.0/24'] !== undefined,
      { what: 'GoBGP has the vrfleak IPv4 unicast route' },
    );
    expect(attr(u4['198.51.100.0/24']?.[0], 3)?.['nexthop']).toBe('192.0.2.10');
    await waitUntil(
      () => gobgp.globalRib('ipv6'),
      (r) => r['2001:db8:100::/48'] !== undefined,
      { what: 'GoBGP has the vrfleak IPv6 unicast route' },
    );
    await gobgp.globalRibAdd('ipv4', '203.0.113.0/24', ['nexthop', '192.0.2.1']);
    await gobgp.globalRibAdd('ipv6', '2001:db8:200::/48', ['nexthop', '2001:db8::1']);
    await gobgp.cli([
      'vrf',
      'RED',
      'rib',
      '-a',
      'ipv6',
      'add',
      '2001:db8:300::/48',
      'nexthop',
      '2001:db8::1',
    ]);
    await speaker.waitFor((s) => s.routes('ipv4').find((v) => v.prefix === '203.0.113.0/24'), {
      what: 'vrfleak has GoBGP IPv4 route',
    });
    await speaker.waitFor((s) => s.routes('ipv6').find((v) => v.prefix === '2001:db8:200::/48'), {
      what: 'vrfleak has GoBGP IPv6 route',
    });
    const vp6 = await speaker.waitFor(
      (s) => s.routes('vpnv6').find((v) => v.prefix === '2001:db8:300::/48'),
      { what: 'vrfleak has GoBGP VPNv6 route' },
    );
    expect(vp6).toMatchObject({
      rd: '65001:10',
      nextHop: '2001:db8::1',
      routeTargets: ['65001:10'],
    });
    await gobgp.globalRibDel('ipv4', '203.0.113.0/24');
    await speaker.waitFor((s) => !s.routes('ipv4').some((v) => v.prefix === '203.0.113.0/24'), {
      what: 'vrfleak drops the IPv4 route after the withdrawal',
    });
  });

  it('stops cleanly', async () => {
    await speaker.stop();
    await waitUntil(
      () => gobgp.neighborState(ip.vrfleak),
      (s) => s !== 'established',
      { what: 'GoBGP sees the session go down' },
    );
    expect(await gobgp.globalRib('vpnv4')).not.toHaveProperty(['65000:100:10.100.0.0/24']);
  });
});

export type { GobgpRibJson };
