// `npx vrfleak` in a fresh clone, whatever comes first: the first call before any build says what to
// run (and exits 1), and the same npx, after the build, runs the CLI. Before the committed launcher,
// npx cached the package without its bin on the first call and kept answering "not found".

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('npx vrfleak in a fresh clone', () => {
  let dir = '';
  let cache = '';

  beforeAll(() => {
    // CI's .ci/run builds before the tests; build here if nobody did.
    if (!existsSync(join(root, 'dist/cli/main.js'))) {
      const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], {
        cwd: root,
        encoding: 'utf8',
      });
      if (b.status !== 0) throw new Error(`build failed: ${b.stdout}${b.stderr}`);
    }
    // The clone's committed files that npx reads: package.json and the launcher; no dist/ yet.
    dir = mkdtempSync(join(tmpdir(), 'vrfleak-npx-'));
    cache = mkdtempSync(join(tmpdir(), 'vrfleak-npx-cache-'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(root, 'package.json'), join(dir, 'package.json'));
    copyFileSync(join(root, 'bin/vrfleak.js'), join(dir, 'bin/vrfleak.js'));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (cache) rmSync(cache, { recursive: true, force: true });
  });

  const npx = (args: string[]) =>
    spawnSync('npx', ['--yes', 'vrfleak', ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      // A cache of the test's own, so an earlier npx call elsewhere cannot answer for this one.
      env: { ...process.env, npm_config_cache: cache, npm_config_update_notifier: 'false' },
    });

  it('before the build: says what to run, exit 1', () => {
    const r = npx(['--help']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('vrfleak is not built yet');
    expect(r.stderr).toContain('npm ci && npm run build');
  });

  it('after the build, the same npx cache runs the CLI', () => {
    symlinkSync(join(root, 'dist'), join(dir, 'dist'));
    const r = npx(['--help']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: vrfleak');
  });
});
