// The daemon's launch flags (daemon/v8-tuning.ts NODE_LAUNCH_FLAGS): the `vrfleak` command starts
// node with them, the other launch paths go through that command, and the V8 worker pool they ask
// for is the one Node makes.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_LAUNCH_FLAGS } from '../../src/daemon/v8-tuning.js';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vrfleak-launch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Preloaded (NODE_OPTIONS --require) into a node process: writes its flags and its thread count to
 * the file REPORT names, and exits before the main module runs (no build needed). V8 starts its
 * worker threads with the platform, before any script.
 */
const reporter = join(dir, 'report.cjs');
writeFileSync(
  reporter,
  `const fs = require('node:fs');
fs.writeFileSync(process.env.REPORT, JSON.stringify({
  execArgv: process.execArgv,
  threads: fs.readdirSync('/proc/self/task').length,
}));
process.exit(0);
`,
);

interface Report {
  execArgv: string[];
  threads: number;
}

/** What the reporter saw in a process started as `command args` (the script after it not run). */
function launched(name: string, command: string, args: string[]): Report {
  const report = join(dir, `${name}.json`);
  const r = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, NODE_OPTIONS: `--require ${reporter}`, REPORT: report },
  });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${r.status} ${r.stderr}`);
  return JSON.parse(readFileSync(report, 'utf8')) as Report;
}

const script = join(dir, 'nothing.js');
writeFileSync(script, '');

/**
 * How many threads fewer a process of the launch flags has than a plain node: Node's default pool
 * (--v8-pool-size=4) against its rule for 0 (one worker fewer than the CPUs, at least one).
 */
const FEWER_THREADS = 4 - Math.max(1, availableParallelism() - 1);

describe('the daemon launch flags', () => {
  it('--v8-pool-size=0 makes one V8 worker fewer than the CPUs, at least one, where Node makes four', () => {
    const plain = launched('plain', process.execPath, [script]);
    const sized = launched('sized', process.execPath, [...NODE_LAUNCH_FLAGS, script]);
    expect(NODE_LAUNCH_FLAGS).toContain('--v8-pool-size=0');
    expect(plain.threads - sized.threads).toBe(FEWER_THREADS);
  });

  it('the vrfleak command, run as npm links it, starts node with them', () => {
    const plain = launched('plain-again', process.execPath, [script]);
    const bin = launched('bin', join(root, 'bin/vrfleak.js'), ['--help']);
    expect(bin.execArgv).toEqual([...NODE_LAUNCH_FLAGS]);
    expect(plain.threads - bin.threads).toBe(FEWER_THREADS);
  });

  it('npm start and the README alias go through the vrfleak command', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
      bin: Record<string, string>;
    };
    expect(pkg.bin.vrfleak).toBe('bin/vrfleak.js');
    expect(pkg.scripts.start).toMatch(/&& \.\/bin\/vrfleak\.js run /);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain(
      'alias vrfleak="$PWD/bin/vrfleak.js"',
    );
  });
});
