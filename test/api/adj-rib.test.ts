// Adj-RIBs on a daemon with fake session shells: routes kept as received only for the neighbor with
// `soft-reconfiguration: inbound`, a route-map-in change applied from them without a route refresh
// (and by a route refresh without the key), and advertised-routes equal to what a fake peer was
// actually sent (its UPDATEs decoded in order, withdrawals included), never its own routes back.

import { afterEach, describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import { valuesToWire } from '../../src/rib/convert.js';
import { packAnnounce, packWithdraw } from '../../src/wire/update-pack.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { rtFromText } from '../../src/wire/ext-community.js';
import { decodeMessage } from '../../src/wire/message.js';
import { prefixFromText, prefixToText } from '../../src/wire/nlri/text.js';
import type { Nlri } from '../../src/wire/types.js';
import { decodeUpdate } from '../../src/wire/update.js';
import { startFixture, until, type FakePeer, type Fixture } from './fixture.js';

const A = '127.0.0.11'; // soft-reconfiguration inbound, route-map-in IN
const B = '127.0.0.12'; // route-map-in IN, nothing kept
const C = '127.0.0.13'; // no policy: a plain receiver

const config = (inMap: string, softA = true, in2Extra = '') => `asn: 65000
router-id: 10.0.0.1
api: { address: 127.0.0.1, port: 8179 }
neighbors:
  - { address: ${A}, asn: 65001, families: [ipv4], route-map-in: ${inMap}${softA ? ', soft-reconfiguration: inbound' : ''} }
  - { address: ${B}, asn: 65002, families: [ipv4], route-map-in: ${inMap} }
  - { address: ${C}, asn: 65003, families: [ipv4] }
policy:
  prefix-lists:
    NET1:
      - { seq: 10, action: permit, prefix: 10.1.0.0/16, le: 24 }
    NET2:
      - { seq: 10, action: permit, prefix: 10.2.0.0/16, le: 24 }
  route-maps:
    IN1:
      - { seq: 10, action: permit, match: { prefix-list: NET1 } }
    IN2:
      - { seq: 10, action: permit, match: { prefix-list: NET2 } }${in2Extra}
`;

const v4 = (text: string): Nlri => ({ kind: 'prefix', prefix: prefixFromText(text) });

/** The UPDATEs a peer of AS `asn` sends for these prefixes, as the daemon's session decodes them. */
function announce(peer: FakePeer, asn: number, prefixes: string[]): void {
  const attrs = valuesToWire(
    { ...EMPTY_ATTR_VALUES, asPath: [{ type: 2, asns: [asn] }] },
    { fourOctetAs: true, localPref: false, markPartial: false },
  );
  // A documentation next hop: the codec treats a loopback one as withdrawn (RFC 7606 §7.3).
  const nh = { kind: 'ipv4', addr: 0xc0000200 + (asn - 65000) } as const;
  for (const m of packAnnounce('ipv4', attrs, nh, prefixes.map(v4), DEFAULT_CONTEXT))
    peer.events.update(decodeUpdate(m, 19, m.length, DEFAULT_CONTEXT));
}

function withdraw(peer: FakePeer, prefixes: string[]): void {
  for (const m of packWithdraw('ipv4', prefixes.map(v4), DEFAULT_CONTEXT))
    peer.events.update(decodeUpdate(m, 19, m.length, DEFAULT_CONTEXT));
}

/** What a fake peer holds from us: its UPDATEs applied in order (prefix -> AS path), and refreshes. */
function heldBy(peer: FakePeer): { routes: Map<string, string>; refreshes: number } {
  const routes = new Map<string, string>();
  let refreshes = 0;
  for (const m of peer.sent) {
    const d = decodeMessage(m, DEFAULT_CONTEXT).message;
    if (d.type === 'route-refresh') refreshes++;
    if (d.type !== 'update') continue;
    for (const n of d.withdrawn) routes.delete(prefixToText(n.prefix));
    const path = d.attributes.find((a) => a.kind === 'as-path');
    const text =
      path?.kind === 'as-path' ? path.segments.map((s) => s.asns.join(' ')).join(' ') : '';
    for (const n of d.nlri) routes.set(prefixToText(n.prefix), text);
  }
  return { routes, refreshes };
}

let fx: Fixture;
afterEach(async () => {
  await fx.stop();
});

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fx.run.api.app.inject({ method: 'GET', url });
  return { status: r.statusCode, body: r.json() as Record<string, unknown> };
}

async function reload(text: string): Promise<void> {
  fx.write(text);
  const r = await fx.run.api.app.inject({ method: 'POST', url: '/api/v1/reload' });
  expect(r.statusCode, r.body).toBe(200);
}

const prefixes = (body: Record<string, unknown>): string[] =>
  (body['routes'] as { prefix: string }[]).map((r) => r.prefix).sort();

async function upAll(): Promise<Record<string, FakePeer>> {
  const peers = { a: fx.peers.get(A)!, b: fx.peers.get(B)!, c: fx.peers.get(C)! };
  for (const p of Object.values(peers)) p.up();
  return peers;
}

describe('Adj-RIB-In', () => {
  it('keeps pre-policy routes only with soft-reconfiguration inbound', async () => {
    fx = await startFixture(config('IN1'));
    const { a, b } = await upAll();
    announce(a!, 65001, ['10.1.1.0/24', '10.2.1.0/24']);
    announce(b!, 65002, ['10.1.2.0/24', '10.2.2.0/24']);
    const received = await until(async () => {
      const r = await get(`/api/v1/neighbors/${A}/received-routes`);
      return r.status === 200 && prefixes(r.body).length === 2 ? r : undefined;
    }, 'A received-routes');
    // Everything A sent, the one IN1 denies included, with the attributes as received.
    expect(prefixes(received.body)).toEqual(['10.1.1.0/24', '10.2.1.0/24']);
    expect((received.body['routes'] as { asPath: string }[])[0]?.asPath).toBe('65001');
    // Accepted (post-policy): only what IN1 permits.
    expect(prefixes((await get(`/api/v1/neighbors/${A}/routes`)).body)).toEqual(['10.1.1.0/24']);
    expect(prefixes((await get(`/api/v1/neighbors/${B}/routes`)).body)).toEqual(['10.1.2.0/24']);
    // B keeps nothing as received: FRR's answer, as a 409 that says which key.
    const none = await get(`/api/v1/neighbors/${B}/received-routes`);
    expect(none.status).toBe(409);
    expect(none.body['message']).toMatch(/soft-reconfiguration: inbound/);
    expect(fx.run.daemon.peerByAddress(B)!.adjRibIn).toBeUndefined();
    // A withdrawal leaves the received routes too.
    withdraw(a!, ['10.2.1.0/24']);
    await until(
      async () => prefixes((await get(`/api/v1/neighbors/${A}/received-routes`)).body).length === 1,
      'the withdrawal in received-routes',
    );
    expect((await get(`/api/v1/neighbors/127.0.0.99/routes`)).status).toBe(404);
    expect((await get(`/api/v1/neighbors/${A}/routes?family=vpnv9`)).status).toBe(400);
  });

  it('a route-map-in change applies from the kept routes without a route refresh; without them, by one', async () => {
    fx = await startFixture(config('IN1'));
    const { a, b } = await upAll();
    announce(a!, 65001, ['10.1.1.0/24', '10.2.1.0/24']);
    announce(b!, 65002, ['10.1.2.0/24', '10.2.2.0/24']);
    await until(
      async () => prefixes((await get(`/api/v1/neighbors/${B}/routes`)).body).length === 1,
      'B accepted',
    );
    const before = { a: heldBy(a!).refreshes, b: heldBy(b!).refreshes };
    await reload(config('IN2'));
    // A: the kept routes went through IN2 at once; nothing was asked of A.
    expect(prefixes((await get(`/api/v1/neighbors/${A}/routes`)).body)).toEqual(['10.2.1.0/24']);
    expect(heldBy(a!).refreshes).toBe(before.a);
    // B: asked for its routes again (RFC 2918), and until it answers the old ones stay.
    expect(heldBy(b!).refreshes).toBe(before.b + 1);
    // clear bgp ADDR soft in: the same, from the kept routes for A, by a refresh for B.
    const clear = async (addr: string) =>
      (
        await fx.run.api.app.inject({
          method: 'POST',
          url: `/api/v1/neighbors/${addr}/clear`,
          payload: { soft: 'in' },
        })
      ).statusCode;
    expect(await clear(A)).toBe(200);
    expect(await clear(B)).toBe(200);
    expect(heldBy(a!).refreshes).toBe(before.a);
    expect(heldBy(b!).refreshes).toBe(before.b + 2);
    // The route map itself edited (a clause added): the same, through the edited-map path.
    await reload(
      config('IN2', true, '\n      - { seq: 20, action: permit, match: { prefix-list: NET1 } }'),
    );
    expect(prefixes((await get(`/api/v1/neighbors/${A}/routes`)).body)).toEqual([
      '10.1.1.0/24',
      '10.2.1.0/24',
    ]);
    expect(heldBy(a!).refreshes).toBe(before.a);
    expect(heldBy(b!).refreshes).toBe(before.b + 3);
  });

  it('turning the key off drops the kept routes; turning it on asks the peer for them', async () => {
    fx = await startFixture(config('IN1'));
    const { a } = await upAll();
    announce(a!, 65001, ['10.1.1.0/24']);
    await until(
      async () => (await get(`/api/v1/neighbors/${A}/received-routes`)).status === 200,
      'received-routes',
    );
    await reload(config('IN1', false));
    expect((await get(`/api/v1/neighbors/${A}/received-routes`)).status).toBe(409);
    const refreshes = heldBy(a!).refreshes;
    await reload(config('IN1', true));
    expect(heldBy(a!).refreshes).toBe(refreshes + 1);
    announce(a!, 65001, ['10.1.1.0/24']);
    await until(
      async () => prefixes((await get(`/api/v1/neighbors/${A}/received-routes`)).body).length === 1,
      'received-routes after the refresh',
    );
  });
});

describe('Adj-RIB-Out', () => {
  it('advertised-routes is what each peer was sent: withdrawals applied, its own routes never', async () => {
    fx = await startFixture(config('IN1'));
    const { a, b, c } = await upAll();
    announce(a!, 65001, ['10.1.1.0/24', '10.1.9.0/24']);
    announce(b!, 65002, ['10.1.2.0/24']);
    announce(c!, 65003, ['10.3.3.0/24']);
    const adv = async (addr: string) => {
      const r = await get(`/api/v1/neighbors/${addr}/advertised-routes`);
      expect(r.status).toBe(200);
      const routes = r.body['routes'] as { prefix: string; asPath: string }[];
      return new Map(routes.map((x) => [x.prefix, x.asPath]));
    };
    const settled = async () => {
      for (const [addr, p] of [
        [A, a!],
        [B, b!],
        [C, c!],
      ] as const) {
        if (
          JSON.stringify([...(await adv(addr))].sort()) !==
          JSON.stringify([...heldBy(p).routes].sort())
        )
          return false;
      }
      return true;
    };
    await until(async () => (await adv(C)).size === 3 && (await settled()), 'C sent 3 routes');
    // C holds A's and B's routes with our AS in front, not its own.
    expect([...(await adv(C))].sort()).toEqual([
      ['10.1.1.0/24', '65000 65001'],
      ['10.1.2.0/24', '65000 65002'],
      ['10.1.9.0/24', '65000 65001'],
    ]);
    // A is not sent its own routes back.
    expect([...(await adv(A)).keys()].sort()).toEqual(['10.1.2.0/24', '10.3.3.0/24']);
    // A withdrawal leaves every Adj-RIB-Out and every peer's table alike.
    withdraw(a!, ['10.1.9.0/24']);
    await until(
      async () => !(await adv(C)).has('10.1.9.0/24') && (await settled()),
      'the withdrawal sent',
    );
    expect(heldBy(c!).routes.has('10.1.9.0/24')).toBe(false);
  });
});

describe('retain imported-only with routes kept as received', () => {
  const vpnConfig = (imports: string) => `asn: 65000
router-id: 10.0.0.1
api: { address: 127.0.0.1, port: 8179 }
retain: imported-only
neighbors:
  - { address: ${A}, asn: 65000, families: [vpnv4], soft-reconfiguration: inbound }
vrfs:
  RED:
    rd: 65000:1
    route-targets: { import: [${imports}], export: [65000:1] }
`;

  it('an import RT added takes the dropped VPN routes from the kept ones, without a route refresh', async () => {
    fx = await startFixture(vpnConfig('65000:10'));
    const a = fx.peers.get(A)!;
    a.up();
    const attrs = valuesToWire(
      { ...EMPTY_ATTR_VALUES, extCommunities: [rtFromText('65000:77')] },
      { fourOctetAs: true, localPref: true, markPartial: false },
    );
    const nlri: Nlri = {
      kind: 'vpn',
      labels: [0x000641],
      rd: { hi: 65001, lo: 7 },
      prefix: prefixFromText('10.7.0.0/24'),
    };
    const nh = { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0xc0000201 } as const;
    for (const m of packAnnounce('vpnv4', attrs, nh, [nlri], DEFAULT_CONTEXT))
      a.events.update(decodeUpdate(m, 19, m.length, DEFAULT_CONTEXT));
    // No VRF imports 65000:77: not kept in the VPN table, but kept as received.
    await until(
      async () => prefixes((await get(`/api/v1/neighbors/${A}/received-routes`)).body).length === 1,
      'the route kept as received',
    );
    expect(prefixes((await get(`/api/v1/neighbors/${A}/routes`)).body)).toEqual([]);
    const refreshes = heldBy(a).refreshes;
    await reload(vpnConfig('65000:10, 65000:77'));
    expect(prefixes((await get(`/api/v1/neighbors/${A}/routes`)).body)).toEqual(['10.7.0.0/24']);
    expect(heldBy(a).refreshes).toBe(refreshes);
  });
});
