// Issue 17, point 1: what BIRD 2.0.12 does over eBGP multihop, where it differs from GoBGP and FRR
// (see interop/README.md). Its static VPN routes reach vrfleak with next hop self and the
// implicit-null label 3, not the gateway and label they were configured with; over an IPv4
// session it has no IPv6 next hop of its own and withdraws IPv6 routes unless the channel names
// one (`next hop address`). vrfleak's routes reach it with vrfleak's AS prepended.

import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import {
  assertPeersOrFail,
  bgpView,
  birdVpnRoute,
  startBird,
  waitUntil,
  type BirdHandle,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['bird']);

describe.skipIf(peers.skip)(peers.title('vrfleak <-> BIRD over eBGP multihop'), () => {
  const sc = useScenario(import.meta.url);
  let withNh: BirdHandle;
  let without: BirdHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; withNh: string; without: string };

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), withNh: sc.nextAddress(), without: sc.nextAddress() };
    const bird = (name: 'withNh' | 'without', n: number, ipv6NextHop?: string) =>
      startBird({
        name: `bird-${name}`,
        parentDir: sc.dir,
        address: ip[name],
        asn: 65000 + n,
        routerId: ip[name],
        neighbors: [
          {
            address: ip.vrfleak,
            asn: 65000,
            families: ['vpnv4', 'vpnv6'],
            ...(ipv6NextHop === undefined ? {} : { ipv6NextHop }),
          },
        ],
        staticRoutes: [
          {
            family: 'vpnv4',
            route: birdVpnRoute({
              rd: `6500${n}:1`,
              prefix: `10.${n}.0.0/24`,
              via: '192.0.2.1',
              label: 1000 + n,
              routeTargets: [`6500${n}:1`],
            }),
          },
          {
            family: 'vpnv6',
            route: birdVpnRoute({
              rd: `6500${n}:1`,
              prefix: `2001:db8:${n}::/48`,
              via: '2001:db8::1',
              label: 2000 + n,
              routeTargets: [`6500${n}:1`],
            }),
          },
        ],
      });
    [withNh, without] = await Promise.all([bird('withNh', 1, '2001:db8::99'), bird('without', 2)]);
    const neighbor = (address: string, asn: number) => ({
      address,
      asn,
      families: ['vpnv4' as const, 'vpnv6' as const],
      'connect-retry': 1,
    });
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [neighbor(ip.withNh, 65001), neighbor(ip.without, 65002)],
      vrfs: {
        A: {
          rd: '65000:100',
          'route-targets': { import: ['65001:1'], export: ['65000:100'] },
          label: 100,
          networks: [{ prefix: '10.100.0.0/24', 'next-hop': '192.0.2.10' }],
        },
      },
    });
    await withNh.waitEstablished(ip.vrfleak);
    await without.waitEstablished(ip.vrfleak);
  });

  it('BIRD sends its static VPN routes with next hop self and the implicit-null label 3', async () => {
    const r = await speaker.waitFor(
      (s) => s.routes('vpnv4').find((v) => v.prefix === '10.1.0.0/24'),
      { what: "vrfleak has BIRD's eBGP VPNv4 route" },
    );
    expect(r).toMatchObject({ rd: '65001:1', nextHop: ip.withNh, label: 3, asPath: '65001' });
    expect(r.routeTargets).toEqual(['65001:1']);
    // Imported all the same (the RT is what counts), with BIRD's address as next hop.
    await speaker.waitFor((s) => s.vrfRoutes('A').some((v) => v.prefix === '10.1.0.0/24'), {
      what: 'VRF A imports it',
    });
  });

  it('over an IPv4 session BIRD announces IPv6 routes only with a configured next hop address', async () => {
    const r6 = await speaker.waitFor(
      (s) => s.routes('vpnv6').find((v) => v.prefix === '2001:db8:1::/48'),
      { what: "vrfleak has the VPNv6 route of the BIRD with 'next hop address'" },
    );
    expect(r6).toMatchObject({ nextHop: '2001:db8::99', label: 3 });
    // The other BIRD says so in its log, and sends a withdrawal instead of the route.
    await waitUntil(
      () => readFile(without.logPath, 'utf8'),
      (t) => /Missing next hop address/.test(t) && /Invalid route 65002:1 2001:db8:2::\/48/.test(t),
      { what: `${without.name} logs that it withdrew 2001:db8:2::/48` },
    );
    await speaker.waitFor((s) => s.routes('vpnv4').some((v) => v.prefix === '10.2.0.0/24'), {
      what: "the second BIRD's VPNv4 route",
    });
    expect(speaker.routes('vpnv6').map((v) => v.prefix)).toEqual(['2001:db8:1::/48']);
  });

  it("vrfleak's VRF routes reach BIRD with AS 65000 prepended and their RD, RT and label", async () => {
    const rs = await waitUntil(
      () => withNh.familyRoutes('vpnv4'),
      (t) => t.some((r) => r.prefix === '10.100.0.0/24'),
      { what: "BIRD has vrfleak's VPNv4 route" },
    );
    const r = rs.find((x) => x.prefix === '10.100.0.0/24')!;
    expect(r.rd).toBe('65000:100');
    expect(bgpView(r)).toMatchObject({
      asPath: [65000],
      routeTargets: ['65000:100'],
      labels: [100],
      // BIRD gives every route it imports over eBGP a LOCAL_PREF of 100 (its default); vrfleak
      // sent none (RFC 4271 §5.1.5), as its Adj-RIB-Out shows.
      localPref: 100,
    });
    const sent = speaker.advertisedRoutes(ip.withNh, 'vpnv4').find((x) => x.prefix === r.prefix);
    expect(sent?.localPref).toBeNull();
  });
});
