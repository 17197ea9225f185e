// ADD-PATH (RFC 7911) against real peers. vrfleak reflects (RFC 4456) one VPNv4 prefix that two
// clients originate, GoBGP a (MED 10) and FRR b (MED 20). Client c (GoBGP) and client d (FRR)
// negotiated add-path for vpnv4 and get both paths with distinct path ids; client e (GoBGP)
// did not and gets the best (a's). Withdrawing a's path leaves b's everywhere, under the same
// path id. Then GoBGP c, which sends with add-path, announces two paths of one prefix and
// vrfleak keeps both.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import {
  assertPeersOrFail,
  startFrr,
  startGobgp,
  waitUntil,
  type FrrHandle,
  type GobgpHandle,
  type GobgpRibJson,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd', 'bgpd']);
const RD = '65000:10';
const PREFIX = '10.1.0.0/24';
const KEY = `${RD}:${PREFIX}`;

type FrrPaths = Record<string, { paths: Array<Record<string, unknown>> }>;

describe.skipIf(peers.skip)(peers.title('ADD-PATH: vrfleak reflecting two paths'), () => {
  const sc = useScenario(import.meta.url);
  let a: GobgpHandle;
  let b: FrrHandle;
  let c: GobgpHandle;
  let d: FrrHandle;
  let e: GobgpHandle;
  let speaker: Speaker;
  let ip: Record<'vrfleak' | 'a' | 'b' | 'c' | 'd' | 'e', string>;

  const gobgp = (name: 'a' | 'c' | 'e', addPaths?: { receive: boolean; sendMax: number }) =>
    startGobgp({
      name: `gobgp-${name}`,
      parentDir: sc.dir,
      asn: 65000,
      routerId: ip[name],
      address: ip[name],
      neighbors: [
        {
          address: ip.vrfleak,
          asn: 65000,
          families: addPaths ? ['vpnv4', 'ipv4'] : ['vpnv4'],
          ...(addPaths ? { addPaths } : {}),
        },
      ],
    });
  const frr = (name: 'b' | 'd') =>
    startFrr({
      name: `frr-${name}`,
      parentDir: sc.dir,
      address: ip[name],
      bgp: {
        asn: 65000,
        routerId: ip[name],
        neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
        extraConfig: [
          'route-map NH permit 10',
          ' set ipv4 vpn next-hop 192.0.2.20',
          ` set extcommunity rt ${RD}`,
          ' set metric 20',
        ].join('\n'),
      },
    });

  beforeAll(async () => {
    ip = {
      vrfleak: sc.nextAddress(),
      a: sc.nextAddress(),
      b: sc.nextAddress(),
      c: sc.nextAddress(),
      d: sc.nextAddress(),
      e: sc.nextAddress(),
    };
    [a, b, c, d, e] = await Promise.all([
      gobgp('a'),
      frr('b'),
      gobgp('c', { receive: true, sendMax: 8 }),
      frr('d'),
      gobgp('e'),
    ]);
    const client = (address: string, extra = {}) => ({
      address,
      asn: 65000,
      families: ['vpnv4' as const],
      'connect-retry': 1,
      'route-reflector-client': true,
      ...extra,
    });
    const addPath = { 'add-path': { vpnv4: { receive: true, send: 'all' as const } } };
    const cKeys = {
      families: ['vpnv4' as const, 'ipv4' as const],
      'add-path': { vpnv4: { receive: true, send: 'all' as const }, ipv4: { receive: true } },
    };
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        client(ip.a),
        client(ip.b),
        client(ip.c, cKeys),
        client(ip.d, addPath),
        client(ip.e),
      ],
    });
    await Promise.all([
      a.waitEstablished(ip.vrfleak),
      b.waitEstablished(ip.vrfleak),
      c.waitEstablished(ip.vrfleak),
      d.waitEstablished(ip.vrfleak),
      e.waitEstablished(ip.vrfleak),
    ]);
  });

  /** vrfleak's paths of the prefix, by next hop: [path id sent to `peer`, best]. */
  const advertisedTo = (peer: string) =>
    Object.fromEntries(
      speaker
        .advertisedRoutes(peer, 'vpnv4')
        .filter((r) => r.prefix === PREFIX)
        .map((r) => [r.nextHop, r.pathId]),
    );
  const gobgpNextHops = (rib: GobgpRibJson) =>
    (rib[KEY] ?? []).map((p) => p.attrs.find((x) => x.type === 14)?.['nexthop']).sort();
  const frrPaths = async () =>
    (await d.json<FrrPaths>(`show bgp ipv4 vpn rd ${RD} ${PREFIX} json`))[RD]?.paths ?? [];
  /** FRR's paths as next hop -> the path id it received (addpathRxId). */
  const frrIds = (paths: Array<Record<string, unknown>>) =>
    Object.fromEntries(
      paths.map((p) => [(p['nexthops'] as Array<{ ip: string }>)[0]?.ip, p['addpathRxId']]),
    );
  let idsAtD: Record<string, unknown> = {};

  it('a client with add-path gets both paths with distinct ids, one without gets the best', async () => {
    await a.globalRibAdd('vpnv4', PREFIX, [
      ...['label', '100', 'rd', RD, 'rt', RD, 'nexthop', '192.0.2.10'],
      ...['origin', 'igp', 'med', '10'],
    ]);
    await b.configure([
      'router bgp 65000',
      'address-family ipv4 vpn',
      `network ${PREFIX} rd ${RD} label 222 route-map NH`,
    ]);
    const mine = await speaker.waitFor(
      (s) => {
        const r = s.routes('vpnv4').filter((x) => x.prefix === PREFIX);
        return r.length === 2 ? r : undefined;
      },
      { what: 'vrfleak has both paths' },
    );
    // RFC 4271 §9.1.2.2 c: the lower MED (a's) is the best.
    expect(mine.find((r) => r.best)?.nextHop).toBe('192.0.2.10');
    const c2 = await waitUntil(
      () => c.globalRib('vpnv4'),
      (x) => gobgpNextHops(x).length === 2,
      { what: 'GoBGP c holds two paths of the prefix from vrfleak' },
    );
    expect(gobgpNextHops(c2)).toEqual(['192.0.2.10', '192.0.2.20']);
    const d2 = await waitUntil(frrPaths, (p) => p.length === 2, {
      what: 'FRR d holds two paths of the prefix from vrfleak',
    });
    // FRR shows the ids it received: distinct, and those vrfleak lists as sent.
    idsAtD = frrIds(d2);
    expect(idsAtD).toEqual(advertisedTo(ip.d));
    expect(new Set(Object.values(idsAtD)).size).toBe(2);
    expect(Object.values(idsAtD)).not.toContain(0);
    const e1 = await waitUntil(
      () => e.globalRib('vpnv4'),
      (x) => gobgpNextHops(x).includes('192.0.2.10'),
      { what: "GoBGP e holds the best path (a's)" },
    );
    expect(gobgpNextHops(e1)).toEqual(['192.0.2.10']);
    expect(advertisedTo(ip.e)).toEqual({ '192.0.2.10': undefined });
  });

  it("withdrawing a's path leaves b's everywhere, under the same path id", async () => {
    await a.globalRibDel('vpnv4', PREFIX, ['label', '100', 'rd', RD]);
    const only = (hops: unknown[]) => hops.length === 1 && hops[0] === '192.0.2.20';
    await waitUntil(
      () => c.globalRib('vpnv4'),
      (x) => only(gobgpNextHops(x)),
      {
        what: "GoBGP c keeps b's path only",
      },
    );
    await waitUntil(
      () => e.globalRib('vpnv4'),
      (x) => only(gobgpNextHops(x)),
      {
        what: "GoBGP e gets b's path",
      },
    );
    const d1 = await waitUntil(frrPaths, (p) => p.length === 1, {
      what: "FRR d keeps b's path only",
    });
    expect(frrIds(d1)).toEqual({ '192.0.2.20': idsAtD['192.0.2.20'] });
  });

  it('GoBGP sending two paths of one prefix (add-path send): vrfleak keeps both', async () => {
    // GoBGP's CLI takes a path identifier for IPv4 unicast only.
    const P8 = '10.8.0.0/24';
    await c.globalRibAdd('ipv4', P8, ['identifier', '1', 'nexthop', '192.0.2.81']);
    await c.globalRibAdd('ipv4', P8, ['identifier', '2', 'nexthop', '192.0.2.82']);
    const both = await speaker.waitFor(
      (s) => {
        const r = s.routes('ipv4').filter((x) => x.prefix === P8);
        return r.length === 2 ? r : undefined;
      },
      { what: 'vrfleak keeps both paths of 10.8.0.0/24 from c' },
    );
    expect(both.map((r) => [r.pathId, r.nextHop, r.peer]).sort()).toEqual([
      [1, '192.0.2.81', ip.c],
      [2, '192.0.2.82', ip.c],
    ]);
    await c.globalRibDel('ipv4', P8, ['identifier', '1', 'nexthop', '192.0.2.81']);
    const left = await speaker.waitFor(
      (s) => {
        const r = s.routes('ipv4').filter((x) => x.prefix === P8);
        return r.length === 1 ? r : undefined;
      },
      { what: 'vrfleak drops path 1 of 10.8.0.0/24 only' },
    );
    expect(left.map((r) => r.pathId)).toEqual([2]);
    await speaker.stop();
  });
});
