// Issue 7, fault (d): vrfleak killed (SIGKILL) and restarted with graceful restart (RFC 4724).
//
// vrfleak runs in a child process (speaker-child.mjs) and exports four VRF networks to a GoBGP
// that has graceful restart with it (vrfleak advertises a 20 s restart time). When the child is
// killed, GoBGP keeps the four routes, marked stale (RFC 4724 §4.2). vrfleak comes back with
// `restarting: true` (R bit set, selection deferred until GoBGP's End-of-RIB) and the same config
// minus one network: its End-of-RIB lets GoBGP sweep the one route it did not send again, well
// before the restart time would have; the other three are fresh. vrfleak's own tables (read from
// the child's status file) hold exactly the three, and its leak invariants hold.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  assertPeersOrFail,
  spawnManaged,
  startGobgp,
  waitFor,
  waitUntil,
  type GobgpHandle,
  type ManagedProcess,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);
const RESTART_TIME = 20;
const repo = fileURLToPath(new URL('../../', import.meta.url));

interface ChildStatus {
  pid: number;
  invariants: string[];
  best: string[];
}

describe.skipIf(peers.skip)(peers.title('faults: vrfleak killed and restarted (GR)'), () => {
  const sc = useScenario(import.meta.url);
  let ip: { vrfleak: string; g: string };
  let g: GobgpHandle;
  let child: ManagedProcess;
  const statusPath = (): string => join(sc.dir, 'vrfleak-status.json');

  const config = (networks: string[]) => ({
    asn: 65000,
    'router-id': ip.vrfleak,
    listen: { address: ip.vrfleak, port: 179 },
    'graceful-restart': { enabled: true, 'restart-time': RESTART_TIME },
    neighbors: [
      {
        address: ip.g,
        asn: 65001,
        'connect-retry': 1,
        'graceful-restart': { enabled: true, 'restart-time': RESTART_TIME },
        'next-hop-address': '192.0.2.50',
      },
    ],
    vrfs: {
      V: {
        rd: '65000:1',
        'route-targets': { import: ['65000:1'], export: ['65000:1'] },
        networks: networks.map((prefix) => ({ prefix, 'next-hop': '192.0.2.10' })),
      },
    },
  });

  async function startChild(networks: string[], restarting: boolean): Promise<ManagedProcess> {
    const cfg = join(sc.dir, restarting ? 'vrfleak-2.json' : 'vrfleak-1.json');
    writeFileSync(cfg, JSON.stringify(config(networks)));
    const p = spawnManaged({
      name: restarting ? 'vrfleak-restarted' : 'vrfleak',
      command: process.execPath,
      args: [
        '--import',
        join(repo, 'bench/register.mjs'),
        join(repo, 'interop/faults/speaker-child.mjs'),
        cfg,
        statusPath(),
        ...(restarting ? ['restarting'] : []),
      ],
      logPath: join(sc.dir, restarting ? 'vrfleak-2.log' : 'vrfleak-1.log'),
      cwd: repo,
    });
    await waitFor(() => status()?.pid === p.pid, {
      what: `the vrfleak child ${p.pid} is up`,
      timeoutMs: 20_000,
    });
    return p;
  }

  function status(): ChildStatus | undefined {
    try {
      return JSON.parse(readFileSync(statusPath(), 'utf8')) as ChildStatus;
    } catch {
      return undefined;
    }
  }

  /** GoBGP's VPNv4 table: key -> stale flag of its (single) path. */
  const gobgpTable = async (): Promise<Record<string, boolean>> => {
    const rib = await g.globalRib('vpnv4');
    return Object.fromEntries(Object.entries(rib).map(([k, p]) => [k, p[0]?.stale === true]));
  };

  const all = ['10.1.1.0/24', '10.1.2.0/24', '10.1.3.0/24', '10.1.4.0/24'];
  const kept = ['10.1.1.0/24', '10.1.2.0/24', '10.1.4.0/24'];
  const keys = (prefixes: string[]) => prefixes.map((p) => `65000:1:${p}`).sort();

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), g: sc.nextAddress() };
    g = await startGobgp({
      name: 'gobgp-gr',
      parentDir: sc.dir,
      asn: 65001,
      routerId: ip.g,
      address: ip.g,
      neighbors: [
        {
          address: ip.vrfleak,
          asn: 65000,
          families: ['vpnv4'],
          gracefulRestart: { restartTime: RESTART_TIME },
        },
      ],
    });
    child = await startChild(all, false);
    await g.waitEstablished(ip.vrfleak);
    await waitUntil(gobgpTable, (t) => JSON.stringify(t) === JSON.stringify(fresh(keys(all))), {
      what: 'GoBGP has the four routes, fresh',
    });
  }, 60_000);

  const fresh = (k: string[]) => Object.fromEntries(k.map((x) => [x, false]));
  const stale = (k: string[]) => Object.fromEntries(k.map((x) => [x, true]));

  it('d. GoBGP keeps the routes of the killed vrfleak as stale; after the restart exactly the remaining ones, fresh', async () => {
    const killedAt = Date.now();
    await child.kill();
    await waitUntil(gobgpTable, (t) => JSON.stringify(t) === JSON.stringify(stale(keys(all))), {
      what: "GoBGP keeps vrfleak's four routes as stale",
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    expect(await g.neighborState(ip.vrfleak)).not.toBe('established');

    child = await startChild(kept, true);
    await g.waitEstablished(ip.vrfleak);
    await waitUntil(gobgpTable, (t) => JSON.stringify(t) === JSON.stringify(fresh(keys(kept))), {
      what: 'GoBGP holds exactly the three remaining routes, none stale',
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    // The End-of-RIB swept the fourth, not GoBGP's restart timer.
    expect(Date.now() - killedAt).toBeLessThan(RESTART_TIME * 1000);
    const st = status();
    expect(st?.invariants).toEqual([]);
    expect(st?.best).toEqual(keys(kept));
    console.log(`faults: GR restart converged ${Date.now() - killedAt} ms after the SIGKILL`);
    await child.stop();
  }, 60_000);
});
