// Max-prefix per neighbor (RFC 4486): a warning at the threshold, a teardown with Cease 6/1 when the
// limit is passed (the peer's routes go), and a restart after the configured pause. Against GoBGP.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import { assertPeersOrFail, startGobgp, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

describe.skipIf(peers.skip)(peers.title('max-prefix (GoBGP)'), () => {
  const sc = useScenario(import.meta.url);
  let g: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; g: string };
  const events: LogEvent[] = [];

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), g: sc.nextAddress() };
    g = await startGobgp({
      name: 'gobgp',
      parentDir: sc.dir,
      asn: 65001,
      routerId: ip.g,
      address: ip.g,
      neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'], connectRetry: 1 }],
    });
    await g.vrfAdd({
      name: 'RED',
      rd: '65001:10',
      importRts: ['65001:10'],
      exportRts: ['65001:10'],
    });
    const log = createEventLog({ level: 'silent' });
    const emit = log.emit.bind(log);
    log.emit = (e) => {
      events.push(e);
      emit(e);
    };
    speaker = await Speaker.start(
      {
        asn: 65000,
        'router-id': ip.vrfleak,
        listen: { address: ip.vrfleak, port: 179 },
        neighbors: [
          {
            address: ip.g,
            asn: 65001,
            'connect-retry': 1,
            'max-prefix': { limit: 3, 'warning-threshold-pct': 60, 'restart-after': 2 },
          },
        ],
      },
      { log },
    );
    await g.waitEstablished(ip.vrfleak);
  });

  it('warns, tears down with Cease 6/1 past the limit, drops the routes, and restarts', async () => {
    for (const p of ['10.1.0.0/24', '10.1.1.0/24'])
      await g.vrfRibAdd('RED', p, ['nexthop', '192.0.2.1']);
    await speaker.waitFor((s) => s.routes('vpnv4').length === 2, { what: 'two routes in' });
    expect(events.some((e) => e.event === 'max-prefix-warning')).toBe(true);
    for (const p of ['10.1.2.0/24', '10.1.3.0/24'])
      await g.vrfRibAdd('RED', p, ['nexthop', '192.0.2.1']);
    await speaker.waitFor(
      (s) =>
        events.some((e) => e.event === 'max-prefix-exceeded') && s.routes('vpnv4').length === 0,
      {
        what: 'the teardown and the routes gone',
      },
    );
    const sent = events.find((e) => e.event === 'notification-sent');
    expect(sent).toMatchObject({ code: 6, subcode: 1 });
    // GoBGP saw the Cease and the session went down.
    await waitUntil(
      () => g.neighborState(ip.vrfleak),
      (s) => s !== 'established' || events.filter((e) => e.event === 'session-up').length > 1,
      { what: 'GoBGP sees the session go down' },
    );
    // Back under the limit, the restart after 2 s brings the session up for good.
    for (const p of ['10.1.2.0/24', '10.1.3.0/24']) await g.vrfRibDel('RED', p);
    await speaker.waitFor(
      (s) => s.neighbor(ip.g)?.state === 'Established' && s.routes('vpnv4').length === 2,
      {
        what: 'the session restarts and the two routes are back',
        timeoutMs: 15_000,
      },
    );
    await speaker.stop();
  });
});
