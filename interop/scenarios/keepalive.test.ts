// The neighbor key `keepalive` against a real GoBGP: the interval vrfleak sends KEEPALIVEs at,
// counted by GoBGP itself. RFC 4271 §4.4 / §10: without the key, a third of the negotiated hold
// time (90 s here, so one every 30 s); with `keepalive: 1`, one a second (capped at the third).

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { assertPeersOrFail, startGobgp, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

describe.skipIf(peers.skip)(peers.title('neighbor keepalive, counted by GoBGP'), () => {
  const sc = useScenario(import.meta.url);
  let gobgp: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; gobgp: string };

  const keepalivesReceived = async (): Promise<number> => {
    const n = (await gobgp.neighbors()).find((x) => x.conf.neighbor_address === ip.vrfleak);
    const m = n?.state.messages as { received?: { keepalive?: number } } | undefined;
    return m?.received?.keepalive ?? 0;
  };

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), gobgp: sc.nextAddress() };
    gobgp = await startGobgp({
      name: 'gobgp',
      parentDir: sc.dir,
      asn: 65001,
      routerId: ip.gobgp,
      address: ip.gobgp,
      neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['ipv4'], holdTime: 90 }],
    });
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        {
          address: ip.gobgp,
          asn: 65001,
          families: ['ipv4'],
          'connect-retry': 1,
          'hold-time': 90,
          keepalive: 1,
        },
      ],
    });
    await gobgp.waitEstablished(ip.vrfleak);
  });

  it('GoBGP receives a KEEPALIVE about every second, not every 30 s', async () => {
    const start = await keepalivesReceived();
    // Five more within 15 s: impossible at the default interval of 30 s.
    const n = await waitUntil(
      () => keepalivesReceived(),
      (k) => k >= start + 5,
      { what: 'five more KEEPALIVEs counted by GoBGP', timeoutMs: 15_000 },
    );
    expect(n).toBeGreaterThanOrEqual(start + 5);
    await speaker.stop();
  });
});
