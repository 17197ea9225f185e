import { describe, expect, it } from 'vitest';
import type { ConfigChange } from '../../src/config/diff.js';
import { diffConfig } from '../../src/config/diff.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';

function cfg(lines: string[]): Config {
  const r = loadConfig(lines.join('\n') + '\n', 'c.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}

const BASE = [
  'asn: 65000',
  'router-id: 10.0.0.1',
  'neighbors:',
  '  - { address: 127.0.0.2, asn: 65001 }',
  '  - { address: 127.0.0.3, asn: 65002 }',
  'policy:',
  '  prefix-lists:',
  '    PL: [{ seq: 10, action: permit, prefix: 10.100.0.0/16, le: 32 }]',
  '  route-maps:',
  '    RM: [{ seq: 10, action: permit, match: { prefix-list: PL } }]',
  'vrfs:',
  '  A:',
  '    rd: 65000:1',
  '    route-targets: { import: [65000:2, 65000:3], export: [65000:1] }',
  '    networks: [10.1.0.0/24]',
  '    static-routes: [{ prefix: 10.100.0.0/24, next-hop: 10.100.0.1, next-hop-vrf: B }]',
  '  B:',
  '    rd: 65000:2',
  '    route-targets: { import: [65000:1], export: [65000:2] }',
];

/** BASE with line `index` (0-based) replaced. */
function edit(index: number, line: string): string[] {
  const out = [...BASE];
  out[index] = line;
  return out;
}

const kinds = (cs: ConfigChange[]) => cs.map((c) => c.kind);

describe('diffConfig', () => {
  it('finds nothing between a config and itself', () => {
    expect(diffConfig(cfg(BASE), cfg(BASE))).toEqual([]);
  });

  it('ignores a change of spelling only (defaults written out, key order)', () => {
    const spelled = edit(3, '  - { asn: 65001, address: 127.0.0.2, families: [vpnv4], port: 179 }');
    expect(diffConfig(cfg(BASE), cfg(spelled))).toEqual([]);
  });

  it('import and export RT changes', () => {
    const next = edit(
      13,
      '    route-targets: { import: [65000:3, 65000:9], export: [65000:1, 65000:5] }',
    );
    expect(diffConfig(cfg(BASE), cfg(next))).toEqual([
      { kind: 'import-rt-added', vrf: 'A', rt: '65000:9' },
      { kind: 'import-rt-removed', vrf: 'A', rt: '65000:2' },
      { kind: 'export-rt-added', vrf: 'A', rt: '65000:5' },
    ]);
  });

  it('an RD change', () => {
    expect(diffConfig(cfg(BASE), cfg(edit(12, '    rd: 65000:11')))).toEqual([
      { kind: 'rd-changed', vrf: 'A', old: '65000:1', next: '65000:11' },
    ]);
  });

  it('VRF added and removed', () => {
    const old = cfg(BASE);
    const next = cfg([...BASE, '  C: { rd: 65000:3 }']);
    const added = diffConfig(old, next);
    expect(kinds(added)).toEqual(['vrf-added']);
    expect(added[0]).toMatchObject({ name: 'C', vrf: { rd: '65000:3' } });
    expect(diffConfig(next, old)).toMatchObject([{ kind: 'vrf-removed', name: 'C' }]);
  });

  it('networks and static routes added, removed and changed', () => {
    const next = cfg([
      ...edit(14, '    networks: [{ prefix: 10.1.0.0/24, med: 5 }, 10.2.0.0/24]').slice(0, 15),
      '    static-routes: [{ prefix: 10.100.0.0/24, next-hop: 10.100.0.2, next-hop-vrf: B }]',
      ...BASE.slice(16),
    ]);
    expect(diffConfig(cfg(BASE), next)).toEqual([
      {
        kind: 'network-changed',
        vrf: 'A',
        old: { prefix: '10.1.0.0/24' },
        next: { prefix: '10.1.0.0/24', med: 5 },
      },
      { kind: 'network-added', vrf: 'A', network: { prefix: '10.2.0.0/24' } },
      {
        kind: 'static-route-removed',
        vrf: 'A',
        route: { prefix: '10.100.0.0/24', 'next-hop': '10.100.0.1', 'next-hop-vrf': 'B' },
      },
      {
        kind: 'static-route-added',
        vrf: 'A',
        route: { prefix: '10.100.0.0/24', 'next-hop': '10.100.0.2', 'next-hop-vrf': 'B' },
      },
    ]);
  });

  it('default-table networks are reported under vrf "default"', () => {
    expect(diffConfig(cfg(BASE), cfg([...BASE, 'networks: [192.0.2.0/24]']))).toEqual([
      { kind: 'network-added', vrf: 'default', network: { prefix: '192.0.2.0/24' } },
    ]);
  });

  it('a neighbor change that needs a session reset, and one that does not', () => {
    const hard = diffConfig(
      cfg(BASE),
      cfg(edit(3, '  - { address: 127.0.0.2, asn: 65001, hold-time: 30 }')),
    );
    expect(hard).toMatchObject([
      {
        kind: 'neighbor-changed',
        address: '127.0.0.2',
        keys: ['hold-time'],
        reset: true,
        refreshIn: false,
      },
    ]);
    const soft = diffConfig(
      cfg(BASE),
      cfg(edit(3, '  - { address: 127.0.0.2, asn: 65001, route-map-in: RM }')),
    );
    expect(soft).toMatchObject([
      {
        kind: 'neighbor-changed',
        keys: ['route-map-in'],
        reset: false,
        refreshIn: true,
        resendOut: false,
      },
    ]);
    const out = diffConfig(
      cfg(BASE),
      cfg(edit(3, '  - { address: 127.0.0.2, asn: 65001, next-hop-self: true }')),
    );
    expect(out).toMatchObject([
      { kind: 'neighbor-changed', reset: false, refreshIn: false, resendOut: true },
    ]);
    // Reflection reads the client flag off routes already received: a reset, not a soft change.
    const rr = diffConfig(
      cfg(BASE),
      cfg(edit(3, '  - { address: 127.0.0.2, asn: 65001, route-reflector-client: true }')),
    );
    expect(rr).toMatchObject([{ kind: 'neighbor-changed', reset: true }]);
  });

  it('a description changes nothing on the wire; shutdown and max-prefix do', () => {
    const described = diffConfig(
      cfg(BASE),
      cfg(edit(3, '  - { address: 127.0.0.2, asn: 65001, description: edge router }')),
    );
    expect(described).toMatchObject([
      {
        kind: 'neighbor-changed',
        keys: ['description'],
        reset: false,
        refreshIn: false,
        resendOut: false,
      },
    ]);
    // Keys a reload used to ignore: shutdown stops (or starts) the session, a new limit is checked
    // against the routes the refresh brings again.
    const shut = diffConfig(
      cfg(BASE),
      cfg(edit(3, '  - { address: 127.0.0.2, asn: 65001, shutdown: true }')),
    );
    expect(shut).toMatchObject([{ kind: 'neighbor-changed', reset: true }]);
    const limited = diffConfig(
      cfg(BASE),
      cfg(edit(3, '  - { address: 127.0.0.2, asn: 65001, max-prefix: { limit: 10 } }')),
    );
    expect(limited).toMatchObject([{ kind: 'neighbor-changed', reset: false, refreshIn: true }]);
  });

  it('neighbors added and removed leave the others untouched', () => {
    const next = cfg([...edit(4, '  - { address: 127.0.0.4, asn: 65004 }')]);
    const cs = diffConfig(cfg(BASE), next);
    expect(cs.map((c) => [c.kind, 'address' in c ? c.address : ''])).toEqual([
      ['neighbor-removed', '127.0.0.3'],
      ['neighbor-added', '127.0.0.4'],
    ]);
  });

  it('policy additions and changes come first, policy removals last', () => {
    // next adds RM2, points VRF A at it, and changes PL.
    const next = cfg([
      ...BASE.slice(0, 7),
      '    PL: [{ seq: 10, action: permit, prefix: 10.100.0.0/16, le: 24 }]',
      ...BASE.slice(8, 10),
      '    RM2: [{ seq: 10, action: deny }]',
      ...BASE.slice(10, 14),
      '    import-map: RM2',
      ...BASE.slice(14),
    ]);
    const old = cfg(BASE);
    expect(diffConfig(old, next)).toEqual([
      { kind: 'policy-changed', section: 'prefix-lists', name: 'PL' },
      { kind: 'policy-added', section: 'route-maps', name: 'RM2' },
      { kind: 'vrf-setting-changed', vrf: 'A', key: 'import-map', old: undefined, next: 'RM2' },
    ]);
    expect(diffConfig(next, old)).toEqual([
      { kind: 'policy-changed', section: 'prefix-lists', name: 'PL' },
      { kind: 'vrf-setting-changed', vrf: 'A', key: 'import-map', old: 'RM2', next: undefined },
      { kind: 'policy-removed', section: 'route-maps', name: 'RM2' },
    ]);
  });

  it('asn and router-id changes reset every session', () => {
    const cs = diffConfig(cfg(BASE), cfg(edit(1, 'router-id: 10.0.0.9')));
    expect(cs).toEqual([
      {
        kind: 'global-changed',
        key: 'router-id',
        old: '10.0.0.1',
        next: '10.0.0.9',
        resetsAllSessions: true,
      },
    ]);
    const log = diffConfig(cfg(BASE), cfg([...BASE, 'log: { level: debug }']));
    expect(log).toMatchObject([{ kind: 'global-changed', key: 'log', resetsAllSessions: false }]);
  });

  it('VRF settings: import map, conflict, export mode', () => {
    const next = cfg([
      ...BASE.slice(0, 13),
      '    route-targets: { import: [65000:2, 65000:3], export: [65000:1], export-mode: replace }',
      '    import-map: RM',
      '    conflict: best-path',
      '    allowas-in: 2',
      ...BASE.slice(14),
    ]);
    expect(diffConfig(cfg(BASE), next)).toEqual([
      { kind: 'vrf-setting-changed', vrf: 'A', key: 'export-mode', old: 'add', next: 'replace' },
      { kind: 'vrf-setting-changed', vrf: 'A', key: 'import-map', old: undefined, next: 'RM' },
      {
        kind: 'vrf-setting-changed',
        vrf: 'A',
        key: 'conflict',
        old: 'prefer-local',
        next: 'best-path',
      },
      { kind: 'vrf-setting-changed', vrf: 'A', key: 'allowas-in', old: 0, next: 2 },
    ]);
  });
});
