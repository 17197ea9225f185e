// keys.test.ts entries for neighbor keys.

import { expect, vi } from 'vitest';
import { neighborAdjRib } from '../../src/api/adj-rib.js';
import { FAMILIES } from '../../src/wire/afi.js';
import {
  base,
  caps,
  CLIENT,
  differs,
  grCap,
  keepaliveSent,
  leak,
  oneNeighbor,
  open,
  PEER,
  peerOpen,
  prefixes,
  reflected,
  reflection,
  shellSettings,
  staleAfter,
  type KeyCheck,
} from './keys-scenarios.js';
import { SECURITY_KEYS } from './keys-security.js';
import { sentRoutes, type World } from './keys-world.js';

const DENY_ALL = { policy: { 'route-maps': { DENY: [{ seq: 10, action: 'deny' as const }] } } };

/** PEER announces three prefixes; the max-prefix log events that follow. */
function threePrefixes(w: World) {
  w.peer(PEER).up();
  w.peer(PEER).announce('ipv4', ['10.9.1.0/24', '10.9.2.0/24', '10.9.3.0/24']);
  w.settle();
  return w.events.filter((e) => e.event.startsWith('max-prefix')).map((e) => e.event);
}

/** A route whose AS path holds our own AS (65000) once. */
function loopedRoute(w: World) {
  w.peer(PEER).up();
  w.peer(PEER).announce('ipv4', ['10.9.0.0/24'], { asPath: [65001, 65000] });
  w.settle();
  return prefixes(w, 'ipv4');
}

const upAndSend = (w: World) => {
  w.peer(PEER).up();
  w.peer(PEER).announce('ipv4', ['10.9.0.0/24']);
  w.settle();
};

export const NEIGHBOR_KEYS: Record<string, KeyCheck> = {
  'neighbors[].address': async () => {
    const [a, b] = await differs(oneNeighbor(), oneNeighbor({ address: CLIENT }), (w) =>
      [...w.peers.values()].map((p) => p.shell.peerAddress),
    );
    expect([a, b]).toEqual([[PEER], [CLIENT]]);
  },
  'neighbors[].asn': async () => {
    // The peer's OPEN is checked against the configured AS (RFC 4271 §6.2, Bad Peer AS).
    const [a, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ asn: 65002 }),
      (w) => w.peer(PEER).shell.fsm.checkOpen(peerOpen(65001)) === undefined,
    );
    expect([a, b]).toEqual([true, false]);
  },
  'neighbors[].description': async () => {
    const [, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ description: 'PE2' }),
      (w) => w.service.neighbors()[0]?.description,
    );
    expect(b).toBe('PE2');
  },
  'neighbors[].port': async () => {
    const [, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ port: 1179 }),
      (w) => shellSettings(w).port,
    );
    expect(b).toBe(1179);
  },
  'neighbors[].local-address': async () => {
    const [, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ 'local-address': '127.0.0.3' }),
      (w) => shellSettings(w).localAddress,
    );
    expect(b).toBe('127.0.0.3');
  },
  'neighbors[].hold-time': async () => {
    const [a, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ 'hold-time': 30 }),
      (w) => open(w).holdTime,
    );
    expect([a, b]).toEqual([90, 30]);
  },
  'neighbors[].keepalive': async () => {
    // RFC 4271 §4.4 / §10: a third of the negotiated hold time unless configured; a configured
    // interval above that third is capped to it (as FRR).
    const [a, b] = await differs(oneNeighbor(), oneNeighbor({ keepalive: 10 }), keepaliveSent);
    expect([a, b]).toEqual([30, 10]);
    const [, capped] = await differs(
      oneNeighbor({ keepalive: 10 }),
      oneNeighbor({ keepalive: 60 }),
      keepaliveSent,
    );
    expect(capped).toBe(30);
  },
  'neighbors[].connect-retry': async () => {
    const [, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ 'connect-retry': 30 }),
      (w) => shellSettings(w).fsm.connectRetryTime,
    );
    expect(b).toBe(30);
  },
  'neighbors[].passive': async () => {
    const [a, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ passive: true }),
      (w) => shellSettings(w).passive,
    );
    expect([a, b]).toEqual([false, true]);
  },
  'neighbors[].families': async () => {
    const mp = (w: World) =>
      caps(w).flatMap((c) => (c.kind === 'multiprotocol' ? [`${c.afi}/${c.safi}`] : []));
    const [a, b] = await differs(oneNeighbor(), oneNeighbor({ families: ['ipv4', 'vpnv4'] }), mp);
    expect([a, b]).toEqual([['1/1'], ['1/1', `1/${FAMILIES.vpnv4.safi}`]]);
    // Labeled unicast (RFC 8277): received routes go into their own table with their labels and
    // are reflected to a client that negotiated the family.
    const labeled = (families: ('ipv4' | 'ipv4-labeled')[]) =>
      reflection({ families: ['ipv4-labeled'] }, {}, { families });
    const [none, carried] = await differs(labeled(['ipv4']), labeled(['ipv4-labeled']), (w) => {
      w.peer(PEER).up();
      w.peer(CLIENT).up();
      w.peer(PEER).announce('ipv4-labeled', ['10.9.0.0/24']);
      w.settle();
      return {
        table: w.routes('ipv4-labeled').map((r) => [r.prefix, r.labels]),
        sent: sentRoutes(w.peer(CLIENT)).map((r) => [r.prefix, r.labels]),
      };
    });
    expect(none).toEqual({ table: [], sent: [] });
    expect(carried).toEqual({ table: [['10.9.0.0/24', [200]]], sent: [['10.9.0.0/24', [200]]] });
    // rtc (RFC 4684): advertised in the OPEN, and the peer's VPN routes wait for its memberships
    // (test/daemon/rtc.test.ts has the rest).
    const vpnSent = (fams: ('vpnv4' | 'rtc')[]) =>
      base({
        neighbors: [{ address: PEER, asn: 65000, families: fams }],
        vrfs: {
          V: {
            rd: '65000:1',
            'route-targets': { import: ['65000:1'], export: ['65000:1'] },
            networks: ['10.1.0.0/24'],
          },
        },
      });
    const [plain, constrained] = await differs(
      vpnSent(['vpnv4']),
      vpnSent(['vpnv4', 'rtc']),
      (w) => {
        w.peer(PEER).up();
        w.settle();
        return { mp: mp(w), sent: sentRoutes(w.peer(PEER)).map((r) => r.prefix) };
      },
    );
    expect(plain).toEqual({ mp: [`1/${FAMILIES.vpnv4.safi}`], sent: ['10.1.0.0/24'] });
    expect(constrained).toEqual({ mp: [`1/${FAMILIES.vpnv4.safi}`, '1/132'], sent: [] });
  },
  'neighbors[].route-reflector-client': async () => {
    const [a, b] = await differs(
      reflection({ 'route-reflector-client': false }),
      reflection(),
      (w) => reflected(w).length,
    );
    expect([a, b]).toEqual([0, 1]);
  },
  'neighbors[].cluster-id': async () => {
    // Towards a client (from a non-client): the client's cluster; from a client: its cluster too.
    const [a, b] = await differs(reflection(), reflection({ 'cluster-id': '10.7.7.7' }), (w) =>
      reflected(w).map((r) => r.clusterList),
    );
    expect([a, b]).toEqual([[['10.0.0.1']], [['10.7.7.7']]]);
    const [, fromClient] = await differs(
      reflection({}, {}, { 'route-reflector-client': true }),
      reflection({}, {}, { 'route-reflector-client': true, 'cluster-id': '10.8.8.8' }),
      (w) => reflected(w).map((r) => r.clusterList),
    );
    expect(fromClient).toEqual([['10.8.8.8']]);
    // A route whose CLUSTER_LIST holds the client's cluster is a loop (RFC 4456 §8).
    const [kept, dropped] = await differs(
      reflection(),
      reflection({ 'cluster-id': '10.7.7.7' }),
      (w) => {
        w.peer(CLIENT).up();
        w.peer(CLIENT).announce('ipv4', ['10.9.5.0/24'], {
          clusterList: ['10.7.7.7'],
          originatorId: '10.0.0.9',
        });
        w.settle();
        return prefixes(w, 'ipv4');
      },
    );
    expect([kept, dropped]).toEqual([['10.9.5.0/24'], []]);
  },
  'neighbors[].graceful-restart': async () => {
    const [a, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ 'graceful-restart': {} }),
      (w) => grCap(w) !== undefined,
    );
    expect([a, b]).toEqual([false, true]);
  },
  'neighbors[].graceful-restart.enabled': async () => {
    // The neighbor's own `enabled: false` wins over the global block.
    const global = { 'graceful-restart': { enabled: true } };
    const [a, b] = await differs(
      oneNeighbor({ 'graceful-restart': { enabled: true } }, global),
      oneNeighbor({ 'graceful-restart': { enabled: false } }, global),
      (w) => grCap(w) !== undefined,
    );
    expect([a, b]).toEqual([true, false]);
  },
  'neighbors[].graceful-restart.restart-time': async () => {
    const [a, b] = await differs(
      oneNeighbor({ 'graceful-restart': {} }),
      oneNeighbor({ 'graceful-restart': { 'restart-time': 40 } }),
      (w) => {
        const c = grCap(w);
        return c?.kind === 'graceful-restart' ? c.restartTime : undefined;
      },
    );
    expect([a, b]).toEqual([120, 40]);
  },
  'neighbors[].graceful-restart.stale-time': async () => {
    const global = { 'graceful-restart': { 'stale-time': 50 } };
    const own = (stale: number) =>
      oneNeighbor({ 'graceful-restart': { 'stale-time': stale } }, global);
    expect(await staleAfter(own(5), 5)).toBe(false);
    expect(await staleAfter(own(8), 5)).toBe(true);
  },
  'neighbors[].max-prefix': async () => {
    const [a, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ 'max-prefix': { limit: 2 } }),
      threePrefixes,
    );
    expect([a, b]).toEqual([[], ['max-prefix-exceeded']]);
  },
  'neighbors[].max-prefix.limit': async () => {
    const [, b] = await differs(
      oneNeighbor({ 'max-prefix': { limit: 2 } }),
      oneNeighbor({ 'max-prefix': { limit: 100 } }),
      threePrefixes,
    );
    expect(b).toEqual([]);
  },
  'neighbors[].max-prefix.warning-threshold-pct': async () => {
    const [a, b] = await differs(
      oneNeighbor({ 'max-prefix': { limit: 10 } }),
      oneNeighbor({ 'max-prefix': { limit: 10, 'warning-threshold-pct': 30 } }),
      threePrefixes,
    );
    expect([a, b]).toEqual([[], ['max-prefix-warning']]);
  },
  'neighbors[].max-prefix.restart-after': async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const [a, b] = await differs(
      oneNeighbor({ 'max-prefix': { limit: 2 } }),
      oneNeighbor({ 'max-prefix': { limit: 2, 'restart-after': 30 } }),
      (w) => {
        threePrefixes(w);
        vi.advanceTimersByTime(30_000);
        return w.peer(PEER).state;
      },
    );
    vi.useRealTimers();
    expect([a, b]).toEqual(['Idle', 'Active']);
  },
  'neighbors[].route-map-in': async () => {
    const [a, b] = await differs(
      oneNeighbor({}, DENY_ALL),
      oneNeighbor({ 'route-map-in': 'DENY' }, DENY_ALL),
      (w) => {
        upAndSend(w);
        return prefixes(w, 'ipv4');
      },
    );
    expect([a, b]).toEqual([['10.9.0.0/24'], []]);
  },
  'neighbors[].route-map-out': async () => {
    const c = (out?: string) =>
      oneNeighbor(
        { ...(out ? { 'route-map-out': out } : {}) },
        { ...DENY_ALL, networks: ['10.5.0.0/24'] },
      );
    const [a, b] = await differs(c(), c('DENY'), (w) => {
      w.peer(PEER).up();
      w.settle();
      return sentRoutes(w.peer(PEER)).map((r) => r.prefix);
    });
    expect([a, b]).toEqual([['10.5.0.0/24'], []]);
  },
  'neighbors[].vrf': async () => {
    const [a, b] = await differs(
      leak({}, {}, { neighbors: [{ address: PEER, asn: 65001, families: ['ipv4'] }] }),
      leak({}, {}, { neighbors: [{ address: PEER, asn: 65001, families: ['ipv4'], vrf: 'DST' }] }),
      (w) => {
        upAndSend(w);
        return [prefixes(w, 'ipv4'), prefixes(w, 'ipv4', 'DST')];
      },
    );
    expect(a[0]).toContain('10.9.0.0/24');
    expect(b[1]).toContain('10.9.0.0/24');
  },
  'neighbors[].allowas-in': async () => {
    const [a, b] = await differs(oneNeighbor(), oneNeighbor({ 'allowas-in': 1 }), loopedRoute);
    expect([a, b]).toEqual([[], ['10.9.0.0/24']]);
  },
  'neighbors[].next-hop-self': async () => {
    const [a, b] = await differs(reflection(), reflection({ 'next-hop-self': true }), (w) =>
      reflected(w).map((r) => r.nextHop),
    );
    expect([a, b]).toEqual([['192.0.2.1'], ['127.0.0.1']]);
  },
  'neighbors[].next-hop-address': async () => {
    const [, b] = await differs(
      reflection({ 'next-hop-self': true }),
      reflection({ 'next-hop-self': true, 'next-hop-address': '192.0.2.77' }),
      (w) => reflected(w).map((r) => r.nextHop),
    );
    expect(b).toEqual(['192.0.2.77']);
  },
  'neighbors[].shutdown': async () => {
    const [a, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ shutdown: true }),
      (w) => w.peer(PEER).state,
    );
    expect([a, b]).toEqual(['Active', 'Idle']);
  },
  'neighbors[].soft-reconfiguration': async () => {
    // `inbound` keeps the routes as received, before route-map-in (FRR's received-routes).
    const c = (soft?: 'inbound') =>
      oneNeighbor(
        { 'route-map-in': 'DENY', ...(soft ? { 'soft-reconfiguration': soft } : {}) },
        DENY_ALL,
      );
    const [a, b] = await differs(c(), c('inbound'), (w) => {
      upAndSend(w);
      const r = neighborAdjRib(w.d, PEER, 'received');
      return r.ok ? r.answer.routes.map((x) => x.prefix) : r.status;
    });
    expect([a, b]).toEqual([409, ['10.9.0.0/24']]);
  },
  'neighbors[].max-output-queue': async () => {
    const [, b] = await differs(
      oneNeighbor(),
      oneNeighbor({ 'max-output-queue': 1 << 20 }),
      (w) => shellSettings(w).maxOutputQueue,
    );
    expect(b).toBe(1 << 20);
  },
  ...SECURITY_KEYS,
};
