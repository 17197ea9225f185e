// A commit's UPDATEs for an update group's members are joined once (src/session/coalesce.ts Joins,
// Daemon.sendOut): every member is given the same octets, with the messages they hold, and each
// member's counter still counts its messages.

import { afterEach, expect, it } from 'vitest';
import { base } from '../config/keys-scenarios.js';
import { world, type World } from '../config/keys-world.js';

const [A, B, C] = ['127.0.0.11', '127.0.0.12', '127.0.0.13'];
let w: World | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

it("a reflector's clients are given one joined copy of a commit's UPDATEs", async () => {
  w = await world(
    base({
      neighbors: [A, B, C].map((address) => ({
        address,
        asn: 65000,
        families: ['ipv4' as const],
        'route-reflector-client': true,
      })),
    }),
  );
  for (const a of [A, B, C]) w.peer(a).up();
  w.settle();
  const [b, c] = [w.peer(B), w.peer(C)];
  const before = { b: b.sent.length, c: c.sent.length, sends: b.octets.length };
  // Two attribute sets: two UPDATEs in one commit.
  w.peer(A).announce('ipv4', ['10.9.0.0/24'], { nextHop: '192.0.2.1' });
  w.peer(A).announce('ipv4', ['10.9.1.0/24'], { nextHop: '192.0.2.2' });
  w.settle();
  const msgsB = b.sent.slice(before.b);
  const msgsC = c.sent.slice(before.c);
  expect(msgsB.length).toBeGreaterThanOrEqual(2);
  expect(msgsC).toEqual(msgsB);
  expect(b.octets.length).toBe(before.sends + 1);
  const [octB, octC] = [b.octets.at(-1), c.octets.at(-1)];
  expect(octC).toBe(octB);
  expect(octB).toHaveLength(1);
  expect(octB![0]!.equals(Buffer.concat(msgsB))).toBe(true);
  const counted = (a: string) => w!.d.peers.get(a)!.updatesOut;
  expect(counted(B)).toBe(b.sent.length);
  expect(counted(C)).toBe(c.sent.length);
});
