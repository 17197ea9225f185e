// Issue 14 point 3: vrfleak as long-lived graceful restart helper (RFC 9494) for a real gobgpd that
// dies (SIGKILL).
//
// - GoBGP A (GR restart time 2 s, LLGR stale time 8 s for IPv4) sends two routes, one marked
//   NO_LLGR, and is killed. During the restart time both are stale and unchanged. When it ends the
//   NO_LLGR route is deleted at once and the other is kept, long-lived stale: LLGR_STALE attached,
//   least preferred (RFC 9494 §4.2-§4.4); when the stale time ends it goes.
// - GoBGP W1 (no LLGR) has the long-lived stale route withdrawn (§4.3).
// - GoBGP W2 (GR + LLGR) keeps it, with LLGR_STALE (§4.3: "MUST NOT be removed when the route is
//   further advertised"), until the stale time ends. W2 shows the LLGR capability vrfleak sent it
//   (code 71, IPv4 unicast, 3600 s) as GoBGP parsed it; W1, not configured for LLGR, got none.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker, type RouteView } from '../../src/api/library.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import { assertPeersOrFail, startGobgp, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

const RESTART = 2;
const STALE = 8;
const KEPT = '10.71.1.0/24';
const NO_LLGR = '10.71.2.0/24';
/** RFC 9494 §3.2: LLGR_STALE, 65535:6, as GoBGP's JSON prints communities (numbers). */
const LLGR_STALE = 0xffff0006;

describe.skipIf(peers.skip)(peers.title('vrfleak as long-lived graceful restart helper'), () => {
  const sc = useScenario(import.meta.url);
  let a: GobgpHandle;
  let w1: GobgpHandle;
  let w2: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; a: string; w1: string; w2: string };
  const events: Array<Extract<LogEvent, { event: 'long-lived-graceful-restart' }>> = [];

  const route = (prefix: string): RouteView | undefined =>
    speaker.routes('ipv4').find((r) => r.prefix === prefix && r.peer === ip.a);

  /** A watcher's IPv4 routes from A's range: prefix -> communities of its path. */
  const held = async (g: GobgpHandle): Promise<Record<string, number[]>> => {
    const out: Record<string, number[]> = {};
    for (const [k, paths] of Object.entries(await g.globalRib('ipv4'))) {
      if (!k.startsWith('10.71.')) continue;
      const c = paths[0]?.attrs.find((x) => x.type === 8) as { communities?: number[] } | undefined;
      out[k] = c?.communities ?? [];
    }
    return out;
  };
  const waitHeld = (g: GobgpHandle, want: Record<string, number[]>, what: string) =>
    waitUntil(
      () => held(g),
      (h) => JSON.stringify(h) === JSON.stringify(want),
      { what: `${g.name} holds ${JSON.stringify(want)} (${what})`, timeoutMs: 6_000 },
    );

  beforeAll(async () => {
    ip = {
      vrfleak: sc.nextAddress(),
      a: sc.nextAddress(),
      w1: sc.nextAddress(),
      w2: sc.nextAddress(),
    };
    const gobgp = (name: string, asn: number, addr: string, llgr: boolean) =>
      startGobgp({
        name,
        parentDir: sc.dir,
        asn,
        routerId: addr,
        address: addr,
        neighbors: [
          {
            address: ip.vrfleak,
            asn: 65000,
            families: ['ipv4'],
            ...(llgr
              ? { gracefulRestart: { restartTime: RESTART }, longLivedStaleTime: STALE }
              : {}),
          },
        ],
      });
    [a, w1, w2] = await Promise.all([
      gobgp('gobgp-a-llgr', 65001, ip.a, true),
      gobgp('gobgp-w1-nollgr', 65002, ip.w1, false),
      gobgp('gobgp-w2-llgr', 65003, ip.w2, true),
    ]);
    const log = createEventLog({ level: 'silent' });
    log.subscribe((e) => {
      if (e.event === 'long-lived-graceful-restart') events.push(e);
    });
    const llgr = { 'long-lived-graceful-restart': { 'stale-time': 3600 } };
    const common = {
      families: ['ipv4' as const],
      'connect-retry': 1,
      // GoBGP refuses loopback next hops.
      'next-hop-address': '192.0.2.50',
    };
    speaker = await Speaker.start(
      {
        asn: 65000,
        'router-id': ip.vrfleak,
        listen: { address: ip.vrfleak, port: 179 },
        neighbors: [
          { address: ip.a, asn: 65001, ...common, 'graceful-restart': {}, ...llgr },
          { address: ip.w1, asn: 65002, ...common },
          { address: ip.w2, asn: 65003, ...common, 'graceful-restart': {}, ...llgr },
        ],
      },
      { log },
    );
    await Promise.all([a, w1, w2].map((g) => g.waitEstablished(ip.vrfleak)));
    await a.globalRibAdd('ipv4', KEPT, ['nexthop', '192.0.2.1']);
    await a.globalRibAdd('ipv4', NO_LLGR, ['nexthop', '192.0.2.1', 'community', '65535:7']);
    await speaker.waitFor(() => route(KEPT) && route(NO_LLGR), {
      what: "vrfleak has A's two routes",
    });
    // GoBGP parsed the LLGR capability vrfleak sent W2 (IPv4 unicast, 3600 s: the protobuf value
    // ends with field 3, varint 3600 = 18 90 1c); W1's neighbor has none.
    const llgrCap = async (g: GobgpHandle) =>
      ((await g.neighbors())[0]?.state['remote_cap'] as { type_url: string; value?: string }[])
        .filter((c) => c.type_url.endsWith('LongLivedGracefulRestartCapability'))
        .map((c) => Buffer.from(c.value ?? '', 'base64').toString('hex'));
    expect(await llgrCap(w2)).toEqual([expect.stringMatching(/0a040801100118901c$/)]);
    expect(await llgrCap(w1)).toEqual([]);
    const both = { [KEPT]: [], [NO_LLGR]: [0xffff0007] };
    await waitHeld(w1, both, 'before the restart');
    await waitHeld(w2, both, 'before the restart');
  });

  it('3. A dies: stale for the restart time, then long-lived stale; NO_LLGR dropped, W1 withdrawn, W2 keeps LLGR_STALE; gone after the stale time', async () => {
    const killedAt = Date.now();
    await a.kill();
    await speaker.waitFor(() => route(KEPT)?.stale === true && route(NO_LLGR)?.stale === true, {
      what: "A's routes are stale (graceful restart)",
      timeoutMs: 1_500,
      intervalMs: 20,
    });
    // RFC 9494 §4.2: during the Restart Time route preference is not affected.
    expect(route(KEPT)?.llgrStale).toBeUndefined();

    const kept = await speaker.waitFor(() => (route(KEPT)?.llgrStale ? route(KEPT) : undefined), {
      what: 'the kept route is long-lived stale once the restart time ends',
      timeoutMs: (RESTART + 3) * 1000,
      intervalMs: 50,
    });
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(RESTART * 1000 - 300);
    expect(kept).toMatchObject({ stale: true, communities: ['llgr-stale'] });
    // The NO_LLGR route is deleted at the same moment, not kept.
    expect(route(NO_LLGR)).toBeUndefined();
    expect(
      events.map((e) => [e.peer, e.family, e.phase, e.routes, e.dropped, e.staleTime]),
    ).toEqual([[ip.a, 'ipv4', 'stale', 1, 1, STALE]]);
    // §4.3: withdrawn from the peer without the capability, kept with LLGR_STALE at the other.
    await waitHeld(w1, {}, 'no LLGR: the long-lived stale route withdrawn');
    await waitHeld(w2, { [KEPT]: [LLGR_STALE] }, 'LLGR: kept, LLGR_STALE attached');

    // §4.2: the long-lived stale time (the peer's 8 s, below our 3600 s) ends it.
    await speaker.waitFor(() => !route(KEPT), {
      what: 'the long-lived stale route goes when the stale time ends',
      timeoutMs: (STALE + 3) * 1000,
      intervalMs: 100,
    });
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual((RESTART + STALE) * 1000 - 500);
    expect(events.at(-1)).toMatchObject({ phase: 'expired', routes: 1 });
    await waitHeld(w2, {}, 'stale time over');
    await speaker.stop();
  });
});
