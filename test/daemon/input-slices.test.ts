// A fast peer's input is handled in slices (src/session/input-slices.ts), and between two slices
// the event loop runs timers, API requests and other sessions. None of them may see a route
// applied to a table but not yet recomputed: each slice ends with its commit. The first slicing
// (38f606a) queued that commit behind the next turn's timers, and a poll saw 1760 of a peer's
// routes in the table but not yet best (interop/faults/peer-faults (b), reverted in 7342cce).
//
// Here a timer polls the daemon while a peer streams a table over a real loopback session: every
// path of the only peer must be best at every poll (there is no other path to prefer).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { encodeAnnouncements, END_OF_RIB, type LoadShape } from '../../bench/routes.js';
import { BenchSession } from '../../bench/session.js';

const DUT = '127.0.57.1';
const PEER = '127.0.57.2';
const SHAPE: LoadShape = { routes: 20_000, rds: 10 };

interface Poll {
  /** The peer's paths in the VPNv4 table. */
  readonly applied: number;
  /** Of those, the ones the decision process has seen (one path per destination: all best). */
  readonly decided: number;
}

function poll(speaker: Speaker): Poll {
  let applied = 0;
  let decided = 0;
  for (const r of speaker.routes('vpnv4')) {
    if (r.peer !== PEER) continue;
    applied++;
    if (r.best) decided++;
  }
  return { applied, decided };
}

describe('input slices: every slice ends with its commit', () => {
  let speaker: Speaker;
  let peer: BenchSession;

  beforeAll(async () => {
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': DUT,
      listen: { address: DUT, port: 0 },
      neighbors: [{ address: PEER, asn: 65001, passive: true }],
    });
    peer = new BenchSession({
      localAddress: PEER,
      remoteAddress: DUT,
      remotePort: speaker.daemon.listenPort!,
      asn: 65001,
      routerId: PEER,
      holdTime: 90,
    });
    await peer.start();
    await speaker.waitFor((s) => s.neighbor(PEER)?.state === 'Established', {
      what: 'the session is up',
    });
  }, 30_000);

  afterAll(async () => {
    peer?.close();
    await speaker?.stop();
  });

  it('a timer between slices never sees routes applied but not yet decided', async () => {
    const seen: Poll[] = [];
    let stop = false;
    // A timer, not an immediate: 38f606a's queued commit ran in the check phase after the timers.
    const sample = (): void => {
      if (stop) return;
      seen.push(poll(speaker));
      setTimeout(sample, 0);
    };
    setTimeout(sample, 0);
    try {
      await peer.sendAll([...encodeAnnouncements(SHAPE), END_OF_RIB]);
      await speaker.waitFor(() => poll(speaker).decided === SHAPE.routes, {
        what: "the peer's whole table is best",
        timeoutMs: 60_000,
      });
    } finally {
      stop = true;
    }
    // The polls ran while the table was arriving, not only before and after (else the test
    // proves nothing).
    expect(seen.filter((p) => p.applied > 0 && p.applied < SHAPE.routes).length).toBeGreaterThan(0);
    expect(seen.filter((p) => p.applied !== p.decided)).toEqual([]);
  }, 90_000);
});
