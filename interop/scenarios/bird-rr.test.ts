// Issue 17, point 1: BIRD as a route-reflector client of vrfleak (RFC 4456). Two BIRDs in AS
// 65000 are clients of vrfleak; each sees the other's VPNv4 and VPNv6 routes with ORIGINATOR_ID =
// the originating BIRD's router id, CLUSTER_LIST = [vrfleak's cluster id], and the next hop and
// label the originator announced (a reflector changes neither); a withdrawal reaches the other.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import {
  assertPeersOrFail,
  bgpView,
  birdVpnRoute,
  startBird,
  waitUntil,
  type BirdHandle,
  type BirdStaticRoute,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['bird']);

/** vrfleak's cluster id: not its router id, so the CLUSTER_LIST check can tell them apart. */
const CLUSTER_ID = '10.255.0.1';

function statics(n: number, on: boolean): BirdStaticRoute[] {
  if (!on) return [];
  const rd = `65000:${n}`;
  return [
    {
      family: 'vpnv4',
      route: birdVpnRoute({
        rd,
        prefix: `10.${n}.0.0/24`,
        via: `192.0.2.${n}`,
        label: 1000 + n,
        routeTargets: [rd],
      }),
    },
    {
      family: 'vpnv6',
      route: birdVpnRoute({
        rd,
        prefix: `2001:db8:${n}::/48`,
        via: `2001:db8::${n}`,
        label: 2000 + n,
        routeTargets: [rd],
      }),
    },
  ];
}

describe.skipIf(peers.skip)(peers.title('vrfleak reflects between two BIRD clients'), () => {
  const sc = useScenario(import.meta.url);
  let a: BirdHandle;
  let b: BirdHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; a: string; b: string };

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), a: sc.nextAddress(), b: sc.nextAddress() };
    const bird = (name: 'a' | 'b', n: number) =>
      startBird({
        name: `bird-${name}`,
        parentDir: sc.dir,
        address: ip[name],
        asn: 65000,
        routerId: ip[name],
        neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4', 'vpnv6'] }],
        staticRoutes: statics(n, true),
      });
    [a, b] = await Promise.all([bird('a', 1), bird('b', 2)]);
    const client = (address: string) => ({
      address,
      asn: 65000,
      families: ['vpnv4' as const, 'vpnv6' as const],
      'connect-retry': 1,
      'route-reflector-client': true,
    });
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      'cluster-id': CLUSTER_ID,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [client(ip.a), client(ip.b)],
    });
    await a.waitEstablished(ip.vrfleak);
    await b.waitEstablished(ip.vrfleak);
  });

  it("each BIRD sees the other's VPNv4 and VPNv6 routes with ORIGINATOR_ID and CLUSTER_LIST", async () => {
    for (const [to, from, n] of [
      [b, ip.a, 1],
      [a, ip.b, 2],
    ] as const) {
      for (const family of ['vpnv4', 'vpnv6'] as const) {
        const prefix = family === 'vpnv4' ? `10.${n}.0.0/24` : `2001:db8:${n}::/48`;
        const rs = await waitUntil(
          () => to.familyRoutes(family),
          (t) => t.some((r) => r.prefix === prefix && r.from === ip.vrfleak),
          { what: `${to.name} ${family} has ${prefix} reflected by vrfleak` },
        );
        const r = rs.find((x) => x.prefix === prefix && x.from === ip.vrfleak)!;
        expect(r.rd).toBe(`65000:${n}`);
        expect(bgpView(r)).toMatchObject({
          originatorId: from,
          clusterList: [CLUSTER_ID],
          nextHop: family === 'vpnv4' ? `192.0.2.${n}` : `2001:db8::${n}`,
          labels: [(family === 'vpnv4' ? 1000 : 2000) + n],
          routeTargets: [`65000:${n}`],
          asPath: [],
          localPref: 100,
        });
      }
    }
    // vrfleak holds both clients' routes, and never sends a client its own routes back.
    expect(
      speaker
        .routes('vpnv4')
        .map((r) => r.prefix)
        .sort(),
    ).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
    expect(speaker.advertisedRoutes(ip.a, 'vpnv4').map((r) => r.prefix)).toEqual(['10.2.0.0/24']);
  });

  it("a client's withdrawal reaches the other client", async () => {
    await a.reconfigure({ staticRoutes: statics(1, false) });
    for (const family of ['vpnv4', 'vpnv6'] as const) {
      await waitUntil(
        () => b.familyRoutes(family),
        (t) => !t.some((r) => r.from === ip.vrfleak),
        { what: `${b.name} ${family} loses a's reflected route` },
      );
    }
    await speaker.waitFor((s) => s.routes('vpnv6').length === 1, {
      what: 'vrfleak keeps only b VPNv6 route',
    });
    expect(speaker.routes('vpnv6')[0]?.prefix).toBe('2001:db8:2::/48');
  });
});
