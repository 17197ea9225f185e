// FRR-style text from hand-made views (no daemon): columns, status codes, RD headings, order.

import { describe, expect, it } from 'vitest';
import { byPrefix, formatBgpTable, formatVrfRoutes } from '../../src/cli/format.js';
import type { RouteView } from '../../src/daemon/views.js';

function route(v: Partial<RouteView> & { prefix: string }): RouteView {
  return {
    nextHop: null,
    source: 'bgp',
    best: true,
    fib: false,
    routeTargets: [],
    extCommunities: [],
    communities: [],
    largeCommunities: [],
    localPref: null,
    med: null,
    asPath: '',
    origin: 'igp',
    ...v,
  };
}

describe('byPrefix', () => {
  it('orders by address numerically, then by length; IPv4 before IPv6', () => {
    const rows = [
      '2001:db8::/32',
      '10.100.0.0/24',
      '9.0.0.0/8',
      '10.100.0.0/16',
      '10.2.0.0/24',
      '::/0',
    ];
    expect(byPrefix(rows.map((prefix) => ({ prefix }))).map((r) => r.prefix)).toEqual([
      '9.0.0.0/8',
      '10.2.0.0/24',
      '10.100.0.0/16',
      '10.100.0.0/24',
      '::/0',
      '2001:db8::/32',
    ]);
  });
});

describe('formatBgpTable', () => {
  it('groups VPN routes under RD headings in RD order, with status, next hop and path', () => {
    const text = formatBgpTable(
      [
        route({
          prefix: '10.1.0.0/24',
          rd: '65000:100',
          label: 100,
          routeTargets: ['65000:100'],
          nextHop: '192.0.2.1',
          localPref: 100,
          med: 5,
          asPath: '65001 65002',
          peer: '127.0.0.11',
        }),
        route({
          prefix: '10.1.0.0/24',
          rd: '65000:100',
          label: 100,
          best: false,
          nextHop: '192.0.2.2',
          origin: 'incomplete',
          peer: '127.0.0.12',
        }),
        route({ prefix: '10.9.0.0/16', rd: '65000:20', label: 16, source: 'local', stale: true }),
      ],
      '10.0.0.1',
      true,
      new Set(['127.0.0.11', '127.0.0.12']),
    );
    expect(text.split('\n').slice(5)).toEqual([
      '   Network          Next Hop            Metric LocPrf Weight Path',
      'Route Distinguisher: 65000:20',
      'S*> 10.9.0.0/16      0.0.0.0                                0 i',
      '    UN=0.0.0.0 EC{} label=16',
      'Route Distinguisher: 65000:100',
      ' *>i10.1.0.0/24      192.0.2.1                5    100      0 65001 65002 i',
      '    UN=192.0.2.1 EC{RT:65000:100} label=100',
      ' * i10.1.0.0/24      192.0.2.2                              0 ?',
      '    UN=192.0.2.2 EC{} label=100',
      '',
      'Displayed 2 routes and 3 total paths',
      '',
    ]);
  });
  it('IPv6: a network or next hop wider than its column goes on its own line (as FRR), never runs into the next column', () => {
    const text = formatBgpTable(
      [
        route({ prefix: '2001:db8:1:5::/64', rd: '65000:10', label: 110, source: 'local' }),
        route({
          prefix: '2001:db8:100:53::/64',
          rd: '65000:10',
          label: 110,
          nextHop: '2001:db8:100:ffff::53',
          origin: 'incomplete',
        }),
        route({ prefix: '2001:db8::/32', rd: '65000:10', label: 110, nextHop: '2001:db8::1' }),
      ],
      '10.0.0.1',
      true,
    );
    expect(text.split('\n').slice(6, 13)).toEqual([
      'Route Distinguisher: 65000:10',
      ' *> 2001:db8::/32    2001:db8::1                            0 i',
      '    UN=2001:db8::1 EC{} label=110',
      ' *> 2001:db8:1:5::/64',
      '                     ::                                     0 i',
      '    UN=:: EC{} label=110',
      ' *> 2001:db8:100:53::/64',
    ]);
    expect(text.split('\n').slice(13, 16)).toEqual([
      '                     2001:db8:100:ffff::53',
      '                                                            0 ?',
      '    UN=2001:db8:100:ffff::53 EC{} label=110',
    ]);
  });

  it('shows the path id of each path that has one (ADD-PATH, RFC 7911)', () => {
    const vpn = formatBgpTable(
      [1, 2].map((id) =>
        route({ prefix: '10.1.0.0/24', rd: '65000:1', label: 100, pathId: id, best: id === 1 }),
      ),
      '10.0.0.1',
      true,
    );
    expect(vpn).toContain('    UN=0.0.0.0 EC{} label=100 path-id=1\n');
    expect(vpn).toContain('    UN=0.0.0.0 EC{} label=100 path-id=2\n');
    const plain = formatBgpTable([route({ prefix: '10.8.0.0/24', pathId: 7 })], '10.0.0.1', false);
    expect(plain.split('\n').slice(6, 8)).toEqual([
      ' *> 10.8.0.0/24      0.0.0.0                                0 i',
      '    path-id=7',
    ]);
  });
});

describe('formatVrfRoutes', () => {
  it('codes each source, marks * only what a FIB installed, and names the source VRF', () => {
    const text = formatVrfRoutes('A', [
      route({ prefix: '10.100.0.0/16', source: 'leaked', fromVrf: 'SHARED', localPref: 50 }),
      route({ prefix: '10.1.0.0/24', source: 'connected' }),
      route({
        prefix: '0.0.0.0/0',
        source: 'leaked',
        fromVrf: 'INTERNET',
        nextHop: '203.0.113.1',
        fib: true,
      }),
      route({
        prefix: '10.5.0.0/16',
        source: 'static',
        nextHop: '10.100.0.1',
        nextHopVrf: 'SHARED',
        best: false,
      }),
    ]);
    expect(text.split('\n').slice(3)).toEqual([
      'VRF A:',
      'B>* 0.0.0.0/0 via 203.0.113.1 (vrf INTERNET)',
      'C>  10.1.0.0/24 is directly connected',
      'S   10.5.0.0/16 via 10.100.0.1 (next hop in vrf SHARED)',
      'B>  10.100.0.0/16 is reachable via vrf SHARED, localpref 50',
      '',
    ]);
  });
});
