// Long-lived graceful restart (RFC 9494) as helper, on a daemon with fake sessions: A restarts;
// B negotiated LLGR, C did not, D sends a worse path for one of A's prefixes.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import type { SessionInfo } from '../../src/daemon/peer-link.js';
import { LLGR_STALE, NO_LLGR } from '../../src/rib/llgr-community.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { decodeMessage } from '../../src/wire/message.js';
import { prefixToText } from '../../src/wire/nlri/text.js';
import { base, caps } from '../config/keys-scenarios.js';
import { ROUTER_ID, world, type FakePeer, type World } from '../config/keys-world.js';
import { formatBgpTable } from '../../src/cli/format.js';

const A = '127.0.0.11';
const B = '127.0.0.12';
const C = '127.0.0.13';
const D = '127.0.0.14';
const KEPT = '10.1.0.0/24';
const NOT_KEPT = '10.2.0.0/24';

const llgr = (staleTime: number) => ({
  'long-lived-graceful-restart': { 'stale-time': staleTime },
});

const config = (aExtra: object = {}): ConfigInput =>
  base({
    neighbors: [
      {
        address: A,
        asn: 65001,
        families: ['ipv4'],
        'graceful-restart': {},
        ...llgr(3600),
        ...aExtra,
      },
      { address: B, asn: 65002, families: ['ipv4'], ...llgr(3600) },
      { address: C, asn: 65003, families: ['ipv4'] },
      { address: D, asn: 65004, families: ['ipv4'] },
    ],
  });

/** A's session as the shell reports it: GR with `restartTime`, LLGR ipv4 with `staleTime`. */
const aSession = (restartTime: number, staleTime: number): Partial<SessionInfo> => ({
  peerGracefulRestart: { restartTime, restarting: false, preserved: ['ipv4'] },
  llgr: { families: new Map([['ipv4', staleTime]]), preserved: new Set(['ipv4']) },
});
const llgrPeer: Partial<SessionInfo> = { llgr: { families: new Map(), preserved: new Set() } };

/** What a peer holds now from the UPDATEs it was sent: prefix -> communities. */
function held(p: FakePeer): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const m of p.sent) {
    const d = decodeMessage(m, { ...DEFAULT_CONTEXT, allowLoopbackNextHop: true }).message;
    if (d.type !== 'update') continue;
    for (const n of d.withdrawn) out.delete(prefixToText(n.prefix));
    const comms = d.attributes.find((a) => a.kind === 'communities');
    for (const n of d.nlri)
      out.set(prefixToText(n.prefix), comms?.kind === 'communities' ? [...comms.values] : []);
  }
  return out;
}

const route = (w: World, prefix: string) => w.routes('ipv4').filter((r) => r.prefix === prefix);

/** A, B, C up; A sends KEPT and NOT_KEPT (NO_LLGR), then its session drops gracefully. */
function restartA(w: World, restartTime: number, staleTime: number): void {
  w.peer(A).up(aSession(restartTime, staleTime));
  w.peer(B).up(llgrPeer);
  w.peer(C).up();
  w.peer(A).announce('ipv4', [KEPT]);
  w.peer(A).announce('ipv4', [NOT_KEPT], { communities: [NO_LLGR] });
  w.settle();
  w.peer(A).down(true);
  w.settle();
}

let w: World | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
  vi.useRealTimers();
});

describe('long-lived graceful restart helper (RFC 9494)', () => {
  it('advertises the LLGR capability with the GR one, Restart Time 0 without graceful-restart', async () => {
    w = await world(config({ 'graceful-restart': undefined }));
    const ofA = caps(w, A);
    // RFC 9494 §4.1: LLGR goes with GR; §4.2: a zero Restart Time means LLGR procedures only.
    expect(ofA.find((c) => c.kind === 'graceful-restart')).toMatchObject({
      restartTime: 0,
      families: [],
    });
    expect(ofA.find((c) => c.kind === 'llgr')).toEqual({
      kind: 'llgr',
      families: [{ afi: 1, safi: 1, flags: 0, staleTime: 3600 }],
    });
    expect(caps(w, C).map((c) => c.kind)).not.toContain('llgr');
  });

  it('keeps routes as stale during the Restart Time, unchanged for every peer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w = await world(config());
    restartA(w, 5, 20);
    vi.advanceTimersByTime(4000);
    w.settle();
    // RFC 9494 §4.2: "while the procedures of GR are in effect, route preference would not be
    // affected".
    expect(route(w, KEPT)[0]).toMatchObject({ stale: true, communities: [] });
    expect(route(w, KEPT)[0]?.llgrStale).toBeUndefined();
    expect([...held(w.peer(C)).keys()].sort()).toEqual([KEPT, NOT_KEPT]);
  });

  it('after the Restart Time: LLGR_STALE attached, NO_LLGR dropped, withdrawn from peers without LLGR, gone after the stale time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w = await world(config());
    restartA(w, 5, 20);
    vi.advanceTimersByTime(5000);
    w.settle();
    // RFC 9494 §4.2: NO_LLGR routes deleted, the others get LLGR_STALE.
    expect(route(w, NOT_KEPT)).toEqual([]);
    expect(route(w, KEPT)[0]).toMatchObject({
      stale: true,
      llgrStale: true,
      communities: ['llgr-stale'],
    });
    // `show bgp ipv4 unicast`: L where a stale path has S.
    expect(formatBgpTable(route(w, KEPT), ROUTER_ID, false)).toMatch(/^L\*> 10\.1\.0\.0\/24/m);
    // §4.3: not advertised to (withdrawn from) a neighbor without the capability; the community
    // "MUST NOT be removed when the route is further advertised".
    expect([...held(w.peer(C)).keys()]).toEqual([]);
    expect(held(w.peer(B))).toEqual(new Map([[KEPT, [LLGR_STALE]]]));
    expect(w.events).toContainEqual(
      expect.objectContaining({
        event: 'long-lived-graceful-restart',
        peer: A,
        family: 'ipv4',
        phase: 'stale',
        routes: 1,
        dropped: 1,
        staleTime: 20,
      }),
    );
    // The peer's 3600 s is bounded by ours? Here the peer said 20: the timer ends at 20 s.
    vi.advanceTimersByTime(19_000);
    w.settle();
    expect(route(w, KEPT)).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    w.settle();
    expect(route(w, KEPT)).toEqual([]);
    expect(held(w.peer(B))).toEqual(new Map());
    expect(w.events).toContainEqual(
      expect.objectContaining({ event: 'long-lived-graceful-restart', phase: 'expired' }),
    );
  });

  it('a Restart Time of zero starts the long-lived period at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w = await world(config());
    restartA(w, 0, 20);
    vi.advanceTimersByTime(0);
    w.settle();
    expect(route(w, KEPT)[0]?.llgrStale).toBe(true);
    expect(route(w, NOT_KEPT)).toEqual([]);
  });

  it('the stale time is the smaller of the peer’s and ours (RFC 9494 §4.2 "MAY be reduced")', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w = await world(config(llgr(10)));
    restartA(w, 1, 3600);
    vi.advanceTimersByTime(1000 + 10_000);
    w.settle();
    expect(route(w, KEPT)).toEqual([]);
  });

  it('a long-lived stale path is least preferred (RFC 9494 §4.4): reason llgr-stale', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w = await world(config());
    // D restarts too, without LLGR and with a longer Restart Time: both of its paths and A's are
    // stale; D's is worse on AS path length, so A's wins until it is long-lived stale.
    w.peer(D).up({
      peerGracefulRestart: { restartTime: 60, restarting: false, preserved: ['ipv4'] },
    });
    w.peer(D).announce('ipv4', [KEPT], { asPath: [65004, 65010, 65011] });
    w.settle();
    w.peer(D).down(true);
    restartA(w, 5, 20);
    expect(route(w, KEPT).find((r) => r.best)).toMatchObject({
      peer: A,
      bestReason: 'as-path-length',
    });
    vi.advanceTimersByTime(5000);
    w.settle();
    const best = route(w, KEPT).find((r) => r.best);
    expect(best).toMatchObject({ peer: D, bestReason: 'llgr-stale' });
    // C (no LLGR) is sent D's path instead of a withdrawal.
    expect(held(w.peer(C)).get(KEPT)).toEqual([]);
  });

  it('the session back and its End-of-RIB clear the marks, the timer stops', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w = await world(config());
    restartA(w, 5, 20);
    vi.advanceTimersByTime(5000);
    w.settle();
    w.peer(A).up(aSession(5, 20));
    w.peer(A).announce('ipv4', [KEPT]);
    w.settle();
    // Sent again: a fresh path, no LLGR_STALE, back at C.
    expect(route(w, KEPT)).toMatchObject([{ communities: [], best: true }]);
    expect(route(w, KEPT)[0]?.stale).toBeUndefined();
    expect(held(w.peer(C)).get(KEPT)).toEqual([]);
    w.peer(A).withdrawnEor('ipv4');
    w.settle();
    vi.advanceTimersByTime(60_000);
    w.settle();
    expect(route(w, KEPT)).toHaveLength(1);
  });

  it('End-of-RIB sweeps the long-lived stale routes the peer did not send again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w = await world(config());
    restartA(w, 5, 20);
    vi.advanceTimersByTime(5000);
    w.settle();
    w.peer(A).up(aSession(5, 20));
    w.settle();
    expect(route(w, KEPT)[0]?.llgrStale).toBe(true);
    w.peer(A).withdrawnEor('ipv4');
    w.settle();
    expect(route(w, KEPT)).toEqual([]);
  });

  it('a second restart does not restart the running stale timer (RFC 9494 §4.2)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w = await world(config());
    restartA(w, 1, 20);
    vi.advanceTimersByTime(1000);
    w.settle();
    // Back for a moment without End-of-RIB, then down again.
    w.peer(A).up(aSession(1, 20));
    w.settle();
    vi.advanceTimersByTime(10_000);
    w.peer(A).down(true);
    w.settle();
    vi.advanceTimersByTime(1000);
    w.settle();
    expect(route(w, KEPT)[0]?.llgrStale).toBe(true);
    // 1 + 20 s after the first restart time ended, not 20 s after the second.
    vi.advanceTimersByTime(9000);
    w.settle();
    expect(route(w, KEPT)).toEqual([]);
  });

  it('without LLGR negotiated the stale routes go at the end of the Restart Time, as before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    w = await world(config());
    w.peer(A).up({
      peerGracefulRestart: { restartTime: 5, restarting: false, preserved: ['ipv4'] },
    });
    w.peer(A).announce('ipv4', [KEPT]);
    w.settle();
    w.peer(A).down(true);
    w.settle();
    vi.advanceTimersByTime(5000);
    w.settle();
    expect(route(w, KEPT)).toEqual([]);
  });
});
