// Adj-RIBs against a real GoBGP: what vrfleak keeps as received (soft-reconfiguration inbound)
// equals what GoBGP says it sent (`gobgp neighbor X adj-out`), what vrfleak says it advertised
// equals what GoBGP says it received (`gobgp neighbor X adj-in`), and a route-map-in change is
// applied from the kept routes without GoBGP being asked for them again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import {
  assertPeersOrFail,
  startGobgp,
  waitUntil,
  type GobgpHandle,
  type GobgpRibJson,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

describe.skipIf(peers.skip)(peers.title('Adj-RIB-In and Adj-RIB-Out (GoBGP)'), () => {
  const sc = useScenario(import.meta.url);
  let g: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; g: string };

  const DENY_BOGONS = [
    { seq: 10, action: 'deny', match: { 'prefix-list': 'BOGONS' } },
    { seq: 20, action: 'permit' },
  ];
  const config = (fromG: unknown[] = DENY_BOGONS): ConfigInput =>
    ({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        {
          address: ip.g,
          asn: 65001,
          'connect-retry': 1,
          'route-map-in': 'FROM-G',
          'soft-reconfiguration': 'inbound',
          'next-hop-address': '192.0.2.10',
        },
      ],
      policy: {
        'prefix-lists': { BOGONS: [{ seq: 10, action: 'permit', prefix: '10.66.0.0/16', le: 32 }] },
        'route-maps': { 'FROM-G': fromG },
      },
      vrfs: {
        A: {
          rd: '65000:100',
          'route-targets': { export: ['65000:100'] },
          networks: ['10.100.0.0/24', '10.200.0.0/24'],
        },
      },
    }) as ConfigInput;

  /** The VPN keys of a GoBGP adj-in/adj-out answer, as "RD:prefix". */
  const gobgpKeys = (rib: GobgpRibJson | null): string[] => Object.keys(rib ?? {}).sort();
  const ourKeys = (routes: readonly { rd?: string; prefix: string }[]): string[] =>
    routes.map((r) => `${r.rd}:${r.prefix}`).sort();
  const adj = (dir: 'adj-in' | 'adj-out') => () =>
    g.json<GobgpRibJson | null>(['neighbor', ip.vrfleak, dir, '-a', 'vpnv4']);

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), g: sc.nextAddress() };
    g = await startGobgp({
      name: 'gobgp',
      parentDir: sc.dir,
      asn: 65001,
      routerId: ip.g,
      address: ip.g,
      neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
    });
    speaker = await Speaker.start(config());
    await g.waitEstablished(ip.vrfleak);
    await g.vrfAdd({
      name: 'RED',
      rd: '65001:10',
      importRts: ['65001:10'],
      exportRts: ['65001:10'],
    });
    await g.vrfRibAdd('RED', '10.66.1.0/24', ['nexthop', '192.0.2.1']);
    await g.vrfRibAdd('RED', '10.1.0.0/24', ['nexthop', '192.0.2.1']);
  });
  afterAll(async () => {
    await speaker?.stop();
  });

  it('received-routes: everything GoBGP sent, the denied bogon included; routes: what was accepted', async () => {
    const sent = await waitUntil(adj('adj-out'), (r) => gobgpKeys(r).length === 2, {
      what: 'GoBGP sends its two routes',
    });
    const received = await speaker.waitFor(
      (s) => {
        const r = s.receivedRoutes(ip.g, 'vpnv4');
        return r.length === 2 ? r : undefined;
      },
      { what: 'both routes kept as received' },
    );
    expect(ourKeys(received)).toEqual(gobgpKeys(sent));
    expect(ourKeys(speaker.acceptedRoutes(ip.g, 'vpnv4'))).toEqual(['65001:10:10.1.0.0/24']);
  });

  it('advertised-routes: exactly what GoBGP holds from vrfleak', async () => {
    const held = await waitUntil(adj('adj-in'), (r) => gobgpKeys(r).length === 2, {
      what: 'GoBGP receives the two VRF exports',
    });
    const advertised = speaker.advertisedRoutes(ip.g, 'vpnv4');
    expect(ourKeys(advertised)).toEqual(gobgpKeys(held));
    expect(ourKeys(advertised)).toEqual(['65000:100:10.100.0.0/24', '65000:100:10.200.0.0/24']);
    // GoBGP's own routes are not sent back to it.
    expect(ourKeys(advertised).some((k) => k.startsWith('65001:'))).toBe(false);
    // The attributes as sent: our AS in front, the next hop announced as self.
    expect(advertised[0]?.asPath).toBe('65000');
    expect(advertised[0]?.nextHop).toBe('192.0.2.10');
  });

  it('a route-map-in change applies from the kept routes: GoBGP is not asked again', async () => {
    const updatesIn = speaker.neighbor(ip.g)!.updatesIn;
    speaker.reconfigure(config([{ seq: 10, action: 'permit', set: { 'local-preference': 180 } }]));
    // Applied at once, from what was kept: the bogon is accepted now.
    expect(ourKeys(speaker.acceptedRoutes(ip.g, 'vpnv4'))).toEqual([
      '65001:10:10.1.0.0/24',
      '65001:10:10.66.1.0/24',
    ]);
    expect(speaker.routes('vpnv4').find((r) => r.prefix === '10.66.1.0/24')?.localPref).toBe(180);
    // Nothing came from GoBGP for it (a route refresh would have made it send both routes again):
    // a withdrawal it sends now arrives as the very next UPDATE.
    await g.vrfRibDel('RED', '10.66.1.0/24', ['nexthop', '192.0.2.1']);
    await speaker.waitFor((s) => s.receivedRoutes(ip.g, 'vpnv4').length === 1, {
      what: 'the withdrawal of 10.66.1.0/24',
    });
    expect(speaker.neighbor(ip.g)!.updatesIn).toBe(updatesIn + 1);
  });
});
