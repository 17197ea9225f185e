// Route-reflector knobs against real peers (RFC 4456), all in AS 65000. vrfleak reflects for two
// GoBGP clients, a and b; FRR n is a non-client iBGP peer; FRR r2 is a second reflector of the
// same cluster (cluster-id shared), a non-client of vrfleak's, with a as its client too.
// - non-client routes are reflected to clients, never to another non-client (§6);
// - client-to-client reflection switched off live stops a's routes reaching b, not n (§5);
// - each reflector of the cluster drops the other's reflection of a's route (CLUSTER_LIST holds
//   the shared cluster id, §8), keeping the path it learned from a itself.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import {
  assertPeersOrFail,
  startFrr,
  startGobgp,
  waitUntil,
  type FrrHandle,
  type GobgpHandle,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd', 'bgpd']);
const CLUSTER = '10.255.0.1';

type FrrRoute = { paths?: Array<{ peer?: { peerId?: string }; nexthops?: Array<{ ip: string }> }> };

describe.skipIf(peers.skip)(peers.title('route-reflector knobs: GoBGP clients, FRR peers'), () => {
  const sc = useScenario(import.meta.url);
  let a: GobgpHandle;
  let b: GobgpHandle;
  let n: FrrHandle;
  let r2: FrrHandle;
  let speaker: Speaker;
  let ip: Record<'vrfleak' | 'a' | 'b' | 'n' | 'r2', string>;
  let config: ConfigInput;

  const frrNh = (nh: string) => ['route-map NH permit 10', ` set ip next-hop ${nh}`].join('\n');
  const has = async (g: GobgpHandle, prefix: string) =>
    (await g.globalRib('ipv4'))[prefix] !== undefined;
  const frrPaths = async (f: FrrHandle, prefix: string) =>
    (await f.json<FrrRoute>(`show bgp ipv4 unicast ${prefix} json`)).paths ?? [];
  const pathsAt = (prefix: string) => speaker.routes('ipv4').filter((r) => r.prefix === prefix);

  beforeAll(async () => {
    ip = {
      vrfleak: sc.nextAddress(),
      a: sc.nextAddress(),
      b: sc.nextAddress(),
      n: sc.nextAddress(),
      r2: sc.nextAddress(),
    };
    const gobgp = (name: 'a' | 'b', also: string[]) =>
      startGobgp({
        name: `gobgp-${name}`,
        parentDir: sc.dir,
        asn: 65000,
        routerId: ip[name],
        address: ip[name],
        neighbors: [ip.vrfleak, ...also].map((address) => ({
          address,
          asn: 65000,
          families: ['ipv4' as const],
        })),
      });
    [a, b, n, r2] = await Promise.all([
      gobgp('a', [ip.r2]),
      gobgp('b', []),
      startFrr({
        name: 'frr-n',
        parentDir: sc.dir,
        address: ip.n,
        bgp: {
          asn: 65000,
          routerId: ip.n,
          neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['ipv4'] }],
          extraConfig: frrNh('192.0.2.71'),
        },
      }),
      startFrr({
        name: 'frr-r2',
        parentDir: sc.dir,
        address: ip.r2,
        bgp: {
          asn: 65000,
          routerId: ip.r2,
          clusterId: CLUSTER,
          neighbors: [
            { address: ip.vrfleak, asn: 65000, families: ['ipv4'] },
            { address: ip.a, asn: 65000, families: ['ipv4'], routeReflectorClient: true },
          ],
          extraConfig: frrNh('192.0.2.74'),
        },
      }),
    ]);
    const nb = (address: string, client: boolean) => ({
      address,
      asn: 65000,
      families: ['ipv4' as const],
      'connect-retry': 1,
      'route-reflector-client': client,
    });
    config = {
      asn: 65000,
      'router-id': ip.vrfleak,
      'cluster-id': CLUSTER,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [nb(ip.a, true), nb(ip.b, true), nb(ip.n, false), nb(ip.r2, false)],
    };
    speaker = await Speaker.start(config);
    await Promise.all([
      a.waitEstablished(ip.vrfleak),
      a.waitEstablished(ip.r2),
      b.waitEstablished(ip.vrfleak),
      n.waitEstablished(ip.vrfleak),
      r2.waitEstablished(ip.vrfleak),
    ]);
  });

  it("a non-client's route goes to the clients, not to the other non-client", async () => {
    await n.configure([
      'router bgp 65000',
      'address-family ipv4 unicast',
      'network 10.71.0.0/24 route-map NH',
    ]);
    for (const g of [a, b]) {
      const rib = await waitUntil(
        () => g.globalRib('ipv4'),
        (x) => x['10.71.0.0/24'] !== undefined,
        {
          what: `${g.name} has n's 10.71.0.0/24 reflected`,
        },
      );
      const attrs = rib['10.71.0.0/24']?.find((p) => p['neighbor-ip'] === ip.vrfleak)?.attrs;
      expect(attrs?.find((x) => x.type === 9)?.['value']).toBe(ip.n);
      expect(attrs?.find((x) => x.type === 10)?.['value']).toEqual([CLUSTER]);
    }
    // RFC 4456 §6: from a non-client, to clients only; r2 is a non-client.
    expect(speaker.advertisedRoutes(ip.r2, 'ipv4').map((r) => r.prefix)).not.toContain(
      '10.71.0.0/24',
    );
  });

  it('client-to-client off (live): a client route reaches the non-client, not the other client', async () => {
    await a.globalRibAdd('ipv4', '10.72.0.0/24', ['nexthop', '192.0.2.72']);
    await waitUntil(() => has(b, '10.72.0.0/24'), Boolean, { what: "b has a's route (on)" });
    await waitUntil(
      () => frrPaths(n, '10.72.0.0/24'),
      (p) => p.length === 1,
      {
        what: "n has a's route",
      },
    );
    speaker.reconfigure({ ...config, 'client-to-client': false });
    await waitUntil(
      () => has(b, '10.72.0.0/24'),
      (x) => !x,
      {
        what: "b loses a's route (client-to-client off)",
      },
    );
    expect(await frrPaths(n, '10.72.0.0/24')).toHaveLength(1);
    speaker.reconfigure(config);
    await waitUntil(() => has(b, '10.72.0.0/24'), Boolean, { what: "b has a's route again" });
  });

  it("two reflectors of one cluster: each drops the other's reflection of a client route", async () => {
    // r2 has 10.72 from a itself; vrfleak reflected it to r2 with CLUSTER_LIST [CLUSTER].
    await waitUntil(
      () => frrPaths(r2, '10.72.0.0/24'),
      (p) => p.length >= 1,
      {
        what: "r2 has a's route",
      },
    );
    expect(speaker.advertisedRoutes(ip.r2, 'ipv4').map((r) => r.prefix)).toContain('10.72.0.0/24');
    // A route vrfleak originates (no CLUSTER_LIST) reaches r2 after that reflection: once r2 has
    // it, r2 has read the reflection too.
    // (FRR refuses a 127/8 next hop as martian: the network names a routable one.)
    speaker.reconfigure({
      ...config,
      networks: [{ prefix: '10.79.0.0/24', 'next-hop': '192.0.2.79' }],
    });
    await waitUntil(
      () => frrPaths(r2, '10.79.0.0/24'),
      (p) => p.length === 1,
      {
        what: "r2 has vrfleak's own 10.79.0.0/24",
      },
    );
    const atR2 = await frrPaths(r2, '10.72.0.0/24');
    expect(atR2.map((p) => p.peer?.peerId)).toEqual([ip.a]);
    // The other way: r2 reflects a's route to vrfleak (a non-client of r2's) with CLUSTER_LIST
    // [CLUSTER]; r2's own route, sent after, is the barrier.
    await r2.configure([
      'router bgp 65000',
      'address-family ipv4 unicast',
      'network 10.74.0.0/24 route-map NH',
    ]);
    await speaker.waitFor((s) => s.routes('ipv4').find((r) => r.prefix === '10.74.0.0/24'), {
      what: "vrfleak has r2's 10.74.0.0/24",
    });
    expect(pathsAt('10.72.0.0/24').map((r) => r.peer)).toEqual([ip.a]);
    await speaker.stop();
  });
});
