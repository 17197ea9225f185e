// Labeled unicast (RFC 8277, SAFI 4) between real peers: two GoBGPs are route-reflector clients of
// vrfleak for ipv4-labeled only. A route with a label added on one reaches vrfleak's
// ipv4-labeled table with its label, and the other GoBGP receives it reflected, label unchanged.

import { beforeAll, describe, expect, it } from 'vitest';
import type { Speaker } from '../../src/api/library.js';
import { assertPeersOrFail, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import { startRrClients } from './rr-clients.js';

const peers = assertPeersOrFail(['gobgpd']);

describe.skipIf(peers.skip)(peers.title('labeled unicast reflected between two GoBGPs'), () => {
  const sc = useScenario(import.meta.url);
  let a: GobgpHandle;
  let b: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; a: string; b: string };

  beforeAll(async () => {
    ({ ip, a, b, speaker } = await startRrClients(sc, 'ipv4-labeled'));
  });

  it('the route and its label reach vrfleak and the other client', async () => {
    await a.globalRibAdd('ipv4-labeled', '10.60.0.0/24', ['600', 'nexthop', '192.0.2.60']);
    const r = await speaker.waitFor(
      (s) => s.routes('ipv4-labeled').find((x) => x.prefix === '10.60.0.0/24'),
      { what: 'vrfleak has 10.60.0.0/24 in ipv4-labeled' },
    );
    expect(r).toMatchObject({ labels: [600], nextHop: '192.0.2.60', peer: ip.a });
    const rib = await waitUntil(
      () => b.globalRib('ipv4-labeled'),
      (x) => Object.keys(x).some((k) => k.includes('10.60.0.0/24')),
      { what: 'GoBGP b has 10.60.0.0/24 reflected by vrfleak' },
    );
    const key = Object.keys(rib).find((k) => k.includes('10.60.0.0/24'))!;
    expect(rib[key]?.[0]?.nlri.labels).toEqual([600]);
    await speaker.stop();
  });
});
