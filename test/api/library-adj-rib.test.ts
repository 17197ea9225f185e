// The library's Adj-RIB reads without a session (sessions are in test/api/adj-rib.test.ts and
// interop/scenarios/adj-rib.test.ts): the refusals say why, a neighbor not up was sent nothing.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { FamilyName } from '../../src/wire/afi.js';

let sp: Speaker;
beforeAll(async () => {
  sp = await Speaker.start({
    asn: 65000,
    'router-id': '10.0.0.1',
    neighbors: [
      { address: '127.0.0.2', asn: 65001, shutdown: true },
      { address: '127.0.0.3', asn: 65001, shutdown: true, 'soft-reconfiguration': 'inbound' },
    ],
  });
});
afterAll(async () => {
  await sp.stop();
});

it('received routes need soft-reconfiguration inbound; an unknown neighbor or family is refused', () => {
  expect(() => sp.receivedRoutes('127.0.0.2')).toThrow(/soft-reconfiguration: inbound/);
  expect(sp.receivedRoutes('127.0.0.3')).toEqual([]);
  expect(() => sp.acceptedRoutes('127.0.0.9')).toThrow(/no neighbor 127\.0\.0\.9/);
  expect(() => sp.advertisedRoutes('127.0.0.2', 'flowspec' as FamilyName)).toThrow(
    /unknown family/,
  );
});

it('a neighbor that is not up was sent nothing and nothing was accepted from it', () => {
  expect(sp.advertisedRoutes('127.0.0.2')).toEqual([]);
  expect(sp.acceptedRoutes('127.0.0.2', 'vpnv4')).toEqual([]);
});
