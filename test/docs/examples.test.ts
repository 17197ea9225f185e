// Each pattern of DESIGN.md is a runnable example (examples/*.yaml) whose expected CLI output is
// written at the bottom of the file, after "# Expected"; this runs each example and compares.
// (shared-services.yaml is checked by readme.test.ts through the README's session.)

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/commands.js';
import { runDaemon, type RunningDaemon } from '../../src/cli/run.js';
import { createEventLog } from '../../src/log/events.js';

const dir = new URL('../../examples/', import.meta.url);
const MARK = '# Expected (checked by test/docs/examples.test.ts):';

interface Case {
  argv: string[];
  expected: string;
}

function expectedOf(text: string): Case[] {
  const at = text.indexOf(MARK);
  if (at < 0) return [];
  const out: Case[] = [];
  for (const raw of text
    .slice(at + MARK.length)
    .split('\n')
    .slice(1)) {
    const line = raw.replace(/^# ?/, '');
    if (line.startsWith('$ vrfleak ')) out.push({ argv: line.slice(10).split(' '), expected: '' });
    else if (out.length) out[out.length - 1]!.expected += line + '\n';
  }
  for (const c of out) c.expected = c.expected.replace(/\n+$/, '\n');
  return out;
}

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') && f !== 'shared-services.yaml')
  .sort();

const running: RunningDaemon[] = [];
afterAll(async () => {
  for (const r of running) await r.stop();
});

describe.each(files)('examples/%s', (file) => {
  const text = readFileSync(new URL(file, dir), 'utf8');
  const cases = expectedOf(text);
  let d: RunningDaemon | undefined;
  const start = async () => {
    d ??= await runDaemon(new URL(file, dir).pathname, {
      apiPort: 0,
      log: createEventLog({ level: 'silent' }),
    });
    if (!running.includes(d)) running.push(d);
    return d;
  };

  it('has an expected output block', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  it.each(cases)('vrfleak $argv', async ({ argv, expected }) => {
    const run = await start();
    let out = '';
    let err = '';
    // Leaks settle in the commit after start: poll until the output stops changing or matches.
    const deadline = Date.now() + 3000;
    for (;;) {
      out = '';
      err = '';
      await runCli([...argv, '--api', `127.0.0.1:${run.api.port}`], {
        out: (s) => (out += s),
        err: (s) => (err += s),
      });
      if (out === expected || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(err).toBe('');
    expect(out).toBe(expected);
  });
});
