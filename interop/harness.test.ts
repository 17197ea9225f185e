// The harness proves itself against the real peers: GoBGP <-> FRR over VPNv4, a GoBGP VRF route
// seen by FRR under its RD and RT (and gone after the withdrawal), and run-time ExaBGP
// announcements received by GoBGP and FRR. Plus the harness's own pieces that need no peer.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allocateBlock,
  assertPeersOrFail,
  freePort,
  startExabgp,
  startFrr,
  startGobgp,
  waitFor,
  waitUntil,
  WaitTimeoutError,
  type ExabgpHandle,
  type FrrHandle,
  type GobgpHandle,
  type GobgpRibJson,
} from './harness/index.js';
import { useScenario } from './harness/vitest.js';

describe('harness pieces', () => {
  it('waitFor names what it waited for and the last value on timeout', async () => {
    let n = 0;
    const err = await waitFor(async () => (++n, false), {
      what: 'the moon to turn blue',
      timeoutMs: 150,
      intervalMs: 20,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitTimeoutError);
    expect((err as Error).message).toMatch(/the moon to turn blue/);
    expect((err as Error).message).toMatch(/last observed value: false/);
    expect(n).toBeGreaterThan(1);
  });

  it('waitUntil reports the last value read, and resolves once accepted', async () => {
    let n = 0;
    const err = await waitUntil(
      async () => ({ count: ++n }),
      () => false,
      { what: 'never', timeoutMs: 100, intervalMs: 20 },
    ).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/last observed value: \{"count":\d+\}/);
    let m = 0;
    await expect(
      waitUntil(
        async () => ++m,
        (v) => v >= 3,
        { what: 'three reads', intervalMs: 1 },
      ),
    ).resolves.toBe(3);
  });

  it('two address blocks never overlap, even for the same id', () => {
    const a = allocateBlock('harness-self-test');
    const b = allocateBlock('harness-self-test');
    try {
      expect(a.block).not.toBe(b.block);
      expect(a.next()).toBe(`127.${a.block}.0.1`);
      expect(a.next()).toBe(`127.${a.block}.0.2`);
      expect(a.address(251)).toBe(`127.${a.block}.1.1`);
    } finally {
      a.release();
      b.release();
    }
  });

  it('a missing peer skips with its reason, and fails the run under CI=true', () => {
    const saved = { PATH: process.env['PATH'], CI: process.env['CI'] };
    // gobgpd lives in /usr/bin, which findExecutable only reaches through PATH.
    process.env['PATH'] = '/nonexistent';
    try {
      delete process.env['CI'];
      const check = assertPeersOrFail(['gobgpd'], { quiet: true });
      expect(check.skip).toBe(true);
      expect(check.title('x')).toMatch(/^x \[skipped: gobgpd: gobgpd, gobgp not found/);
      process.env['CI'] = 'true';
      expect(() => assertPeersOrFail(['gobgpd'], { quiet: true })).toThrow(/missing under CI=true/);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it('freePort returns a bindable port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(port).toBeLessThan(65536);
  });
});

const peers = assertPeersOrFail(['gobgpd', 'bgpd', 'exabgp']);

describe.skipIf(peers.skip)(peers.title('harness with GoBGP, FRR and ExaBGP'), () => {
  const sc = useScenario(import.meta.url);
  let gobgp: GobgpHandle;
  let frr: FrrHandle;
  let exa: ExabgpHandle;
  let ip: { gobgp: string; frr: string; exa: string };

  beforeAll(async () => {
    ip = { gobgp: sc.nextAddress(), frr: sc.nextAddress(), exa: sc.nextAddress() };
    [gobgp, frr, exa] = await Promise.all([
      startGobgp({
        name: 'gobgp',
        parentDir: sc.dir,
        asn: 65001,
        routerId: ip.gobgp,
        address: ip.gobgp,
        neighbors: [
          { address: ip.frr, asn: 65002, families: ['vpnv4'] },
          { address: ip.exa, asn: 65003, families: ['vpnv4'], passive: true },
        ],
      }),
      startFrr({
        name: 'frr',
        parentDir: sc.dir,
        address: ip.frr,
        bgp: {
          asn: 65002,
          routerId: ip.frr,
          neighbors: [
            { address: ip.gobgp, asn: 65001, families: ['vpnv4'] },
            { address: ip.exa, asn: 65003, families: ['vpnv4'], passive: true },
          ],
        },
      }),
      startExabgp({
        name: 'exabgp',
        parentDir: sc.dir,
        address: ip.exa,
        neighbors: [
          { address: ip.gobgp, peerAs: 65001, localAs: 65003, families: ['vpnv4'] },
          { address: ip.frr, peerAs: 65002, localAs: 65003, families: ['vpnv4'] },
        ],
      }),
    ]);
  });

  afterAll(() => {
    // useScenario's afterAll (registered first, so run last) stops everything.
  });

  it('GoBGP (AS 65001) and FRR (AS 65002) reach Established over VPNv4', async () => {
    await gobgp.waitEstablished(ip.frr);
    await frr.waitEstablished(ip.gobgp);
    const summary = await frr.json<{
      ipv4Vpn?: { peers?: Record<string, { state?: string; remoteAs?: number }> };
    }>('show bgp summary json');
    expect(summary.ipv4Vpn?.peers?.[ip.gobgp]).toMatchObject({
      state: 'Established',
      remoteAs: 65001,
    });
    const n = (await gobgp.neighbors()).find((x) => x.conf.neighbor_address === ip.frr);
    expect(n?.conf.peer_asn).toBe(65002);
    expect(n?.state.session_state).toBe(6); // ESTABLISHED in GoBGP's API enum
  });

  it('a GoBGP VRF route reaches FRR under RD 65001:10 with its RT; withdrawing removes it', async () => {
    await gobgp.waitEstablished(ip.frr);
    await gobgp.vrfAdd({
      name: 'RED',
      rd: '65001:10',
      importRts: ['65001:10'],
      exportRts: ['65001:10'],
    });
    // FRR drops next hops in 127/8 as martian: use a documentation address.
    await gobgp.vrfRibAdd('RED', '10.1.0.0/24', ['nexthop', '192.0.2.1']);

    type VpnTable = {
      routes?: {
        routeDistinguishers?: Record<string, Record<string, Array<Record<string, unknown>>>>;
      };
    };
    const inRd = (t: VpnTable): Array<Record<string, unknown>> | undefined =>
      t.routes?.routeDistinguishers?.['65001:10']?.['10.1.0.0/24'];
    const table = await waitUntil(
      () => frr.json<VpnTable>('show bgp ipv4 vpn json'),
      (t) => inRd(t) !== undefined,
      { what: 'FRR has 10.1.0.0/24 under RD 65001:10' },
    );
    expect(inRd(table)?.[0]).toMatchObject({
      valid: true,
      peerId: ip.gobgp,
      path: '65001',
      nexthops: [expect.objectContaining({ ip: '192.0.2.1' })],
    });
    const detail = await frr.json<
      Record<string, { paths?: Array<{ extendedCommunity?: { string?: string } }> }>
    >('show bgp ipv4 vpn 10.1.0.0/24 json');
    expect(detail['65001:10']?.paths?.[0]?.extendedCommunity?.string).toBe('RT:65001:10');

    await gobgp.vrfRibDel('RED', '10.1.0.0/24');
    await waitUntil(
      () => frr.json<VpnTable>('show bgp ipv4 vpn json'),
      (t) => inRd(t) === undefined,
      { what: 'FRR drops 10.1.0.0/24 under RD 65001:10 after the withdrawal' },
    );
    expect(await gobgp.globalRib('vpnv4')).not.toHaveProperty(['65001:10:10.1.0.0/24']);
  });

  it('ExaBGP announces a VPNv4 route at run time; GoBGP and FRR receive it, then the withdrawal', async () => {
    await gobgp.waitEstablished(ip.exa);
    await frr.waitEstablished(ip.exa);
    const route = '10.77.0.0/24 rd 65003:7 label 777 next-hop 192.0.2.31';
    exa.announce(`${route} extended-community [ target:65003:7 ]`);

    const key = '65003:7:10.77.0.0/24';
    const fromExa = (r: GobgpRibJson) => r[key]?.find((p) => p['neighbor-ip'] === ip.exa);
    const rib = await waitUntil(
      () => gobgp.globalRib('vpnv4'),
      (r) => fromExa(r) !== undefined,
      { what: `GoBGP has ${key} from ExaBGP` },
    );
    const path = fromExa(rib);
    expect(path?.nlri).toMatchObject({
      prefix: '10.77.0.0/24',
      labels: [777],
      rd: { type: 0, admin: 65003, assigned: 7 },
    });
    expect(path?.attrs).toContainEqual(
      expect.objectContaining({ type: 16, value: [{ type: 0, subtype: 2, value: '65003:7' }] }),
    );
    expect(path?.attrs).toContainEqual(
      expect.objectContaining({ type: 14, nexthop: '192.0.2.31' }),
    );

    type Detail = Record<string, { paths?: Array<{ peer?: { peerId?: string } }> }>;
    await waitUntil(
      () => frr.json<Detail>('show bgp ipv4 vpn 10.77.0.0/24 json'),
      (d) => (d['65003:7']?.paths ?? []).some((p) => p.peer?.peerId === ip.exa),
      { what: 'FRR has 10.77.0.0/24 under RD 65003:7 from ExaBGP' },
    );

    exa.withdraw(route);
    await waitUntil(
      () => gobgp.globalRib('vpnv4'),
      (r) => fromExa(r) === undefined,
      { what: `GoBGP drops ${key} after ExaBGP's withdrawal` },
    );
  });
});
