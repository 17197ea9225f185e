// FRR's topotests with vrfleak in r1's place and a real GoBGP as r2, every step a live
// `speaker.reconfigure(...)` asserted at the peer (scenarios.md 1.5 and 1.8); then bad input,
// refused with the key path and what was expected, the running state kept.
//
// bgp_vpnv4_ebgp: r1 (vrfleak, AS 65500) vrf1 RD 444:1, label 101, RT both 52:100, network
// 172.31.0.1/32; r2 (GoBGP, AS 65501) vrf1 RD 444:2, RT both 52:100, 172.31.0.10/32.
// bgp_vrf_leaking_rt_change_route_maps: LK1 (RD 65500:10001, imports 65500:10000 and :10990,
// exports :10000) with 192.168.100.100/32 and an export map `rm` that adds 65500:10100 and
// 65500:11990; LK2 (RD 65500:11001) imports 65500:11000 and 65500:11990. GoBGP's VRF G-LK2 imports
// 65500:11990, so the peer sees the leak come and go too.

import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigRefused, Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { assertPeersOrFail, startGobgp, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import {
  asnsOf,
  attrOf,
  invariantsHold,
  prefixesOf,
  rtsOf,
  vpnPath,
  vrfPrefixes,
  waitGlobal,
  waitVrf,
} from './common.js';

const peers = assertPeersOrFail(['gobgpd']);

type RouteMapEntry = NonNullable<ConfigInput['policy']>['route-maps'] extends
  Record<string, (infer E)[]> | undefined
  ? E
  : never;

describe.skipIf(peers.skip)(
  peers.title('VRF leaking: FRR RT/label steps with vrfleak as r1'),
  () => {
    const sc = useScenario(import.meta.url);
    let r2: GobgpHandle;
    let s: Speaker;
    let ip: { r1: string; r2: string };

    /** r1's config with vrf1 overridden and the export map `RMAP` / `rm` given. */
    const config = (o: {
      vrf1?: Record<string, unknown>;
      rmap?: RouteMapEntry[];
      rm?: string[];
    }): ConfigInput => ({
      asn: 65500,
      'router-id': ip.r1,
      listen: { address: ip.r1, port: 179 },
      neighbors: [{ address: ip.r2, asn: 65501, families: ['vpnv4'], 'connect-retry': 1 }],
      policy: {
        'route-maps': {
          ...(o.rmap ? { RMAP: o.rmap } : {}),
          rm: [
            {
              seq: 10,
              action: 'permit',
              set: { 'route-target': { add: o.rm ?? ['65500:10100', '65500:11990'] } },
            },
          ],
        },
      },
      vrfs: {
        vrf1: {
          rd: '444:1',
          label: 101,
          'route-targets': { import: ['52:100'], export: ['52:100'] },
          networks: [{ prefix: '172.31.0.1/32', 'next-hop': '192.0.2.1' }],
          ...o.vrf1,
        },
        LK1: {
          rd: '65500:10001',
          'route-targets': { import: ['65500:10000', '65500:10990'], export: ['65500:10000'] },
          'export-map': 'rm',
          networks: [{ prefix: '192.168.100.100/32', 'next-hop': '192.0.2.100' }],
        },
        LK2: {
          rd: '65500:11001',
          'route-targets': { import: ['65500:11000', '65500:11990'], export: ['65500:11000'] },
        },
      },
    });

    const r1Route = async (present: boolean, what: string) => {
      const t = await waitGlobal(
        r2,
        'vpnv4',
        (x) => (vpnPath(x, '444:1', '172.31.0.1/32') !== undefined) === present,
        what,
      );
      await invariantsHold(s);
      return vpnPath(t, '444:1', '172.31.0.1/32');
    };

    beforeAll(async () => {
      ip = { r1: sc.nextAddress(), r2: sc.nextAddress() };
      r2 = await startGobgp({
        name: 'gobgp-r2',
        parentDir: sc.dir,
        asn: 65501,
        routerId: ip.r2,
        address: ip.r2,
        vrfs: [
          { name: 'vrf1', rd: '444:2', importRts: ['52:100'], exportRts: ['52:100'] },
          { name: 'G-LK2', rd: '65501:11', importRts: ['65500:11990'], exportRts: ['65501:11'] },
        ],
        neighbors: [{ address: ip.r1, asn: 65500, families: ['vpnv4'] }],
      });
      await r2.vrfRibAdd('vrf1', '172.31.0.10/32', ['nexthop', '192.0.2.2']);
      s = await Speaker.start(config({}));
      await r2.waitEstablished(ip.r1);
    });

    it('convergence: r1 vrf1 has its own route and r2s; r2 vrf1 has r1s', async () => {
      await s.waitFor((x) => vrfPrefixes(x, 'vrf1').length === 2, { what: 'vrf1 has two routes' });
      expect(vrfPrefixes(s, 'vrf1')).toEqual(['172.31.0.1/32', '172.31.0.10/32']);
      const imported = s.vrfRoutes('vrf1').find((r) => r.prefix === '172.31.0.10/32');
      // Not "locally configured": it came from r2.
      expect(imported).toMatchObject({ source: 'bgp', peer: ip.r2, asPath: '65501' });
      await waitVrf(r2, 'vrf1', (p) => p.includes('172.31.0.1/32'), "r1's route");
      const p = await r1Route(true, "r1's route");
      expect(p?.nlri.labels).toEqual([101]);
      expect(rtsOf(p)).toEqual(['52:100']);
    });

    it('export RT removed: the VPN route disappears at the peer', async () => {
      s.reconfigure(config({ vrf1: { 'route-targets': { import: ['52:100'], export: [] } } }));
      await r1Route(false, 'gone without an export RT');
      expect(s.routes('vpnv4').some((r) => r.rd === '444:1')).toBe(false);
      await waitVrf(r2, 'vrf1', (p) => !p.includes('172.31.0.1/32'), "r1's route gone");
    });

    it('an export map that adds RT 52:100 brings it back; the map without the set removes it again', async () => {
      const noExport = { 'route-targets': { import: ['52:100'], export: [] } };
      s.reconfigure(
        config({
          vrf1: { ...noExport, 'export-map': 'RMAP' },
          rmap: [{ seq: 10, action: 'permit', set: { 'route-target': { add: ['52:100'] } } }],
        }),
      );
      expect(rtsOf(await r1Route(true, 'back with the route-map RT'))).toEqual(['52:100']);
      s.reconfigure(
        config({
          vrf1: { ...noExport, 'export-map': 'RMAP' },
          rmap: [{ seq: 10, action: 'permit' }],
        }),
      );
      await r1Route(false, 'gone again without the set');
    });

    it('deleting the RT by route map removes it; adding 52:101 brings it back', async () => {
      s.reconfigure(
        config({
          vrf1: { 'export-map': 'RMAP' },
          rmap: [{ seq: 10, action: 'permit', set: { 'route-target': { remove: ['52:100'] } } }],
        }),
      );
      await r1Route(false, 'gone with every RT deleted');
      s.reconfigure(
        config({
          vrf1: { 'export-map': 'RMAP' },
          rmap: [
            {
              seq: 10,
              action: 'permit',
              set: { 'route-target': { remove: ['52:100'], add: ['52:101'] } },
            },
          ],
        }),
      );
      expect(rtsOf(await r1Route(true, 'back with RT 52:101'))).toEqual(['52:101']);
      // r2's vrf1 imports 52:100 only.
      await waitVrf(r2, 'vrf1', (p) => !p.includes('172.31.0.1/32'), 'not in r2 vrf1');
    });

    it('a label change re-advertises the route with the new label', async () => {
      const rmap: RouteMapEntry[] = [
        {
          seq: 10,
          action: 'permit',
          set: { 'route-target': { remove: ['52:100'], add: ['52:101'] } },
        },
      ];
      s.reconfigure(config({ vrf1: { 'export-map': 'RMAP', label: 102 }, rmap }));
      const t = await waitGlobal(
        r2,
        'vpnv4',
        (x) => vpnPath(x, '444:1', '172.31.0.1/32')?.nlri.labels?.[0] === 102,
        'label 102',
      );
      const p = vpnPath(t, '444:1', '172.31.0.1/32');
      expect(rtsOf(p)).toEqual(['52:101']);
      expect(asnsOf(p)).toEqual([65500]);
      // The network's configured next hop is kept (outbound.ts: the operator named it).
      expect(attrOf(p, 14)['nexthop']).toBe('192.0.2.1');
      await invariantsHold(s);
    });

    it('rt_change_route_maps: an RT set by the export map leaks to LK2; changing the map withdraws the stale leak', async () => {
      expect(s.vrfRoutes('LK2').find((r) => r.prefix === '192.168.100.100/32')).toMatchObject({
        source: 'leaked',
        fromVrf: 'LK1',
      });
      await waitVrf(r2, 'G-LK2', (p) => p.includes('192.168.100.100/32'), 'the leak');
      const before = vpnPath(await r2.globalRib('vpnv4'), '65500:10001', '192.168.100.100/32');
      expect(rtsOf(before).sort()).toEqual(['65500:10000', '65500:10100', '65500:11990']);
      const rmap: RouteMapEntry[] = [
        {
          seq: 10,
          action: 'permit',
          set: { 'route-target': { remove: ['52:100'], add: ['52:101'] } },
        },
      ];
      s.reconfigure(
        config({ vrf1: { 'export-map': 'RMAP', label: 102 }, rmap, rm: ['65500:10100'] }),
      );
      await invariantsHold(s);
      expect(vrfPrefixes(s, 'LK2')).toEqual([]);
      await waitVrf(r2, 'G-LK2', (p) => !p.includes('192.168.100.100/32'), 'no stale leak');
      const after = vpnPath(await r2.globalRib('vpnv4'), '65500:10001', '192.168.100.100/32');
      expect(rtsOf(after).sort()).toEqual(['65500:10000', '65500:10100']);
    });

    it('bad input is refused with the key path and what was expected; the running state is kept', async () => {
      const rmap: RouteMapEntry[] = [
        {
          seq: 10,
          action: 'permit',
          set: { 'route-target': { remove: ['52:100'], add: ['52:101'] } },
        },
      ];
      const good = config({
        vrf1: { 'export-map': 'RMAP', label: 102 },
        rmap,
        rm: ['65500:10100'],
      });
      const vrfs = good.vrfs!;
      const bad: [string, ConfigInput, RegExp][] = [
        [
          'unknown VRF',
          {
            ...good,
            vrfs: {
              ...vrfs,
              vrf1: {
                ...vrfs['vrf1']!,
                'static-routes': [
                  { prefix: '10.9.0.0/24', 'next-hop': '10.9.0.1', 'next-hop-vrf': 'NOPE' },
                ],
              },
            },
          },
          /vrfs\.vrf1\.static-routes\[0\]\.next-hop-vrf: VRF "NOPE" is not defined/,
        ],
        [
          'bad RT form',
          {
            ...good,
            vrfs: { ...vrfs, LK2: { ...vrfs['LK2']!, 'route-targets': { import: ['52:100:7'] } } },
          },
          /vrfs\.LK2\.route-targets\.import\[0\]: "52:100:7" is not a route target; use ASN:NN/,
        ],
        [
          'unknown route map',
          { ...good, vrfs: { ...vrfs, LK2: { ...vrfs['LK2']!, 'import-map': 'NOPE' } } },
          /vrfs\.LK2\.import-map: route map "NOPE" is not defined/,
        ],
        [
          'unknown prefix list',
          {
            ...good,
            policy: {
              'route-maps': {
                ...good.policy!['route-maps'],
                RMAP: [{ seq: 10, action: 'permit', match: { 'prefix-list': 'NOPE' } }],
              },
            },
          },
          /policy\.route-maps\.RMAP\[0\]\.match\.prefix-list: prefix list "NOPE" is not defined/,
        ],
        [
          'default-table leak without a policy',
          { ...good, vrfs: { ...vrfs, LK2: { ...vrfs['LK2']!, 'leak-from-default': true } } },
          /vrfs\.LK2\.leak-from-default: a leak from the default table needs a policy \(a route map\)/,
        ],
      ];
      for (const [what, cfg, expected] of bad) {
        let err: unknown;
        try {
          s.reconfigure(cfg);
        } catch (e) {
          err = e;
        }
        expect(err, what).toBeInstanceOf(ConfigRefused);
        expect((err as ConfigRefused).errors.join('\n'), what).toMatch(expected);
        await invariantsHold(s);
      }
      // Nothing changed: vrfleak's tables and what r2 holds.
      expect(vrfPrefixes(s, 'vrf1')).toEqual(['172.31.0.1/32', '172.31.0.10/32']);
      const t = await r2.globalRib('vpnv4');
      expect(vpnPath(t, '444:1', '172.31.0.1/32')?.nlri.labels).toEqual([102]);
      expect(prefixesOf(await r2.vrfRib('vrf1'))).toEqual(['172.31.0.10/32']);
      // And a good config is still taken afterwards.
      expect(s.reconfigure(good)).toEqual([]);
    });

    it('stops cleanly', async () => {
      await s.stop();
    });
  },
);
