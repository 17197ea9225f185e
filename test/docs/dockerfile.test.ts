// The Dockerfile cannot be built here (no Docker), so this keeps it honest another way: every
// command it RUNs is one .ci/run also runs (the apt packages .ci/run installs, with the same
// options; npm ci with the same flags), and its default command is the README's `npm start`.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const ciRun = readFileSync(new URL('.ci/run', root), 'utf8');

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The shell commands of every RUN instruction (continuation lines joined, split on &&). */
function runCommands(text: string): string[] {
  const joined = text.replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .filter((l) => /^RUN\s/.test(l))
    .flatMap((l) => l.replace(/^RUN\s+/, '').split('&&'))
    .map(norm);
}

/** The packages .ci/run may install: need+=(X) lines. */
function ciPackages(ci: string): string[] {
  return [...ci.matchAll(/need\+=\(([\w-]+)\)/g)].map((m) => m[1]!);
}

/** The options .ci/run gives apt-get install (everything before the package list variable). */
function ciInstallOptions(ci: string): string {
  const line = norm(ci.replace(/\\\n/g, ' ')).match(/apt-get install (.*?) "\$\{need\[@\]\}"/);
  return line ? norm(line[1]!) : '';
}

/** Why `cmd` is not something .ci/run runs, or undefined when it is. */
function notInCi(cmd: string, ci: string): string | undefined {
  if (cmd.startsWith('apt-get install ')) {
    const opts = ciInstallOptions(ci);
    if (!cmd.startsWith(`apt-get install ${opts} `))
      return `apt-get install options differ from .ci/run's "${opts}"`;
    const pkgs = cmd.slice(`apt-get install ${opts} `.length).split(' ');
    const known = ciPackages(ci);
    const extra = pkgs.filter((p) => !known.includes(p));
    return extra.length ? `packages .ci/run does not install: ${extra.join(' ')}` : undefined;
  }
  return norm(ci).includes(cmd) ? undefined : 'not a command of .ci/run';
}

describe('Dockerfile', () => {
  const cmds = runCommands(dockerfile);

  it('RUNs the apt and npm steps of .ci/run', () => {
    expect(cmds.some((c) => c.startsWith('apt-get install'))).toBe(true);
    expect(cmds).toContain('npm ci --no-audit --no-fund');
  });

  it.each(cmds)('RUN %s is a command .ci/run also runs', (cmd) => {
    expect(notInCi(cmd, ciRun)).toBeUndefined();
  });

  it('the checker refuses what .ci/run does not do', () => {
    expect(notInCi('npm install', ciRun)).toBe('not a command of .ci/run');
    expect(notInCi('npm run bench', ciRun)).toBe('not a command of .ci/run');
    const opts = ciInstallOptions(ciRun);
    expect(notInCi(`apt-get install ${opts} gobgpd openbgpd`, ciRun)).toBe(
      'packages .ci/run does not install: openbgpd',
    );
    expect(notInCi('apt-get install -y frr', ciRun)).toMatch(/options differ/);
  });

  it('runs the daemon by default through npm start, which package.json defines', () => {
    expect(dockerfile).toMatch(/^CMD \["npm", "start"\]$/m);
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(
      'npm run build && ./bin/vrfleak.js run --config examples/shared-services.yaml',
    );
  });
});
