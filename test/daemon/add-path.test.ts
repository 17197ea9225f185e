// ADD-PATH (RFC 7911) through the daemon with fake sessions (test/config/keys-world.ts): receiving
// several paths of one prefix from one peer, the decision over them, withdrawals by path id (an
// unknown one logged and ignored), and a route reflector sending both paths of a VPN prefix to a
// client that negotiated add-path, the best to one that did not.

import { afterEach, describe, expect, it } from 'vitest';
import { neighborAdjRib } from '../../src/api/adj-rib.js';
import type { FamilyName } from '../../src/wire/afi.js';
import { FAMILIES } from '../../src/wire/afi.js';
import type { Nlri, PathAttribute } from '../../src/wire/types.js';
import { A, B, C, heldBy, upWithAddPath } from '../config/keys-add-path.js';
import { base } from '../config/keys-scenarios.js';
import { updateOf, world, type World } from '../config/keys-world.js';

const D = '127.0.0.14';
const P = '10.9.0.0/24';
let w: World | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

/** `addr` announces P in f with path id `id` (and a MED, so paths differ). */
function announce(addr: string, f: FamilyName, id: number, med = 0, asPath: number[] = []): void {
  const u = updateOf(f, [P], { asPath });
  const withId = (n: Nlri): Nlri => ({ ...n, pathId: id });
  const attributes: PathAttribute[] = u.update.attributes.map((a) =>
    a.kind === 'mp-reach' ? { ...a, nlri: a.nlri.map(withId) } : a,
  );
  attributes.push({ kind: 'med', flags: 0x80, value: med });
  w!.peer(addr).events.update({
    update: { ...u.update, attributes, nlri: u.update.nlri.map((n) => ({ ...n, pathId: id })) },
    problems: [],
  });
}

/** `addr` withdraws P in f under path id `id`. */
function withdraw(addr: string, f: FamilyName, id: number): void {
  const [n] = updateOf(f, [P]).update.attributes.flatMap((a) =>
    a.kind === 'mp-reach' ? a.nlri : [],
  );
  const nlri = [
    { ...(n ?? { kind: 'prefix', prefix: { afi: 1, len: 24, addr: 0x0a090000 } }), pathId: id },
  ] as Nlri[];
  const { afi, safi } = FAMILIES[f];
  w!.peer(addr).events.update({
    update:
      f === 'ipv4'
        ? { type: 'update', withdrawn: nlri as never, attributes: [], nlri: [] }
        : {
            type: 'update',
            withdrawn: [],
            attributes: [{ kind: 'mp-unreach', flags: 0x80, afi, safi, nlri }],
            nlri: [],
          },
    problems: [],
  });
}

const routesOf = (f: FamilyName) =>
  w!
    .routes(f)
    .map((r) => ({ pathId: r.pathId ?? 0, med: r.med, best: r.best }))
    .sort((a, b) => a.pathId - b.pathId);

describe('receiving several paths from one peer', () => {
  const cfg = base({
    neighbors: [
      { address: A, asn: 65000, families: ['vpnv4'], 'add-path': { vpnv4: { receive: true } } },
    ],
  });

  it('keeps each path by its id, runs the decision over them, withdraws by id', async () => {
    w = await world(cfg);
    upWithAddPath(w, A, 'vpnv4', 65000);
    announce(A, 'vpnv4', 1, 20);
    announce(A, 'vpnv4', 2, 10);
    w.settle();
    // RFC 4271 §9.1.2.2 c: the lower MED wins between two paths of one neighbor.
    expect(routesOf('vpnv4')).toEqual([
      { pathId: 1, med: 20, best: false },
      { pathId: 2, med: 10, best: true },
    ]);
    // A new path under id 1 replaces that path only.
    announce(A, 'vpnv4', 1, 5);
    w.settle();
    expect(routesOf('vpnv4')).toEqual([
      { pathId: 1, med: 5, best: true },
      { pathId: 2, med: 10, best: false },
    ]);
    withdraw(A, 'vpnv4', 1);
    w.settle();
    expect(routesOf('vpnv4')).toEqual([{ pathId: 2, med: 10, best: true }]);
  });

  it('logs a withdrawn path id it never had, and changes nothing else', async () => {
    w = await world(cfg);
    upWithAddPath(w, A, 'vpnv4', 65000);
    announce(A, 'vpnv4', 1, 20);
    w.settle();
    withdraw(A, 'vpnv4', 7);
    w.settle();
    expect(routesOf('vpnv4')).toEqual([{ pathId: 1, med: 20, best: true }]);
    expect(w.events.filter((e) => e.event === 'add-path-unknown-withdraw')).toEqual([
      {
        event: 'add-path-unknown-withdraw',
        peer: A,
        family: 'vpnv4',
        count: 1,
        paths: [{ prefix: '65000:99:10.9.0.0/24', pathId: 7 }],
      },
    ]);
    expect(w.peer(A).state).toBe('Established');
  });
});

describe('a route reflector sending both paths of a VPN prefix', () => {
  const client = (address: string, asn = 65000, extra = {}) => ({
    address,
    asn,
    families: ['vpnv4' as const],
    'route-reflector-client': true,
    ...extra,
  });
  const cfg = base({
    neighbors: [
      client(A),
      client(B),
      client(C, 65000, { 'add-path': { vpnv4: { send: 'all' as const } } }),
      client(D),
    ],
  });
  const held = (addr: string) =>
    heldBy(w!, addr, 'vpnv4')
      .map((n) => n.pathId ?? 0)
      .sort();

  it('gives the add-path client both paths with distinct ids, the other the best', async () => {
    w = await world(cfg);
    w.peer(A).up();
    w.peer(B).up();
    upWithAddPath(w, C, 'vpnv4', 65000);
    w.peer(D).up();
    announce(A, 'vpnv4', 0, 10);
    announce(B, 'vpnv4', 0, 20);
    w.settle();
    expect(held(C)).toEqual([1, 2]);
    expect(held(D)).toEqual([0]);
    // `show bgp neighbors C advertised-routes` lists the path ids.
    const adv = neighborAdjRib(w.d, C, 'advertised', 'vpnv4');
    expect(adv.ok && adv.answer.routes.map((r) => [r.pathId, r.med])).toEqual([
      [1, 10],
      [2, 20],
    ]);
    // Withdrawing A's path withdraws its id at C only; B's keeps its id; D gets B's path.
    const cBefore = w.peer(C).sent.length;
    withdraw(A, 'vpnv4', 0);
    w.settle();
    expect(held(C)).toEqual([2]);
    expect(w.peer(C).sent.length).toBe(cBefore + 1);
    expect(held(D)).toEqual([0]);
    const atD = neighborAdjRib(w.d, D, 'advertised', 'vpnv4');
    expect(atD.ok && atD.answer.routes.map((r) => r.med)).toEqual([20]);
    // A path that comes back takes the lowest free id.
    announce(A, 'vpnv4', 0, 30);
    w.settle();
    expect(held(C)).toEqual([1, 2]);
  });

  it('a client is not sent its own path, only the others', async () => {
    w = await world(cfg);
    w.peer(A).up();
    upWithAddPath(w, C, 'vpnv4', 65000);
    announce(A, 'vpnv4', 0, 10);
    announce(C, 'vpnv4', 0, 5);
    w.settle();
    const adv = neighborAdjRib(w.d, C, 'advertised', 'vpnv4');
    expect(adv.ok && adv.answer.routes.map((r) => r.med)).toEqual([10]);
    // The group numbers C's own path too (ids are the group's), it just does not send it to C.
    expect(heldBy(w, C, 'vpnv4').map((n) => n.pathId)).toEqual([2]);
  });
});
