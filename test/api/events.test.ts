// The event stream over a real loopback connection: session up/down with the reason, and best-route
// changes, as Server-Sent Events.

import { request, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFixture, until, type Fixture } from './fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.stop();
});

it('streams session-up, best-changed and session-down with its reason', async () => {
  let text = '';
  const req = request({ host: '127.0.0.1', port: fx.run.api.port, path: '/api/v1/events' });
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('text/event-stream');
  res.setEncoding('utf8');
  res.on('data', (c: string) => (text += c));
  await until(() => text.includes(': vrfleak events'), 'the stream preamble');

  fx.peers.get('127.0.0.11')!.up();
  await until(() => text.includes('event: session-up'), 'session-up');
  await fx.run.api.app.inject({
    method: 'POST',
    url: '/api/v1/routes/ipv4',
    payload: { prefix: '203.0.113.0/24' },
  });
  await until(() => text.includes('"prefix":"203.0.113.0/24"'), 'best-changed for 203.0.113.0/24');
  fx.peers.get('127.0.0.11')!.down('hold timer expired');
  await until(() => text.includes('event: session-down'), 'session-down');

  const events = text
    .split('\n\n')
    .filter((b) => b.startsWith('event: '))
    .map((b) => {
      const [ev, data] = b.split('\n');
      return { type: ev!.slice(7), data: JSON.parse(data!.slice(6)) as Record<string, unknown> };
    });
  expect(events.find((e) => e.type === 'session-up')!.data).toMatchObject({
    peer: '127.0.0.11',
    asn: 65000,
  });
  expect(
    events.find((e) => e.type === 'best-changed' && e.data.prefix === '203.0.113.0/24')!.data,
  ).toMatchObject({ table: 'ipv4', best: { prefix: '203.0.113.0/24', best: true } });
  expect(events.find((e) => e.type === 'session-down')!.data).toMatchObject({
    peer: '127.0.0.11',
    reason: 'hold timer expired',
  });
  req.destroy();
});

it('streams the leak monitor: leak-violation and leak-violation-cleared', async () => {
  let text = '';
  const req = request({ host: '127.0.0.1', port: fx.run.api.port, path: '/api/v1/events' });
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
  res.setEncoding('utf8');
  res.on('data', (c: string) => (text += c));
  await until(() => text.includes(': vrfleak events'), 'the stream preamble');
  // The monitor's log events (test/vrf/monitor.test.ts shows when it raises them) reach the stream.
  const log = fx.run.service.log;
  log.emit({
    event: 'leak-violation',
    vrf: 'CUSTOMER-A',
    kind: 'missing',
    prefix: '10.100.9.0/24',
    reason: 'required by expect.require, not in the VRF',
  });
  log.emit({
    event: 'leak-violation-cleared',
    vrf: 'CUSTOMER-A',
    kind: 'missing',
    prefix: '10.100.9.0/24',
  });
  await until(() => text.includes('event: leak-violation-cleared'), 'leak-violation-cleared');
  expect(text).toContain(
    'event: leak-violation\ndata: {"event":"leak-violation","vrf":"CUSTOMER-A"',
  );
  req.destroy();
});
