// The README's first command, end to end, with the real binary: the compiled CLI runs the daemon on
// examples/shared-services.yaml in a child process (as `npm start` does), and the CLI, another
// process, shows SHARED's routes leaked into CUSTOMER-A through the HTTP API. Only the addresses
// differ from the example, so the test never collides with a demo someone left running.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const cli = join(root, 'dist/cli/main.js');

function vrfleak(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('npm start, then the CLI, as a user runs them', () => {
  let daemon: ChildProcess | undefined;
  let out = '';
  const api = '127.0.0.1:18917';

  beforeAll(async () => {
    // `npm start` builds first; CI's .ci/run builds before the tests. Build here if nobody did.
    if (!existsSync(cli)) {
      const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (b.status !== 0 && !existsSync(cli))
        throw new Error(`build failed: ${b.stdout}${b.stderr}`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'vrfleak-e2e-'));
    const cfg = join(dir, 'shared-services.yaml');
    writeFileSync(
      cfg,
      readFileSync(join(root, 'examples/shared-services.yaml'), 'utf8')
        .replace('address: 127.0.0.10, port: 1179', 'address: 127.0.91.10, port: 1179')
        .replace('address: 127.0.0.1, port: 8179', `address: 127.0.0.1, port: 18917`),
    );
    daemon = spawn(process.execPath, [cli, 'run', '--config', cfg], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    daemon.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    daemon.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    // Poll the API through the CLI until the daemon answers.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const r = vrfleak(['show', 'vrf', '--api', api]);
      if (r.status === 0) break;
      if (Date.now() > deadline) throw new Error(`daemon did not come up: ${out}${r.stderr}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  }, 180_000);

  afterAll(() => {
    daemon?.kill('SIGTERM');
  });

  it("show ip route vrf CUSTOMER-A lists SHARED's leaked routes, never CUSTOMER-B's", () => {
    const r = vrfleak(['show', 'ip', 'route', 'vrf', 'CUSTOMER-A', '--api', api]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/10\.100\.0\.0\/16 .*SHARED/);
    expect(r.stdout).toMatch(/10\.1\.5\.0\/24/);
    expect(r.stdout).not.toMatch(/10\.2\.5\.0\/24/);
    const j = vrfleak(['show', 'ip', 'route', 'vrf', 'CUSTOMER-A', '--json', '--api', api]);
    const routes = JSON.parse(j.stdout) as Array<{
      prefix: string;
      source: string;
      fromVrf?: string;
    }>;
    expect(routes).toContainEqual(
      expect.objectContaining({ prefix: '10.100.0.0/16', source: 'leaked', fromVrf: 'SHARED' }),
    );
  });
});
