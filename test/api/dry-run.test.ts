import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReloadResult } from '../../src/api/reload.js';
import { BASE_CONFIG, startFixture, type Fixture } from './fixture.js';

// dry-run: the RIB and UPDATE changes a new config would cause, computed by the reload path on a
// shadow daemon; the running daemon does not change.
describe('dry-run shows the route and UPDATE changes, applying nothing', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await startFixture();
    fx.peers.get('127.0.0.11')!.up();
  });
  afterAll(() => fx.stop());

  it('a new SHARED network and a customer import-map change', async () => {
    const next = BASE_CONFIG.replace(
      'networks: [10.100.0.0/16]',
      'networks: [10.100.0.0/16, 10.100.9.0/24, 10.101.0.0/16]',
    );
    const r = await fx.run.api.app.inject({
      method: 'POST',
      url: '/api/v1/dry-run',
      payload: { config: next, file: 'next.yaml' },
    });
    expect(r.statusCode).toBe(200);
    const d = r.json<ReloadResult>();
    const lines = (d.routeChanges ?? []).map((c) =>
      `${c.change} ${c.table} ${c.rd ?? ''} ${c.prefix}`.replace(/\s+/g, ' '),
    );
    // SHARED's own table and the VPN table get both networks.
    expect(lines).toContain('added vrf SHARED ipv4 10.101.0.0/16');
    expect(lines).toContain('added vpnv4 65000:100 10.101.0.0/16');
    expect(lines).toContain('added vpnv4 65000:100 10.100.9.0/24');
    // CUSTOMER-A's import map lets 10.100.9.0/24 in (inside 10.100.0.0/16), not 10.101.0.0/16.
    expect(lines).toContain('added vrf CUSTOMER-A ipv4 10.100.9.0/24');
    expect(lines).not.toContain('added vrf CUSTOMER-A ipv4 10.101.0.0/16');
    expect(d.updates).toContainEqual({ family: 'vpnv4', announce: 2, withdraw: 0 });
    // Per neighbor: the PE is up and would be sent both new VPN routes (nothing else).
    expect(d.neighbors).toEqual([
      {
        address: '127.0.0.11',
        announce: 2,
        withdraw: 0,
        announced: ['vpnv4 65000:100:10.100.9.0/24', 'vpnv4 65000:100:10.101.0.0/16'],
        withdrawn: [],
        refresh: [],
      },
    ]);
    // Nothing was applied.
    const now = await fx.run.api.app.inject({ method: 'GET', url: '/api/v1/vrfs/SHARED/routes' });
    expect(JSON.stringify(now.json())).not.toMatch(/10\.101\.0\.0/);
  });
});
