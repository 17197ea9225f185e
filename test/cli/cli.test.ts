// The CLI against a daemon started in the test (fake session shells, the real API on loopback):
// runCli is the same function the `vrfleak` executable runs.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.js';
import type { RouteView } from '../../src/daemon/views.js';
import { BASE_CONFIG, startFixture, until, type Fixture } from '../api/fixture.js';

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
  fx = await startFixture();
});
afterAll(async () => {
  await fx.stop();
});

describe('show', () => {
  it('show bgp summary: router id, AS, the neighbor with its state, then its prefix count once up', async () => {
    const r = await cli('show', 'bgp', 'summary');
    expect(r.code).toBe(0);
    expect(r.out).toContain('BGP router identifier 10.0.0.1, local AS number 65000');
    expect(r.out).toMatch(/^127\.0\.0\.11\s+4\s+65000\s+0\s+0\s+never Active\s+PE2$/m);
    fx.peers.get('127.0.0.11')!.up();
    const up = await cli('show', 'bgp', 'summary');
    // Established: the State/PfxRcd column shows the prefix count (none received).
    expect(up.out).toMatch(/^127\.0\.0\.11\s+4\s+65000\s+0\s+\d+\s+\d\d:\d\d:\d\d 0\s+PE2$/m);
  });

  it('show bgp neighbors ADDR, and an unknown neighbor exits 1 with the API message', async () => {
    const r = await cli('show', 'bgp', 'neighbors', '127.0.0.11');
    expect(r.out).toContain(
      'BGP neighbor is 127.0.0.11, remote AS 65000, local AS 65000, internal link',
    );
    const bad = await cli('show', 'bgp', 'neighbors', '127.0.0.99');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('vrfleak: no neighbor 127.0.0.99\n');
  });

  it('show bgp ipv4 vpn: RD headings, status codes and the FRR columns', async () => {
    const r = await cli('show', 'bgp', 'ipv4', 'vpn');
    expect(r.code).toBe(0);
    expect(r.out).toContain('   Network          Next Hop            Metric LocPrf Weight Path');
    expect(r.out).toContain('Route Distinguisher: 65000:10\n *> 10.1.5.0/24');
    expect(r.out).toContain('Route Distinguisher: 65000:100\n');
    expect(r.out).toMatch(/EC\{RT:65000:10\} label=110/);
  });

  it('show bgp neighbors ADDR advertised-routes | received-routes | routes, as FRR', async () => {
    const adv = await cli('show', 'bgp', 'neighbors', '127.0.0.11', 'advertised-routes');
    expect(adv.code).toBe(0);
    expect(adv.out).toContain('For address family: vpnv4');
    expect(adv.out).toContain('Route Distinguisher: 65000:10\n *  10.1.5.0/24');
    expect(adv.out).toContain('Total number of prefixes 2');
    const json = await cli('show', 'bgp', 'neighbors', '127.0.0.11', 'advertised-routes', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ address: '127.0.0.11', kind: 'advertised' });
    // Nothing kept before policy without the key: FRR's refusal, through the API's message.
    const rec = await cli('show', 'bgp', 'neighbors', '127.0.0.11', 'received-routes');
    expect(rec.code).toBe(1);
    expect(rec.err).toMatch(/soft-reconfiguration: inbound/);
    const acc = await cli('show', 'bgp', 'neighbors', '127.0.0.11', 'routes', 'vpnv4');
    expect(acc.out).toContain('Total number of prefixes 0');
    const bad = await cli('show', 'bgp', 'neighbors', '127.0.0.11', 'sideways-routes');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/usage: .*received-routes\|routes\|advertised-routes/);
  });

  it('show bgp ipv4 vpn rd RD --json: only that RD, with the documented fields', async () => {
    const r = await cli('show', 'bgp', 'ipv4', 'vpn', 'rd', '65000:100', '--json');
    const routes = JSON.parse(r.out) as RouteView[];
    expect(routes.length).toBeGreaterThan(0);
    for (const x of routes) {
      expect(x.rd).toBe('65000:100');
      for (const k of [
        'prefix',
        'nextHop',
        'source',
        'best',
        'label',
        'routeTargets',
        'localPref',
        'med',
        'asPath',
        'origin',
      ])
        expect(x, k).toHaveProperty(k);
    }
    expect(routes.map((x) => x.prefix)).toContain('10.100.0.0/16');
  });

  it('a bad RD is refused by the API and reported', async () => {
    const r = await cli('show', 'bgp', 'ipv4', 'vpn', 'rd', '65000-10');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^vrfleak: bad rd: "65000-10" is not a route distinguisher/);
  });

  it("show ip route vrf CUSTOMER-A shows SHARED's leaked routes once the VRF layer runs", async () => {
    const json = await until(async () => {
      const r = JSON.parse(
        (await cli('show', 'ip', 'route', 'vrf', 'CUSTOMER-A', '--json')).out,
      ) as RouteView[];
      return r.some((x) => x.prefix === '10.100.0.0/16') ? r : undefined;
    }, '10.100.0.0/16 in CUSTOMER-A');
    const leaked = json.find((x) => x.prefix === '10.100.0.0/16')!;
    expect(leaked).toMatchObject({ source: 'leaked', fromVrf: 'SHARED', best: true, fib: false });
    const text = await cli('show', 'ip', 'route', 'vrf', 'CUSTOMER-A');
    expect(text.out).toContain('VRF CUSTOMER-A:');
    expect(text.out).toMatch(/^B> {2}10\.100\.0\.0\/16 .* via vrf SHARED/m);
    expect(text.out).toMatch(/^B> {2}10\.1\.5\.0\/24 /m);
  });

  it('show vrf, show vrf NAME, an unknown VRF', async () => {
    const all = await cli('show', 'vrf');
    expect(all.out).toMatch(/^CUSTOMER-A\s+65000:10\s+110\s+65000:100\s+65000:10\s+IMPORT-SHARED/m);
    const one = await cli('show', 'vrf', 'SHARED');
    expect(one.out).toContain('  RD 65000:100, label 100');
    expect(one.out).toContain('  Import RTs: 65000:10 65000:20');
    const bad = await cli('show', 'vrf', 'NOPE');
    expect(bad.code).toBe(1);
    expect(bad.err).toBe('vrfleak: no VRF NOPE\n');
  });

  it('show policy prefix-list / route-map', async () => {
    const pl = await cli('show', 'policy', 'prefix-list');
    expect(pl.out).toBe(
      'ip prefix-list SHARED-SERVICES: 1 entries\n   seq 10 permit 10.100.0.0/16 le 32\n',
    );
    const rm = await cli('show', 'policy', 'route-map', 'IMPORT-SHARED');
    expect(rm.out).toContain(
      'route-map: IMPORT-SHARED\n permit, sequence 10\n  Match clauses:\n    prefix-list SHARED-SERVICES',
    );
    expect((await cli('show', 'policy', 'route-map', 'NOPE')).code).toBe(1);
  });

  it('show leak graph (text and --dot), show leak conflicts, explain', async () => {
    const g = await cli('show', 'leak', 'graph');
    expect(g.out).toContain('  SHARED -> CUSTOMER-A  [65000:100] import-map IMPORT-SHARED');
    const dot = await cli('show', 'leak', 'graph', '--dot');
    expect(dot.out).toMatch(/^digraph leaks \{/);
    expect(dot.out).toContain('"SHARED" -> "CUSTOMER-A"');
    const svg = await cli('show', 'leak', 'graph', '--svg');
    expect(svg.out).toMatch(/^<svg /);
    expect(svg.out).toContain('data-name="SHARED"');
    expect(svg.out).toContain('data-from="SHARED" data-to="CUSTOMER-A"');
    const c = await cli('show', 'leak', 'conflicts', '--json');
    expect(Array.isArray(JSON.parse(c.out))).toBe(true);
    const e = await cli('explain', 'vrf', 'CUSTOMER-A', '10.100.0.0/16');
    expect(e.code).toBe(0);
    expect(e.out).toBe(
      '10.100.0.0/16 in VRF CUSTOMER-A: present\n  - vpn 65000:100: selected (only-path)\n',
    );
    // A VPN route whose RT no VRF imports: explain names both sides of the RT comparison.
    const add = await fx.run.api.app.inject({
      method: 'POST',
      url: '/api/v1/routes/vpnv4',
      payload: { prefix: '10.77.0.0/16', rd: '65000:77', routeTargets: ['65000:77'] },
    });
    expect(add.statusCode).toBe(200);
    const no = await until(async () => {
      const r = await cli('explain', 'vrf', 'CUSTOMER-A', '10.77.0.0/16');
      // Selected in the VPN table (the next commit), then judged against CUSTOMER-A's import RTs.
      return r.out.includes('match none') ? r : undefined;
    }, 'the explanation of 10.77.0.0/16');
    expect(no.out).toContain('10.77.0.0/16 in VRF CUSTOMER-A: not present');
    expect(no.out).toContain(
      "  - vpn 65000:77: route targets [65000:77] match none of the VRF's import RTs [65000:100]",
    );
  });

  it('a daemon that is not there: exit 1 and a hint', async () => {
    let err = '';
    const code = await runCli(['show', 'bgp', 'summary', '--api', '127.0.0.1:1'], {
      out: () => {},
      err: (s) => (err += s),
    });
    expect(code).toBe(1);
    expect(err).toMatch(/cannot reach the vrfleak API at http:\/\/127\.0\.0\.1:1/);
  });
});

describe('check, dry-run, reload', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vrfleak-cli-'));
  const bad = join(dir, 'bad.yaml');
  // Line 4, column 12 is where the RD value starts.
  writeFileSync(bad, 'asn: 65000\nrouter-id: 10.0.0.1\nvrfs:\n  X: { rd: 65000-10 }\n');

  it('check: OK with a summary, or FILE:LINE:COL errors and exit 1', async () => {
    const ok = await cli('check', '--config', fx.file);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain(': OK (AS 65000, router-id 10.0.0.1, 1 neighbor(s), 2 VRF(s))');
    const r = await cli('check', '--config', bad);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `${bad}:4:12: vrfs.X.rd: "65000-10" is not a route distinguisher; use ASN:NN, A.B.C.D:NN or ASN4:NN\n`,
    );
  });

  it('dry-run prints the changes and applies nothing', async () => {
    const next = join(dir, 'next.yaml');
    writeFileSync(
      next,
      BASE_CONFIG.replace('neighbors:\n', 'neighbors:\n  - { address: 127.0.0.12, asn: 65001 }\n'),
    );
    const r = await cli('dry-run', '--config', next);
    expect(r.code).toBe(0);
    expect(r.out).toContain('add neighbor 127.0.0.12 (AS 65001)');
    expect(fx.run.daemon.peers.has('127.0.0.12')).toBe(false);
    const refused = await cli('dry-run', '--config', bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`${bad}:4:12: vrfs.X.rd:`);
  });

  it('reload: a bad file is refused with its errors and the running config kept; a good one applies', async () => {
    fx.write('asn: 65000\nrouter-id: 10.0.0.1\nneighbors: [ { address: 127.0.0.11, asn: x } ]\n');
    const r = await cli('reload');
    expect(r.code).toBe(1);
    expect(r.err).toContain('config refused (1 error(s)); the running config is kept');
    expect(r.err).toMatch(/vrfleak\.yaml:3:\d+: neighbors\[0\]\.asn: /);
    expect(fx.run.daemon.peers.has('127.0.0.11')).toBe(true);
    expect((await cli('show', 'vrf', 'CUSTOMER-A')).code).toBe(0);

    const withPeer = BASE_CONFIG.replace(
      'neighbors:\n',
      'networks: [192.0.2.0/24]\nneighbors:\n  - { address: 127.0.0.12, asn: 65001 }\n',
    );
    fx.write(withPeer);
    const ok = await cli('reload');
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('applied: add neighbor 127.0.0.12 (AS 65001)');
    expect(ok.out).toContain('applied: default table: +network 192.0.2.0/24');
    expect([...fx.run.daemon.peers.keys()].sort()).toEqual(['127.0.0.11', '127.0.0.12']);
    await until(
      async () =>
        (
          JSON.parse(
            (await cli('show', 'bgp', 'ipv4', 'unicast', '192.0.2.0/24', '--json')).out,
          ) as unknown[]
        ).length === 1,
      'the new network',
    );
    // A VRF change goes through the leak engine: CUSTOMER-A's new network reaches SHARED.
    fx.write(withPeer.replace('networks: [10.1.5.0/24]', 'networks: [10.1.5.0/24, 10.1.6.0/24]'));
    const vrf = await cli('reload');
    expect(vrf.out).toContain('applied: VRF CUSTOMER-A: +network 10.1.6.0/24');
    await until(
      async () =>
        (await cli('show', 'ip', 'route', 'vrf', 'SHARED', '10.1.6.0/24')).out.includes(
          'via vrf CUSTOMER-A',
        ),
      '10.1.6.0/24 leaked into SHARED',
    );
    fx.write(BASE_CONFIG);
    const back = await cli('reload');
    expect(back.out).toContain('applied: remove neighbor 127.0.0.12');
    expect(back.out).toContain('applied: VRF CUSTOMER-A: -network 10.1.6.0/24');
    expect([...fx.run.daemon.peers.keys()]).toEqual(['127.0.0.11']);
  });
});

describe('clear bgp', () => {
  it('FRR words: soft in / soft out / soft / in / out / none; bad words are a usage error', async () => {
    const peer = '127.0.0.11';
    if (fx.peers.get(peer)!.state !== 'Established') fx.peers.get(peer)!.up();
    for (const [words, cleared] of [
      [['soft', 'in'], 'soft in'],
      [['soft', 'out'], 'soft out'],
      [['soft'], 'soft both'],
      [['in'], 'soft in'],
      [['out'], 'soft out'],
    ] as const) {
      const r = await cli('clear', 'bgp', peer, ...words);
      expect(r).toEqual({ code: 0, out: `${peer}: cleared (${cleared})\n`, err: '' });
    }
    const json = await cli('clear', 'bgp', peer, 'soft', 'out', '--json');
    expect(JSON.parse(json.out)).toEqual({ address: peer, cleared: 'soft out' });
    for (const bad of [['soft', 'sideways'], ['in', 'out'], ['x']]) {
      const r = await cli('clear', 'bgp', peer, ...bad);
      expect(r.code).toBe(1);
      expect(r.err).toContain('usage: vrfleak clear bgp ADDR [soft] [in|out]');
    }
    const unknown = await cli('clear', 'bgp', '127.0.0.99');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('no neighbor 127.0.0.99');
    // Last: the hard reset (the session starts again).
    const hard = await cli('clear', 'bgp', peer);
    expect(hard.out).toBe(`${peer}: cleared (hard)\n`);
    expect(fx.peers.get(peer)!.state).toBe('Active');
  });
});
