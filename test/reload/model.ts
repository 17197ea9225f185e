// The config the reload property test edits, the routes its fake peers send, and the edits
// (fast-check arbitraries). The base has four VRFs (one bound to a CE neighbor), every kind of
// list, route maps on every consumer (import/export maps, default-table leaks, neighbor in/out),
// tags, statics and default-table networks; the edits touch each of them, one key at a time.

import fc from 'fast-check';
import type { ConfigInput } from '../../src/config/schema.js';
import type { PeerSpec } from './world.js';

// The config as a plain object of the file's shape (kept loose: edits write any key).
export type Cfg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const PE1 = '127.0.0.11';
export const PE2 = '127.0.0.12';
export const CE1 = '127.0.0.21';
export const GW = '127.0.0.31';

export const PEERS: ReadonlyMap<string, PeerSpec> = new Map<string, PeerSpec>([
  [
    PE1,
    {
      bgpId: 0x0a00000b,
      routeRefresh: true,
      routes: [
        {
          family: 'vpnv4',
          rd: '65100:1',
          prefix: '10.100.0.0/16',
          rts: ['65000:1'],
          communities: ['65000:100'],
        },
        { family: 'vpnv4', rd: '65100:1', prefix: '10.100.1.0/24', rts: ['65000:1'] },
        {
          family: 'vpnv4',
          rd: '65100:1',
          prefix: '10.100.1.7/32',
          rts: ['65000:1'],
          large: ['65000:1:1'],
        },
        {
          family: 'vpnv4',
          rd: '65100:2',
          prefix: '10.200.0.0/16',
          rts: ['65000:2'],
          communities: ['65000:200'],
        },
        { family: 'vpnv4', rd: '65100:2', prefix: '10.200.5.0/24', rts: ['65000:2', '65000:3'] },
        { family: 'vpnv4', rd: '65100:3', prefix: '10.1.0.0/24', rts: ['65000:3'] },
        { family: 'vpnv4', rd: '65100:4', prefix: '0.0.0.0/0', rts: ['65000:4'] },
        { family: 'vpnv6', rd: '65100:1', prefix: '2001:db8:100::/48', rts: ['65000:1'] },
      ],
    },
  ],
  [
    PE2,
    {
      bgpId: 0x0a00000c,
      routeRefresh: true,
      routes: [
        {
          family: 'vpnv4',
          rd: '65200:1',
          prefix: '10.100.0.0/16',
          rts: ['65000:1'],
          localPref: 200,
        },
        { family: 'vpnv4', rd: '65200:1', prefix: '10.100.2.0/24', rts: ['65000:1', '65000:2'] },
        {
          family: 'vpnv4',
          rd: '65200:3',
          prefix: '10.3.0.0/16',
          rts: ['65000:3'],
          communities: ['65000:300'],
        },
      ],
    },
  ],
  [
    CE1,
    {
      // Without route refresh: an inbound policy change resets its session.
      bgpId: 0x0a000015,
      routeRefresh: false,
      routes: [
        { family: 'ipv4', prefix: '172.16.0.0/16' },
        { family: 'ipv4', prefix: '172.16.1.0/24', communities: ['65021:1'] },
        { family: 'ipv4', prefix: '10.100.1.0/24', large: ['65021:1:1'] },
      ],
    },
  ],
  [
    GW,
    {
      bgpId: 0x0a00001f,
      routeRefresh: true,
      routes: [
        { family: 'ipv4', prefix: '0.0.0.0/0' },
        { family: 'ipv4', prefix: '198.51.100.0/24', communities: ['65031:1'] },
        { family: 'ipv4', prefix: '203.0.113.0/24', med: 10 },
        { family: 'ipv4', prefix: '10.200.0.0/16', communities: ['65000:200'] },
      ],
    },
  ],
]);

const PREFIX_LISTS = ['SHARED-SERVICES', 'PL-B', 'PL-C'];
const COMMUNITY_LISTS = ['CL-1', 'CL-2'];
const ROUTE_MAPS = ['IMPORT-SHARED', 'RM-B', 'RM-C', 'RM-D'];
const OPTIONAL_VRFS = ['B', 'C', 'D'];
const VRFS = ['A', ...OPTIONAL_VRFS];
const RTS = ['65000:1', '65000:2', '65000:3', '65000:4', '65000:10', '65000:20', '65000:30'];

export function baseConfig(): Cfg {
  return {
    asn: 65000,
    'router-id': '10.0.0.1',
    neighbors: [
      { address: PE1, asn: 65000, families: ['vpnv4', 'vpnv6'], description: 'PE1' },
      { address: PE2, asn: 65000, families: ['vpnv4'], 'route-map-in': 'RM-D' },
      { address: CE1, asn: 65021, vrf: 'A', families: ['ipv4'], 'route-map-out': 'RM-C' },
      { address: GW, asn: 65031, families: ['ipv4'], 'route-map-in': 'RM-B' },
    ],
    networks: ['192.0.2.0/24'],
    policy: {
      'prefix-lists': {
        'SHARED-SERVICES': [{ seq: 10, action: 'permit', prefix: '10.100.0.0/16', le: 32 }],
        'PL-B': [
          { seq: 10, action: 'permit', prefix: '10.200.0.0/16', le: 24 },
          { seq: 20, action: 'permit', prefix: '0.0.0.0/0' },
        ],
        'PL-C': [{ seq: 10, action: 'permit', prefix: '172.16.0.0/12', le: 24 }],
      },
      'community-lists': {
        'CL-1': [{ seq: 10, action: 'permit', communities: ['65000:100'] }],
        'CL-2': [{ seq: 10, action: 'permit', communities: ['65031:1'] }],
      },
      'ext-community-lists': {
        'EL-1': [{ seq: 10, action: 'permit', 'ext-communities': ['rt:65000:2'] }],
      },
      'large-community-lists': {
        'LL-1': [{ seq: 10, action: 'permit', 'large-communities': ['65000:1:1'] }],
      },
      'route-maps': {
        'IMPORT-SHARED': [
          { seq: 10, action: 'permit', match: { 'prefix-list': 'SHARED-SERVICES' } },
          { seq: 20, action: 'deny' },
        ],
        'RM-B': [
          {
            seq: 10,
            action: 'permit',
            match: { 'prefix-list': 'PL-B' },
            set: { 'local-preference': 150 },
          },
          { seq: 20, action: 'permit', match: { 'community-list': 'CL-2' } },
        ],
        'RM-C': [
          { seq: 10, action: 'deny', match: { 'large-community-list': 'LL-1' } },
          { seq: 20, action: 'permit', set: { community: { add: ['65000:999'] } } },
        ],
        'RM-D': [
          { seq: 10, action: 'deny', match: { 'ext-community-list': 'EL-1' } },
          { seq: 20, action: 'permit' },
        ],
      },
    },
    vrfs: {
      A: {
        rd: '65000:11',
        label: 110,
        'route-targets': { import: ['65000:1'], export: ['65000:10'] },
        'import-map': 'IMPORT-SHARED',
        interfaces: [{ name: 'eth1', address: '10.1.0.1/24' }],
        networks: ['10.1.5.0/24'],
        expect: {
          from: [
            { 'route-target': '65000:1', 'prefix-list': 'SHARED-SERVICES' },
            { vrf: 'default' },
          ],
          'max-routes': 4,
          require: ['10.100.0.0/16', '10.100.9.0/24'],
        },
      },
      B: {
        rd: '65000:12',
        'route-targets': { import: ['65000:2', '65000:10'], export: ['65000:20'] },
        'leak-from-default': { policy: 'RM-B' },
        networks: ['10.2.0.0/16'],
        expect: { from: [{ vrf: 'default', 'prefix-list': 'PL-B' }, { vrf: 'A' }] },
        'static-routes': [{ prefix: '10.9.0.0/16', 'next-hop': '10.1.0.5', 'next-hop-vrf': 'A' }],
      },
      C: {
        rd: '65000:13',
        'route-targets': { import: ['65000:3'], export: ['65000:30'] },
        'import-tags': ['65000:20'],
        'export-map': 'RM-C',
        'leak-to-default': { policy: 'IMPORT-SHARED' },
        networks: ['10.100.7.0/24', '10.1.0.0/24'],
      },
      D: {
        rd: '65000:14',
        'route-targets': { import: ['65000:4', '65000:30'], export: [] },
        'export-tag': '65000:1',
        'import-map': 'RM-D',
        conflict: 'best-path',
        networks: ['10.3.0.0/16'],
      },
    },
  };
}

export const asInput = (c: Cfg): ConfigInput => c as ConfigInput;

/** An edit: a name for the failure report and what it does to a copy of the config. */
export interface Edit {
  readonly what: string;
  apply(c: Cfg): void;
}

const edit = (what: string, apply: (c: Cfg) => void): Edit =>
  // How fast-check prints a counterexample: the edit's description, not its code.
  Object.assign({ what, apply }, { [fc.toStringMethod]: () => what });
const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const subset = <T>(xs: readonly T[], max = 3) =>
  fc.uniqueArray(pick(xs), { maxLength: Math.min(max, xs.length) });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const prefixListEntry = fc.record({
  prefix: pick(['10.100.0.0/16', '10.200.0.0/16', '10.0.0.0/8', '172.16.0.0/12', '0.0.0.0/0']),
  le: maybe(pick([16, 24, 32])),
  action: pick(['permit', 'deny']),
});

const routeMapMatch = fc.oneof(
  fc.constant(undefined),
  pick(PREFIX_LISTS).map((n) => ({ 'prefix-list': n })),
  pick(COMMUNITY_LISTS).map((n) => ({ 'community-list': n })),
  fc.constant({ 'ext-community-list': 'EL-1' }),
  fc.constant({ 'large-community-list': 'LL-1' }),
  pick(['leaked', 'local', 'bgp', 'connected']).map((p) => ({ 'source-protocol': p })),
);

const routeMapSet = fc.oneof(
  fc.constant(undefined),
  pick([50, 150, 300]).map((v) => ({ 'local-preference': v })),
  pick(['65000:999', '65000:100']).map((v) => ({ community: { add: [v] } })),
  pick(RTS).map((v) => ({ 'route-target': { add: [v] } })),
  pick([5, 20]).map((v) => ({ med: v })),
);

function vrf(c: Cfg, name: string): Cfg | undefined {
  return c['vrfs'][name];
}

/** Every edit the property test draws from. */
export const anEdit: fc.Arbitrary<Edit> = fc.oneof(
  // Lists: the ISSUE-12 case and its relatives.
  fc
    .tuple(pick(PREFIX_LISTS), fc.array(prefixListEntry, { minLength: 1, maxLength: 3 }))
    .map(([n, es]) =>
      edit(`prefix-list ${n} := ${JSON.stringify(es)}`, (c) => {
        c['policy']['prefix-lists'][n] = es.map((e, i) => ({
          seq: 10 * (i + 1),
          action: e.action,
          prefix: e.prefix,
          ...(e.le !== undefined && e.le >= Number(e.prefix.split('/')[1]) ? { le: e.le } : {}),
        }));
      }),
    ),
  fc
    .tuple(
      pick(COMMUNITY_LISTS),
      pick(['65000:100', '65031:1', '65021:1', '65000:200']),
      pick(['permit', 'deny']),
    )
    .map(([n, v, a]) =>
      edit(`community-list ${n} := ${a} ${v}`, (c) => {
        c['policy']['community-lists'][n] = [{ seq: 10, action: a, communities: [v] }];
      }),
    ),
  fc.tuple(pick(RTS), pick(['permit', 'deny'])).map(([v, a]) =>
    edit(`ext-community-list EL-1 := ${a} rt:${v}`, (c) => {
      c['policy']['ext-community-lists']['EL-1'] = [
        { seq: 10, action: a, 'ext-communities': [`rt:${v}`] },
      ];
    }),
  ),
  fc.tuple(pick(['65000:1:1', '65021:1:1', '65000:2:2']), pick(['permit', 'deny'])).map(([v, a]) =>
    edit(`large-community-list LL-1 := ${a} ${v}`, (c) => {
      c['policy']['large-community-lists']['LL-1'] = [
        { seq: 10, action: a, 'large-communities': [v] },
      ];
    }),
  ),
  // Route maps: one clause rewritten.
  fc
    .tuple(pick(ROUTE_MAPS), pick([0, 1]), pick(['permit', 'deny']), routeMapMatch, routeMapSet)
    .map(([n, i, action, match, set]) =>
      edit(`route-map ${n}[${i}] := ${action} ${JSON.stringify({ match, set })}`, (c) => {
        const clauses: Cfg[] = c['policy']['route-maps'][n];
        const clause = {
          seq: 10 * (i + 1),
          action,
          ...(match ? { match } : {}),
          ...(set && action === 'permit' ? { set } : {}),
        };
        if (i < clauses.length) clauses[i] = clause;
        else clauses.push(clause);
      }),
    ),
  // VRFs: presence, RD, RTs, tags, maps, leaks, tables, settings.
  pick(OPTIONAL_VRFS).map((n) =>
    edit(`toggle VRF ${n}`, (c) => {
      const base = baseConfig()['vrfs'][n];
      if (vrf(c, n)) delete c['vrfs'][n];
      else c['vrfs'][n] = base;
    }),
  ),
  fc
    .tuple(pick(VRFS), pick(['65000:11', '65000:12', '65000:15', '65000:16', '1.2.3.4:5']))
    .map(([n, rd]) =>
      edit(`VRF ${n} rd := ${rd}`, (c) => {
        const v = vrf(c, n);
        if (v) v['rd'] = rd;
      }),
    ),
  fc.tuple(pick(VRFS), subset(RTS), subset(RTS, 2)).map(([n, imp, exp]) =>
    edit(`VRF ${n} route-targets := import ${imp} export ${exp}`, (c) => {
      const v = vrf(c, n);
      if (v) v['route-targets'] = { ...v['route-targets'], import: imp, export: exp };
    }),
  ),
  fc.tuple(pick(VRFS), pick(['add', 'replace'])).map(([n, m]) =>
    edit(`VRF ${n} export-mode := ${m}`, (c) => {
      const v = vrf(c, n);
      if (v) v['route-targets'] = { ...v['route-targets'], 'export-mode': m };
    }),
  ),
  fc.tuple(pick(VRFS), subset(RTS, 2), maybe(pick(RTS))).map(([n, tags, tag]) =>
    edit(`VRF ${n} import-tags := ${tags} export-tag := ${tag}`, (c) => {
      const v = vrf(c, n);
      if (!v) return;
      v['import-tags'] = tags;
      if (tag === undefined) delete v['export-tag'];
      else v['export-tag'] = tag;
    }),
  ),
  fc
    .tuple(
      pick(VRFS),
      pick(['import-map', 'export-map', 'leak-from-default', 'leak-to-default']),
      maybe(pick(ROUTE_MAPS)),
    )
    .map(([n, key, map]) =>
      edit(`VRF ${n} ${key} := ${map}`, (c) => {
        const v = vrf(c, n);
        if (!v) return;
        if (map === undefined) delete v[key];
        else v[key] = key.startsWith('leak') ? { policy: map } : map;
      }),
    ),
  fc
    .tuple(
      pick(VRFS),
      subset(['10.1.5.0/24', '10.100.7.0/24', '10.1.0.0/24', '10.100.1.0/24', '10.2.0.0/16']),
    )
    .map(([n, nets]) =>
      edit(`VRF ${n} networks := ${nets}`, (c) => {
        const v = vrf(c, n);
        if (v) v['networks'] = nets;
      }),
    ),
  fc
    .tuple(
      pick(VRFS),
      maybe(
        fc.record({
          prefix: pick(['10.9.0.0/16', '10.8.0.0/16', '198.51.100.0/24']),
          nh: pick(['10.1.0.5', '10.100.1.1', '198.51.100.1', '10.200.5.9']),
          nhVrf: maybe(pick([...VRFS, 'default'])),
        }),
      ),
    )
    .map(([n, s]) =>
      edit(`VRF ${n} static-routes := ${JSON.stringify(s)}`, (c) => {
        const v = vrf(c, n);
        if (!v) return;
        v['static-routes'] = s
          ? [
              {
                prefix: s.prefix,
                'next-hop': s.nh,
                ...(s.nhVrf ? { 'next-hop-vrf': s.nhVrf } : {}),
              },
            ]
          : [];
      }),
    ),
  fc
    .tuple(pick(VRFS), pick(['conflict', 'allow-reexport', 'label']), fc.nat(1))
    .map(([n, key, i]) => {
      const value =
        key === 'conflict'
          ? ['prefer-local', 'best-path'][i]
          : key === 'allow-reexport'
            ? i === 1
            : [120, 'auto'][i];
      return edit(`VRF ${n} ${key} := ${String(value)}`, (c) => {
        const v = vrf(c, n);
        if (v) v[key] = value;
      });
    }),
  // The leak monitor: a VRF's expect (issue 16), its sources, bound and required prefixes.
  fc
    .tuple(
      pick(VRFS),
      maybe(
        fc.record({
          from: maybe(
            fc.uniqueArray(
              fc.oneof(
                fc.record({ vrf: pick(['A', 'default']), pl: maybe(pick(PREFIX_LISTS)) }),
                fc.record({ rt: pick(RTS), pl: maybe(pick(PREFIX_LISTS)) }),
              ),
              { maxLength: 2 },
            ),
          ),
          max: maybe(pick([0, 2, 5])),
          require: subset(['10.100.0.0/16', '172.16.1.0/24', '0.0.0.0/0'], 2),
        }),
      ),
    )
    .map(([n, e]) =>
      edit(`VRF ${n} expect := ${JSON.stringify(e)}`, (c) => {
        const v = vrf(c, n);
        if (!v) return;
        if (!e) {
          delete v['expect'];
          return;
        }
        v['expect'] = {
          ...(e.from
            ? {
                from: e.from.map((s) => ({
                  ...('vrf' in s ? { vrf: s.vrf } : { 'route-target': s.rt }),
                  ...(s.pl ? { 'prefix-list': s.pl } : {}),
                })),
              }
            : {}),
          ...(e.max !== undefined ? { 'max-routes': e.max } : {}),
          require: e.require,
        };
      }),
    ),
  // The default table and the globals.
  subset(['192.0.2.0/24', '10.100.9.0/24', '10.200.0.0/16']).map((nets) =>
    edit(`networks := ${nets}`, (c) => {
      c['networks'] = nets;
    }),
  ),
  fc.tuple(pick(['retain', 'deny-inter-vrf-static']), fc.nat(1)).map(([key, i]) => {
    const value = key === 'retain' ? ['all', 'imported-only'][i] : i === 1;
    return edit(`${key} := ${String(value)}`, (c) => {
      c[key] = value;
    });
  }),
  // Neighbors: policy keys, description, next-hop-self, presence.
  fc
    .tuple(
      pick([PE1, PE2, CE1, GW]),
      pick(['route-map-in', 'route-map-out']),
      maybe(pick(ROUTE_MAPS)),
    )
    .map(([a, key, map]) =>
      edit(`neighbor ${a} ${key} := ${map}`, (c) => {
        const n = (c['neighbors'] as Cfg[]).find((x) => x['address'] === a);
        if (!n) return;
        if (map === undefined) delete n[key];
        else n[key] = map;
      }),
    ),
  fc.tuple(pick([PE1, PE2, CE1, GW]), pick(['description', 'next-hop-self'])).map(([a, key]) =>
    edit(`neighbor ${a} ${key} changed`, (c) => {
      const n = (c['neighbors'] as Cfg[]).find((x) => x['address'] === a);
      if (!n) return;
      if (key === 'description') n[key] = `${String(n[key] ?? '')}x`;
      else n[key] = !n[key];
    }),
  ),
  fc.tuple(pick([PE1, PE2, CE1, GW]), pick([30, 90, 180])).map(([a, t]) =>
    edit(`neighbor ${a} hold-time := ${t}`, (c) => {
      const n = (c['neighbors'] as Cfg[]).find((x) => x['address'] === a);
      if (n) n['hold-time'] = t;
    }),
  ),
  // ADD-PATH (RFC 7911) is in the OPEN: a change resets the session (config/diff.ts), as FRR's.
  fc.tuple(pick([PE1, PE2]), pick(['vpnv4', 'vpnv6'])).map(([a, f]) =>
    edit(`neighbor ${a} add-path ${f} toggled`, (c) => {
      const n = (c['neighbors'] as Cfg[]).find((x) => x['address'] === a);
      if (!n || !(n['families'] as string[]).includes(f)) return;
      const ap = { ...((n['add-path'] as Cfg | undefined) ?? {}) };
      if (ap[f]) delete ap[f];
      else ap[f] = { receive: true, send: 'all' };
      if (Object.keys(ap).length) n['add-path'] = ap;
      else delete n['add-path'];
    }),
  ),
  // LLGR (RFC 9494) is in the OPEN too: a change resets the session.
  fc.tuple(pick([PE1, PE2, GW]), pick([undefined, 60, 3600])).map(([a, t]) =>
    edit(`neighbor ${a} long-lived-graceful-restart stale-time := ${t}`, (c) => {
      const n = (c['neighbors'] as Cfg[]).find((x) => x['address'] === a);
      if (!n) return;
      if (t === undefined) delete n['long-lived-graceful-restart'];
      else n['long-lived-graceful-restart'] = { 'stale-time': t };
    }),
  ),
  pick([PE1, PE2, CE1, GW]).map((a) =>
    edit(`neighbor ${a} soft-reconfiguration toggled`, (c) => {
      const n = (c['neighbors'] as Cfg[]).find((x) => x['address'] === a);
      if (!n) return;
      if (n['soft-reconfiguration']) delete n['soft-reconfiguration'];
      else n['soft-reconfiguration'] = 'inbound';
    }),
  ),
  pick(VRFS).map((v) =>
    edit(`neighbor ${CE1} vrf := ${v}`, (c) => {
      const n = (c['neighbors'] as Cfg[]).find((x) => x['address'] === CE1);
      if (n) n['vrf'] = v;
    }),
  ),
  pick([PE2, GW]).map((a) =>
    edit(`toggle neighbor ${a}`, (c) => {
      const ns = c['neighbors'] as Cfg[];
      const i = ns.findIndex((x) => x['address'] === a);
      if (i >= 0) ns.splice(i, 1);
      else ns.push(baseConfig()['neighbors'].find((x: Cfg) => x['address'] === a));
    }),
  ),
);
