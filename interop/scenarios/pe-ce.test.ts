// Issue 14, point 4: eBGP PE-CE as operators run it, against real CEs. One customer (AS 65100)
// has two sites attached to vrfleak's VRF CUST: site 1 is multihomed (CE-A1, FRR, and CE-A2,
// GoBGP, both with SoO 65100:1), site 2 is CE-B (FRR, SoO 65100:2). With as-override the sites see
// each other's prefixes as "65000 65000"; the SoO keeps a site-1 route away from the other site-1
// CE while site 2 gets it; without as-override CE-B drops the other site's routes itself (RFC
// 4271 §9.1.2: its own AS in the path), as FRR's received-routes and table show. The reload that
// takes as-override away and gives it back resets no session.

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

const peers = assertPeersOrFail(['bgpd', 'gobgpd']);

interface FrrPath {
  valid?: boolean;
  path?: string;
  nexthops?: Array<{ ip: string }>;
}
type FrrTable = { routes?: Record<string, FrrPath[]> };
type FrrReceived = { receivedRoutes?: Record<string, { path?: string }> };

const NH = '192.0.2.1';

describe.skipIf(peers.skip)(peers.title('eBGP PE-CE: as-override and site of origin'), () => {
  const sc = useScenario(import.meta.url);
  let a1: FrrHandle;
  let b: FrrHandle;
  let a2: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; a1: string; a2: string; b: string };

  const config = (bOverride: boolean): ConfigInput => {
    const ce = (address: string, soo: string, asOverride = true) => ({
      address,
      asn: 65100,
      vrf: 'CUST',
      'connect-retry': 1,
      // FRR and GoBGP refuse loopback next hops: "self" is announced as this address.
      'next-hop-address': NH,
      soo,
      'as-override': asOverride,
    });
    return {
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [ce(ip.a1, '65100:1'), ce(ip.a2, '65100:1'), ce(ip.b, '65100:2', bOverride)],
      vrfs: {
        CUST: { rd: '65000:1', 'route-targets': { import: ['65000:1'], export: ['65000:1'] } },
      },
    } as ConfigInput;
  };

  const frrCe = (name: string, address: string, network: string) =>
    startFrr({
      name,
      parentDir: sc.dir,
      address,
      bgp: {
        asn: 65100,
        routerId: address,
        neighbors: [
          {
            address: ip.vrfleak,
            asn: 65000,
            families: ['ipv4'],
            // Keeps what vrfleak sent before FRR's own loop check (received-routes).
            afExtra: [`network ${network}`, `neighbor ${ip.vrfleak} soft-reconfiguration inbound`],
          },
        ],
      },
    });

  const table = (h: FrrHandle) => h.json<FrrTable>('show bgp ipv4 unicast json');
  const established = async (h: FrrHandle): Promise<number | undefined> =>
    (
      await h.json<Record<string, { connectionsEstablished?: number }>>(
        `show bgp neighbors ${ip.vrfleak} json`,
      )
    )[ip.vrfleak]?.connectionsEstablished;

  beforeAll(async () => {
    ip = {
      vrfleak: sc.nextAddress(),
      a1: sc.nextAddress(),
      a2: sc.nextAddress(),
      b: sc.nextAddress(),
    };
    [a1, b, a2] = await Promise.all([
      frrCe('frr-ce-a1', ip.a1, '10.1.0.0/24'),
      frrCe('frr-ce-b', ip.b, '10.3.0.0/24'),
      startGobgp({
        name: 'gobgp-ce-a2',
        parentDir: sc.dir,
        asn: 65100,
        routerId: ip.a2,
        address: ip.a2,
        neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['ipv4'] }],
      }),
    ]);
    speaker = await Speaker.start(config(true));
    await Promise.all([
      a1.waitEstablished(ip.vrfleak),
      b.waitEstablished(ip.vrfleak),
      a2.waitEstablished(ip.vrfleak),
    ]);
    await a2.globalRibAdd('ipv4', '10.2.0.0/24');
  });

  it("the CEs' routes enter VRF CUST tagged with their site of origin", async () => {
    const rs = await speaker.waitFor(
      (s) => {
        const r = s.vrfRoutes('CUST');
        return r.length === 3 ? r : undefined;
      },
      { what: 'VRF CUST has the three sites prefixes' },
    );
    const soo = Object.fromEntries(rs.map((r) => [r.prefix, r.extCommunities]));
    expect(soo).toEqual({
      '10.1.0.0/24': ['SoO:65100:1'],
      '10.2.0.0/24': ['SoO:65100:1'],
      '10.3.0.0/24': ['SoO:65100:2'],
    });
    // Exported as VPN routes with the VRF's RD and RT, the SoO travelling with them.
    const vpn = speaker.routes('vpnv4').find((r) => r.prefix === '10.1.0.0/24');
    expect(vpn).toMatchObject({ rd: '65000:1', routeTargets: ['65000:1'] });
    expect(vpn?.extCommunities).toContain('SoO:65100:1');
  });

  it('with as-override the other site sees both site-1 prefixes as "65000 65000"', async () => {
    const t = await waitUntil(
      () => table(b),
      (j) => j.routes?.['10.1.0.0/24'] !== undefined && j.routes?.['10.2.0.0/24'] !== undefined,
      { what: 'CE-B (FRR) has 10.1.0.0/24 and 10.2.0.0/24' },
    );
    for (const p of ['10.1.0.0/24', '10.2.0.0/24']) {
      expect(t.routes?.[p]?.[0]).toMatchObject({
        valid: true,
        path: '65000 65000',
        nexthops: [{ ip: NH }],
      });
    }
  });

  it('SoO: a site-1 route does not go to the other site-1 CE; site 2 reaches both', async () => {
    const t = await waitUntil(
      () => table(a1),
      (j) => j.routes?.['10.3.0.0/24'] !== undefined,
      { what: 'CE-A1 (FRR) has site 2' },
    );
    expect(t.routes?.['10.2.0.0/24']).toBeUndefined();
    const g = await waitUntil(
      () => a2.globalRib('ipv4'),
      (j) => j['10.3.0.0/24'] !== undefined,
      { what: 'CE-A2 (GoBGP) has site 2' },
    );
    expect(g['10.1.0.0/24']).toBeUndefined();
    // vrfleak never sent them (not sent and then refused by the CE).
    expect(speaker.advertisedRoutes(ip.a1, 'ipv4').map((r) => r.prefix)).toEqual(['10.3.0.0/24']);
    expect(speaker.advertisedRoutes(ip.a2, 'ipv4').map((r) => r.prefix)).toEqual(['10.3.0.0/24']);
  });

  it('without as-override CE-B drops the site-1 routes (its AS in the path); back on, it has them', async () => {
    const before = await established(b);
    speaker.reconfigure(config(false));
    const t = await waitUntil(
      () => table(b),
      (j) => j.routes?.['10.1.0.0/24'] === undefined && j.routes?.['10.2.0.0/24'] === undefined,
      { what: 'CE-B drops the site-1 prefixes' },
    );
    expect(t.routes?.['10.3.0.0/24']).toBeDefined();
    // They were sent, with CE-B's own AS in the path: FRR kept them as received and refused them.
    const rcv = await b.json<FrrReceived>(
      `show bgp ipv4 unicast neighbors ${ip.vrfleak} received-routes json`,
    );
    expect(rcv.receivedRoutes?.['10.1.0.0/24']?.path).toBe('65000 65100');
    expect(
      speaker.advertisedRoutes(ip.b, 'ipv4').find((r) => r.prefix === '10.1.0.0/24')?.asPath,
    ).toBe('65000 65100');
    speaker.reconfigure(config(true));
    await waitUntil(
      () => table(b),
      (j) => j.routes?.['10.1.0.0/24']?.[0]?.path === '65000 65000',
      { what: 'CE-B has 10.1.0.0/24 again' },
    );
    // Both changes applied on the running session.
    expect(await established(b)).toBe(before);
  });
});
