// The HTTP API through fastify.inject (no sockets except the API's own loopback listener): every
// route, and every kind of bad request gets a 4xx with a JSON message.

import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi, startApi } from '../../src/api/http.js';
import type { RouteView } from '../../src/daemon/views.js';
import { startFixture, until, type Fixture } from './fixture.js';

let fx: Fixture;
type Inject = InjectOptions;
const call = async (o: Inject) => {
  const r = await fx.run.api.app.inject(o);
  return {
    status: r.statusCode,
    json: () => r.json() as unknown,
    text: r.body,
    type: r.headers['content-type'],
  };
};
const get = (url: string) => call({ method: 'GET', url });

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.stop();
});

describe('reads', () => {
  it('summary names the AS, router id, the six global tables and the neighbor', async () => {
    const r = await get('/api/v1/summary');
    expect(r.status).toBe(200);
    const s = r.json() as {
      asn: number;
      routerId: string;
      tables: { family: string }[];
      neighbors: { address: string; state: string }[];
    };
    expect(s.asn).toBe(65000);
    expect(s.routerId).toBe('10.0.0.1');
    expect(s.tables.map((t) => t.family)).toEqual([
      'vpnv4',
      'vpnv6',
      'ipv4',
      'ipv6',
      'ipv4-labeled',
      'ipv6-labeled',
    ]);
    expect(s.neighbors.map((n) => [n.address, n.state])).toEqual([['127.0.0.11', 'Active']]);
  });

  it('neighbors, one neighbor, an unknown one (404) and a non-address (400)', async () => {
    expect((await get('/api/v1/neighbors')).json()).toHaveLength(1);
    const one = (await get('/api/v1/neighbors/127.0.0.11')).json() as {
      asn: number;
      description: string;
    };
    expect(one).toMatchObject({ asn: 65000, description: 'PE2' });
    const unknown = await get('/api/v1/neighbors/127.0.0.99');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({ message: 'no neighbor 127.0.0.99' });
    const bad = await get('/api/v1/neighbors/not-an-address');
    expect(bad.status).toBe(400);
    expect((bad.json() as { message: string }).message).toMatch(/not an IP address/);
  });

  it('VRFs: the list, one, an unknown one, its table, a bad family', async () => {
    const list = (await get('/api/v1/vrfs')).json() as {
      name: string;
      rd: string;
      importRts: string[];
      label: number;
    }[];
    expect(list.map((v) => [v.name, v.rd, v.label])).toEqual([
      ['SHARED', '65000:100', 100],
      ['CUSTOMER-A', '65000:10', 110],
    ]);
    expect((await get('/api/v1/vrfs/CUSTOMER-A')).json()).toMatchObject({
      importRts: ['65000:100'],
      importMap: 'IMPORT-SHARED',
    });
    expect((await get('/api/v1/vrfs/NOPE')).status).toBe(404);
    const routes = await get('/api/v1/vrfs/CUSTOMER-A/routes');
    expect(routes.status).toBe(200);
    expect(Array.isArray(routes.json())).toBe(true);
    expect((await get('/api/v1/vrfs/NOPE/routes')).status).toBe(404);
    const fam = await get('/api/v1/vrfs/CUSTOMER-A/routes?family=ipv5');
    expect(fam.status).toBe(400);
    expect((fam.json() as { message: string }).message).toMatch(/ipv5/);
  });

  it('policy: prefix lists and route maps, all or by name; an unknown name is 404', async () => {
    expect(Object.keys((await get('/api/v1/policy/prefix-lists')).json() as object)).toEqual([
      'SHARED-SERVICES',
    ]);
    const pl = (await get('/api/v1/policy/prefix-lists/SHARED-SERVICES')).json() as Record<
      string,
      { prefix: string }[]
    >;
    expect(pl['SHARED-SERVICES']![0]!.prefix).toBe('10.100.0.0/16');
    expect((await get('/api/v1/policy/prefix-lists/NOPE')).status).toBe(404);
    const rm = (await get('/api/v1/policy/route-maps/IMPORT-SHARED')).json() as Record<
      string,
      { action: string }[]
    >;
    expect(rm['IMPORT-SHARED']!.map((c) => c.action)).toEqual(['permit', 'deny']);
    expect((await get('/api/v1/policy/route-maps/NOPE')).status).toBe(404);
    expect(Object.keys((await get('/api/v1/policy/route-maps')).json() as object)).toEqual([
      'IMPORT-SHARED',
    ]);
  });

  it('leak conflicts, the graph as JSON and DOT, a bad format', async () => {
    expect(Array.isArray((await get('/api/v1/leak/conflicts')).json())).toBe(true);
    expect((await get('/api/v1/leak/violations')).json()).toEqual([]);
    const g = (await get('/api/v1/leak/graph')).json() as {
      vrfs: string[];
      edges: { from: string; to: string; routeTargets: string[] }[];
    };
    expect(g.vrfs).toEqual(['SHARED', 'CUSTOMER-A']);
    // SHARED exports 65000:100, which CUSTOMER-A imports; CUSTOMER-A exports 65000:10, SHARED imports it.
    expect(g.edges.map((e) => `${e.from}>${e.to}:${e.routeTargets.join()}`).sort()).toEqual([
      'CUSTOMER-A>SHARED:65000:10',
      'SHARED>CUSTOMER-A:65000:100',
    ]);
    const dot = await get('/api/v1/leak/graph?format=dot');
    expect(dot.type).toMatch(/graphviz/);
    expect(dot.text).toContain('"SHARED" -> "CUSTOMER-A"');
    expect((await get('/api/v1/leak/graph?format=xml')).status).toBe(400);
  });

  it('explain: a known VRF answers; an unknown VRF is 404, a bad prefix 400', async () => {
    const e = await get('/api/v1/explain/CUSTOMER-A?prefix=10.100.0.0/16');
    expect(e.status).toBe(200);
    expect(e.json()).toMatchObject({ vrf: 'CUSTOMER-A', prefix: '10.100.0.0/16' });
    expect((await get('/api/v1/explain/NOPE?prefix=10.100.0.0/16')).status).toBe(404);
    expect((await get('/api/v1/explain/CUSTOMER-A?prefix=10.100.0.1/16')).status).toBe(400);
  });

  it('an unknown endpoint is a JSON 404', async () => {
    const r = await get('/api/v1/nope');
    expect(r.status).toBe(404);
    expect((r.json() as { message: string }).message).toMatch(/no such endpoint/);
  });
});

describe('routes in the global tables', () => {
  const vpn = async (q = '') => (await get(`/api/v1/routes/vpnv4${q}`)).json() as RouteView[];

  it('POST puts a VPN route in, GET finds it by RD and by prefix, DELETE takes it out', async () => {
    const add = await call({
      method: 'POST',
      url: '/api/v1/routes/vpnv4',
      payload: {
        prefix: '10.9.0.0/24',
        rd: '65000:99',
        nextHop: '192.0.2.1',
        label: 1000,
        routeTargets: ['65000:99'],
        localPref: 200,
      },
    });
    expect(add.status).toBe(200);
    const [r] = await until(async () => {
      const l = await vpn('?rd=65000:99');
      // Present and chosen: best path runs in the commit after the announce.
      return l[0]?.best ? l : undefined;
    }, 'the route in vpnv4 as best');
    expect(r).toMatchObject({
      prefix: '10.9.0.0/24',
      rd: '65000:99',
      label: 1000,
      nextHop: '192.0.2.1',
      routeTargets: ['65000:99'],
      localPref: 200,
      best: true,
      source: 'local',
    });
    expect((await vpn('?rd=65000:99&prefix=10.9.0.0/24')).length).toBe(1);
    // A bare address is a longest-match lookup; a different prefix length does not match exactly.
    expect((await vpn('?rd=65000:99&prefix=10.9.0.77')).map((x) => x.prefix)).toEqual([
      '10.9.0.0/24',
    ]);
    expect(await vpn('?rd=65000:99&prefix=10.9.0.0/25')).toEqual([]);
    expect(await vpn('?rd=65000:98')).toEqual([]);
    const del = await call({
      method: 'DELETE',
      url: '/api/v1/routes/vpnv4?rd=65000:99&prefix=10.9.0.0/24',
    });
    expect(del.status).toBe(200);
    await until(async () => (await vpn('?rd=65000:99')).length === 0, 'the withdrawal');
    const again = await call({
      method: 'DELETE',
      url: '/api/v1/routes/vpnv4?rd=65000:99&prefix=10.9.0.0/24',
    });
    expect(again.status).toBe(404);
  });

  it('POST and DELETE in ipv4 unicast', async () => {
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/routes/ipv4',
          payload: { prefix: '198.51.100.0/24' },
        })
      ).status,
    ).toBe(200);
    await until(
      async () =>
        ((await get('/api/v1/routes/ipv4?prefix=198.51.100.0/24')).json() as unknown[]).length ===
        1,
      'ipv4 route',
    );
    expect(
      (await call({ method: 'DELETE', url: '/api/v1/routes/ipv4?prefix=198.51.100.0/24' })).status,
    ).toBe(200);
  });

  it('a route put into a VRF through the API shows up in the VPN table or the VRF table', async () => {
    const add = await call({
      method: 'POST',
      url: '/api/v1/vrfs/CUSTOMER-A/routes',
      payload: { prefix: '10.1.77.0/24' },
    });
    expect(add.status).toBe(200);
    const table = (add.json() as { table: string }).table;
    await until(async () => {
      const url =
        table === 'vpnv4'
          ? '/api/v1/routes/vpnv4?rd=65000:10&prefix=10.1.77.0/24'
          : '/api/v1/vrfs/CUSTOMER-A/routes?prefix=10.1.77.0/24';
      return ((await get(url)).json() as unknown[]).length === 1;
    }, `10.1.77.0/24 in ${table}`);
    expect(
      (await call({ method: 'DELETE', url: '/api/v1/vrfs/CUSTOMER-A/routes?prefix=10.1.77.0/24' }))
        .status,
    ).toBe(200);
    expect(
      (await call({ method: 'DELETE', url: '/api/v1/vrfs/CUSTOMER-A/routes?prefix=10.1.77.0/24' }))
        .status,
    ).toBe(404);
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/vrfs/NOPE/routes',
          payload: { prefix: '10.1.77.0/24' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call({
          method: 'POST',
          url: '/api/v1/vrfs/CUSTOMER-A/routes',
          payload: { prefix: '10.1.77.0/24', rd: '1:1' },
        })
      ).status,
    ).toBe(400);
  });

  const bad: [string, Inject, RegExp][] = [
    [
      'unknown family (GET)',
      { method: 'GET', url: '/api/v1/routes/l2vpn' },
      /unknown family "l2vpn"/,
    ],
    [
      'unknown family (POST)',
      { method: 'POST', url: '/api/v1/routes/evpn', payload: { prefix: '10.0.0.0/8' } },
      /unknown family/,
    ],
    [
      'bad prefix filter',
      { method: 'GET', url: '/api/v1/routes/vpnv4?prefix=10.0.0.300/24' },
      /bad prefix/,
    ],
    [
      'host bits set',
      { method: 'POST', url: '/api/v1/routes/ipv4', payload: { prefix: '10.1.1.1/16' } },
      /host bits/,
    ],
    [
      'missing prefix',
      { method: 'POST', url: '/api/v1/routes/ipv4', payload: {} },
      /prefix is required/,
    ],
    [
      'prefix of the other family',
      { method: 'POST', url: '/api/v1/routes/ipv6', payload: { prefix: '10.0.0.0/8' } },
      /is not ipv6/,
    ],
    ['bad RD filter', { method: 'GET', url: '/api/v1/routes/vpnv4?rd=65000-10' }, /bad rd/],
    [
      'bad RD in a route',
      { method: 'POST', url: '/api/v1/routes/vpnv4', payload: { prefix: '10.0.0.0/8', rd: 'x:y' } },
      /bad rd/,
    ],
    [
      'missing RD for a VPN route',
      { method: 'POST', url: '/api/v1/routes/vpnv4', payload: { prefix: '10.0.0.0/8' } },
      /rd is required/,
    ],
    [
      'RD on a unicast table',
      { method: 'GET', url: '/api/v1/routes/ipv4?rd=65000:1' },
      /rd applies to vpnv4/,
    ],
    [
      'bad next hop',
      {
        method: 'POST',
        url: '/api/v1/routes/ipv4',
        payload: { prefix: '10.0.0.0/8', nextHop: 'router' },
      },
      /bad nextHop/,
    ],
    [
      'bad route target',
      {
        method: 'POST',
        url: '/api/v1/routes/vpnv4',
        payload: { prefix: '10.0.0.0/8', rd: '1:1', routeTargets: ['blue'] },
      },
      /bad route target/,
    ],
    [
      'label out of range',
      {
        method: 'POST',
        url: '/api/v1/routes/vpnv4',
        payload: { prefix: '10.0.0.0/8', rd: '1:1', label: 2 ** 20 },
      },
      /label must be/,
    ],
    [
      'localPref not a number',
      {
        method: 'POST',
        url: '/api/v1/routes/ipv4',
        payload: { prefix: '10.0.0.0/8', localPref: 'high' },
      },
      /localPref/,
    ],
    [
      'bad JSON',
      {
        method: 'POST',
        url: '/api/v1/routes/ipv4',
        payload: '{"prefix": ',
        headers: { 'content-type': 'application/json' },
      },
      /bad JSON body/,
    ],
    [
      'a JSON body that is not an object',
      {
        method: 'POST',
        url: '/api/v1/routes/ipv4',
        payload: '[1,2]',
        headers: { 'content-type': 'application/json' },
      },
      /must be a JSON object/,
    ],
    [
      'bad log level',
      { method: 'PUT', url: '/api/v1/log-level', payload: { level: 'loud' } },
      /level must be one of/,
    ],
    [
      'dry-run without config',
      { method: 'POST', url: '/api/v1/dry-run', payload: {} },
      /config .* is required/,
    ],
  ];
  it.each(bad)('%s is a 400 with a message', async (_name, req, message) => {
    const r = await call(req);
    expect(r.status).toBe(400);
    expect((r.json() as { message: string }).message).toMatch(message);
  });
});

describe('log level, metrics, OpenAPI', () => {
  it('PUT /log-level changes the level at run time', async () => {
    expect((await get('/api/v1/log-level')).json()).toEqual({ level: 'info' });
    expect(
      (await call({ method: 'PUT', url: '/api/v1/log-level', payload: { level: 'debug' } })).status,
    ).toBe(200);
    expect(fx.run.service.log.logger.level).toBe('debug');
    await call({ method: 'PUT', url: '/api/v1/log-level', payload: { level: 'info' } });
  });

  it('/metrics has sessions by state, routes per table, UPDATEs per peer, conflicts, loop delay', async () => {
    const m = await get('/metrics');
    expect(m.status).toBe(200);
    expect(m.text).toContain('vrfleak_sessions{state="Active"} 1');
    expect(m.text).toContain('vrfleak_sessions{state="Established"} 0');
    expect(m.text).toMatch(/vrfleak_routes\{table="global",family="vpnv4"\} \d+/);
    expect(m.text).toContain('vrfleak_updates_received_total{peer="127.0.0.11"} 0');
    expect(m.text).toContain('vrfleak_updates_sent_total{peer="127.0.0.11"} 0');
    expect(m.text).toContain('vrfleak_leak_conflicts 0');
    expect(m.text).toContain('# TYPE vrfleak_leak_violations gauge');
    expect(m.text).toContain('# TYPE vrfleak_leak_violations_raised_total counter');
    expect(m.text).toContain('vrfleak_event_loop_delay_seconds{quantile="0.99"}');
  });

  it('/openapi.json documents every route the app serves', async () => {
    const doc = (await get('/openapi.json')).json() as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toMatch(/^3\./);
    const ops = Object.entries(doc.paths).flatMap(([p, m]) =>
      Object.keys(m).map((k) => [k.toUpperCase(), p.replace(/\{(\w+)\}/g, ':$1')] as const),
    );
    expect(ops.length).toBeGreaterThanOrEqual(25);
    for (const [method, url] of ops)
      expect(fx.run.api.app.hasRoute({ method: method as 'GET', url }), `${method} ${url}`).toBe(
        true,
      );
    for (const url of [
      '/api/v1/summary',
      '/api/v1/events',
      '/metrics',
      '/api/v1/reload',
      '/api/v1/leak/graph',
    ])
      expect(
        ops.some(([, u]) => u === url),
        url,
      ).toBe(true);
  });
});

describe('the bearer token', () => {
  it('is required on every route when set: missing 401, wrong 403, right 200; /openapi.json stays open', async () => {
    const app = await buildApi(fx.run.service, { token: 's3cret' });
    try {
      const missing = await app.inject({ method: 'GET', url: '/api/v1/summary' });
      expect(missing.statusCode).toBe(401);
      expect(missing.json()).toEqual({
        message: 'missing bearer token (Authorization: Bearer TOKEN)',
      });
      const wrong = await app.inject({
        method: 'GET',
        url: '/api/v1/summary',
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.statusCode).toBe(403);
      expect(wrong.json()).toEqual({ message: 'wrong bearer token' });
      const right = await app.inject({
        method: 'GET',
        url: '/api/v1/summary',
        headers: { authorization: 'Bearer s3cret' },
      });
      expect(right.statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('a non-loopback address without a token is refused before listening', async () => {
    await expect(startApi(fx.run.service, { address: '0.0.0.0', port: 0 })).rejects.toThrow(
      /set api.token/,
    );
  });
});
