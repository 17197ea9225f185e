// Labeled unicast (RFC 8277, SAFI 4) from a peer into the global labeled tables, read back through
// the API and the CLI: `show bgp ipv4|ipv6 labeled-unicast` lists the routes with their labels.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.js';
import type { RouteView } from '../../src/daemon/views.js';
import { startFixture, until, type Fixture } from '../api/fixture.js';
import { updateOf } from '../config/keys-world.js';

const PEER = '127.0.0.11';
let fx: Fixture;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli([...argv, '--api', fx.base], {
    out: (s) => (out += s),
    err: (s) => (err += s),
  });
  return { code, out, err };
}

beforeAll(async () => {
  fx = await startFixture(`asn: 65000
router-id: 10.0.0.1
api: { address: 127.0.0.1, port: 8179 }
neighbors:
  - { address: ${PEER}, asn: 65000, families: [ipv4-labeled, ipv6-labeled] }
`);
  const peer = fx.peers.get(PEER)!;
  peer.up();
  peer.events.update(updateOf('ipv4-labeled', ['10.9.0.0/24']));
  peer.events.update(updateOf('ipv6-labeled', ['2001:db8:9::/48']));
});
afterAll(async () => {
  await fx.stop();
});

describe('show bgp ipv4|ipv6 labeled-unicast', () => {
  it('--json: the routes with their labels (the API answer)', async () => {
    const v4 = await until(async () => {
      const r = JSON.parse((await cli('show', 'bgp', 'ipv4', 'labeled-unicast', '--json')).out);
      return (r as RouteView[]).length ? (r as RouteView[]) : undefined;
    }, 'the labeled route');
    expect(v4).toMatchObject([{ prefix: '10.9.0.0/24', labels: [200], label: 200, peer: PEER }]);
    const v6 = JSON.parse((await cli('show', 'bgp', 'ipv6', 'labeled-unicast', '--json')).out);
    expect(v6).toMatchObject([{ prefix: '2001:db8:9::/48', labels: [200] }]);
  });

  it("text: the FRR table with each route's label under it", async () => {
    const r = await cli('show', 'bgp', 'ipv4', 'labeled-unicast');
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^ \*>i10\.9\.0\.0\/24 +192\.0\.2\.1 .*\n {4}label=200$/m);
  });

  it('the summary counts the labeled tables', async () => {
    const r = await cli('show', 'bgp', 'summary');
    expect(r.out).toContain('ipv4-labeled 1 prefixes/1 paths');
  });
});
