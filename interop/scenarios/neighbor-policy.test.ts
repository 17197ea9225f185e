// Route maps attached to a neighbor (in and out), against a real GoBGP: the inbound map refuses
// some prefixes and sets local preference on the others; the outbound map sets the next hop and
// adds a community on what GoBGP receives, and refuses one prefix.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { assertPeersOrFail, startGobgp, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

describe.skipIf(peers.skip)(peers.title('neighbor route maps in and out (GoBGP)'), () => {
  const sc = useScenario(import.meta.url);
  let g: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; g: string };

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
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        {
          address: ip.g,
          asn: 65001,
          'connect-retry': 1,
          'route-map-in': 'FROM-G',
          'route-map-out': 'TO-G',
        },
      ],
      policy: {
        'prefix-lists': {
          BOGONS: [{ seq: 10, action: 'permit', prefix: '10.66.0.0/16', le: 32 }],
          SECRET: [{ seq: 10, action: 'permit', prefix: '10.200.0.0/24' }],
        },
        'route-maps': {
          'FROM-G': [
            { seq: 10, action: 'deny', match: { 'prefix-list': 'BOGONS' } },
            { seq: 20, action: 'permit', set: { 'local-preference': 250 } },
          ],
          'TO-G': [
            { seq: 10, action: 'deny', match: { 'prefix-list': 'SECRET' } },
            {
              seq: 20,
              action: 'permit',
              set: { 'next-hop': '192.0.2.99', community: { add: ['65000:777'] } },
            },
          ],
        },
      },
      vrfs: {
        A: {
          rd: '65000:100',
          'route-targets': { export: ['65000:100'] },
          networks: ['10.100.0.0/24', '10.200.0.0/24'],
        },
      },
    });
    await g.waitEstablished(ip.vrfleak);
  });

  it('route-map-in refuses a prefix list and sets local preference on the rest', async () => {
    await g.vrfAdd({
      name: 'RED',
      rd: '65001:10',
      importRts: ['65001:10'],
      exportRts: ['65001:10'],
    });
    // The bogon first: GoBGP sends in order on one TCP stream, so once the permitted route is in,
    // the bogon has been handled too.
    await g.vrfRibAdd('RED', '10.66.1.0/24', ['nexthop', '192.0.2.1']);
    await g.vrfRibAdd('RED', '10.1.0.0/24', ['nexthop', '192.0.2.1']);
    const r = await speaker.waitFor(
      (s) => s.routes('vpnv4').find((v) => v.prefix === '10.1.0.0/24'),
      { what: 'the permitted route arrives' },
    );
    expect(r.localPref).toBe(250);
    expect(speaker.routes('vpnv4').some((v) => v.prefix === '10.66.1.0/24')).toBe(false);
    expect(speaker.neighbor(ip.g)?.updatesIn).toBeGreaterThanOrEqual(2);
  });

  it('route-map-out sets the next hop and a community, and refuses one prefix', async () => {
    const rib = await waitUntil(
      () => g.globalRib('vpnv4'),
      (t) => t['65000:100:10.100.0.0/24'] !== undefined,
      { what: 'GoBGP receives 10.100.0.0/24' },
    );
    const path = rib['65000:100:10.100.0.0/24']?.[0];
    expect(path?.attrs.find((a) => a.type === 14)?.['nexthop']).toBe('192.0.2.99');
    expect(path?.attrs.find((a) => a.type === 8)?.['communities']).toEqual([65000 * 65536 + 777]);
    expect(rib['65000:100:10.200.0.0/24']).toBeUndefined();
    await speaker.stop();
  });
});
