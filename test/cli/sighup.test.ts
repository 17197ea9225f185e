// SIGHUP re-reads the config file like `vrfleak reload`: a good file applies, a bad one is refused
// (logged as config-refused with its file:line errors) and the running config stays.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { BASE_CONFIG, startFixture, until, type Fixture } from '../api/fixture.js';

let fx: Fixture;
const lines: string[] = [];
beforeAll(async () => {
  fx = await startFixture(BASE_CONFIG, { logLines: lines, signals: true });
});
afterAll(async () => {
  await fx.stop();
});

it('SIGHUP applies a good file and refuses a bad one', async () => {
  fx.write(
    BASE_CONFIG.replace('neighbors:\n', 'neighbors:\n  - { address: 127.0.0.13, asn: 65003 }\n'),
  );
  // The handler the daemon installed (process.emit calls it without sending a real signal).
  process.emit('SIGHUP', 'SIGHUP');
  await until(() => fx.run.daemon.peers.has('127.0.0.13'), 'the neighbor added by SIGHUP');
  await until(() => lines.some((l) => l.includes('"event":"config-applied"')), 'config-applied');

  fx.write('asn: 65000\nrouter-id: 300.0.0.1\n');
  process.emit('SIGHUP', 'SIGHUP');
  const refused = await until(
    () => lines.find((l) => l.includes('"event":"config-refused"')),
    'config-refused',
  );
  expect(refused).toContain('vrfleak.yaml:2:12: router-id:');
  expect(fx.run.service.running['router-id']).toBe('10.0.0.1');
  expect(fx.run.daemon.peers.has('127.0.0.13')).toBe(true);
});
