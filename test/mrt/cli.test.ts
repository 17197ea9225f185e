// The MRT commands through the CLI and the API (the CLI is a client only): dump, replay, clear;
// and the mrt block changed by a reload, live.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.js';
import { BASE_CONFIG, startFixture, type Fixture } from '../api/fixture.js';

let fx: Fixture;
const dir = mkdtempSync(join(tmpdir(), 'vrfleak-mrt-cli-'));
const other = mkdtempSync(join(tmpdir(), 'vrfleak-mrt-cli2-'));

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
  fx = await startFixture(`${BASE_CONFIG}\nmrt: { directory: ${dir} }\n`);
});
afterAll(async () => {
  await fx.stop();
});

describe('vrfleak dump / replay', () => {
  it('dump writes one file per table into a new directory under mrt.directory', async () => {
    const r = await cli('dump');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^dumped into ${dir}/tables-\\d{8}T\\d{6}Z\\n`));
    expect(r.out).toMatch(/^ {2}default +\d+ paths {2}.*\/default\.mrt$/m);
    expect(r.out).toMatch(/^ {2}vpn +\d+ paths {2}.*\/vpn\.mrt$/m);
    expect(r.out).toMatch(/^ {2}SHARED +\d+ paths {2}.*\/vrf-SHARED\.mrt$/m);
  });

  it('replay FILE --neighbor loads the routes as that neighbor; --clear withdraws them', async () => {
    const d = JSON.parse((await cli('dump', '--table', 'vpn', '--json')).out) as {
      tables: { file: string; routes: number }[];
    };
    const vpn = d.tables[0]!;
    const r = await cli('replay', vpn.file, '--neighbor', '127.0.0.11');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      `${vpn.file} into neighbor 127.0.0.11: ${vpn.routes + 1} records, ${vpn.routes} paths, ${vpn.routes} announced, 0 refused\n`,
    );
    const routes = await fx.run.api.app.inject({ url: '/api/v1/routes/vpnv4' });
    const fromPeer = (routes.json() as { peer?: string }[]).filter((x) => x.peer === '127.0.0.11');
    expect(fromPeer).toHaveLength(vpn.routes);
    const c = await cli('replay', '--clear', '--neighbor', '127.0.0.11');
    expect(c.out).toBe(`${vpn.routes} replayed path(s) withdrawn\n`);
  });

  it('a file that does not parse: exit 1, the record and offset named', async () => {
    const r = await cli('replay', '/etc/hostname', '--vrf', 'SHARED');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^vrfleak: \/etc\/hostname: record 0 at offset 0: truncated .*; nothing was replayed\n$/,
    );
    expect((await cli('replay', 'x.mrt')).err).toMatch(/usage: vrfleak replay FILE/);
  });

  it('a reload changes the mrt block live', async () => {
    fx.write(`${BASE_CONFIG}\nmrt: { directory: ${other}, messages: { neighbors: all } }\n`);
    const r = await cli('reload');
    expect(r.out).toMatch(/applied: .*mrt/);
    const s = await fx.run.api.app.inject({ url: '/api/v1/mrt' });
    expect(s.json()).toMatchObject({ directory: other });
    expect((await cli('dump')).out).toContain(`dumped into ${other}/tables-`);
  });
});
