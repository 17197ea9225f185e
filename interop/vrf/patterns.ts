// The leak patterns of DESIGN.md against real peers: vrfleak (AS 65000) with every pattern's VRFs at
// once, an eBGP GoBGP PE (AS 65001: VPNv4 + IPv4 unicast) and an iBGP GoBGP (AS 65000: VPNv4); the
// same suite for VPNv6 + IPv6 unicast (patterns-v6.test.ts), every address mapped into
// 2001:db8::/32 by a map that keeps containment (a.b.c.d/len -> 2001:db8:AB:CD::/(32+len)).
//
// RT plan (all 2-octet AS RTs, RD = export RT unless noted):
//   SHARED 65000:1   exports :1, imports :2 :3        (four-VRF case; bidirectional with RED)
//   RED 65000:2, BLUE 65000:3   export own, import :1 and :9 (INTERNET)
//   GREEN 65000:4    exports :4, imports :9 only      (never SHARED)
//   MGMT 65000:5     exports :5, imports :2 :3 :4     (asymmetric: nobody imports :5)
//   SVC 65000:6      exports :6 (a DNS /32 and a /24); YELLOW 65000:7 imports :6 through DNS-ONLY
//   BACKUP 65000:8   imports :1 (import map sets LP 50) and 65001:100 (GoBGP PRIMARY), re-exports
//   INTERNET 65000:9 exports :9 through INET-OUT (only 0.0.0.0/0 leaves)
//   STATIC-A 65000:11, STATIC-B 65000:13: two static inter-VRF routes each, exported
//   GLOBAL-LEAK 65000:12: default table <-> VRF through FROM-GLOBAL / TO-GLOBAL, re-exports
//   OVL-1 65000:21, OVL-2 65000:22: the same 10.0.0.0/24 (MED 21 / 22)
//   C1 -> C2 -> C3 -> C1 (65000:31..33, each allow-reexport): a chain that must not loop
//
// GoBGP sees only what vrfleak exports (a VRF's own routes; imported ones only with
// allow-reexport), so patterns that live inside one VRF are asserted on vrfleak's tables and
// explain, and at GoBGP by what must (or must not) be exported.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { assertPeersOrFail, startGobgp, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import { mapAddress, mapPrefix } from './map-v6.js';
import {
  attrOf,
  invariantsHold,
  paths,
  prefixesOf,
  rdOf,
  vpnPath,
  vrfPrefixes,
  waitGlobal,
  waitVrf,
} from './common.js';

/** The whole suite for one address family: IPv4 with VPNv4, or IPv6 with VPNv6. */
export function patternSuite(af: 'ipv4' | 'ipv6', file: string): void {
  const peers = assertPeersOrFail(['gobgpd']);
  const vpnFam = af === 'ipv4' ? 'vpnv4' : 'vpnv6';
  /** A prefix or address of the IPv4 plan, in this suite's family. */
  const P = (p: string): string => (af === 'ipv4' ? p : mapPrefix(p));
  const A = (a: string): string => (af === 'ipv4' ? a : mapAddress(a));
  /** vrfPrefixes() sorts as text, and the mapped prefixes sort in another order. */
  const S = (xs: string[]): string[] => [...xs].sort();

  const nh = (n: number) => A(`192.0.2.${n}`);
  const net = (prefix: string, n: number, extra: Record<string, unknown> = {}) => ({
    prefix,
    'next-hop': nh(n),
    ...extra,
  });
  const rts = (imp: string[], exp: string[]) => ({ import: imp, export: exp });

  const POLICY = {
    'prefix-lists': {
      DNS: [{ seq: 10, action: 'permit' as const, prefix: P('10.6.0.53/32') }],
      'DEFAULT-ROUTE': [{ seq: 10, action: 'permit' as const, prefix: P('0.0.0.0/0') }],
      'FROM-GLOBAL': [{ seq: 10, action: 'permit' as const, prefix: P('203.0.113.0/24') }],
      'TO-GLOBAL': [{ seq: 10, action: 'permit' as const, prefix: P('10.12.0.0/24') }],
    },
    'route-maps': {
      'DNS-ONLY': [
        { seq: 10, action: 'permit' as const, match: { 'prefix-list': 'DNS' } },
        { seq: 20, action: 'deny' as const },
      ],
      'INET-OUT': [
        { seq: 10, action: 'permit' as const, match: { 'prefix-list': 'DEFAULT-ROUTE' } },
      ],
      'BACKUP-LP': [
        {
          seq: 10,
          action: 'permit' as const,
          match: { 'source-vrf': 'SHARED' },
          set: { 'local-preference': 50 },
        },
        { seq: 20, action: 'permit' as const },
      ],
      'FROM-GLOBAL': [
        { seq: 10, action: 'permit' as const, match: { 'prefix-list': 'FROM-GLOBAL' } },
      ],
      'TO-GLOBAL': [{ seq: 10, action: 'permit' as const, match: { 'prefix-list': 'TO-GLOBAL' } }],
    },
  };

  const VRFS = {
    SHARED: {
      rd: '65000:1',
      'route-targets': rts(['65000:2', '65000:3'], ['65000:1']),
      networks: [net(P('10.100.0.0/24'), 1)],
    },
    RED: {
      rd: '65000:2',
      'route-targets': rts(['65000:1', '65000:9'], ['65000:2']),
      networks: [net(P('10.2.0.0/24'), 2)],
    },
    BLUE: {
      rd: '65000:3',
      'route-targets': rts(['65000:1', '65000:9'], ['65000:3']),
      networks: [net(P('10.3.0.0/24'), 3)],
    },
    GREEN: {
      rd: '65000:4',
      'route-targets': rts(['65000:9'], ['65000:4']),
      networks: [net(P('10.4.0.0/24'), 4)],
    },
    MGMT: {
      rd: '65000:5',
      'route-targets': rts(['65000:2', '65000:3', '65000:4'], ['65000:5']),
      networks: [net(P('10.5.0.0/24'), 5)],
    },
    SVC: {
      rd: '65000:6',
      'route-targets': rts([], ['65000:6']),
      networks: [net(P('10.6.0.53/32'), 6), net(P('10.6.1.0/24'), 6)],
    },
    YELLOW: {
      rd: '65000:7',
      'route-targets': rts(['65000:6'], ['65000:7']),
      'import-map': 'DNS-ONLY',
    },
    BACKUP: {
      rd: '65000:8',
      'route-targets': rts(['65000:1', '65001:100'], ['65000:8']),
      'import-map': 'BACKUP-LP',
      'allow-reexport': true,
    },
    INTERNET: {
      rd: '65000:9',
      'route-targets': rts([], ['65000:9']),
      'export-map': 'INET-OUT',
      networks: [net(P('0.0.0.0/0'), 9), net(P('100.64.0.0/10'), 9)],
    },
    'STATIC-A': {
      rd: '65000:11',
      'route-targets': rts([], ['65000:11']),
      'static-routes': [
        { prefix: P('10.100.0.0/24'), 'next-hop': A('10.100.0.1'), 'next-hop-vrf': 'SHARED' },
        { prefix: P('10.5.0.0/24'), 'next-hop': A('10.5.0.1'), 'next-hop-vrf': 'MGMT' },
      ],
    },
    'STATIC-B': {
      rd: '65000:13',
      'route-targets': rts([], ['65000:13']),
      'static-routes': [
        { prefix: P('10.3.0.0/24'), 'next-hop': A('10.3.0.1'), 'next-hop-vrf': 'BLUE' },
        { prefix: P('198.51.100.0/24'), 'next-hop': A('198.51.100.1'), 'next-hop-vrf': 'default' },
      ],
    },
    'GLOBAL-LEAK': {
      rd: '65000:12',
      'route-targets': rts([], ['65000:12']),
      'allow-reexport': true,
      'leak-from-default': { policy: 'FROM-GLOBAL' },
      'leak-to-default': { policy: 'TO-GLOBAL' },
      networks: [net(P('10.12.0.0/24'), 12)],
    },
    'OVL-1': {
      rd: '65000:21',
      'route-targets': rts([], ['65000:21']),
      networks: [net(P('10.0.0.0/24'), 21, { med: 21 })],
    },
    'OVL-2': {
      rd: '65000:22',
      'route-targets': rts([], ['65000:22']),
      networks: [net(P('10.0.0.0/24'), 22, { med: 22 })],
    },
    C1: {
      rd: '65000:31',
      'route-targets': rts(['65000:33'], ['65000:31']),
      'allow-reexport': true,
      networks: [net(P('10.31.0.0/24'), 31)],
    },
    C2: {
      rd: '65000:32',
      'route-targets': rts(['65000:31'], ['65000:32']),
      'allow-reexport': true,
      networks: [net(P('10.32.0.0/24'), 32)],
    },
    C3: {
      rd: '65000:33',
      'route-targets': rts(['65000:32'], ['65000:33']),
      'allow-reexport': true,
      networks: [net(P('10.33.0.0/24'), 33)],
    },
  };

  describe.skipIf(peers.skip)(
    peers.title(`VRF leaking: every pattern against GoBGP (${vpnFam})`),
    () => {
      const sc = useScenario(file);
      let pe: GobgpHandle;
      let ibgp: GobgpHandle;
      let s: Speaker;
      let ip: { vrfleak: string; pe: string; ibgp: string };

      const explainKinds = (vrf: string, prefix: string): string[] =>
        (s.explain(vrf, prefix)?.candidates ?? []).map((c) =>
          c.verdict.kind === 'refused' ? `refused:${c.verdict.refusal.kind}` : c.verdict.kind,
        );

      beforeAll(async () => {
        ip = { vrfleak: sc.nextAddress(), pe: sc.nextAddress(), ibgp: sc.nextAddress() };
        [pe, ibgp] = await Promise.all([
          startGobgp({
            name: 'gobgp-pe',
            parentDir: sc.dir,
            asn: 65001,
            routerId: ip.pe,
            address: ip.pe,
            vrfs: [
              { name: 'OVL-1', rd: '65001:21', importRts: ['65000:21'], exportRts: ['65001:21'] },
              { name: 'OVL-2', rd: '65001:22', importRts: ['65000:22'], exportRts: ['65001:22'] },
              { name: 'PRIMARY', rd: '65001:100', importRts: [], exportRts: ['65001:100'] },
            ],
            neighbors: [{ address: ip.vrfleak, asn: 65000, families: [vpnFam, af] }],
          }),
          startGobgp({
            name: 'gobgp-ibgp',
            parentDir: sc.dir,
            asn: 65000,
            routerId: ip.ibgp,
            address: ip.ibgp,
            neighbors: [{ address: ip.vrfleak, asn: 65000, families: [vpnFam] }],
          }),
        ]);
        await pe.vrfRibAdd('PRIMARY', P('10.100.0.0/24'), ['nexthop', A('192.0.2.200')], af);
        await pe.globalRibAdd(af, P('198.51.100.0/24'), ['nexthop', A('192.0.2.201')]);
        await pe.globalRibAdd(af, P('203.0.113.0/24'), ['nexthop', A('192.0.2.202')]);
        s = await Speaker.start({
          asn: 65000,
          'router-id': ip.vrfleak,
          listen: { address: ip.vrfleak, port: 179 },
          neighbors: [
            { address: ip.pe, asn: 65001, families: [vpnFam, af], 'connect-retry': 1 },
            { address: ip.ibgp, asn: 65000, families: [vpnFam], 'connect-retry': 1 },
          ],
          policy: POLICY,
          vrfs: VRFS,
        });
        await pe.waitEstablished(ip.vrfleak);
        await ibgp.waitEstablished(ip.vrfleak);
        // Everything GoBGP sends has arrived and settled.
        await s.waitFor(
          (x) =>
            x.routes(af).some((r) => r.prefix === P('203.0.113.0/24')) &&
            x.routes(vpnFam).some((r) => r.rd === '65001:100'),
          { what: "GoBGP's routes in vrfleak" },
        );
      });

      it('four-VRF case and bidirectional: SHARED reaches RED and BLUE and back, GREEN never sees SHARED', async () => {
        await s.waitFor((x) => vrfPrefixes(x, 'SHARED', af).length === 3, {
          what: 'SHARED settled',
        });
        expect(vrfPrefixes(s, 'SHARED', af)).toEqual(
          S([P('10.100.0.0/24'), P('10.2.0.0/24'), P('10.3.0.0/24')]),
        );
        for (const v of ['RED', 'BLUE']) {
          const r = s.vrfRoutes(v, af).find((x) => x.prefix === P('10.100.0.0/24') && x.best);
          expect(r).toMatchObject({ source: 'leaked', fromVrf: 'SHARED' });
        }
        expect(vrfPrefixes(s, 'GREEN', af)).toEqual(S([P('0.0.0.0/0'), P('10.4.0.0/24')]));
        expect(explainKinds('GREEN', P('10.100.0.0/24'))).toContain('refused:no-rt-intersection');
        // At the peer: each VRF's own routes under its RD; RED does not re-export SHARED's route.
        const vpn = await waitGlobal(
          pe,
          vpnFam,
          (t) =>
            ['65000:1', '65000:2', '65000:3', '65000:4'].every((rd) =>
              paths(t).some((p) => rdOf(p) === rd),
            ),
          'the four VRFs exported',
        );
        expect(vpnPath(vpn, '65000:1', P('10.100.0.0/24'))).toBeDefined();
        expect(vpnPath(vpn, '65000:2', P('10.100.0.0/24'))).toBeUndefined();
        expect(vpnPath(vpn, '65000:4', P('10.100.0.0/24'))).toBeUndefined();
        await invariantsHold(s);
      });

      it('management: MGMT reaches the customers, the customers never reach MGMT', async () => {
        expect(vrfPrefixes(s, 'MGMT', af)).toEqual(
          S([P('10.2.0.0/24'), P('10.3.0.0/24'), P('10.4.0.0/24'), P('10.5.0.0/24')]),
        );
        for (const v of ['RED', 'BLUE', 'GREEN', 'SHARED']) {
          expect(vrfPrefixes(s, v, af)).not.toContain(P('10.5.0.0/24'));
          expect(explainKinds(v, P('10.5.0.0/24'))).toContain('refused:no-rt-intersection');
        }
        await invariantsHold(s);
      });

      it('internet: only the default route leaves INTERNET, and every customer importing it has it', async () => {
        for (const v of ['RED', 'BLUE', 'GREEN']) {
          const r = s.vrfRoutes(v, af).find((x) => x.prefix === P('0.0.0.0/0'));
          expect(r).toMatchObject({ source: 'leaked', fromVrf: 'INTERNET', nextHop: nh(9) });
          expect(vrfPrefixes(s, v, af)).not.toContain(P('100.64.0.0/10'));
        }
        const vpn = await pe.globalRib(vpnFam);
        expect(vpnPath(vpn, '65000:9', P('0.0.0.0/0'))).toBeDefined();
        expect(vpnPath(vpn, '65000:9', P('100.64.0.0/10'))).toBeUndefined();
        await invariantsHold(s);
      });

      it('selective: YELLOW gets only the DNS /32; the /24 is refused by import map clause 20', async () => {
        expect(vrfPrefixes(s, 'YELLOW', af)).toEqual(S([P('10.6.0.53/32')]));
        const why = s.explain('YELLOW', P('10.6.1.0/24'));
        expect(why?.present).toBe(false);
        expect(why?.candidates.map((c) => c.verdict)).toContainEqual({
          kind: 'refused',
          refusal: { kind: 'import-map', map: 'DNS-ONLY', clause: 20 },
        });
        await invariantsHold(s);
      });

      it('backup: the SHARED leak (local-preference 50) loses to the primary, then takes over; the iBGP peer sees LOCAL_PREF 50', async () => {
        const both = s.vrfRoutes('BACKUP', af).filter((r) => r.prefix === P('10.100.0.0/24'));
        expect(both).toHaveLength(2);
        expect(both.find((r) => r.best)).toMatchObject({ peer: ip.pe, source: 'bgp' });
        expect(both.find((r) => !r.best)).toMatchObject({ fromVrf: 'SHARED', localPref: 50 });
        await waitGlobal(
          ibgp,
          vpnFam,
          (t) => attrOf(vpnPath(t, '65000:8', P('10.100.0.0/24')), 5)['value'] === 100,
          'the primary re-exported by BACKUP with LOCAL_PREF 100',
        );
        await pe.vrfRibDel('PRIMARY', P('10.100.0.0/24'), [], af);
        const t = await waitGlobal(
          ibgp,
          vpnFam,
          (x) => attrOf(vpnPath(x, '65000:8', P('10.100.0.0/24')), 5)['value'] === 50,
          'the backup with LOCAL_PREF 50',
        );
        expect(attrOf(vpnPath(t, '65000:8', P('10.100.0.0/24')), 14)['nexthop']).toBe(nh(1));
        await invariantsHold(s);
        await pe.vrfRibAdd('PRIMARY', P('10.100.0.0/24'), ['nexthop', A('192.0.2.200')], af);
        await waitGlobal(
          ibgp,
          vpnFam,
          (x) => attrOf(vpnPath(x, '65000:8', P('10.100.0.0/24')), 5)['value'] === 100,
          'the primary back',
        );
        await invariantsHold(s);
      });

      it('static inter-VRF: two routes per VRF with their next-hop VRF, exported; a default-table next hop follows GoBGP', async () => {
        const a = s.vrfRoutes('STATIC-A', af).filter((r) => r.best);
        expect(a.map((r) => [r.prefix, r.source, r.nextHopVrf]).sort()).toEqual(
          [
            [P('10.100.0.0/24'), 'static', 'SHARED'],
            [P('10.5.0.0/24'), 'static', 'MGMT'],
          ].sort(),
        );
        const b = s.vrfRoutes('STATIC-B', af).filter((r) => r.best);
        expect(b.map((r) => [r.prefix, r.nextHopVrf]).sort()).toEqual(
          [
            [P('10.3.0.0/24'), 'BLUE'],
            [P('198.51.100.0/24'), 'default'],
          ].sort(),
        );
        await waitGlobal(
          pe,
          vpnFam,
          (t) =>
            [
              ['65000:11', P('10.100.0.0/24')],
              ['65000:11', P('10.5.0.0/24')],
              ['65000:13', P('10.3.0.0/24')],
              ['65000:13', P('198.51.100.0/24')],
            ].every(([rd, p]) => vpnPath(t, rd!, p!) !== undefined),
          'the four static routes exported',
        );
        // The default-table next hop goes away with GoBGP's route: the static and its export go too.
        await pe.globalRibDel(af, P('198.51.100.0/24'));
        await waitGlobal(
          pe,
          vpnFam,
          (t) => vpnPath(t, '65000:13', P('198.51.100.0/24')) === undefined,
          'the unresolved static withdrawn',
        );
        expect(explainKinds('STATIC-B', P('198.51.100.0/24'))).toContain('next-hop-unresolved');
        await invariantsHold(s);
        await pe.globalRibAdd(af, P('198.51.100.0/24'), ['nexthop', A('192.0.2.201')]);
        await waitGlobal(
          pe,
          vpnFam,
          (t) => vpnPath(t, '65000:13', P('198.51.100.0/24')) !== undefined,
          'the static back',
        );
        await invariantsHold(s);
      });

      it('global table <-> VRF through a policy: a GoBGP unicast route leaks in and out as VPN; a VRF route reaches GoBGP as unicast', async () => {
        const r = s.vrfRoutes('GLOBAL-LEAK', af).find((x) => x.prefix === P('203.0.113.0/24'));
        expect(r).toMatchObject({ source: 'leaked', fromVrf: 'default' });
        // 198.51.100.0/24 is in the default table too, but FROM-GLOBAL refuses it.
        expect(vrfPrefixes(s, 'GLOBAL-LEAK', af)).toEqual(
          S([P('10.12.0.0/24'), P('203.0.113.0/24')]),
        );
        expect(explainKinds('GLOBAL-LEAK', P('198.51.100.0/24'))).toContain('default-policy');
        // Out as VPNv4 (seen at the iBGP peer: the eBGP one drops it, its own AS being in the path).
        const v = await waitGlobal(
          ibgp,
          vpnFam,
          (t) => vpnPath(t, '65000:12', P('203.0.113.0/24')) !== undefined,
          'the default-table route as VPNv4',
        );
        expect(attrOf(vpnPath(v, '65000:12', P('203.0.113.0/24')), 16)['value']).toEqual([
          { type: 0, subtype: 2, value: '65000:12' },
        ]);
        // The VRF's own route into the default table, and to GoBGP as IPv4 unicast.
        const u = await waitGlobal(
          pe,
          af,
          (t) => P('10.12.0.0/24') in t,
          'the VRF route as unicast',
        );
        expect(attrOf(u[P('10.12.0.0/24')]?.[0], af === 'ipv4' ? 3 : 14)['nexthop']).toBe(nh(12));
        expect(s.routes(af).find((x) => x.prefix === P('10.12.0.0/24'))).toMatchObject({
          source: 'leaked',
          fromVrf: 'GLOBAL-LEAK',
        });
        // Withdrawn at GoBGP: gone from the VRF and from the iBGP peer.
        await pe.globalRibDel(af, P('203.0.113.0/24'));
        await waitGlobal(
          ibgp,
          vpnFam,
          (t) => vpnPath(t, '65000:12', P('203.0.113.0/24')) === undefined,
          'the leaked route withdrawn',
        );
        expect(vrfPrefixes(s, 'GLOBAL-LEAK', af)).toEqual(S([P('10.12.0.0/24')]));
        await invariantsHold(s);
      });

      it('overlapping customer prefixes: the same prefix under two RDs, each in its own GoBGP VRF', async () => {
        const vpn = await waitGlobal(
          pe,
          vpnFam,
          (t) =>
            !!vpnPath(t, '65000:21', P('10.0.0.0/24')) &&
            !!vpnPath(t, '65000:22', P('10.0.0.0/24')),
          'both 10.0.0.0/24',
        );
        expect(attrOf(vpnPath(vpn, '65000:21', P('10.0.0.0/24')), 4)['metric']).toBe(21);
        expect(attrOf(vpnPath(vpn, '65000:22', P('10.0.0.0/24')), 4)['metric']).toBe(22);
        for (const [vrf, med] of [
          ['OVL-1', 21],
          ['OVL-2', 22],
        ] as const) {
          await waitVrf(pe, vrf, (p) => p.includes(P('10.0.0.0/24')), P('10.0.0.0/24'), af);
          const rib = await pe.vrfRib(vrf, af);
          const ps = paths(rib).filter((p) => p.nlri.prefix === P('10.0.0.0/24'));
          expect(ps).toHaveLength(1);
          expect(attrOf(ps[0], 4)['metric']).toBe(med);
          expect(prefixesOf(rib)).toEqual([P('10.0.0.0/24')]);
        }
        await invariantsHold(s);
      });

      it('a three-VRF chain C1 -> C2 -> C3 -> C1 does not loop', async () => {
        const all = S([P('10.31.0.0/24'), P('10.32.0.0/24'), P('10.33.0.0/24')]);
        for (const v of ['C1', 'C2', 'C3']) {
          expect(vrfPrefixes(s, v, af)).toEqual(all);
          // The VRF's own prefix never comes back as a leaked copy.
          const own = P(`10.3${v[1]}.0.0/24`);
          expect(s.vrfRoutes(v, af).filter((r) => r.prefix === own)).toHaveLength(1);
          expect(explainKinds(v, own)).toContain('refused:source-vrf');
        }
        // Exactly 3 x 3 VPN routes under the chain's RDs, at vrfleak and at the peer.
        const chainRds = new Set(['65000:31', '65000:32', '65000:33']);
        expect(s.routes(vpnFam).filter((r) => chainRds.has(r.rd ?? ''))).toHaveLength(9);
        const vpn = await waitGlobal(
          pe,
          vpnFam,
          (t) => paths(t).filter((p) => chainRds.has(rdOf(p))).length === 9,
          'the chain VPN routes',
        );
        expect(paths(vpn).filter((p) => chainRds.has(rdOf(p))).length).toBe(9);
        await invariantsHold(s);
      });

      it('stops cleanly', async () => {
        await s.stop();
      });
    },
  );
}
