// Issue: sessions with real peers, scenario d. vrfleak is an iBGP route reflector (RFC 4456) for
// two clients in AS 65000: a GoBGP and an FRR bgpd. Each client must see the other's VPNv4 routes
// with ORIGINATOR_ID = the originating client's router id and CLUSTER_LIST = [vrfleak's cluster
// id], read from the clients' own JSON.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import {
  assertPeersOrFail,
  startFrr,
  startGobgp,
  waitUntil,
  type FrrHandle,
  type GobgpHandle,
  type GobgpPathJson,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd', 'bgpd']);

/** vrfleak's cluster id: not its router id, so the CLUSTER_LIST check can tell them apart. */
const CLUSTER_ID = '10.255.0.1';

type FrrVpnRouteJson = Record<
  string,
  {
    prefix: string;
    paths: Array<{
      originatorId?: string;
      clusterList?: { list: string[] };
      aspath?: { length: number };
      remoteLabel?: number;
      extendedCommunity?: { string: string };
      nexthops?: Array<{ ip: string }>;
      locPrf?: number;
    }>;
  }
>;

const attr = (p: GobgpPathJson | undefined, type: number) => p?.attrs.find((a) => a.type === type);

describe.skipIf(peers.skip)(peers.title('vrfleak as route reflector: GoBGP <-> FRR'), () => {
  const sc = useScenario(import.meta.url);
  let gobgp: GobgpHandle;
  let frr: FrrHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; gobgp: string; frr: string };

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), gobgp: sc.nextAddress(), frr: sc.nextAddress() };
    [gobgp, frr] = await Promise.all([
      startGobgp({
        name: 'gobgp-client',
        parentDir: sc.dir,
        asn: 65000,
        routerId: ip.gobgp,
        address: ip.gobgp,
        neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
        vrfs: [{ name: 'RED', rd: '65000:10', importRts: [], exportRts: ['65000:10'] }],
      }),
      startFrr({
        name: 'frr-client',
        parentDir: sc.dir,
        address: ip.frr,
        bgp: {
          asn: 65000,
          routerId: ip.frr,
          neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
          // FRR would announce its own loopback as next hop; GoBGP does not mind, but keep the
          // route routable everywhere.
          extraConfig: [
            'route-map NH permit 10',
            ' set ipv4 vpn next-hop 192.0.2.60',
            ' set extcommunity rt 65000:20',
          ].join('\n'),
        },
      }),
    ]);
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      'cluster-id': CLUSTER_ID,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        {
          address: ip.gobgp,
          asn: 65000,
          families: ['vpnv4'],
          'connect-retry': 1,
          'route-reflector-client': true,
        },
        {
          address: ip.frr,
          asn: 65000,
          families: ['vpnv4'],
          'connect-retry': 1,
          'route-reflector-client': true,
        },
      ],
    });
    await gobgp.waitEstablished(ip.vrfleak);
    await frr.waitEstablished(ip.vrfleak);
  });

  it("d. FRR receives GoBGP's route with ORIGINATOR_ID and CLUSTER_LIST", async () => {
    await gobgp.vrfRibAdd('RED', '10.1.0.0/24', ['nexthop', '192.0.2.1']);
    // GoBGP picks the label itself: read it from its own VPN table.
    const own = await waitUntil(
      () => gobgp.globalRib('vpnv4'),
      (x) => x['65000:10:10.1.0.0/24'] !== undefined,
      { what: 'GoBGP has its VRF route in its VPN table' },
    );
    const label = own['65000:10:10.1.0.0/24']?.[0]?.nlri.labels?.[0];
    expect(label).toBeTypeOf('number');
    const r = await speaker.waitFor(
      (s) => s.routes('vpnv4').find((x) => x.rd === '65000:10' && x.prefix === '10.1.0.0/24'),
      { what: 'vrfleak has the GoBGP route 65000:10:10.1.0.0/24' },
    );
    // Learned from the client itself: nothing of reflection yet.
    expect(r.originatorId).toBeUndefined();
    expect(r.clusterList).toBeUndefined();
    expect(r.label).toBe(label);
    const j = await waitUntil(
      () => frr.json<FrrVpnRouteJson>('show bgp ipv4 vpn rd 65000:10 10.1.0.0/24 json'),
      (x) => x['65000:10'] !== undefined,
      { what: 'FRR has 65000:10:10.1.0.0/24 reflected by vrfleak' },
    );
    expect(j['65000:10']?.paths[0]).toMatchObject({
      originatorId: ip.gobgp,
      clusterList: { list: [CLUSTER_ID] },
      aspath: { length: 0 },
      locPrf: 100,
      remoteLabel: label,
      extendedCommunity: { string: 'RT:65000:10' },
      nexthops: [{ ip: '192.0.2.1' }],
    });
  });

  it("d. GoBGP receives FRR's route with ORIGINATOR_ID and CLUSTER_LIST", async () => {
    await frr.configure([
      'router bgp 65000',
      'address-family ipv4 vpn',
      'network 10.2.0.0/24 rd 65000:20 label 222 route-map NH',
    ]);
    const rib = await waitUntil(
      () => gobgp.globalRib('vpnv4'),
      (x) => x['65000:20:10.2.0.0/24'] !== undefined,
      { what: 'GoBGP has 65000:20:10.2.0.0/24 reflected by vrfleak' },
    );
    const p = rib['65000:20:10.2.0.0/24']?.[0];
    // RFC 4456 §8: type 9 ORIGINATOR_ID, type 10 CLUSTER_LIST.
    expect(attr(p, 9)?.['value']).toBe(ip.frr);
    expect(attr(p, 10)?.['value']).toEqual([CLUSTER_ID]);
    expect(attr(p, 14)?.['nexthop']).toBe('192.0.2.60');
    expect(attr(p, 5)?.['value']).toBe(100);
    expect(p?.nlri.labels).toEqual([222]);
    // vrfleak's own copy (from the client itself) has neither attribute.
    const r = speaker.routes('vpnv4').find((x) => x.rd === '65000:20');
    expect(r).toMatchObject({ peer: ip.frr, nextHop: '192.0.2.60' });
    expect(r?.originatorId).toBeUndefined();
  });

  it('d. a withdrawal is reflected too', async () => {
    await gobgp.vrfRibDel('RED', '10.1.0.0/24');
    await waitUntil(
      () => frr.json<FrrVpnRouteJson>('show bgp ipv4 vpn rd 65000:10 10.1.0.0/24 json'),
      (x) => x['65000:10'] === undefined,
      { what: 'FRR drops 65000:10:10.1.0.0/24' },
    );
    await frr.configure([
      'router bgp 65000',
      'address-family ipv4 vpn',
      'no network 10.2.0.0/24 rd 65000:20 label 222',
    ]);
    await waitUntil(
      () => gobgp.globalRib('vpnv4'),
      (x) => x['65000:20:10.2.0.0/24'] === undefined,
      { what: 'GoBGP drops 65000:20:10.2.0.0/24' },
    );
    await speaker.stop();
  });
});
