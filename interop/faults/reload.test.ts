// Issue 7, fault (e): config reloads while a 100k-route burst streams in.
//
// Load peer A streams 100k VPNv4 routes (RD 65001:0..9, 10k prefixes each, RT 65001:1); load
// peer B has 500 (RD 65002:0, RT 65002:1). The config starts with VRF X importing 65002:1 and VRF
// Y importing 65001:1. At 30% of A's burst, one reload adds VRF Z (importing 65002:1, with a
// network of its own) and adds 65001:1 to X's imports; at 60%, a second removes Y and drops
// 65002:1 from X. Once the burst is in, the tables must be what the final config justifies,
// computed from the load shapes: X holds A's 10k prefixes (10 paths each, one per RD), Z holds
// B's 500 plus its network, Y is gone, the VPN table holds both peers' routes plus Z's export,
// and the leak invariants hold.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { encodeAnnouncements, perRd, type LoadShape } from '../../bench/routes.js';
import { assertPeersOrFail } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import { LoadPeer, withAdmin } from './load-peer.js';
import { loadKeys, prefixOf, sameKeys, sorted, waitForPeerKeys } from './tables.js';

// No external daemon is needed, but the scenario claims a loopback block like the others.
const peers = assertPeersOrFail([]);

// 10 RDs of 10k prefixes: X and Y import every RD, so each prefix has 10 paths in them.
const SHAPE_A: LoadShape = { routes: 100_000, rds: 10 };
const SHAPE_B: LoadShape = { routes: 500, rds: 1 };

describe.skipIf(peers.skip)(peers.title('faults: config reloads during a 100k-route burst'), () => {
  const sc = useScenario(import.meta.url);
  let ip: { vrfleak: string; a: string; b: string };
  let speaker: Speaker;
  let a: LoadPeer;
  let b: LoadPeer;
  const msgsA = encodeAnnouncements(SHAPE_A);
  const msgsB = withAdmin(encodeAnnouncements(SHAPE_B), 65002);

  type Vrfs = NonNullable<ConfigInput['vrfs']>;
  type Vrf = Vrfs[string];
  const config = (vrfs: Vrfs): ConfigInput => ({
    asn: 65000,
    'router-id': ip.vrfleak,
    listen: { address: ip.vrfleak, port: 179 },
    neighbors: [
      { address: ip.a, asn: 65001, passive: true },
      { address: ip.b, asn: 65001, passive: true },
    ],
    vrfs,
  });
  const vrf = (rd: string, imports: string[], extra: Partial<Vrf> = {}): Vrf => ({
    rd,
    'route-targets': { import: imports },
    ...extra,
  });
  const Z = vrf('65000:3', ['65002:1'], {
    'route-targets': { import: ['65002:1'], export: ['65000:3'] },
    networks: [{ prefix: '10.250.0.0/24', 'next-hop': '192.0.2.10' }],
  });

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), a: sc.nextAddress(), b: sc.nextAddress() };
    speaker = await Speaker.start(
      config({ X: vrf('65000:1', ['65002:1']), Y: vrf('65000:2', ['65001:1']) }),
    );
    const peer = (l: string) =>
      LoadPeer.establish({ localAddress: l, remoteAddress: ip.vrfleak, asn: 65001 });
    [a, b] = await Promise.all([peer(ip.a), peer(ip.b)]);
    await b.stream(msgsB);
  }, 30_000);

  afterAll(async () => {
    a?.close();
    b?.close();
    await speaker?.stop();
  });

  it('e. two reloads mid-burst: the final tables are exactly what the final config justifies', async () => {
    const t0 = Date.now();
    const at30 = Math.floor(msgsA.length * 0.3);
    const at60 = Math.floor(msgsA.length * 0.6);
    await a.stream(msgsA.slice(0, at30));
    speaker.reconfigure(
      config({
        X: vrf('65000:1', ['65002:1', '65001:1']),
        Y: vrf('65000:2', ['65001:1']),
        Z,
      }),
    );
    await a.stream(msgsA.slice(at30, at60));
    speaker.reconfigure(config({ X: vrf('65000:1', ['65001:1']), Z }));
    await a.stream(msgsA.slice(at60));

    const keysA = sorted(loadKeys(SHAPE_A, 65001));
    const keysB = sorted(loadKeys(SHAPE_B, 65002));
    await waitForPeerKeys(
      speaker,
      { [ip.a]: keysA, [ip.b]: keysB },
      "the whole of A's and B's tables",
    );
    console.log(`faults: VPN table complete after ${Date.now() - t0} ms`);
    const t1 = Date.now();
    expect(speaker.leakInvariants()).toEqual([]);
    console.log(`faults: invariants checked in ${Date.now() - t1} ms`);

    const prefixesA = sorted(Array.from({ length: perRd(SHAPE_A) }, (_, i) => prefixOf(i)));
    const prefixesB = sorted(Array.from({ length: 500 }, (_, i) => prefixOf(i)));
    const x = speaker.vrfRoutes('X');
    expect(sameKeys(sorted([...new Set(x.map((r) => r.prefix))]), prefixesA)).toBe(true);
    // One path per RD and prefix, every one from A (RT 65001:1), none from B any more.
    expect(x.length).toBe(SHAPE_A.routes);
    expect(x.filter((r) => r.peer !== ip.a).length).toBe(0);
    const z = speaker.vrfRoutes('Z');
    const zPrefixes = sorted([...new Set(z.map((r) => r.prefix))]);
    expect(sameKeys(zPrefixes, sorted([...prefixesB, '10.250.0.0/24']))).toBe(true);
    expect(z.length).toBe(SHAPE_B.routes + 1);
    expect(z.filter((r) => r.peer !== ip.b && r.prefix !== '10.250.0.0/24').length).toBe(0);
    expect(speaker.vrfRoutes('Y')).toEqual([]);
    const own = speaker.routes('vpnv4').filter((r) => r.peer === undefined);
    expect(own.map((r) => `${r.rd}:${r.prefix}`)).toEqual(['65000:3:10.250.0.0/24']);
    console.log(`faults: reload during the 100k burst: converged in ${Date.now() - t0} ms`);
  }, 150_000);
});
