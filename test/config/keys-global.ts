// keys.test.ts entries for the top-level keys (not neighbors, VRFs or policy).

import { createServer, connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { runDaemon } from '../../src/cli/run.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { ShellFactory } from '../../src/daemon/daemon.js';
import { createEventLog } from '../../src/log/events.js';
import {
  base,
  differs,
  grCap,
  leak,
  oneNeighbor,
  PEER,
  prefixes,
  reflected,
  reflection,
  refusedOnlyWith,
  staleAfter,
  vpnRoutes,
  type KeyCheck,
} from './keys-scenarios.js';
import { ROUTER_ID, type World } from './keys-world.js';

/** A TCP port free on 127.0.0.1 a moment ago. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function accepts(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host: address, port });
    c.once('connect', () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

const noShells: ShellFactory = () => ({
  start: () => {},
  stop: () => {},
  send: () => {},
  accept: () => false,
  state: 'Idle',
});

/** `vrfleak run` on `c` (API included, no sessions), observed, stopped. */
async function running<T>(
  c: ConfigInput,
  observe: (r: Awaited<ReturnType<typeof runDaemon>>) => T | Promise<T>,
): Promise<T> {
  const file = join(mkdtempSync(join(tmpdir(), 'vrfleak-keys-')), 'c.yaml');
  writeFileSync(file, stringify(c));
  const r = await runDaemon(file, {
    shellFactory: noShells,
    ...(c.log ? {} : { log: createEventLog({ level: 'silent' }) }),
  });
  try {
    return await observe(r);
  } finally {
    await r.stop();
  }
}

const api = async (port: number, extra: Partial<NonNullable<ConfigInput['api']>> = {}) => ({
  address: '127.0.0.1',
  port,
  ...extra,
});

/** Default-table static routes were accepted and never installed: refused until built. */
const defaultStaticsRefused: KeyCheck = () => {
  refusedOnlyWith(
    leak(),
    leak(
      {},
      {},
      {
        'static-routes': [{ prefix: '10.5.0.0/24', 'next-hop': '10.1.0.9', 'next-hop-vrf': 'SRC' }],
      },
    ),
    /k\.yaml:\d+:\d+: static-routes: static routes in the default table are not built yet/,
  );
};

const GR = { 'graceful-restart': { enabled: true, 'restart-time': 30 } };

export const GLOBAL_KEYS: Record<string, KeyCheck> = {
  asn: async () => {
    const [a, b] = await differs(
      base(oneNeighbor()),
      { ...oneNeighbor(), asn: 65002 },
      (w) => w.peer(PEER).shell.fsm.localOpen.myAs,
    );
    expect([a, b]).toEqual([65000, 65002]);
  },
  'router-id': async () => {
    const [a, b] = await differs(
      oneNeighbor(),
      { ...oneNeighbor(), 'router-id': '10.0.0.2' },
      (w) => w.peer(PEER).shell.fsm.localOpen.bgpId,
    );
    expect([a, b]).toEqual([0x0a000001, 0x0a000002]);
  },
  'cluster-id': async () => {
    const [a, b] = await differs(reflection(), reflection({}, { 'cluster-id': '10.9.9.9' }), (w) =>
      reflected(w).map((r) => r.clusterList),
    );
    expect([a, b]).toEqual([[[ROUTER_ID]], [['10.9.9.9']]]);
  },
  'client-to-client': async () => {
    // PEER is a client too: its route reaches CLIENT only while client-to-client reflection is on.
    const clients = (on: boolean) =>
      reflection({}, { 'client-to-client': on }, { 'route-reflector-client': true });
    const [a, b] = await differs(clients(true), clients(false), (w) =>
      reflected(w).map((r) => r.prefix),
    );
    expect([a, b]).toEqual([['10.9.0.0/24'], []]);
  },
  listen: async () => {
    const [a, b] = await differs(
      base(),
      base({ listen: { address: '127.0.0.1', port: 0 } }),
      (w) => w.d.listenPort !== undefined,
    );
    expect([a, b]).toEqual([false, true]);
  },
  'listen.address': async () => {
    // The listener takes connections on its address only.
    const [a, b] = await differs(
      base({ listen: { address: '127.0.0.1', port: 0 } }),
      base({ listen: { address: '127.0.0.2', port: 0 } }),
      async (w) => accepts('127.0.0.1', w.d.listenPort ?? 0),
    );
    expect([a, b]).toEqual([true, false]);
  },
  'listen.port': async () => {
    const port = await freePort();
    const [, b] = await differs(
      base({ listen: { address: '127.0.0.1', port: 0 } }),
      base({ listen: { address: '127.0.0.1', port } }),
      (w) => w.d.listenPort,
    );
    expect(b).toBe(port);
  },
  api: 'container',
  'api.address': async () => {
    const port = await freePort();
    const at = (address: string) =>
      running(base({ api: { address, port } }), () => accepts('127.0.0.1', port));
    expect([await at('127.0.0.1'), await at('127.0.0.2')]).toEqual([true, false]);
  },
  'api.port': async () => {
    const port = await freePort();
    const seen = await running(base({ api: await api(port) }), (r) => r.api.port);
    expect(seen).toBe(port);
    const other = await freePort();
    expect(await running(base({ api: await api(other) }), (r) => r.api.port)).toBe(other);
  },
  'api.token': async () => {
    const status = (c: ConfigInput) =>
      running(c, async (r) => (await r.api.app.inject({ url: '/api/v1/summary' })).statusCode);
    const port = await freePort();
    expect(await status(base({ api: await api(port) }))).toBe(200);
    expect(await status(base({ api: await api(port, { token: 'sesame' }) }))).toBe(401);
  },
  log: 'container',
  'log.level': async () => {
    const level = (l: 'info' | 'error') =>
      running(base({ log: { level: l }, api: { port: 0 } }), (r) => r.daemon.log.logger.level);
    expect([await level('info'), await level('error')]).toEqual(['info', 'error']);
  },
  'graceful-restart': async () => {
    // FRR's global `bgp graceful-restart`: every neighbor advertises the capability.
    const [a, b] = await differs(oneNeighbor(), oneNeighbor({}, GR), (w) => grCap(w) !== undefined);
    expect([a, b]).toEqual([false, true]);
  },
  'graceful-restart.enabled': async () => {
    const off = { 'graceful-restart': { enabled: false } };
    await differs(oneNeighbor({}, off), oneNeighbor({}, GR), (w) => grCap(w) !== undefined);
  },
  'graceful-restart.restart-time': async () => {
    const [a, b] = await differs(
      oneNeighbor({}, GR),
      oneNeighbor({}, { 'graceful-restart': { 'restart-time': 45 } }),
      (w) => {
        const c = grCap(w);
        return c?.kind === 'graceful-restart' ? c.restartTime : undefined;
      },
    );
    expect([a, b]).toEqual([30, 45]);
  },
  'graceful-restart.stale-time': async () => {
    // RFC 4724 §4.2: the helper keeps a restarted peer's stale routes until End-of-RIB, at most
    // the stale time.
    const at = (stale: number) =>
      oneNeighbor({}, { 'graceful-restart': { 'restart-time': 30, 'stale-time': stale } });
    expect(await staleAfter(at(5), 4)).toBe(true);
    expect(await staleAfter(at(5), 5)).toBe(false);
    expect(await staleAfter(at(50), 5)).toBe(true);
  },
  'deny-inter-vrf-static': () => {
    const statics = {
      'static-routes': [{ prefix: '10.5.0.0/24', 'next-hop': '10.1.0.9', 'next-hop-vrf': 'SRC' }],
    };
    refusedOnlyWith(
      leak({}, statics),
      leak({}, statics, { 'deny-inter-vrf-static': true }),
      /static inter-VRF route 10\.5\.0\.0\/24 via "SRC" while deny-inter-vrf-static is true/,
    );
  },
  retain: async () => {
    // A VPN route no VRF imports: kept (all) or dropped (imported-only).
    const c = (retain: 'all' | 'imported-only') =>
      leak(
        {},
        {},
        {
          retain,
          neighbors: [{ address: PEER, asn: 65000, families: ['vpnv4'] }],
        },
      );
    const [a, b] = await differs(c('all'), c('imported-only'), (w) => {
      w.peer(PEER).up();
      w.peer(PEER).announce('vpnv4', ['10.77.0.0/24'], {
        routeTargets: ['65000:77'],
        rd: '65000:77',
      });
      w.settle();
      return prefixes(w, 'vpnv4').includes('10.77.0.0/24');
    });
    expect([a, b]).toEqual([true, false]);
  },
  labels: 'container',
  'labels.range': async () => {
    const c = (range?: [number, number]) =>
      leak({ label: 'auto' }, {}, range ? { labels: { range } } : {});
    const [a, b] = await differs(
      c(),
      c([5000, 6000]),
      (w) => vpnRoutes(w).find((r) => r.rd === '65000:1')?.label,
    );
    expect([a, b]).toEqual([16, 5000]);
  },
  neighbors: async () => {
    await differs(base(), oneNeighbor(), (w) => [...w.peers.keys()]);
  },
  networks: async () => {
    await differs(base(), base({ networks: ['10.5.0.0/24'] }), (w) => prefixes(w, 'ipv4'));
  },
  'networks[].prefix': async () => {
    const [a, b] = await differs(
      base({ networks: ['10.5.0.0/24'] }),
      base({ networks: ['10.6.0.0/24'] }),
      (w) => prefixes(w, 'ipv4'),
    );
    expect([a, b]).toEqual([['10.5.0.0/24'], ['10.6.0.0/24']]);
  },
  ...networkFields(
    'networks',
    (n) => base({ networks: [n] }),
    (w) => w.routes('ipv4')[0],
  ),
  ...Object.fromEntries(
    [
      'static-routes',
      'static-routes[].prefix',
      'static-routes[].next-hop',
      'static-routes[].next-hop-vrf',
    ].map((k) => [k, defaultStaticsRefused]),
  ),
};

/** A network in its long form (the schema's input type for it is the short form's `unknown`). */
type NetworkObject = { prefix: string } & Record<string, unknown>;
type StaticInput = NonNullable<ConfigInput['static-routes']>[number];
type View = ReturnType<World['routes']>[number] | undefined;

/** The network object's attribute keys, for default-table and VRF networks alike. */
export function networkFields(
  at: string,
  config: (n: NetworkObject) => ConfigInput,
  route: (w: World) => View,
): Record<string, KeyCheck> {
  const P = '10.5.0.0/24';
  const field =
    (key: string, a: unknown, b: unknown, pick: (v: NonNullable<View>) => unknown): KeyCheck =>
    async () => {
      await differs(config({ prefix: P, [key]: a }), config({ prefix: P, [key]: b }), (w) => {
        const r = route(w);
        return r ? pick(r) : 'no route';
      });
    };
  return {
    [`${at}[].communities`]: field('communities', ['65000:1'], ['65000:2'], (r) => r.communities),
    [`${at}[].large-communities`]: field(
      'large-communities',
      ['65000:1:1'],
      ['65000:1:2'],
      (r) => r.largeCommunities,
    ),
    [`${at}[].med`]: field('med', 10, 20, (r) => r.med),
    [`${at}[].local-preference`]: field('local-preference', 10, 20, (r) => r.localPref),
    [`${at}[].route-targets`]: field(
      'route-targets',
      ['65000:10'],
      ['65000:20'],
      (r) => r.routeTargets,
    ),
    [`${at}[].next-hop`]: field('next-hop', '192.0.2.1', '192.0.2.2', (r) => r.nextHop),
  };
}

/** The static route's keys; `view` undefined: the default table. */
export function staticFields(
  at: string,
  config: (s: StaticInput) => ConfigInput,
  view: string | undefined,
): Record<string, KeyCheck> {
  const s: StaticInput = { prefix: '10.5.0.0/24', 'next-hop': '10.1.0.9', 'next-hop-vrf': 'SRC' };
  const pick = (w: World) =>
    w.routes('ipv4', view).map((r) => [r.prefix, r.nextHop, r.nextHopVrf ?? '-'].join(' '));
  return {
    [`${at}[].prefix`]: async () => {
      await differs(config(s), config({ ...s, prefix: '10.6.0.0/24' }), pick);
    },
    [`${at}[].next-hop`]: async () => {
      await differs(config(s), config({ ...s, 'next-hop': '10.1.0.8' }), pick);
    },
    [`${at}[].next-hop-vrf`]: async () => {
      await differs(config(s), config({ ...s, 'next-hop-vrf': 'DST' }), pick);
    },
  };
}
