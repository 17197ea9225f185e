// keys.test.ts entries for VRF keys: SRC exports 10.1.0.0/24 with RT 65000:1, DST imports it.

import { expect } from 'vitest';
import { networkFields, staticFields } from './keys-global.js';
import {
  differs,
  dstRoutes,
  leak,
  PEER,
  prefixes,
  refusedOnlyWith,
  vpnRoutes,
  type KeyCheck,
} from './keys-scenarios.js';

const SRC_PREFIX = '10.1.0.0/24';
const PERMIT = { seq: 10, action: 'permit' as const };
const MAPS = {
  policy: {
    'route-maps': { PERMIT: [PERMIT], DENY: [{ seq: 10, action: 'deny' as const }] },
  },
};
const dstHas = (w: Parameters<typeof dstRoutes>[0]) =>
  dstRoutes(w).some((r) => r.prefix === SRC_PREFIX);

export const VRF_KEYS: Record<string, KeyCheck> = {
  vrfs: async () => {
    await differs(leak(), { ...leak(), vrfs: {} }, (w) => prefixes(w, 'vpnv4'));
  },
  'vrfs.*.rd': async () => {
    const [a, b] = await differs(
      leak(),
      leak({ rd: '65000:11' }),
      (w) => vpnRoutes(w).find((r) => r.prefix === SRC_PREFIX)?.rd,
    );
    expect([a, b]).toEqual(['65000:1', '65000:11']);
  },
  'vrfs.*.route-targets': 'container',
  'vrfs.*.route-targets.import': async () => {
    const [a, b] = await differs(
      leak(),
      leak({}, { 'route-targets': { import: ['65000:9'] } }),
      dstHas,
    );
    expect([a, b]).toEqual([true, false]);
  },
  'vrfs.*.route-targets.export': async () => {
    const [a, b] = await differs(
      leak(),
      leak({ 'route-targets': { export: ['65000:9'] } }),
      dstHas,
    );
    expect([a, b]).toEqual([true, false]);
  },
  'vrfs.*.route-targets.export-mode': async () => {
    // DESIGN.md Export: `replace` strips the route's own RTs (here the network's 65000:50).
    const net = { prefix: SRC_PREFIX, 'route-targets': ['65000:50'] };
    const [a, b] = await differs(
      leak({ networks: [net] }),
      leak({ networks: [net], 'route-targets': { export: ['65000:1'], 'export-mode': 'replace' } }),
      (w) => vpnRoutes(w).find((r) => r.prefix === SRC_PREFIX)?.routeTargets,
    );
    expect([a, b]).toEqual([['65000:50', '65000:1'], ['65000:1']]);
  },
  'vrfs.*.import-tags': async () => {
    const src = { 'export-tag': '65000:70', 'route-targets': { export: [] } };
    const [a, b] = await differs(leak(src), leak(src, { 'import-tags': ['65000:70'] }), dstHas);
    expect([a, b]).toEqual([false, true]);
  },
  'vrfs.*.export-tag': async () => {
    const dst = { 'route-targets': { import: ['65000:70'] } };
    const [a, b] = await differs(
      leak({ 'route-targets': { export: [] } }, dst),
      leak({ 'route-targets': { export: [] }, 'export-tag': '65000:70' }, dst),
      dstHas,
    );
    expect([a, b]).toEqual([false, true]);
  },
  'vrfs.*.import-map': async () => {
    const [a, b] = await differs(
      leak({}, {}, MAPS),
      leak({}, { 'import-map': 'DENY' }, MAPS),
      dstHas,
    );
    expect([a, b]).toEqual([true, false]);
  },
  'vrfs.*.export-map': async () => {
    const [a, b] = await differs(
      leak({}, {}, MAPS),
      leak({ 'export-map': 'DENY' }, {}, MAPS),
      dstHas,
    );
    expect([a, b]).toEqual([true, false]);
  },
  'vrfs.*.label': async () => {
    const [a, b] = await differs(
      leak(),
      leak({ label: 300 }),
      (w) => vpnRoutes(w).find((r) => r.prefix === SRC_PREFIX)?.label,
    );
    expect([a, b]).toEqual([100, 300]);
  },
  'vrfs.*.export-next-hop': async () => {
    const [, b] = await differs(
      leak(),
      leak({ 'export-next-hop': '192.0.2.44' }),
      (w) => vpnRoutes(w).find((r) => r.prefix === SRC_PREFIX)?.nextHop,
    );
    expect(b).toBe('192.0.2.44');
  },
  'vrfs.*.allow-reexport': async () => {
    // SRC -> DST -> END: DST passes SRC's route on only with allow-reexport.
    const chain = (allow: boolean) => {
      const c = leak({}, { 'allow-reexport': allow });
      return {
        ...c,
        vrfs: {
          ...c.vrfs,
          END: { rd: '65000:3', label: 300, 'route-targets': { import: ['65000:2'], export: [] } },
        },
      };
    };
    const [a, b] = await differs(chain(false), chain(true), (w) => prefixes(w, 'ipv4', 'END'));
    expect([a, b]).toEqual([[], [SRC_PREFIX]]);
  },
  'vrfs.*.allowas-in': async () => {
    // A CE route whose AS path holds our AS (65000), let into SRC by the neighbor's allowas-in,
    // leaks into DST only if DST allows it too (DESIGN.md: an AS-path loop check runs on leak).
    const c = (allowas: number) =>
      leak(
        {},
        { 'allowas-in': allowas },
        {
          neighbors: [
            { address: PEER, asn: 65100, families: ['ipv4'], vrf: 'SRC', 'allowas-in': 1 },
          ],
        },
      );
    const [a, b] = await differs(c(0), c(1), (w) => {
      w.peer(PEER).up();
      w.peer(PEER).announce('ipv4', ['10.8.0.0/24'], { asPath: [65100, 65000] });
      w.settle();
      return [
        prefixes(w, 'ipv4', 'SRC').includes('10.8.0.0/24'),
        prefixes(w, 'ipv4', 'DST').includes('10.8.0.0/24'),
      ];
    });
    expect([a, b]).toEqual([
      [true, false],
      [true, true],
    ]);
  },
  'vrfs.*.conflict': async () => {
    // DST has its own 10.1.0.0/24 too; prefer-local keeps it whatever the leaked route offers.
    const own = { networks: [{ prefix: SRC_PREFIX, 'local-preference': 10 }] };
    const [a, b] = await differs(
      leak({}, own),
      leak({}, { ...own, conflict: 'best-path' }),
      (w) => dstRoutes(w).find((r) => r.best)?.source,
    );
    expect([a, b]).toEqual(['local', 'leaked']);
  },
  'vrfs.*.leak-from-default': async () => {
    const c = (leakFrom?: { policy: string }) =>
      leak({}, leakFrom ? { 'leak-from-default': leakFrom } : {}, {
        ...MAPS,
        networks: ['10.6.0.0/24'],
      });
    const [a, b] = await differs(c(), c({ policy: 'PERMIT' }), (w) => prefixes(w, 'ipv4', 'DST'));
    expect(b).toContain('10.6.0.0/24');
    expect(a).not.toContain('10.6.0.0/24');
  },
  'vrfs.*.leak-from-default.policy': async () => {
    const c = (policy: string) =>
      leak({}, { 'leak-from-default': { policy } }, { ...MAPS, networks: ['10.6.0.0/24'] });
    await differs(c('PERMIT'), c('DENY'), (w) => prefixes(w, 'ipv4', 'DST'));
  },
  'vrfs.*.leak-to-default': async () => {
    const c = (to?: { policy: string }) => leak(to ? { 'leak-to-default': to } : {}, {}, MAPS);
    const [a, b] = await differs(c(), c({ policy: 'PERMIT' }), (w) => prefixes(w, 'ipv4'));
    expect([a, b]).toEqual([[], [SRC_PREFIX]]);
  },
  'vrfs.*.leak-to-default.policy': async () => {
    const c = (policy: string) => leak({ 'leak-to-default': { policy } }, {}, MAPS);
    await differs(c('PERMIT'), c('DENY'), (w) => prefixes(w, 'ipv4'));
  },
  'vrfs.*.interfaces': async () => {
    const [a, b] = await differs(
      leak(),
      leak({}, { interfaces: [{ name: 'eth1', address: '10.3.0.1/24' }] }),
      (w) => prefixes(w, 'ipv4', 'DST'),
    );
    expect(b.filter((p) => !a.includes(p))).toEqual(['10.3.0.0/24']);
  },
  'vrfs.*.interfaces[].name': () => {
    // An interface belongs to one VRF (shown by `show vrf NAME`): the same name twice is refused.
    const itf = (name: string) => [{ name, address: '10.3.0.1/24' }];
    refusedOnlyWith(
      leak({ interfaces: itf('eth1') }, { interfaces: itf('eth2') }),
      leak({ interfaces: itf('eth1') }, { interfaces: itf('eth1') }),
      /interface eth1 is already in VRF "SRC"/,
    );
  },
  'vrfs.*.interfaces[].address': async () => {
    const c = (address: string) => leak({}, { interfaces: [{ name: 'eth1', address }] });
    await differs(c('10.3.0.1/24'), c('10.4.0.1/16'), (w) => prefixes(w, 'ipv4', 'DST'));
  },
  'vrfs.*.networks': async () => {
    await differs(leak(), leak({ networks: [] }), (w) => prefixes(w, 'ipv4', 'SRC'));
  },
  'vrfs.*.networks[].prefix': async () => {
    await differs(leak(), leak({ networks: ['10.2.0.0/24'] }), (w) => prefixes(w, 'ipv4', 'SRC'));
  },
  ...networkFields(
    'vrfs.*.networks',
    (n) => leak({ networks: [n] }),
    (w) => w.routes('ipv4', 'SRC')[0],
  ),
  'vrfs.*.static-routes': async () => {
    await differs(
      leak(),
      leak(
        {},
        {
          'static-routes': [
            { prefix: '10.5.0.0/24', 'next-hop': '10.1.0.9', 'next-hop-vrf': 'SRC' },
          ],
        },
      ),
      (w) => prefixes(w, 'ipv4', 'DST'),
    );
  },
  ...staticFields('vrfs.*.static-routes', (s) => leak({}, { 'static-routes': [s] }), 'DST'),
};
