// The library's writes and typed events: announce/withdraw through the same parsing as the API,
// onEvent sees the log catalogue whatever the level.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { LogEvent } from '../../src/log/events.js';

let sp: Speaker;
beforeAll(async () => {
  sp = await Speaker.start({ asn: 65000, 'router-id': '10.0.0.1' });
});
afterAll(async () => {
  await sp.stop();
});

it('announce puts a VPN route in the table, withdraw takes it out', async () => {
  sp.announce('vpnv4', {
    prefix: '10.9.0.0/24',
    rd: '65000:9',
    routeTargets: ['65000:9'],
    label: 900,
  });
  const r = await sp.waitFor((s) => s.routes('vpnv4').find((x) => x.best && x.rd === '65000:9'), {
    timeoutMs: 2000,
    what: 'the announced route',
  });
  expect(r).toMatchObject({ prefix: '10.9.0.0/24', label: 900, routeTargets: ['65000:9'] });
  expect(sp.withdraw('vpnv4', { prefix: '10.9.0.0/24', rd: '65000:9' })).toBe(1);
  await sp.waitFor((s) => s.routes('vpnv4').length === 0, { timeoutMs: 2000, what: 'withdrawal' });
  expect(sp.withdraw('vpnv4', { prefix: '10.9.0.0/24', rd: '65000:9' })).toBe(0);
});

it('a bad route is refused with the API message', () => {
  expect(() => sp.announce('vpnv4', { prefix: '10.9.0.0/24' })).toThrow(/rd is required/);
  expect(() => sp.announce('ipv4', { prefix: '10.9.0.1/24' })).toThrow(/host bits/);
});

it('onEvent sees typed events though the log is silent', async () => {
  const seen: LogEvent[] = [];
  const off = sp.onEvent((e) => seen.push(e));
  sp.daemon.log.emit({ event: 'config-applied', changes: 3 });
  off();
  sp.daemon.log.emit({ event: 'config-applied', changes: 4 });
  expect(seen).toEqual([{ event: 'config-applied', changes: 3 }]);
});
