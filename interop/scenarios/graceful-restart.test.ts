// Issue: sessions with real peers, scenario e: vrfleak as graceful restart helper (RFC 4724 §4.2)
// for real gobgpd processes that die abruptly (SIGKILL).
//
// - GoBGP A (GR, restart time 10 s) announces two VRF routes and is killed: vrfleak keeps both as
//   stale. A comes back with only one of them; its End-of-RIB sweeps the other and the re-sent one
//   is fresh again.
// - GoBGP B (no GR) is killed: its route goes at once.
// - GoBGP C (GR, restart time 3 s) is killed and stays dead: its stale route goes when the restart
//   time runs out.
// - GoBGP D (GR) is killed and restarted plainly: its new OPEN lists VPNv4 without the Forwarding
//   State bit, so its stale routes go as soon as the session is back (RFC 4724 §4.2).
// - GoBGP E only watches: stale routes stay advertised to it while they are kept, and every route
//   vrfleak removes (swept, expired, not preserved) is withdrawn from it.
//
// How GoBGP 3.10 restarts: a plain `gobgpd -f` sends R=0 and F=0 for every family, then its table
// and End-of-RIB as soon as the session is up. Started with `-r` it sends R=1 and F=1 (checked in
// its local_cap), waits for our End-of-RIB, then sends its table and End-of-RIB. A route added
// through the CLI after the session is up would come after the End-of-RIB (and be swept first), so
// A restarts with `-r` and its neighbor `admin-down` in the TOML: the VRF is in the config, the
// one route is added through the CLI, then the neighbor is enabled.

import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker, type RouteView } from '../../src/api/library.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import { assertPeersOrFail, startGobgp, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

const RESTART_A = 10;
const RESTART_C = 3;

describe.skipIf(peers.skip)(peers.title('vrfleak as graceful restart helper for GoBGP'), () => {
  const sc = useScenario(import.meta.url);
  let a: GobgpHandle;
  let b: GobgpHandle;
  let c: GobgpHandle;
  let d: GobgpHandle;
  let e: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; a: string; b: string; c: string; d: string; e: string };
  /** A's extra gobgpd arguments, read again by restart(). */
  const aArgs: string[] = [];
  const grEvents: Array<Extract<LogEvent, { event: 'graceful-restart' }>> = [];
  const grEventsOf = (peer: string) => grEvents.filter((e) => e.peer === peer);

  /** The watcher's VPN table keys ("RD:prefix") that came from the peers under test. */
  const watcherKeys = async (): Promise<string[]> =>
    Object.keys(await e.globalRib('vpnv4'))
      .filter((k) => /^6500[1-4]:10:/.test(k))
      .sort();
  const waitWatcher = (keys: string[], what: string) =>
    waitUntil(watcherKeys, (k) => JSON.stringify(k) === JSON.stringify([...keys].sort()), {
      what: `the watcher GoBGP has exactly ${keys.join(', ')} (${what})`,
    });

  const route = (rd: string, prefix: string): RouteView | undefined =>
    speaker.routes('vpnv4').find((r) => r.rd === rd && r.prefix === prefix);

  beforeAll(async () => {
    ip = {
      vrfleak: sc.nextAddress(),
      a: sc.nextAddress(),
      b: sc.nextAddress(),
      c: sc.nextAddress(),
      d: sc.nextAddress(),
      e: sc.nextAddress(),
    };
    const gobgp = (
      name: string,
      asn: number,
      addr: string,
      restartTime?: number,
      extraArgs?: string[],
    ) =>
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
            families: ['vpnv4'],
            ...(restartTime !== undefined ? { gracefulRestart: { restartTime } } : {}),
          },
        ],
        vrfs: [{ name: 'V', rd: `${asn}:10`, importRts: [`${asn}:10`], exportRts: [`${asn}:10`] }],
        ...(extraArgs ? { extraArgs } : {}),
      });
    [a, b, c, d, e] = await Promise.all([
      gobgp('gobgp-a-gr', 65001, ip.a, RESTART_A, aArgs),
      gobgp('gobgp-b-nogr', 65002, ip.b),
      gobgp('gobgp-c-gr', 65003, ip.c, RESTART_C),
      gobgp('gobgp-d-gr', 65004, ip.d, RESTART_A),
      gobgp('gobgp-e-watcher', 65005, ip.e),
    ]);
    const log = createEventLog({ level: 'silent' });
    log.subscribe((e) => {
      if (e.event === 'graceful-restart') grEvents.push(e);
    });
    const gr = { enabled: true, 'restart-time': 5 };
    speaker = await Speaker.start(
      {
        asn: 65000,
        'router-id': ip.vrfleak,
        listen: { address: ip.vrfleak, port: 179 },
        neighbors: [
          { address: ip.a, asn: 65001, 'connect-retry': 1, 'graceful-restart': gr },
          { address: ip.b, asn: 65002, 'connect-retry': 1, 'graceful-restart': gr },
          { address: ip.c, asn: 65003, 'connect-retry': 1, 'graceful-restart': gr },
          { address: ip.d, asn: 65004, 'connect-retry': 1, 'graceful-restart': gr },
          { address: ip.e, asn: 65005, 'connect-retry': 1 },
        ],
      },
      { log },
    );
    await Promise.all([a, b, c, d, e].map((g) => g.waitEstablished(ip.vrfleak)));
    await a.vrfRibAdd('V', '10.1.1.0/24', ['nexthop', '192.0.2.1']);
    await a.vrfRibAdd('V', '10.1.2.0/24', ['nexthop', '192.0.2.1']);
    await b.vrfRibAdd('V', '10.2.1.0/24', ['nexthop', '192.0.2.2']);
    await c.vrfRibAdd('V', '10.3.1.0/24', ['nexthop', '192.0.2.3']);
    await d.vrfRibAdd('V', '10.4.1.0/24', ['nexthop', '192.0.2.4']);
    await d.vrfRibAdd('V', '10.4.2.0/24', ['nexthop', '192.0.2.4']);
    await speaker.waitFor(
      () =>
        route('65001:10', '10.1.1.0/24') &&
        route('65001:10', '10.1.2.0/24') &&
        route('65002:10', '10.2.1.0/24') &&
        route('65003:10', '10.3.1.0/24') &&
        route('65004:10', '10.4.1.0/24') &&
        route('65004:10', '10.4.2.0/24'),
      { what: 'vrfleak has the six GoBGP routes' },
    );
    await waitWatcher(
      [
        '65001:10:10.1.1.0/24',
        '65001:10:10.1.2.0/24',
        '65002:10:10.2.1.0/24',
        '65003:10:10.3.1.0/24',
        '65004:10:10.4.1.0/24',
        '65004:10:10.4.2.0/24',
      ],
      'all six',
    );
  });

  it('e. a peer without graceful restart that dies loses its routes at once', async () => {
    expect(route('65002:10', '10.2.1.0/24')?.stale).toBeUndefined();
    await b.kill();
    await speaker.waitFor(() => !route('65002:10', '10.2.1.0/24'), {
      what: 'vrfleak drops the route of the GoBGP without GR as soon as it dies',
      timeoutMs: 2_000,
      intervalMs: 20,
    });
    await waitWatcher(
      [
        '65001:10:10.1.1.0/24',
        '65001:10:10.1.2.0/24',
        '65003:10:10.3.1.0/24',
        '65004:10:10.4.1.0/24',
        '65004:10:10.4.2.0/24',
      ],
      'B withdrawn',
    );
  });

  it('e. routes of a dead GR peer are kept as stale, and go when the restart time runs out', async () => {
    expect(route('65001:10', '10.1.1.0/24')?.stale).toBeUndefined();
    const killedAt = Date.now();
    await Promise.all([a.kill(), c.kill()]);
    await speaker.waitFor(
      () =>
        route('65001:10', '10.1.1.0/24')?.stale === true &&
        route('65001:10', '10.1.2.0/24')?.stale === true &&
        route('65003:10', '10.3.1.0/24')?.stale === true,
      { what: 'the routes of the GR peers A and C are marked stale', timeoutMs: 2_000 },
    );
    expect(speaker.neighbor(ip.a)?.state).not.toBe('Established');
    // Stale routes are still advertised: the watcher keeps A's, C's and D's.
    expect(await watcherKeys()).toEqual([
      '65001:10:10.1.1.0/24',
      '65001:10:10.1.2.0/24',
      '65003:10:10.3.1.0/24',
      '65004:10:10.4.1.0/24',
      '65004:10:10.4.2.0/24',
    ]);
    // C never comes back: its stale route goes with its restart time (3 s) ...
    await speaker.waitFor(() => !route('65003:10', '10.3.1.0/24'), {
      what: "C's stale route is removed when its restart time expires",
      timeoutMs: (RESTART_C + 3) * 1000,
      intervalMs: 50,
    });
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(RESTART_C * 1000 - 500);
    // ... while A's (10 s) are still there and still stale.
    expect(route('65001:10', '10.1.1.0/24')?.stale).toBe(true);
    expect(route('65001:10', '10.1.2.0/24')?.stale).toBe(true);
    await waitWatcher(
      [
        '65001:10:10.1.1.0/24',
        '65001:10:10.1.2.0/24',
        '65004:10:10.4.1.0/24',
        '65004:10:10.4.2.0/24',
      ],
      "C's expired route withdrawn",
    );
  });

  it("e. the restarted peer's End-of-RIB sweeps what it did not send again", async () => {
    // Restart A with the session held down until its one route is back in its table.
    const toml = readFileSync(a.configPath, 'utf8');
    const held = toml.replace(/(\[neighbors\.config\]\n)/, '$1    admin-down = true\n');
    expect(held).not.toBe(toml);
    writeFileSync(a.configPath, held);
    aArgs.push('-r');
    await a.restart();
    // GoBGP's AdminState: 0 up, 1 down. Held down, so no session (and no End-of-RIB) yet.
    expect((await a.neighbors())[0]?.state['admin_state']).toBe(1);
    await a.vrfRibAdd('V', '10.1.1.0/24', ['nexthop', '192.0.2.1', 'community', '65001:99']);
    // The restart time is still running: both are still there, stale.
    expect(route('65001:10', '10.1.1.0/24')?.stale).toBe(true);
    expect(route('65001:10', '10.1.2.0/24')?.stale).toBe(true);
    await a.cli(['neighbor', ip.vrfleak, 'enable']);
    await a.waitEstablished(ip.vrfleak);
    const fresh = await speaker.waitFor(
      () => {
        const r = route('65001:10', '10.1.1.0/24');
        return r?.stale === undefined && !route('65001:10', '10.1.2.0/24') && r;
      },
      {
        what: 'after A is back: 10.1.1.0/24 fresh again and 10.1.2.0/24 swept by End-of-RIB',
        // Well within A's 10 s restart time: only End-of-RIB can sweep here.
        timeoutMs: 4_000,
      },
    );
    expect(fresh).toMatchObject({ peer: ip.a, communities: ['65001:99'], nextHop: '192.0.2.1' });
    // The End-of-RIB swept exactly the one route A did not send again; nothing went earlier.
    expect(grEventsOf(ip.a).map((e) => [e.phase, e.routes])).toEqual([
      ['stale', 2],
      ['swept', 1],
    ]);
    await waitWatcher(
      ['65001:10:10.1.1.0/24', '65004:10:10.4.1.0/24', '65004:10:10.4.2.0/24'],
      "A's swept route withdrawn",
    );
  });

  it('e. a peer back without the Forwarding State bit loses its stale routes at once', async () => {
    await d.kill();
    await speaker.waitFor(
      () =>
        route('65004:10', '10.4.1.0/24')?.stale === true &&
        route('65004:10', '10.4.2.0/24')?.stale === true,
      { what: "D's routes are stale", timeoutMs: 2_000 },
    );
    // A plain restart: GoBGP's OPEN has GR with VPNv4 but F=0 (and an empty table).
    await d.restart();
    await d.waitEstablished(ip.vrfleak);
    await speaker.waitFor(
      () => !route('65004:10', '10.4.1.0/24') && !route('65004:10', '10.4.2.0/24'),
      { what: "D's stale routes are removed when its session is back", timeoutMs: 4_000 },
    );
    expect(grEventsOf(ip.d).map((e) => [e.phase, e.routes])).toEqual([
      ['stale', 2],
      ['not-preserved', 2],
    ]);
    await waitWatcher(['65001:10:10.1.1.0/24'], "D's routes withdrawn");
    await speaker.stop();
  });
});
