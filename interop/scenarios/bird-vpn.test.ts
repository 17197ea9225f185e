// Issue 17, point 1: BIRD 2.0 as a peer. One BIRD and vrfleak in AS 65000 (iBGP: BIRD announces
// a static route's own gateway and MPLS label only to internal peers; towards an eBGP multihop
// peer it sets next hop self with the implicit-null label). VPNv4 and VPNv6 both ways, IPv4 and
// IPv6 unicast both ways, withdrawals both ways; each checked in `birdc show route ... all` and
// in vrfleak's own tables.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import {
  assertPeersOrFail,
  bgpView,
  birdVpnRoute,
  startBird,
  waitUntil,
  type BirdHandle,
  type BirdRoute,
  type BirdStaticRoute,
  type Family,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import { invariantsHold, vrfPrefixes } from '../vrf/common.js';

const peers = assertPeersOrFail(['bird']);

/** BIRD's static routes: one VPN route per family and VRF, each with its own RT and label. */
function birdStatics(withVpn: boolean): BirdStaticRoute[] {
  const vpn = (family: Family, rd: string, prefix: string, via: string, label: number) => ({
    family,
    route: birdVpnRoute({ rd, prefix, via, label, routeTargets: [rd] }),
  });
  return [
    ...(withVpn
      ? [
          vpn('vpnv4', '65001:10', '10.1.0.0/24', '192.0.2.1', 1001),
          vpn('vpnv4', '65001:20', '10.2.0.0/24', '192.0.2.1', 1002),
          vpn('vpnv6', '65001:10', '2001:db8:1::/48', '2001:db8::1', 1003),
          vpn('vpnv6', '65001:20', '2001:db8:2::/48', '2001:db8::1', 1004),
        ]
      : []),
    { family: 'ipv4', route: '203.0.113.0/24 via 192.0.2.1%lo onlink' },
    { family: 'ipv6', route: '2001:db8:77::/48 via 2001:db8::1%lo onlink' },
  ];
}

const find = (rs: BirdRoute[], rd: string | undefined, prefix: string) =>
  rs.find((r) => r.rd === rd && r.prefix === prefix && r.protocol.startsWith('peer_'));

describe.skipIf(peers.skip)(peers.title('vrfleak <-> BIRD: VPNv4, VPNv6, unicast'), () => {
  const sc = useScenario(import.meta.url);
  let bird: BirdHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; bird: string };
  const families = ['vpnv4', 'vpnv6', 'ipv4', 'ipv6'] as const;
  let config: ConfigInput;

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), bird: sc.nextAddress() };
    bird = await startBird({
      parentDir: sc.dir,
      address: ip.bird,
      asn: 65000,
      routerId: ip.bird,
      neighbors: [{ address: ip.vrfleak, asn: 65000, families }],
      staticRoutes: birdStatics(true),
    });
    config = {
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [{ address: ip.bird, asn: 65000, families: [...families], 'connect-retry': 1 }],
      networks: [
        { prefix: '198.51.100.0/24', 'next-hop': '192.0.2.10' },
        { prefix: '2001:db8:100::/48', 'next-hop': '2001:db8::10' },
      ],
      vrfs: {
        A: {
          rd: '65000:100',
          'route-targets': { import: ['65001:10'], export: ['65000:100'] },
          label: 100,
          networks: [
            { prefix: '10.100.0.0/24', 'next-hop': '192.0.2.10' },
            { prefix: '2001:db8:a::/48', 'next-hop': '2001:db8::10' },
          ],
        },
        // An IPv4-address RD and RT (type 1): BIRD prints them as `10.0.0.1:5`.
        B: {
          rd: '10.0.0.1:5',
          'route-targets': { import: ['65001:20'], export: ['10.0.0.1:5'] },
          label: 200,
          networks: [
            { prefix: '10.200.0.0/24', 'next-hop': '192.0.2.10' },
            { prefix: '2001:db8:b::/48', 'next-hop': '2001:db8::10' },
          ],
        },
      },
    };
    speaker = await Speaker.start(config);
    await bird.waitEstablished(ip.vrfleak);
  });

  it('BIRD VPNv4/VPNv6 routes reach vrfleak with RD, RTs and label, and only the VRF whose RT matches imports each', async () => {
    for (const [family, rd, prefix, label, nh] of [
      ['vpnv4', '65001:10', '10.1.0.0/24', 1001, '192.0.2.1'],
      ['vpnv4', '65001:20', '10.2.0.0/24', 1002, '192.0.2.1'],
      ['vpnv6', '65001:10', '2001:db8:1::/48', 1003, '2001:db8::1'],
      ['vpnv6', '65001:20', '2001:db8:2::/48', 1004, '2001:db8::1'],
    ] as const) {
      const r = await speaker.waitFor(
        (s) => s.routes(family).find((v) => v.rd === rd && v.prefix === prefix),
        { what: `vrfleak ${family} has ${rd}:${prefix} from BIRD` },
      );
      expect(r).toMatchObject({ nextHop: nh, label, routeTargets: [rd], peer: ip.bird });
    }
    await speaker.waitFor(
      (s) => vrfPrefixes(s, 'A').includes('10.1.0.0/24') && vrfPrefixes(s, 'B').length === 2,
      { what: 'VRFs A and B import their BIRD routes' },
    );
    expect(vrfPrefixes(speaker, 'A')).toEqual(['10.1.0.0/24', '10.100.0.0/24']);
    expect(vrfPrefixes(speaker, 'B')).toEqual(['10.2.0.0/24', '10.200.0.0/24']);
    const v6 = (vrf: string) =>
      speaker
        .vrfRoutes(vrf, 'ipv6')
        .map((r) => r.prefix)
        .sort();
    await speaker.waitFor((s) => s.vrfRoutes('A', 'ipv6').length === 2, { what: 'A has 2 v6' });
    expect(v6('A')).toEqual(['2001:db8:1::/48', '2001:db8:a::/48']);
    expect(v6('B')).toEqual(['2001:db8:2::/48', '2001:db8:b::/48']);
    expect(
      speaker.vrfRoutes('A', 'ipv6').find((r) => r.prefix === '2001:db8:1::/48'),
    ).toMatchObject({ nextHop: '2001:db8::1', source: 'bgp' });
    await invariantsHold(speaker);
  });

  it('vrfleak VRF routes reach BIRD in vpn4/vpn6 with RD, RTs and label (birdc show route all)', async () => {
    for (const family of ['vpnv4', 'vpnv6'] as const) {
      const want =
        family === 'vpnv4'
          ? ['10.100.0.0/24', '10.200.0.0/24']
          : ['2001:db8:a::/48', '2001:db8:b::/48'];
      const rs = await waitUntil(
        () => bird.familyRoutes(family),
        (t) => want.every((p) => t.some((r) => r.prefix === p)),
        { what: `BIRD ${family} table has vrfleak's exports` },
      );
      const a = find(rs, '65000:100', want[0]!);
      const b = find(rs, '10.0.0.1:5', want[1]!);
      expect(a?.from).toBe(ip.vrfleak);
      expect(bgpView(a!)).toMatchObject({
        nextHop: family === 'vpnv4' ? '192.0.2.10' : '2001:db8::10',
        routeTargets: ['65000:100'],
        labels: [100],
        localPref: 100,
        asPath: [],
      });
      expect(bgpView(b!)).toMatchObject({ routeTargets: ['10.0.0.1:5'], labels: [200] });
      // Routes BIRD sent are not sent back to it (iBGP, no reflection to a non-client).
      expect(rs.filter((r) => r.from === ip.vrfleak).map((r) => r.rd)).not.toContain('65001:10');
    }
  });

  it('IPv4 and IPv6 unicast both ways', async () => {
    const u4 = await speaker.waitFor(
      (s) => s.routes('ipv4').find((r) => r.prefix === '203.0.113.0/24'),
      { what: 'vrfleak has BIRD IPv4 route' },
    );
    expect(u4).toMatchObject({ nextHop: '192.0.2.1', peer: ip.bird, localPref: 100 });
    const u6 = await speaker.waitFor(
      (s) => s.routes('ipv6').find((r) => r.prefix === '2001:db8:77::/48'),
      { what: 'vrfleak has BIRD IPv6 route' },
    );
    expect(u6).toMatchObject({ nextHop: '2001:db8::1', peer: ip.bird });
    for (const [family, prefix, nh] of [
      ['ipv4', '198.51.100.0/24', '192.0.2.10'],
      ['ipv6', '2001:db8:100::/48', '2001:db8::10'],
    ] as const) {
      const rs = await waitUntil(
        () => bird.familyRoutes(family),
        (t) => find(t, undefined, prefix) !== undefined,
        { what: `BIRD ${family} has vrfleak's ${prefix}` },
      );
      expect(bgpView(find(rs, undefined, prefix)!)).toMatchObject({ nextHop: nh, asPath: [] });
    }
  });

  it('routes withdrawn both ways leave nothing behind', async () => {
    // BIRD withdraws its VPN routes (static routes removed, `birdc configure`).
    await bird.reconfigure({ staticRoutes: birdStatics(false) });
    await speaker.waitFor((s) => s.routes('vpnv4').length + s.routes('vpnv6').length === 4, {
      what: "vrfleak keeps only its own 4 VPN routes after BIRD's withdrawals",
    });
    expect(vrfPrefixes(speaker, 'A')).toEqual(['10.100.0.0/24']);
    expect(speaker.vrfRoutes('B', 'ipv6').map((r) => r.prefix)).toEqual(['2001:db8:b::/48']);
    await invariantsHold(speaker);
    // vrfleak withdraws VRF B's routes (its networks removed) and an IPv6 unicast network.
    const vrfs = { ...config.vrfs, B: { ...config.vrfs!['B']!, networks: [] } };
    speaker.reconfigure({ ...config, vrfs, networks: [config.networks![0]!] });
    for (const family of ['vpnv4', 'vpnv6'] as const) {
      await waitUntil(
        () => bird.familyRoutes(family),
        (t) => !t.some((r) => r.rd === '10.0.0.1:5') && t.some((r) => r.rd === '65000:100'),
        { what: `BIRD ${family} drops VRF B's routes and keeps A's` },
      );
    }
    await waitUntil(
      () => bird.familyRoutes('ipv6'),
      (t) => find(t, undefined, '2001:db8:100::/48') === undefined,
      { what: 'BIRD drops the withdrawn IPv6 unicast route' },
    );
    await invariantsHold(speaker);
  });
});
