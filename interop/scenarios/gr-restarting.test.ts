// Issue: sessions with real peers, graceful restart in restarting mode (RFC 4724 §4.1): vrfleak
// comes back from its own restart. Its OPEN carries the Restart State (R) bit, and it defers
// advertising until its graceful-restart neighbors sent End-of-RIB, or until the deferral timer
// (the configured restart time) runs out when one of them never comes up.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { assertPeersOrFail, startGobgp, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

/** Field 1 (varint) of a base64 protobuf message (GoBGP's capability JSON). */
function field1(b64: string | undefined): number | undefined {
  const b = Buffer.from(b64 ?? '', 'base64');
  if (b[0] !== 0x08) return undefined;
  let v = 0;
  let mul = 1;
  for (let i = 1; i < b.length; i++) {
    v += (b[i]! & 0x7f) * mul;
    if ((b[i]! & 0x80) === 0) return v;
    mul *= 128;
  }
  return undefined;
}

describe.skipIf(peers.skip)(peers.title('vrfleak restarting: R bit and selection deferral'), () => {
  const sc = useScenario(import.meta.url);
  let g: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; g: string; absent: string };
  const DEFERRAL = 4;

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), g: sc.nextAddress(), absent: sc.nextAddress() };
    g = await startGobgp({
      name: 'gobgp',
      parentDir: sc.dir,
      asn: 65001,
      routerId: ip.g,
      address: ip.g,
      neighbors: [
        {
          address: ip.vrfleak,
          asn: 65000,
          families: ['vpnv4'],
          gracefulRestart: { restartTime: 30 },
        },
      ],
    });
    await g.vrfAdd({
      name: 'RED',
      rd: '65001:10',
      importRts: ['65001:10'],
      exportRts: ['65001:10'],
    });
    await g.vrfRibAdd('RED', '10.1.0.0/24', ['nexthop', '192.0.2.1']);
    speaker = await Speaker.start(
      {
        asn: 65000,
        'router-id': ip.vrfleak,
        listen: { address: ip.vrfleak, port: 179 },
        'graceful-restart': { enabled: true, 'restart-time': DEFERRAL },
        neighbors: [
          {
            address: ip.g,
            asn: 65001,
            'connect-retry': 1,
            'graceful-restart': { enabled: true, 'restart-time': 30 },
          },
          // A graceful-restart neighbor that never comes up: only the deferral timer ends the wait.
          {
            address: ip.absent,
            asn: 65002,
            'connect-retry': 1,
            'graceful-restart': { enabled: true, 'restart-time': 30 },
          },
        ],
        vrfs: {
          A: {
            rd: '65000:100',
            'route-targets': { export: ['65000:100'] },
            networks: [{ prefix: '10.100.0.0/24', 'next-hop': '192.0.2.10' }],
          },
        },
      },
      { restarting: true },
    );
  });

  it('advertises the R bit, learns routes, and withholds its own until the deferral ends', async () => {
    await g.waitEstablished(ip.vrfleak);
    const n = (await g.neighbors()).find((x) => x.conf.neighbor_address === ip.vrfleak);
    const caps = (n?.state['remote_cap'] ?? []) as Array<{ type_url: string; value?: string }>;
    const grCap = caps.find((c) => c.type_url.endsWith('GracefulRestartCapability'));
    // RFC 4724 §3: Restart State is the high bit of the 4-bit flags (0x8), as GoBGP reports them.
    expect((field1(grCap?.value) ?? 0) & 0x8).toBe(0x8);
    // vrfleak learns GoBGP's route while it defers its own advertisements.
    await speaker.waitFor((s) => s.routes('vpnv4').some((r) => r.rd === '65001:10'), {
      what: 'vrfleak learns the GoBGP route during the deferral',
    });
    expect(speaker.daemon.deferring).toBe(true);
    expect(Object.keys(await g.globalRib('vpnv4'))).not.toContain('65000:100:10.100.0.0/24');
    // The absent neighbor never sends End-of-RIB: the timer ends the deferral, then the table goes out.
    await speaker.waitFor((s) => !s.daemon.deferring, {
      what: 'the selection deferral ends by its timer',
      timeoutMs: (DEFERRAL + 5) * 1000,
    });
    await waitUntil(
      () => g.globalRib('vpnv4'),
      (r) => r['65000:100:10.100.0.0/24'] !== undefined,
      { what: 'GoBGP receives the vrfleak route after the deferral' },
    );
    await speaker.stop();
  });
});
