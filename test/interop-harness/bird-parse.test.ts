// The birdc text parsers of the interop harness, on output captured from BIRD 2.0.12 (tabs and
// column padding as birdc prints them).

import { describe, expect, it } from 'vitest';
import {
  bgpView,
  birdConf,
  birdVpnRoute,
  parseBirdProtocols,
  parseBirdRoutes,
} from '../../interop/harness/bird.js';

const VPN4 = `BIRD 2.0.12 ready.
Table vpntab4:
65001:10 10.1.0.0/24 unicast [s4 18:07:47.543] * (200)
\tvia 192.0.2.1 on lo mpls 100 onlink
\tType: static univ
\tBGP.ext_community: (rt, 65001, 10) (rt, 65001, 11)
65001:11 10.2.0.0/24 blackhole [s4 18:07:47.543] * (200)
\tType: static univ
65000:100 10.100.0.0/24 unreachable [vl 18:08:03.717 from 127.250.0.2] * (100) [AS65000i]
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 65000
\tBGP.next_hop: 192.0.2.10
\tBGP.local_pref: 100
\tBGP.ext_community: (rt, 65000, 100)
\tBGP.mpls_label_stack: 100
`;

const MASTER4 = `BIRD 2.0.12 ready.
Table master4:
10.9.0.0/24          unicast [sa 18:10:41.024] * (200)
\tvia 192.0.2.1 on lo mpls 16/17 onlink
\tType: static univ
\tBGP.community: (65000,1)
\tBGP.large_community: (1, 2, 3)
                     blackhole [sb 18:10:41.024] (50)
\tType: static univ
10.8.0.0/24          unicast [sa 18:10:41.024] * (200)
\tvia 192.0.2.1 on lo onlink weight 1
\tvia 192.0.2.2 on lo onlink weight 1
\tType: static univ
Table master6:
2001:db8:100::/48    unreachable [vl 18:08:03.717 from 127.250.0.2] * (100) [i]
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 
\tBGP.next_hop: 2001:db8::10
\tBGP.local_pref: 100
\tBGP.originator_id: 127.16.0.3
\tBGP.cluster_list: 127.16.0.1 10.0.0.9
`;

describe('parseBirdRoutes', () => {
  it('reads VPN routes: RD, prefix, next hops with labels, route targets, received labels', () => {
    const r = parseBirdRoutes(VPN4);
    expect(r.map((x) => [x.table, x.rd, x.prefix, x.dest, x.protocol, x.primary])).toEqual([
      ['vpntab4', '65001:10', '10.1.0.0/24', 'unicast', 's4', true],
      ['vpntab4', '65001:11', '10.2.0.0/24', 'blackhole', 's4', true],
      ['vpntab4', '65000:100', '10.100.0.0/24', 'unreachable', 'vl', true],
    ]);
    expect(r[0]?.nextHops).toEqual([
      { via: '192.0.2.1', iface: 'lo', labels: [100], onlink: true },
    ]);
    expect(bgpView(r[0]!).routeTargets).toEqual(['65001:10', '65001:11']);
    const bgp = r[2]!;
    expect(bgp.from).toBe('127.250.0.2');
    expect(bgp.type).toBe('BGP univ');
    expect(bgpView(bgp)).toMatchObject({
      nextHop: '192.0.2.10',
      asPath: [65000],
      localPref: 100,
      origin: 'IGP',
      routeTargets: ['65000:100'],
      extCommunities: ['rt:65000:100'],
      labels: [100],
      originatorId: undefined,
      clusterList: [],
    });
  });

  it("keeps a network's later routes (blank network column), multipath next hops and tables", () => {
    const r = parseBirdRoutes(MASTER4);
    expect(r.map((x) => [x.table, x.network, x.dest, x.preference, x.primary])).toEqual([
      ['master4', '10.9.0.0/24', 'unicast', 200, true],
      ['master4', '10.9.0.0/24', 'blackhole', 50, false],
      ['master4', '10.8.0.0/24', 'unicast', 200, true],
      ['master6', '2001:db8:100::/48', 'unreachable', 100, true],
    ]);
    expect(r[0]?.nextHops[0]?.labels).toEqual([16, 17]);
    expect(bgpView(r[0]!).communities).toEqual(['65000:1']);
    expect(r[2]?.nextHops.map((h) => h.via)).toEqual(['192.0.2.1', '192.0.2.2']);
    expect(bgpView(r[3]!)).toMatchObject({
      asPath: [],
      originatorId: '127.16.0.3',
      clusterList: ['127.16.0.1', '10.0.0.9'],
    });
  });

  it('answers nothing for "Network not found" and refuses a line it does not understand', () => {
    expect(parseBirdRoutes('BIRD 2.0.12 ready.\nNetwork not found\n')).toEqual([]);
    expect(() => parseBirdRoutes('Table master4:\n10.0.0.0/8 sideways [x 1] (1)\n')).toThrow(
      /line 2: not a route header/,
    );
    expect(() => parseBirdRoutes('Table master4:\n\tBGP.origin: IGP\n')).toThrow(
      /before any route/,
    );
  });
});

describe('parseBirdProtocols', () => {
  it('reads state and BGP session info per protocol', () => {
    const p = parseBirdProtocols(`BIRD 2.0.12 ready.
Name       Proto      Table      State  Since         Info
device1    Device     ---        up     18:10:41.024  
vl         BGP        ---        up     18:08:03.712  Established   
other      BGP        ---        start  18:08:03.712  Active        Socket: Connection refused
`);
    expect(p.map((x) => [x.name, x.proto, x.state, x.info])).toEqual([
      ['device1', 'Device', 'up', ''],
      ['vl', 'BGP', 'up', 'Established'],
      ['other', 'BGP', 'start', 'Active        Socket: Connection refused'],
    ]);
  });
});

describe('birdConf', () => {
  it('binds each BGP protocol to its address, multihop, and lets eBGP routes through', () => {
    const conf = birdConf(
      {
        asn: 65001,
        routerId: '127.16.0.2',
        neighbors: [
          { address: '127.16.0.1', asn: 65000, families: ['vpnv6'], ipv6NextHop: '2001:db8::2' },
        ],
        staticRoutes: [
          {
            family: 'vpnv6',
            route: birdVpnRoute({
              rd: '65001:10',
              prefix: '2001:db8:1::/48',
              via: '2001:db8::1',
              label: 200,
              routeTargets: ['65001:10', '10.0.0.1:5'],
            }),
          },
        ],
      },
      '127.16.0.2',
    );
    expect(conf).toContain('protocol bgp peer_127_16_0_1 {');
    expect(conf).toContain('  local 127.16.0.2 as 65001;');
    expect(conf).toContain('  multihop;\n  strict bind;');
    expect(conf).toContain(
      '  vpn6 mpls {\n    table vpntab6;\n    import all;\n    export all;\n    next hop address 2001:db8::2;',
    );
    expect(conf).toContain(
      'route 65001:10 2001:db8:1::/48 via 2001:db8::1%lo onlink mpls 200 {' +
        ' bgp_ext_community.add((rt, 65001, 10)); bgp_ext_community.add((rt, 10.0.0.1, 5)); };',
    );
  });
});
