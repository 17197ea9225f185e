// Issue 7, faults (a) to (c): what happens to vrfleak's tables when a peer goes away badly.
//
// Two load peers announce VPNv4 tables (bench/routes.ts's pre-encoded full UPDATEs): A a large one
// (50k routes, RD 65001:n, RT 65001:1), B a small one (2k routes, RD 65002:n, RT 65002:1). VRF V
// imports RT 65002:1 and exports a network of its own. A watcher GoBGP only listens: it must hold
// exactly vrfleak's best routes. After every fault:
// - vrfleak's VPN table holds exactly the routes the live peers announce (computed from the load
//   shapes, not read back), plus V's own export;
// - V's table holds exactly B's prefixes plus its own network;
// - the leak invariants hold (speaker.leakInvariants() is []);
// - the watcher GoBGP holds exactly vrfleak's best routes.
//
// (a) A dies half way through its table: all of A's routes go, B's stay.
// (c) A's TCP connection is reset (RST) in the middle of a burst, three times at different points:
//     afterwards nothing of A remains.
// (b) A peer that stops reading its socket (but keeps sending KEEPALIVEs, so the hold timer never
//     fires) while vrfleak has A's full table to send (A streams all of it; it arrives whole): the
//     bound of the output queue (neighbor `max-output-queue`) resets that session with a logged
//     reason; the other sessions and tables go on unchanged.
// The watcher comparison is exact (key by key) up to 5k routes and by GoBGP's counts above (see
// tables.ts: GoBGP's own listing of a 50k table is too slow to poll).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import { encodeAnnouncements, type LoadShape } from '../../bench/routes.js';
import { bgpMessage } from '../../bench/session.js';
import { assertPeersOrFail, startGobgp, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import { LoadPeer, withAdmin } from './load-peer.js';
import {
  bestVpnKeys,
  loadKeys,
  sameKeys,
  sorted,
  waitForPeerKeys,
  watcherMatches,
} from './tables.js';

const peers = assertPeersOrFail(['gobgpd']);

const SHAPE_A: LoadShape = { routes: 50_000, rds: 50 };
const SHAPE_B: LoadShape = { routes: 2_000, rds: 2 };
const OWN = '65000:1:10.200.0.0/24';
const QUEUE_BOUND = 65_536;
// RFC 2918 §3 ROUTE-REFRESH: AFI 1 (2 octets), reserved 0, SAFI 128.
const ROUTE_REFRESH_VPNV4 = bgpMessage(5, Buffer.from('0001' + '00' + '80', 'hex'));

describe.skipIf(peers.skip)(peers.title('faults: peers that die, reset or stop reading'), () => {
  const sc = useScenario(import.meta.url);
  let ip: { vrfleak: string; a: string; b: string; w: string; s: string };
  let speaker: Speaker;
  let watcher: GobgpHandle;
  let b: LoadPeer;
  const msgsA = encodeAnnouncements(SHAPE_A);
  const msgsB = withAdmin(encodeAnnouncements(SHAPE_B), 65002);
  const keysA = sorted(loadKeys(SHAPE_A, 65001));
  const keysB = sorted(loadKeys(SHAPE_B, 65002));
  const events: LogEvent[] = [];

  /** Everything the brief's "RIBs equal what the config and the peers justify" means here. */
  async function converged(liveA: readonly string[], what: string): Promise<void> {
    const t0 = Date.now();
    await waitForPeerKeys(
      speaker,
      { [ip.a]: liveA, [ip.b]: keysB },
      `vrfleak's VPN table from A and B (${what})`,
    );
    const t1 = Date.now();
    expect(speaker.leakInvariants()).toEqual([]);
    const own = speaker.routes('vpnv4').filter((r) => r.peer === undefined);
    expect(own.map((r) => `${r.rd}:${r.prefix}`)).toEqual([OWN]);
    // V imports RT 65002:1 only: B's prefixes (each under two RDs) once each, plus its network.
    const vrfPrefixes = new Set(speaker.vrfRoutes('V').map((r) => r.prefix));
    const wantVrf = new Set([...keysB.map((k) => k.split(':')[2]!), '10.200.0.0/24']);
    expect(sameKeys(sorted([...vrfPrefixes]), sorted([...wantVrf]))).toBe(true);
    const best = bestVpnKeys(speaker);
    expect(sameKeys(best, sorted([...liveA, ...keysB, OWN]))).toBe(true);
    await waitUntil(
      () => watcherMatches(watcher, best),
      (m) => m === true,
      {
        what: `the watcher GoBGP holds exactly vrfleak's best routes (${what})`,
        timeoutMs: 30_000,
        intervalMs: 300,
      },
    );
    console.log(`faults: ${what}: converged in ${Date.now() - t0} ms (vrfleak ${t1 - t0} ms)`);
  }

  beforeAll(async () => {
    ip = {
      vrfleak: sc.nextAddress(),
      a: sc.nextAddress(),
      b: sc.nextAddress(),
      w: sc.nextAddress(),
      s: sc.nextAddress(),
    };
    watcher = await startGobgp({
      name: 'gobgp-watcher',
      parentDir: sc.dir,
      asn: 65005,
      routerId: ip.w,
      address: ip.w,
      neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
    });
    const log = createEventLog({ level: 'silent' });
    log.subscribe((e) => events.push(e));
    const load = { asn: 65001, passive: true, 'connect-retry': 1 };
    speaker = await Speaker.start(
      {
        asn: 65000,
        'router-id': ip.vrfleak,
        listen: { address: ip.vrfleak, port: 179 },
        neighbors: [
          { address: ip.a, ...load },
          { address: ip.b, ...load },
          { address: ip.s, ...load, asn: 65003, 'max-output-queue': QUEUE_BOUND },
          {
            address: ip.w,
            asn: 65005,
            'connect-retry': 1,
            // GoBGP refuses loopback next hops: announce this one as "self".
            'next-hop-address': '192.0.2.50',
          },
        ],
        vrfs: {
          V: {
            rd: '65000:1',
            'route-targets': { import: ['65002:1'], export: ['65000:1'] },
            networks: [{ prefix: '10.200.0.0/24', 'next-hop': '192.0.2.10' }],
          },
        },
      },
      { log },
    );
    await watcher.waitEstablished(ip.vrfleak);
    b = await LoadPeer.establish({ localAddress: ip.b, remoteAddress: ip.vrfleak, asn: 65001 });
    await b.stream(msgsB);
    await converged([], 'B only');
  }, 120_000);

  afterAll(async () => {
    b?.close();
    await speaker?.stop();
  }, 120_000);

  it('a. a peer killed half way through its table: all its routes go, the other peer stays', async () => {
    const a = await LoadPeer.establish({
      localAddress: ip.a,
      remoteAddress: ip.vrfleak,
      asn: 65001,
    });
    const half = Math.floor(msgsA.length / 2);
    await a.stream(msgsA, half);
    // Mid-table for vrfleak too: some of A's routes are in before the peer dies.
    await speaker.waitFor((s) => s.neighbor(ip.a)!.prefixesReceived['vpnv4']! > 1000, {
      what: "some of A's routes arrive",
    });
    a.close();
    await converged([], 'A killed half way');
    expect(speaker.neighbor(ip.b)?.state).toBe('Established');
  }, 120_000);

  it('c. TCP resets during UPDATE bursts (three, at 20, 50 and 80%) leave nothing stale', async () => {
    for (const fraction of [0.2, 0.5, 0.8]) {
      const a = await LoadPeer.establish({
        localAddress: ip.a,
        remoteAddress: ip.vrfleak,
        asn: 65001,
      });
      await a.stream(msgsA, Math.floor(msgsA.length * fraction));
      a.reset();
      await converged([], `RST after ${fraction * 100}% of A's burst`);
    }
    expect(events.filter((e) => e.event === 'session-down' && e.peer === ip.a)).toHaveLength(4);
  }, 120_000);

  it('b. a peer that stops reading is reset by the output queue bound; the others go on', async () => {
    // S keeps sending (KEEPALIVEs, so vrfleak's hold timer never fires) but never reads.
    const s = await LoadPeer.establish({
      localAddress: ip.s,
      remoteAddress: ip.vrfleak,
      asn: 65003,
      stopReading: true,
    });
    const a = await LoadPeer.establish({
      localAddress: ip.a,
      remoteAddress: ip.vrfleak,
      asn: 65001,
    });
    await a.stream(msgsA);
    await converged(keysA, "A's full table while S does not read");
    // The kernel buffers on loopback absorb A's table (about 0.8 MB) towards S: S asks for it
    // again and again (RFC 2918) until what vrfleak has to send exceeds them and its own bound.
    const down = await speaker.waitFor(
      () => {
        s.write(ROUTE_REFRESH_VPNV4);
        return events.find((e) => e.event === 'session-down' && e.peer === ip.s);
      },
      {
        what: 'the session of the peer that stops reading is reset',
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    expect(down).toMatchObject({
      reason: expect.stringContaining(`output queue above ${QUEUE_BOUND} octets`),
    });
    expect(speaker.neighbor(ip.s)?.state).not.toBe('Established');
    // Everyone else is unaffected: same tables, sessions up.
    await converged(keysA, 'after S was reset');
    for (const n of [ip.a, ip.b, ip.w]) expect(speaker.neighbor(n)?.state).toBe('Established');
    expect(a.closed).toBe(false);
    s.close();
    a.close();
  }, 120_000);
});
