// `clear bgp`: POST /api/v1/neighbors/:addr/clear on a daemon with fake session shells. Soft out
// sends the peer its routes again (no End-of-RIB), soft in sends a ROUTE-REFRESH, no body resets
// the session with Cease / Administrative Reset; every refusal is a 4xx with a message.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { decodeMessage } from '../../src/wire/message.js';
import { keyText, nlriKey } from '../../src/wire/nlri/key.js';
import { startFixture, until, type Fixture } from './fixture.js';

let fx: Fixture;
const PEER = '127.0.0.11';
const clear = async (addr: string, payload?: unknown) => {
  const r = await fx.run.api.app.inject({
    method: 'POST',
    url: `/api/v1/neighbors/${addr}/clear`,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
  return { status: r.statusCode, body: r.json() as Record<string, unknown> };
};

/** What the messages announce (VPN keys as text), withdraw, and how many End-of-RIB / refreshes. */
function read(msgs: readonly Buffer[]) {
  const announced: string[] = [];
  let eor = 0;
  const refresh: string[] = [];
  for (const m of msgs) {
    const d = decodeMessage(m, DEFAULT_CONTEXT).message;
    if (d.type === 'route-refresh') refresh.push(`${d.afi}/${d.safi}`);
    if (d.type !== 'update') continue;
    const reach = d.attributes.find((a) => a.kind === 'mp-reach');
    const unreach = d.attributes.find((a) => a.kind === 'mp-unreach');
    if (reach?.kind === 'mp-reach')
      for (const n of reach.nlri) announced.push(keyText(nlriKey(n), 1, true));
    if (unreach?.kind === 'mp-unreach' && unreach.nlri.length === 0 && !reach) eor++;
  }
  return { announced: announced.sort(), eor, refresh };
}

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx.stop();
});

describe('clear bgp', () => {
  it('refuses a non-address (400), an unknown neighbor (404), a bad soft value (400)', async () => {
    expect((await clear('not-an-address', {})).status).toBe(400);
    const unknown = await clear('127.0.0.99', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body['message']).toMatch(/no neighbor 127\.0\.0\.99/);
    const bad = await clear(PEER, { soft: 'sideways' });
    expect(bad.status).toBe(400);
    expect(bad.body['message']).toMatch(/soft must be "in", "out" or "both"/);
  });

  it('soft out before the session is up is a 409', async () => {
    const r = await clear(PEER, { soft: 'out' });
    expect(r.status).toBe(409);
    expect(r.body['message']).toMatch(/not established/);
  });

  it('soft out sends the table again, without End-of-RIB', async () => {
    const peer = fx.peers.get(PEER)!;
    peer.up();
    // The initial table: the two VRFs' exports, then End-of-RIB.
    const first = await until(() => {
      const r = read(peer.sent);
      return r.eor === 1 && r.announced.length === 2 ? r : undefined;
    }, 'the initial table and End-of-RIB');
    expect(first.announced).toEqual(['65000:100:10.100.0.0/16', '65000:10:10.1.5.0/24']);
    const before = peer.sent.length;
    const r = await clear(PEER, { soft: 'out' });
    expect(r).toEqual({ status: 200, body: { address: PEER, cleared: 'soft out' } });
    const again = read(peer.sent.slice(before));
    expect(again.announced).toEqual(first.announced);
    expect(again.eor).toBe(0);
    expect(again.refresh).toEqual([]);
  });

  it('soft in sends a ROUTE-REFRESH for each family; soft (both) does both', async () => {
    const peer = fx.peers.get(PEER)!;
    let before = peer.sent.length;
    expect((await clear(PEER, { soft: 'in' })).status).toBe(200);
    expect(read(peer.sent.slice(before))).toEqual({ announced: [], eor: 0, refresh: ['1/128'] });
    before = peer.sent.length;
    expect((await clear(PEER, { soft: 'both' })).body['cleared']).toBe('soft both');
    const both = read(peer.sent.slice(before));
    expect(both.refresh).toEqual(['1/128']);
    expect(both.announced).toHaveLength(2);
  });

  it('no soft: the session is reset with Cease / Administrative Reset and starts again', async () => {
    const old = fx.peers.get(PEER)!;
    const r = await clear(PEER);
    expect(r).toEqual({ status: 200, body: { address: PEER, cleared: 'hard' } });
    expect(old.stoppedWith).toBe(4);
    const fresh = fx.peers.get(PEER)!;
    expect(fresh).not.toBe(old);
    expect(fresh.state).toBe('Active');
  });

  it('soft in toward a peer without route refresh is a 409 that says why', async () => {
    const peer = fx.peers.get(PEER)!;
    peer.state = 'Established';
    peer.events.established({
      families: ['vpnv4'],
      fourOctetAs: true,
      peerAs: 65000,
      peerBgpId: 0x0a000002,
      holdTime: 90,
      routeRefresh: false,
      rx: DEFAULT_CONTEXT,
      tx: DEFAULT_CONTEXT,
      localAddress: '127.0.0.10',
    });
    const r = await clear(PEER, { soft: 'in' });
    expect(r.status).toBe(409);
    expect(r.body['message']).toMatch(/did not advertise route refresh/);
    // Soft out needs nothing from the peer.
    expect((await clear(PEER, { soft: 'out' })).status).toBe(200);
  });
});
