// Issue: sessions with real peers, scenario f: ROUTE-REFRESH (RFC 2918) both ways with a GoBGP and
// an FRR bgpd. A peer's refresh request gets vrfleak's whole table again (the peer's own counters
// of received UPDATEs grow by the table's size), and vrfleak's Speaker.refresh() asks a peer for
// its table again (the peer counts the ROUTE-REFRESH and re-sends).
//
// The request comes from FRR (`clear bgp ADDR soft in`): GoBGP 3.10 keeps every Adj-RIB-In and its
// `softresetin` re-runs import policy locally without sending a ROUTE-REFRESH (its sent.refresh
// counter stays at 0), so it cannot trigger one.
//
// Every vrfleak route has its own attribute set (distinct MEDs, communities), so each goes in an
// UPDATE of its own and "UPDATEs received" counts routes.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import {
  assertPeersOrFail,
  startFrr,
  startGobgp,
  waitUntil,
  type FrrHandle,
  type GobgpHandle,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd', 'bgpd']);

interface GobgpCounters {
  update?: number;
  refresh?: number;
}
interface FrrMessageStats {
  updatesRecv: number;
  updatesSent: number;
  routeRefreshSent: number;
  routeRefreshRecv: number;
}

/** vrfleak's own VPN routes: five, each with attributes of its own. */
const OWN = 5;

describe.skipIf(peers.skip)(peers.title('ROUTE-REFRESH both ways with GoBGP and FRR'), () => {
  const sc = useScenario(import.meta.url);
  let gobgp: GobgpHandle;
  let frr: FrrHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; gobgp: string; frr: string };

  const gobgpMsgs = async (): Promise<{ received: GobgpCounters; sent: GobgpCounters }> => {
    const n = (await gobgp.neighbors()).find((x) => x.conf.neighbor_address === ip.vrfleak);
    const m = n?.state.messages as { received?: GobgpCounters; sent?: GobgpCounters } | undefined;
    return { received: m?.received ?? {}, sent: m?.sent ?? {} };
  };
  const frrStats = async (): Promise<FrrMessageStats> => {
    const j = await frr.json<Record<string, { messageStats: FrrMessageStats }>>(
      `show bgp neighbors ${ip.vrfleak} json`,
    );
    const s = j[ip.vrfleak]?.messageStats;
    if (!s) throw new Error(`FRR has no messageStats for ${ip.vrfleak}`);
    return s;
  };
  const vrfleakNeighbor = (addr: string) => {
    const n = speaker.neighbor(addr);
    if (!n) throw new Error(`vrfleak has no neighbor ${addr}`);
    return n;
  };

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), gobgp: sc.nextAddress(), frr: sc.nextAddress() };
    [gobgp, frr] = await Promise.all([
      startGobgp({
        name: 'gobgp',
        parentDir: sc.dir,
        asn: 65001,
        routerId: ip.gobgp,
        address: ip.gobgp,
        neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
        vrfs: [{ name: 'V', rd: '65001:10', importRts: [], exportRts: ['65001:10'] }],
      }),
      startFrr({
        name: 'frr',
        parentDir: sc.dir,
        address: ip.frr,
        bgp: {
          asn: 65002,
          routerId: ip.frr,
          neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
          vpnNetworks: [{ prefix: '10.50.0.0/24', rd: '65002:50', label: 500 }],
        },
      }),
    ]);
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        { address: ip.gobgp, asn: 65001, 'connect-retry': 1 },
        { address: ip.frr, asn: 65002, 'connect-retry': 1 },
      ],
      vrfs: {
        A: {
          rd: '65000:1',
          'route-targets': { export: ['65000:1'] },
          label: 100,
          networks: Array.from({ length: OWN }, (_, i) => ({
            prefix: `10.0.${i}.0/24`,
            'next-hop': '192.0.2.10',
            med: i + 1,
          })),
        },
      },
    });
    await gobgp.waitEstablished(ip.vrfleak);
    await frr.waitEstablished(ip.vrfleak);
    await gobgp.vrfRibAdd('V', '10.40.0.0/24', ['nexthop', '192.0.2.1']);
    // Everything has settled: vrfleak has both peers' routes, GoBGP has vrfleak's five plus FRR's.
    await speaker.waitFor(
      (s) =>
        s.routes('vpnv4').some((r) => r.rd === '65001:10') &&
        s.routes('vpnv4').some((r) => r.rd === '65002:50'),
      { what: 'vrfleak has the GoBGP and the FRR route' },
    );
    await waitUntil(
      () => gobgp.globalRib('vpnv4'),
      (r) => Object.keys(r).length === OWN + 2,
      { what: "GoBGP's VPN table: its own route, vrfleak's five, FRR's one" },
    );
  });

  it('f. a ROUTE-REFRESH from FRR (clear bgp soft in) gets the whole table again', async () => {
    // Toward FRR: vrfleak's five and GoBGP's one.
    const table = OWN + 1;
    await waitUntil(frrStats, (m) => m.updatesRecv >= table, {
      what: 'FRR has received the initial table',
    });
    const before = await frrStats();
    await frr.vtysh(`clear bgp ${ip.vrfleak} soft in`);
    const after = await waitUntil(frrStats, (m) => m.updatesRecv - before.updatesRecv >= table, {
      what: `FRR receives ${table} more UPDATEs after its ROUTE-REFRESH`,
    });
    expect(after.routeRefreshSent - before.routeRefreshSent).toBe(1);
    // The table, then the End-of-RIB marker vrfleak sends after a replay (rib.refresh).
    expect(after.updatesRecv - before.updatesRecv).toBe(table + 1);
    // vrfleak's own count of UPDATEs sent agrees with FRR's count of UPDATEs received.
    expect(vrfleakNeighbor(ip.frr).updatesOut).toBe(after.updatesRecv);
    // FRR still has vrfleak's five routes, once each.
    const t = await frr.json<{
      routes?: { routeDistinguishers?: Record<string, Record<string, unknown[]>> };
    }>('show bgp ipv4 vpn json');
    const own = t.routes?.routeDistinguishers?.['65000:1'] ?? {};
    expect(Object.values(own).map((paths) => paths.length)).toEqual(Array(OWN).fill(1));
  });

  it('f. vrfleak asks GoBGP and FRR for their tables again (Speaker.refresh)', async () => {
    const g0 = await gobgpMsgs();
    const gIn0 = vrfleakNeighbor(ip.gobgp).updatesIn;
    expect(speaker.refresh(ip.gobgp, 'vpnv4')).toBe(true);
    const g1 = await waitUntil(
      gobgpMsgs,
      (m) => (m.received.refresh ?? 0) > (g0.received.refresh ?? 0),
      { what: 'GoBGP counts the ROUTE-REFRESH from vrfleak' },
    );
    expect((g1.received.refresh ?? 0) - (g0.received.refresh ?? 0)).toBe(1);
    // GoBGP re-sends its table (at least its own route); vrfleak counts what GoBGP says it sent.
    const g2 = await waitUntil(
      gobgpMsgs,
      (m) =>
        (m.sent.update ?? 0) > (g0.sent.update ?? 0) &&
        vrfleakNeighbor(ip.gobgp).updatesIn - gIn0 === (m.sent.update ?? 0) - (g0.sent.update ?? 0),
      { what: 'GoBGP re-sends its table and vrfleak receives every UPDATE of it' },
    );
    expect((g2.sent.update ?? 0) - (g0.sent.update ?? 0)).toBeGreaterThanOrEqual(1);

    const f0 = await frrStats();
    const fIn0 = vrfleakNeighbor(ip.frr).updatesIn;
    expect(speaker.refresh(ip.frr, 'vpnv4')).toBe(true);
    const f1 = await waitUntil(
      frrStats,
      (m) =>
        m.routeRefreshRecv > f0.routeRefreshRecv &&
        m.updatesSent > f0.updatesSent &&
        vrfleakNeighbor(ip.frr).updatesIn - fIn0 === m.updatesSent - f0.updatesSent,
      { what: 'FRR counts the ROUTE-REFRESH, re-sends its table, vrfleak receives it' },
    );
    expect(f1.routeRefreshRecv - f0.routeRefreshRecv).toBe(1);
    // The refreshed routes replace themselves: still one path each in vrfleak.
    expect(speaker.routes('vpnv4').filter((r) => r.rd === '65002:50')).toHaveLength(1);
    expect(speaker.routes('vpnv4').filter((r) => r.rd === '65001:10')).toHaveLength(1);
    // A family that was not negotiated cannot be refreshed.
    expect(speaker.refresh(ip.frr, 'ipv6')).toBe(false);
    await speaker.stop();
  });
});
