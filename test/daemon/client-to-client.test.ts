// RFC 4456 §5 client-to-client reflection, switched off and on again by a live reload: the clients
// lose each other's routes (withdrawn), a non-client keeps them, and they come back.

import { afterEach, expect, it } from 'vitest';
import { applyConfig } from '../../src/api/apply.js';
import { base } from '../config/keys-scenarios.js';
import { heldBy } from '../config/keys-add-path.js';
import { load, world, type World } from '../config/keys-world.js';

const A = '127.0.0.11';
const B = '127.0.0.12';
const N = '127.0.0.13';
let w: World | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

const cfg = (on: boolean) =>
  base({
    'client-to-client': on,
    neighbors: [
      { address: A, asn: 65000, families: ['ipv4'], 'route-reflector-client': true },
      { address: B, asn: 65000, families: ['ipv4'], 'route-reflector-client': true },
      { address: N, asn: 65000, families: ['ipv4'] },
    ],
  });

const parsed = (on: boolean) => {
  const r = load(cfg(on));
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
};

it('off: a client route reaches the non-client only; back on: the other client again', async () => {
  w = await world(cfg(true));
  for (const a of [A, B, N]) w.peer(a).up();
  w.peer(A).announce('ipv4', ['10.9.0.0/24'], { nextHop: '192.0.2.1' });
  w.settle();
  const held = (a: string) => heldBy(w!, a, 'ipv4').length;
  expect([held(B), held(N)]).toEqual([1, 1]);
  const r = applyConfig(w.d, parsed(true), parsed(false));
  expect(r.pending).toEqual([]);
  expect([held(B), held(N)]).toEqual([0, 1]);
  applyConfig(w.d, parsed(false), parsed(true));
  expect([held(B), held(N)]).toEqual([1, 1]);
});
