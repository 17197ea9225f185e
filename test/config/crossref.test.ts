import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

const HEAD = ['asn: 65000', 'router-id: 10.0.0.1'];

function load(lines: string[]) {
  return loadConfig(lines.join('\n') + '\n', 'c.yaml');
}

function errorsOf(lines: string[]): string[] {
  const r = load(lines);
  if (r.ok) throw new Error('expected the config to be refused');
  return r.errors.map(String);
}

describe('cross-reference errors carry file:line:col, key path and message', () => {
  it('an unknown route map, with a suggestion', () => {
    expect(
      errorsOf([
        ...HEAD,
        'neighbors:',
        '  - address: 127.0.0.2',
        '    asn: 1',
        '    route-map-in: IMPORT-SHARD',
        'policy:',
        '  route-maps:',
        '    IMPORT-SHARED:',
        '      - { seq: 10, action: permit }',
      ]),
    ).toEqual([
      'c.yaml:6:19: neighbors[0].route-map-in: route map "IMPORT-SHARD" is not defined; did you mean "IMPORT-SHARED"?',
    ]);
  });

  it('unknown prefix, community and ext-community lists in a route map', () => {
    expect(
      errorsOf([
        ...HEAD,
        'policy:',
        '  prefix-lists:',
        '    PL: [{ seq: 5, action: permit, prefix: 10.0.0.0/8 }]',
        '  route-maps:',
        '    RM:',
        '      - seq: 10',
        '        action: permit',
        '        match: { prefix-list: PLX, community-list: C, ext-community-list: E }',
      ]),
    ).toEqual([
      'c.yaml:10:31: policy.route-maps.RM[0].match.prefix-list: prefix list "PLX" is not defined; did you mean "PL"?',
      'c.yaml:10:52: policy.route-maps.RM[0].match.community-list: community list "C" is not defined',
      'c.yaml:10:75: policy.route-maps.RM[0].match.ext-community-list: ext community list "E" is not defined',
    ]);
  });

  it('an import map, and a neighbor bound to an unknown VRF', () => {
    expect(
      errorsOf([
        ...HEAD,
        'neighbors:',
        '  - { address: 127.0.0.2, asn: 1, vrf: CUST-A }',
        'vrfs:',
        '  CUST-B:',
        '    rd: 65000:2',
        '    import-map: NOPE',
      ]),
    ).toEqual([
      'c.yaml:4:40: neighbors[0].vrf: VRF "CUST-A" is not defined; did you mean "CUST-B"?',
      'c.yaml:8:17: vrfs.CUST-B.import-map: route map "NOPE" is not defined',
    ]);
  });

  it('an RD used by two VRFs', () => {
    expect(
      errorsOf([...HEAD, 'vrfs:', '  A:', '    rd: 65000:1', '  B:', '    rd: 65000:1']),
    ).toEqual(['c.yaml:7:9: vrfs.B.rd: RD 65000:1 is also used by VRF "A"']);
  });

  it('an import tag no VRF exports is an error; an export tag nobody imports a warning', () => {
    expect(
      errorsOf([...HEAD, 'vrfs:', '  A:', '    rd: 65000:1', '    import-tags: [65000:99]']),
    ).toEqual(['c.yaml:6:19: vrfs.A.import-tags[0]: no VRF exports tag 65000:99']);
    const r = load([...HEAD, 'vrfs:', '  A:', '    rd: 65000:1', '    export-tag: 65000:7']);
    expect(r.ok).toBe(true);
    expect(r.warnings.map(String)).toEqual([
      'c.yaml:6:17: warning: vrfs.A.export-tag: no VRF imports tag 65000:7',
    ]);
  });

  it('tags pair up across VRFs', () => {
    const r = load([
      ...HEAD,
      'vrfs:',
      '  A: { rd: 65000:1, export-tag: 65000:7 }',
      '  B: { rd: 65000:2, import-tags: [65000:7] }',
    ]);
    // B's import has no prefix list (test/config/leak-warnings.test.ts); nothing about the tags.
    expect(r.ok && r.warnings.map((w) => w.message).filter((m) => / tag /.test(m))).toEqual([]);
  });

  it('a default-table leak without a policy', () => {
    expect(
      errorsOf([
        ...HEAD,
        'vrfs:',
        '  A:',
        '    rd: 65000:1',
        '    leak-from-default: true',
        '    leak-to-default: {}',
      ]),
    ).toEqual([
      'c.yaml:6:24: vrfs.A.leak-from-default: a leak from the default table needs a policy (a route map)',
      'c.yaml:7:5: vrfs.A.leak-to-default.policy: a leak to the default table needs a policy (a route map)',
    ]);
  });

  it('duplicate neighbor addresses', () => {
    expect(
      errorsOf([
        ...HEAD,
        'neighbors:',
        '  - { address: 127.0.0.2, asn: 1 }',
        '  - { address: 127.0.0.2, asn: 2 }',
      ]),
    ).toEqual([
      'c.yaml:5:16: neighbors[1].address: neighbor 127.0.0.2 is already defined at neighbors[0]',
    ]);
  });

  it('a static inter-VRF route while deny-inter-vrf-static is true', () => {
    const vrfs = [
      'vrfs:',
      '  A:',
      '    rd: 65000:1',
      '    static-routes:',
      '      - { prefix: 10.9.0.0/16, next-hop: 10.9.0.1, next-hop-vrf: default }',
    ];
    expect(load([...HEAD, ...vrfs]).ok).toBe(true);
    expect(errorsOf([...HEAD, 'deny-inter-vrf-static: true', ...vrfs])).toEqual([
      'c.yaml:8:66: vrfs.A.static-routes[0].next-hop-vrf: static inter-VRF route 10.9.0.0/16 via "default" while deny-inter-vrf-static is true',
    ]);
  });

  it('a duplicate route-map seq, and continue to a clause that is not later', () => {
    expect(
      errorsOf([
        ...HEAD,
        'policy:',
        '  route-maps:',
        '    RM:',
        '      - { seq: 10, action: permit, continue: 5 }',
        '      - { seq: 10, action: deny }',
      ]),
    ).toEqual([
      'c.yaml:6:46: policy.route-maps.RM[0].continue: continue 5 names no later clause of route map "RM"',
      'c.yaml:7:16: policy.route-maps.RM[1].seq: seq 10 is used twice in route map "RM" (also entry 0)',
    ]);
  });

  it('prefix-list ge / le inconsistent with the prefix length', () => {
    expect(
      errorsOf([
        ...HEAD,
        'policy:',
        '  prefix-lists:',
        '    PL:',
        '      - { seq: 10, action: permit, prefix: 10.0.0.0/16, ge: 8 }',
        '      - { seq: 20, action: permit, prefix: 10.0.0.0/16, le: 33 }',
        '      - { seq: 30, action: permit, prefix: 10.0.0.0/16, ge: 28, le: 24 }',
      ]),
    ).toEqual(['c.yaml:8:61: policy.prefix-lists.PL[2].ge: ge 28 is greater than le 24']);
    // The ge > le check is the schema's; the length checks run once the schema passes.
    expect(
      errorsOf([
        ...HEAD,
        'policy:',
        '  prefix-lists:',
        '    PL:',
        '      - { seq: 10, action: permit, prefix: 10.0.0.0/16, ge: 8 }',
        '      - { seq: 20, action: permit, prefix: 10.0.0.0/16, le: 33 }',
      ]),
    ).toEqual([
      'c.yaml:6:61: policy.prefix-lists.PL[0].ge: ge 8 is less than the length of 10.0.0.0/16 (16)',
      'c.yaml:7:61: policy.prefix-lists.PL[1].le: le 33 is longer than 32, the longest 10.0.0.0/16 allows',
    ]);
  });

  it('a VRF called default', () => {
    expect(errorsOf([...HEAD, 'vrfs:', '  default:', '    rd: 65000:1'])).toEqual([
      'c.yaml:4:3: vrfs.default: "default" names the global table and cannot be a VRF',
    ]);
  });

  it('a CE neighbor with a VPN family', () => {
    expect(
      errorsOf([
        ...HEAD,
        'neighbors:',
        '  - { address: 127.0.0.2, asn: 1, vrf: A, families: [ipv4, vpnv4] }',
        'vrfs:',
        '  A: { rd: 65000:1 }',
      ]),
    ).toEqual([
      'c.yaml:4:53: neighbors[0].families: a neighbor bound to VRF "A" is a CE and cannot carry vpnv4',
    ]);
  });
});
