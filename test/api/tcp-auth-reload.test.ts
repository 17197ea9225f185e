// A neighbor's password and ttl-security through the reload path: a change resets that session
// only (the dry-run says so first), and the key never shows in the API, the CLI's text or the log.

import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReloadResult } from '../../src/api/reload.js';
import type { NeighborView } from '../../src/api/service.js';
import { formatNeighbor } from '../../src/cli/format.js';
import { startFixture, type Fixture } from './fixture.js';

const config = (md5: string, extra = '') => `asn: 65000
router-id: 10.0.0.1
api: { address: 127.0.0.1, port: 8179 }
neighbors:
  - { address: 127.0.0.11, asn: 65000, families: [vpnv4], password: ${md5}${extra} }
  - { address: 127.0.0.12, asn: 65000, families: [vpnv4] }
`;

describe('password and ttl-security on a running daemon', () => {
  let fx: Fixture;
  const lines: string[] = [];
  beforeAll(async () => {
    fx = await startFixture(config('first-secret'), { logLines: lines });
    fx.peers.get('127.0.0.11')!.up();
    fx.peers.get('127.0.0.12')!.up();
  });
  afterAll(() => fx.stop());

  const dryRun = async (text: string) => {
    const r = await fx.run.api.app.inject({
      method: 'POST',
      url: '/api/v1/dry-run',
      payload: { config: text, file: 'next.yaml' },
    });
    expect(r.statusCode).toBe(200);
    return r.json<ReloadResult>();
  };

  it('shows that a key is configured, never the key', async () => {
    const r = await fx.run.api.app.inject({ method: 'GET', url: '/api/v1/neighbors' });
    expect(r.body).not.toContain('first-secret');
    const [md5, plain] = r.json<NeighborView[]>();
    expect([md5?.tcpMd5, plain?.tcpMd5]).toEqual([true, false]);
    const text = formatNeighbor(md5!, 65000);
    expect(text).toContain('TCP-MD5 authentication: configured (key not shown)');
    expect(text).not.toContain('first-secret');
  });

  it('the dry-run of a new password says the session restarts, for that neighbor only', async () => {
    const d = await dryRun(config('second-secret'));
    expect(d.changes).toEqual(['neighbor 127.0.0.11: password changed (session restarts)']);
    expect(d.neighbors?.filter((n) => n.reset).map((n) => [n.address, n.reset])).toEqual([
      ['127.0.0.11', 'deconfigured'],
    ]);
    expect(JSON.stringify(d)).not.toMatch(/first-secret|second-secret/);
    expect(fx.peers.get('127.0.0.11')!.state).toBe('Established');
  });

  it('the dry-run of ttl-security likewise', async () => {
    const d = await dryRun(config('first-secret', ", 'ttl-security': { hops: 1 }"));
    expect(d.changes).toEqual(['neighbor 127.0.0.11: ttl-security changed (session restarts)']);
  });

  it('a reload with a new password resets that session and keeps the other', async () => {
    const other = fx.peers.get('127.0.0.12')!;
    writeFileSync(fx.file, config('second-secret'));
    const r = await fx.run.api.app.inject({ method: 'POST', url: '/api/v1/reload' });
    expect(r.statusCode).toBe(200);
    expect(r.body).not.toMatch(/first-secret|second-secret/);
    expect(fx.peers.get('127.0.0.12')).toBe(other);
    expect(other.state).toBe('Established');
    expect(other.stoppedWith).toBeUndefined();
    // The old shell was stopped (Peer De-configured) and a new one made with the new key.
    expect(fx.peers.get('127.0.0.11')!.state).not.toBe('Established');
  });

  it('a refused password does not print the key either', async () => {
    const refused = await fx.run.api.app.inject({
      method: 'POST',
      url: '/api/v1/dry-run',
      payload: { config: config("'" + 'k'.repeat(81) + "'"), file: 'next.yaml' },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('next.yaml:5:');
    expect(refused.body).toContain('neighbors[0].password: the password is 81 octets');
    expect(refused.body).not.toContain('k'.repeat(81));
  });

  it('the log never carried a key', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toMatch(/first-secret|second-secret|kkkkkkkk/);
  });
});
