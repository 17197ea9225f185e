import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from './fixture.js';

// Writes of neighbors, VRFs and policies through the API: applied live through the reload path;
// a bad object is refused with the config checker's key path and the running state is kept.
describe('API writes: neighbors, VRFs, policies', () => {
  let fx: Fixture;
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    fx.run.api.app.inject(
      payload === undefined ? { method, url } : { method, url, payload: payload as object },
    );

  beforeAll(async () => {
    fx = await startFixture();
  });
  afterAll(() => fx.stop());

  it('PUT a VRF: it exists, imports SHARED through the RTs, and DELETE withdraws it', async () => {
    const put = await call('PUT', '/api/v1/vrfs/CUSTOMER-C', {
      rd: '65000:30',
      'route-targets': { import: ['65000:100'], export: ['65000:30'] },
      networks: ['10.3.5.0/24'],
    });
    expect(put.statusCode).toBe(200);
    const routes = await call('GET', '/api/v1/vrfs/CUSTOMER-C/routes');
    const prefixes = (routes.json() as Array<{ prefix: string }>).map((r) => r.prefix).sort();
    expect(prefixes).toEqual(['10.100.0.0/16', '10.3.5.0/24']);
    const del = await call('DELETE', '/api/v1/vrfs/CUSTOMER-C');
    expect(del.statusCode).toBe(200);
    expect((await call('GET', '/api/v1/vrfs/CUSTOMER-C/routes')).statusCode).toBe(404);
    const vpn = await call('GET', '/api/v1/routes/vpnv4');
    expect(JSON.stringify(vpn.json())).not.toMatch(/65000:30/);
  });

  it('a bad VRF is refused with its key path; nothing changes', async () => {
    const r = await call('PUT', '/api/v1/vrfs/BAD', { rd: '65000-10' });
    expect(r.statusCode).toBe(422);
    const errors = (r.json() as { errors: string[] }).errors;
    expect(errors).toEqual([
      expect.stringMatching(
        /^<api>:\d+:\d+: vrfs\.BAD\.rd: "65000-10" is not a route distinguisher; use ASN:NN/,
      ),
    ]);
    expect((await call('GET', '/api/v1/vrfs/BAD/routes')).statusCode).toBe(404);
  });

  it('POST and DELETE a neighbor; unknown ones get 404; a bad one 422', async () => {
    const add = await call('POST', '/api/v1/neighbors', {
      address: '127.0.0.12',
      asn: 65012,
      passive: true,
    });
    expect(add.statusCode).toBe(200);
    const list = await call('GET', '/api/v1/neighbors');
    expect(JSON.stringify(list.json())).toMatch(/127\.0\.0\.12/);
    expect((await call('DELETE', '/api/v1/neighbors/127.0.0.12')).statusCode).toBe(200);
    expect(JSON.stringify((await call('GET', '/api/v1/neighbors')).json())).not.toMatch(
      /127\.0\.0\.12/,
    );
    expect((await call('DELETE', '/api/v1/neighbors/127.0.0.99')).statusCode).toBe(404);
    const bad = await call('POST', '/api/v1/neighbors', { address: '127.0.0.13', asn: 'x' });
    expect(bad.statusCode).toBe(422);
    expect(JSON.stringify(bad.json())).toMatch(/neighbors\[\d+\]\.asn/);
  });

  it('PUT the policy section: a route map naming an unknown prefix list is refused', async () => {
    const r = await call('PUT', '/api/v1/policy', {
      'route-maps': {
        'IMPORT-SHARED': [{ seq: 10, action: 'permit', match: { 'prefix-list': 'NOPE' } }],
      },
    });
    expect(r.statusCode).toBe(422);
    expect(JSON.stringify(r.json())).toMatch(/NOPE/);
  });
});
