// Issue: sessions with real peers, scenarios a-c against FRR 8.4 bgpd (without zebra). vrfleak runs
// in this process (the library API); two bgpd instances (one eBGP, one iBGP) run natively on their
// own loopback addresses. Every check reads FRR's own JSON (`vtysh -c '... json'`) and vrfleak's
// tables.
//
// FRR drops next hops in 127/8 as martian, so vrfleak's routes carry next hops from 192.0.2.0/24.
// FRR's own VPN routes leave with its loopback address as next hop; vrfleak accepts that on a
// session over loopback. The route that has to cross vrfleak to the iBGP FRR gets a 192.0.2.x next
// hop from a route-map on FRR's `network` statement.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { assertPeersOrFail, startFrr, waitUntil, type FrrHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['bgpd']);

interface FrrNeighborJson {
  remoteAs: number;
  localAs: number;
  remoteRouterId: string;
  bgpState: string;
  nbrExternalLink?: boolean;
  nbrInternalLink?: boolean;
  bgpTimerHoldTimeMsecs: number;
  bgpTimerKeepAliveIntervalMsecs: number;
  neighborCapabilities: {
    '4byteAs'?: string;
    extendedMessage?: string;
    routeRefresh?: string;
    multiprotocolExtensions?: Record<string, { advertisedAndReceived?: boolean }>;
  };
}
interface FrrPathJson {
  valid?: boolean;
  bestpath?: boolean;
  metric?: number;
  path?: string;
  nexthops?: Array<{ ip: string }>;
}
/** `show bgp ipv4 vpn json`: RD -> prefix -> paths. */
interface FrrVpnTableJson {
  routes?: { routeDistinguishers?: Record<string, Record<string, FrrPathJson[]>> };
}
/** `show bgp ipv4 vpn rd RD PREFIX json`: RD -> {prefix, paths}. */
type FrrVpnRouteJson = Record<
  string,
  {
    prefix: string;
    paths: Array<{
      aspath?: { string: string; length?: number };
      locPrf?: number;
      metric?: number;
      community?: { string: string };
      largeCommunity?: { string: string };
      extendedCommunity?: { string: string };
      remoteLabel?: number;
      nexthops?: Array<{ ip: string }>;
    }>;
  }
>;

const vpnHas = (t: FrrVpnTableJson, rd: string, prefix: string): boolean =>
  (t.routes?.routeDistinguishers?.[rd]?.[prefix]?.length ?? 0) > 0;

describe.skipIf(peers.skip)(peers.title('vrfleak <-> FRR: sessions, VPNv4, unicast'), () => {
  const sc = useScenario(import.meta.url);
  let ebgp: FrrHandle;
  let ibgp: FrrHandle;
  let speaker: Speaker;
  let config: ConfigInput;
  let ip: { vrfleak: string; ebgp: string; ibgp: string };

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), ebgp: sc.nextAddress(), ibgp: sc.nextAddress() };
    [ebgp, ibgp] = await Promise.all([
      startFrr({
        name: 'frr-ebgp',
        parentDir: sc.dir,
        address: ip.ebgp,
        bgp: {
          asn: 65001,
          routerId: ip.ebgp,
          neighbors: [
            {
              address: ip.vrfleak,
              asn: 65000,
              families: ['vpnv4', 'ipv4'],
              afExtra: [`neighbor ${ip.vrfleak} attribute-unchanged next-hop`],
            },
          ],
          vpnNetworks: [{ prefix: '10.21.0.0/24', rd: '65001:21', label: 210 }],
          vrfs: [
            {
              name: 'BLUE',
              rd: '65001:20',
              importRts: [],
              exportRts: ['65001:20'],
              label: 200,
              networks: ['10.20.0.0/24'],
              importVpn: false,
            },
          ],
          // A routable next hop for 10.22/24 (its `network` statement's map); eBGP keeps it only
          // with attribute-unchanged (routes without one still get FRR's own address).
          extraConfig: ['route-map NH192 permit 10', ' set ipv4 vpn next-hop 192.0.2.50'].join(
            '\n',
          ),
        },
      }),
      startFrr({
        name: 'frr-ibgp',
        parentDir: sc.dir,
        address: ip.ibgp,
        bgp: {
          asn: 65000,
          routerId: ip.ibgp,
          neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
        },
      }),
    ]);
    config = {
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        {
          address: ip.ebgp,
          asn: 65001,
          families: ['vpnv4', 'ipv4'],
          'connect-retry': 1,
          'hold-time': 30,
        },
        {
          address: ip.ibgp,
          asn: 65000,
          families: ['vpnv4'],
          'connect-retry': 1,
          'hold-time': 21,
        },
      ],
      networks: [{ prefix: '198.51.100.0/24', 'next-hop': '192.0.2.10', med: 5 }],
      vrfs: {
        // RD type 0, 2-octet AS RT, every attribute.
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
          ],
        },
        // RD type 1, IPv4-address RT.
        IP: {
          rd: '10.0.0.1:5',
          'route-targets': { export: ['10.0.0.1:5'] },
          label: 101,
          networks: [{ prefix: '10.101.0.0/24', 'next-hop': '192.0.2.11' }],
        },
        // RD type 2, 4-octet AS RT.
        AS4: {
          rd: '4200000000:7',
          'route-targets': { export: ['4200000000:7'] },
          label: 102,
          networks: [{ prefix: '10.102.0.0/24', 'next-hop': '192.0.2.12', med: 7 }],
        },
      },
    };
    speaker = await Speaker.start(config);
  });

  const neighborJson = async (h: FrrHandle): Promise<FrrNeighborJson> => {
    const j = await h.json<Record<string, FrrNeighborJson>>(
      `show bgp neighbors ${ip.vrfleak} json`,
    );
    const n = j[ip.vrfleak];
    if (!n) throw new Error(`${h.name} does not know ${ip.vrfleak}`);
    return n;
  };

  it('a. eBGP and iBGP sessions reach Established with the negotiated capabilities', async () => {
    await ebgp.waitEstablished(ip.vrfleak);
    await ibgp.waitEstablished(ip.vrfleak);
    const e = await neighborJson(ebgp);
    expect(e).toMatchObject({
      remoteAs: 65000,
      localAs: 65001,
      remoteRouterId: ip.vrfleak,
      nbrExternalLink: true,
      // Hold time: the smaller of FRR's 180 s and vrfleak's 30 s (RFC 4271 §4.2); keepalive a third.
      bgpTimerHoldTimeMsecs: 30_000,
      bgpTimerKeepAliveIntervalMsecs: 10_000,
    });
    expect(e.neighborCapabilities['4byteAs']).toBe('advertisedAndReceived');
    expect(e.neighborCapabilities.extendedMessage).toBe('advertisedAndReceived');
    expect(e.neighborCapabilities.routeRefresh).toMatch(/^advertisedAndReceived/);
    expect(e.neighborCapabilities.multiprotocolExtensions).toEqual({
      ipv4Unicast: { advertisedAndReceived: true },
      ipv4Vpn: { advertisedAndReceived: true },
    });
    const i = await neighborJson(ibgp);
    expect(i).toMatchObject({
      remoteAs: 65000,
      localAs: 65000,
      nbrInternalLink: true,
      bgpTimerHoldTimeMsecs: 21_000,
      bgpTimerKeepAliveIntervalMsecs: 7_000,
    });
    expect(i.neighborCapabilities['4byteAs']).toBe('advertisedAndReceived');
    expect(i.neighborCapabilities.multiprotocolExtensions).toEqual({
      ipv4Vpn: { advertisedAndReceived: true },
    });
    const v = await speaker.waitFor((s) => s.neighbor(ip.ebgp)?.state === 'Established' && s, {
      what: 'vrfleak sees the eBGP FRR Established',
    });
    expect([...(v.neighbor(ip.ebgp)?.families ?? [])].sort()).toEqual(['ipv4', 'vpnv4']);
    await speaker.waitFor((s) => s.neighbor(ip.ibgp)?.state === 'Established', {
      what: 'vrfleak sees the iBGP FRR Established',
    });
  });

  it('b. VPNv4 routes vrfleak originates reach FRR with every attribute', async () => {
    for (const h of [ebgp, ibgp]) {
      await waitUntil(
        () => h.json<FrrVpnTableJson>('show bgp ipv4 vpn json'),
        (t) =>
          vpnHas(t, '65000:100', '10.100.0.0/24') &&
          vpnHas(t, '10.0.0.1:5', '10.101.0.0/24') &&
          vpnHas(t, '4200000000:7', '10.102.0.0/24'),
        { what: `${h.name} has the three vrfleak VPNv4 routes (RD types 0, 1, 2)` },
      );
    }
    const detail = async (h: FrrHandle, rd: string, prefix: string) => {
      const j = await h.json<FrrVpnRouteJson>(`show bgp ipv4 vpn rd ${rd} ${prefix} json`);
      expect(j[rd]?.prefix).toBe(prefix);
      return j[rd]?.paths[0];
    };
    const as2 = await detail(ebgp, '65000:100', '10.100.0.0/24');
    expect(as2).toMatchObject({
      aspath: { string: '65000' },
      metric: 42,
      community: { string: '65000:1 65000:2' },
      largeCommunity: { string: '65000:7:8' },
      extendedCommunity: { string: 'RT:65000:100' },
      remoteLabel: 100,
      nexthops: [{ ip: '192.0.2.10' }],
    });
    const ipRd = await detail(ebgp, '10.0.0.1:5', '10.101.0.0/24');
    expect(ipRd).toMatchObject({
      extendedCommunity: { string: 'RT:10.0.0.1:5' },
      remoteLabel: 101,
      nexthops: [{ ip: '192.0.2.11' }],
    });
    const as4 = await detail(ebgp, '4200000000:7', '10.102.0.0/24');
    expect(as4).toMatchObject({
      extendedCommunity: { string: 'RT:4200000000:7' },
      remoteLabel: 102,
      metric: 7,
      nexthops: [{ ip: '192.0.2.12' }],
    });
    // The iBGP FRR: no AS prepended, the same label and RT.
    const i = await detail(ibgp, '65000:100', '10.100.0.0/24');
    expect(i).toMatchObject({
      aspath: { string: 'Local', length: 0 },
      locPrf: 100,
      remoteLabel: 100,
      extendedCommunity: { string: 'RT:65000:100' },
    });
  });

  it('b. VPNv4 routes FRR originates reach vrfleak intact; withdrawals remove them everywhere', async () => {
    // The VRF's `export vpn` route and the default instance's `network ... rd ... label`.
    const blue = await speaker.waitFor(
      (s) => s.routes('vpnv4').find((r) => r.rd === '65001:20' && r.prefix === '10.20.0.0/24'),
      { what: 'vrfleak has FRR VRF BLUE 65001:20:10.20.0.0/24' },
    );
    expect(blue).toMatchObject({
      source: 'bgp',
      peer: ip.ebgp,
      label: 200,
      routeTargets: ['65001:20'],
      asPath: '65001',
      nextHop: ip.ebgp,
    });
    const net = await speaker.waitFor(
      (s) => s.routes('vpnv4').find((r) => r.rd === '65001:21' && r.prefix === '10.21.0.0/24'),
      { what: 'vrfleak has FRR 65001:21:10.21.0.0/24' },
    );
    expect(net).toMatchObject({ source: 'bgp', label: 210, asPath: '65001', nextHop: ip.ebgp });

    // One more with a routable next hop, so it crosses vrfleak to the iBGP FRR.
    await ebgp.configure([
      'router bgp 65001',
      'address-family ipv4 vpn',
      'network 10.22.0.0/24 rd 65001:22 label 220 route-map NH192',
    ]);
    const nh = await speaker.waitFor(
      (s) => s.routes('vpnv4').find((r) => r.rd === '65001:22' && r.prefix === '10.22.0.0/24'),
      { what: 'vrfleak has FRR 65001:22:10.22.0.0/24' },
    );
    expect(nh).toMatchObject({ label: 220, nextHop: '192.0.2.50' });
    const relayed = await waitUntil(
      () => ibgp.json<FrrVpnRouteJson>('show bgp ipv4 vpn rd 65001:22 10.22.0.0/24 json'),
      (j) => j['65001:22'] !== undefined,
      { what: 'the iBGP FRR receives 65001:22:10.22.0.0/24 through vrfleak' },
    );
    expect(relayed['65001:22']?.paths[0]).toMatchObject({
      aspath: { string: '65001' },
      remoteLabel: 220,
      nexthops: [{ ip: '192.0.2.50' }],
    });

    // Withdrawals: FRR -> vrfleak, and vrfleak -> the iBGP FRR.
    await ebgp.configure([
      'router bgp 65001',
      'address-family ipv4 vpn',
      'no network 10.21.0.0/24 rd 65001:21 label 210',
      'no network 10.22.0.0/24 rd 65001:22 label 220',
    ]);
    await ebgp.configure([
      'router bgp 65001 vrf BLUE',
      'address-family ipv4 unicast',
      'no network 10.20.0.0/24',
    ]);
    await speaker.waitFor(
      (s) => !s.routes('vpnv4').some((r) => ['65001:20', '65001:21', '65001:22'].includes(r.rd!)),
      { what: 'vrfleak drops the three FRR routes after their withdrawal' },
    );
    await waitUntil(
      () => ibgp.json<FrrVpnTableJson>('show bgp ipv4 vpn json'),
      (t) => !vpnHas(t, '65001:22', '10.22.0.0/24') && vpnHas(t, '65000:100', '10.100.0.0/24'),
      { what: 'the iBGP FRR drops 65001:22:10.22.0.0/24 and keeps vrfleak own routes' },
    );
  });

  it('b. a route vrfleak stops originating is withdrawn from both FRRs', async () => {
    // The IP VRF loses its network (a reconfiguration); the other VRFs keep theirs.
    const vrfs = { ...(config.vrfs as Record<string, object>) };
    vrfs['IP'] = { ...vrfs['IP'], networks: [] };
    speaker.reconfigure({ ...config, vrfs } as ConfigInput);
    for (const h of [ebgp, ibgp]) {
      await waitUntil(
        () => h.json<FrrVpnTableJson>('show bgp ipv4 vpn json'),
        (t) => !vpnHas(t, '10.0.0.1:5', '10.101.0.0/24') && vpnHas(t, '65000:100', '10.100.0.0/24'),
        { what: `${h.name} drops 10.0.0.1:5:10.101.0.0/24 and keeps 65000:100:10.100.0.0/24` },
      );
    }
    expect(speaker.routes('vpnv4').some((r) => r.prefix === '10.101.0.0/24')).toBe(false);
  });

  it('c. IPv4 unicast both ways', async () => {
    const t = await waitUntil(
      () => ebgp.json<{ routes?: Record<string, FrrPathJson[]> }>('show bgp ipv4 unicast json'),
      (j) => j.routes?.['198.51.100.0/24'] !== undefined,
      { what: 'FRR has vrfleak 198.51.100.0/24' },
    );
    expect(t.routes?.['198.51.100.0/24']?.[0]).toMatchObject({
      valid: true,
      metric: 5,
      path: '65000',
      nexthops: [{ ip: '192.0.2.10' }],
    });
    await ebgp.configure([
      'router bgp 65001',
      'address-family ipv4 unicast',
      'network 203.0.113.0/24',
    ]);
    const r = await speaker.waitFor(
      (s) => s.routes('ipv4').find((x) => x.prefix === '203.0.113.0/24'),
      { what: 'vrfleak has FRR 203.0.113.0/24' },
    );
    expect(r).toMatchObject({ source: 'bgp', peer: ip.ebgp, asPath: '65001', nextHop: ip.ebgp });
    await ebgp.configure([
      'router bgp 65001',
      'address-family ipv4 unicast',
      'no network 203.0.113.0/24',
    ]);
    await speaker.waitFor((s) => !s.routes('ipv4').some((x) => x.prefix === '203.0.113.0/24'), {
      what: 'vrfleak drops 203.0.113.0/24 after the withdrawal',
    });
  });

  it('stops cleanly: FRR drops every vrfleak route', async () => {
    await speaker.stop();
    await waitUntil(
      () => ebgp.json<FrrVpnTableJson>('show bgp ipv4 vpn json'),
      (t) => !vpnHas(t, '65000:100', '10.100.0.0/24'),
      { what: 'FRR drops vrfleak routes when the session closes' },
    );
    expect(await ebgp.neighborState(ip.vrfleak)).not.toBe('Established');
  });
});
