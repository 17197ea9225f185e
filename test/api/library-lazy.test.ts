// What a daemon loads is what its config asks for (issue 13: the process's fixed memory). A Speaker
// started from a config object, silent, with no password holds neither the YAML library nor pino
// nor koffi, and never the HTTP API's or the metrics' (fastify, prom-client: the library serves no
// HTTP); one whose config asks for them (YAML text, a log level, a TCP-MD5 password) still gets
// them. The probe is a fresh node process (the TypeScript sources through bench/register.mjs) that
// reads Node's CommonJS module cache: every one of these packages is CommonJS under Node.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createEventLog } from '../../src/log/events.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const PROBE = `
import Module from 'node:module';
import { pathToFileURL } from 'node:url';
const loaded = () => {
  const names = new Set();
  for (const k of Object.keys(Module._cache)) {
    const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(k);
    if (m) names.add(m[1]);
  }
  return [...names].filter((n) => ['yaml', 'pino', 'koffi', 'fastify', 'prom-client'].includes(n)).sort();
};
const { Speaker } = await import(pathToFileURL(process.argv[1] + '/src/api/library.js').href);
const out = {};
const neighbor = { address: '127.0.0.2', asn: 65001, families: ['vpnv4'], passive: true };
const plain = { asn: 65000, 'router-id': '127.0.0.1', listen: { address: '127.0.0.1', port: 0 }, neighbors: [neighbor] };
let s = await Speaker.start(plain);
out.plain = loaded();
s.reconfigure({ ...plain, neighbors: [neighbor, { ...neighbor, address: '127.0.0.3' }] });
out.reconfigured = loaded();
await s.stop();
try {
  await Speaker.start({ ...plain, asn: 'not a number' });
} catch (e) {
  out.refused = e.errors;
}
out.afterRefused = loaded();
s = await Speaker.start('asn: 65000\\nrouter-id: 127.0.0.1\\n', { logLevel: 'error' });
out.yamlAndLog = loaded();
await s.stop();
s = await Speaker.start({ ...plain, neighbors: [{ ...neighbor, password: 'secret' }] });
out.md5 = loaded();
await s.stop();
console.log('PROBE ' + JSON.stringify(out));
`;

describe('a daemon loads what its config asks for', () => {
  it('a silent Speaker from an object loads no YAML, pino, koffi, fastify or prom-client', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', './bench/register.mjs', '--input-type=module', '-e', PROBE, REPO],
      { cwd: REPO, encoding: 'utf8', timeout: 150_000 },
    );
    const line = r.stdout.split('\n').find((l) => l.startsWith('PROBE '));
    expect(line, r.stderr).toBeDefined();
    const out = JSON.parse(line!.slice('PROBE '.length)) as Record<string, unknown>;
    expect(out.plain).toEqual([]);
    expect(out.reconfigured).toEqual([]);
    // A refused object config is located as before: written as YAML, its errors carry positions.
    expect(out.refused).toEqual([expect.stringMatching(/^<config object>:1:\d+: asn: /)]);
    expect(out.afterRefused).toEqual(['yaml']);
    expect(out.yamlAndLog).toEqual(['pino', 'yaml']);
    expect(out.md5).toEqual(['koffi', 'pino', 'yaml']);
  }, 180_000);
});

describe('a silent log made loud later', () => {
  it('writes once its level allows, and reports the level it was given', () => {
    const lines: string[] = [];
    const log = createEventLog({ level: 'silent', destination: { write: (l) => lines.push(l) } });
    log.emit({ event: 'daemon-stop', reason: 'quiet' });
    expect(log.level).toBe('silent');
    log.setLevel('info');
    expect(log.level).toBe('info');
    log.emit({ event: 'daemon-stop', reason: 'heard' });
    expect(lines.map((l) => (JSON.parse(l) as { reason: string }).reason)).toEqual(['heard']);
    log.setLevel('silent');
    log.emit({ event: 'daemon-stop', reason: 'quiet again' });
    expect(lines).toHaveLength(1);
  });
});
