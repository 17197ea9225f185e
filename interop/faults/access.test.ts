// Issue 7, who may talk to vrfleak: a TCP connection from an address that is not a configured
// neighbor is closed at once, before vrfleak writes a single octet (no OPEN to learn its AS or
// capabilities from), and logged as `connection-refused`; so is one from a neighbor that is
// administratively down (`shutdown: true`). A configured neighbor on the same listener comes up.
// TCP-MD5 and GTSM on the same listener: interop/scenarios/tcp-md5.test.ts and gtsm.test.ts.

import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import { assertPeersOrFail, waitFor } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import { LoadPeer } from './load-peer.js';

const peers = assertPeersOrFail([]);

/** Connects from `local`, records what arrives, resolves once vrfleak closed the connection. */
async function knock(local: string, remote: string): Promise<{ bytes: number; closed: boolean }> {
  const s = net.connect({ host: remote, port: 179, localAddress: local });
  const seen = { bytes: 0, closed: false };
  s.on('data', (b: Buffer) => (seen.bytes += b.length));
  s.on('error', () => undefined);
  s.on('close', () => (seen.closed = true));
  // A BGP OPEN would be the next thing a peer sends; the stranger gets no chance to.
  await waitFor(() => seen.closed, {
    what: `vrfleak closes the connection from ${local}`,
    timeoutMs: 3_000,
    intervalMs: 10,
  });
  return seen;
}

describe.skipIf(peers.skip)(peers.title('who may talk to vrfleak'), () => {
  const sc = useScenario(import.meta.url);
  let ip: { vrfleak: string; friend: string; down: string; stranger: string };
  let speaker: Speaker;
  const events: LogEvent[] = [];

  beforeAll(async () => {
    ip = {
      vrfleak: sc.nextAddress(),
      friend: sc.nextAddress(),
      down: sc.nextAddress(),
      stranger: sc.nextAddress(),
    };
    const log = createEventLog({ level: 'silent' });
    log.subscribe((e) => events.push(e));
    speaker = await Speaker.start(
      {
        asn: 65000,
        'router-id': ip.vrfleak,
        listen: { address: ip.vrfleak, port: 179 },
        neighbors: [
          { address: ip.friend, asn: 65001, passive: true },
          { address: ip.down, asn: 65002, passive: true, shutdown: true },
        ],
      },
      { log },
    );
  });

  afterAll(async () => {
    await speaker?.stop();
  });

  it('a connection from an address that is not a neighbor is closed at once and logged', async () => {
    const seen = await knock(ip.stranger, ip.vrfleak);
    expect(seen.bytes).toBe(0);
    expect(events.filter((e) => e.event === 'connection-refused')).toEqual([
      { event: 'connection-refused', remote: ip.stranger, reason: 'not a configured neighbor' },
    ]);
  });

  it('a neighbor that is administratively down is refused the same way', async () => {
    const seen = await knock(ip.down, ip.vrfleak);
    expect(seen.bytes).toBe(0);
    expect(events.filter((e) => e.event === 'connection-refused' && e.remote === ip.down)).toEqual([
      {
        event: 'connection-refused',
        remote: ip.down,
        reason: 'neighbor is administratively down',
      },
    ]);
  });

  it('a configured neighbor on the same listener comes up', async () => {
    const p = await LoadPeer.establish({
      localAddress: ip.friend,
      remoteAddress: ip.vrfleak,
      asn: 65001,
    });
    await speaker.waitFor((s) => s.neighbor(ip.friend)?.state === 'Established', {
      what: 'the configured neighbor is Established',
    });
    expect(
      events.filter((e) => e.event === 'connection-refused' && e.remote === ip.friend),
    ).toEqual([]);
    p.close();
  });
});
