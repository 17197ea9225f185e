import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

// DESIGN.md "The config file (the stable core)", copied verbatim.
const DESIGN_EXAMPLE = `asn: 65000
router-id: 10.0.0.1
listen: { address: 127.0.0.10, port: 179 }   # omit: no passive listening
api: { address: 127.0.0.1, port: 8179 }      # the CLI's --api default
neighbors:
  - address: 127.0.0.11
    asn: 65001
    families: [vpnv4, vpnv6, ipv4, ipv6]     # default: [vpnv4]
    passive: true                            # optional: port, local-address, hold-time,
                                             # route-reflector-client, graceful-restart,
                                             # max-prefix, route-map-in/out, vrf
policy:
  prefix-lists:
    SHARED-SERVICES:
      - { seq: 10, action: permit, prefix: 10.100.0.0/16, le: 32 }
  route-maps:
    IMPORT-SHARED:
      - { seq: 10, action: permit, match: { prefix-list: SHARED-SERVICES }, set: { local-preference: 50 } }
vrfs:
  CUSTOMER-A:
    rd: 65000:10
    route-targets: { import: [65000:20], export: [65000:10] }
    import-map: IMPORT-SHARED                # optional; export-map likewise
    interfaces: [ { name: eth1, address: 10.1.0.1/24 } ]   # connected routes
    networks: [10.1.5.0/24]                  # locally originated
    static-routes:
      - { prefix: 10.100.0.0/24, next-hop: 10.100.0.1, next-hop-vrf: SHARED }
`;

const SHARED_VRF = `  SHARED:
    rd: 65000:20
    route-targets: { import: [65000:10], export: [65000:20] }
`;

/** The error strings for a config given as lines (line N of the file is lines[N-1]). */
function errorsOf(lines: string[]): string[] {
  const r = loadConfig(lines.join('\n') + '\n', 'c.yaml');
  if (r.ok) throw new Error('expected the config to be refused');
  return r.errors.map(String);
}

const HEAD = ['asn: 65000', 'router-id: 10.0.0.1'];

describe('valid configs', () => {
  it('loads the DESIGN.md example once the SHARED VRF it names exists', () => {
    const r = loadConfig(DESIGN_EXAMPLE + SHARED_VRF, 'design.yaml');
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const c = r.config;
    expect(c.asn).toBe(65000);
    expect(c.listen).toEqual({ address: '127.0.0.10', port: 179 });
    expect(c.neighbors[0]?.families).toEqual(['vpnv4', 'vpnv6', 'ipv4', 'ipv6']);
    expect(c.neighbors[0]?.passive).toBe(true);
    const a = c.vrfs['CUSTOMER-A'];
    expect(a?.rd).toBe('65000:10');
    expect(a?.['route-targets']).toEqual({
      import: ['65000:20'],
      export: ['65000:10'],
      'export-mode': 'add',
    });
    expect(a?.conflict).toBe('prefer-local');
    expect(a?.networks).toEqual([{ prefix: '10.1.5.0/24' }]);
    expect(a?.['static-routes']).toEqual([
      { prefix: '10.100.0.0/24', 'next-hop': '10.100.0.1', 'next-hop-vrf': 'SHARED' },
    ]);
    expect(c.policy['route-maps']['IMPORT-SHARED']?.[0]?.set).toEqual({ 'local-preference': 50 });
  });

  it('parses the DESIGN.md example verbatim; its only problem is the undefined VRF SHARED', () => {
    const r = loadConfig(DESIGN_EXAMPLE, 'design.yaml');
    expect(r.ok ? [] : r.errors.map(String)).toEqual([
      'design.yaml:27:70: vrfs.CUSTOMER-A.static-routes[0].next-hop-vrf: VRF "SHARED" is not defined',
    ]);
  });

  it('loads examples/shared-services.yaml', () => {
    const path = new URL('../../examples/shared-services.yaml', import.meta.url);
    const r = loadConfig(readFileSync(path, 'utf8'), 'shared-services.yaml');
    expect(r.ok ? r.warnings.map(String) : r.errors.map(String)).toEqual([]);
  });

  it('fills the defaults DESIGN.md gives', () => {
    const r = loadConfig(
      [
        ...HEAD,
        'neighbors:',
        '  - { address: 127.0.0.2, asn: 1 }',
        '  - { address: "::2", asn: 2, vrf: A }',
        '  - { address: 127.0.0.4, asn: 3, vrf: A }',
        'vrfs:',
        '  A: { rd: 65000:1 }',
        '',
      ].join('\n'),
      'c.yaml',
    );
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const [vpn, ce6, ce4] = r.config.neighbors;
    expect(vpn).toMatchObject({ families: ['vpnv4'], port: 179, 'hold-time': 90, passive: false });
    // A PE-CE neighbor carries its address's unicast family unless told otherwise.
    expect(ce6?.families).toEqual(['ipv6']);
    expect(ce4?.families).toEqual(['ipv4']);
    expect(r.config.vrfs.A).toMatchObject({
      label: 'auto',
      conflict: 'prefer-local',
      'route-targets': { import: [], export: [], 'export-mode': 'add' },
    });
    expect(r.config.api).toEqual({ address: '127.0.0.1', port: 8179 });
    expect(r.config.retain).toBe('all');
    expect(r.config['deny-inter-vrf-static']).toBe(false);
  });

  it('writes route targets canonically (4-octet AS with or without L is one RT)', () => {
    const r = loadConfig(
      [
        ...HEAD,
        'vrfs:',
        '  A:',
        '    rd: 4200000000L:1',
        '    route-targets: { import: [4200000000L:7, 65000L:10], export: [10.0.0.1:5] }',
        '',
      ].join('\n'),
      'c.yaml',
    );
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.vrfs.A?.rd).toBe('4200000000:1');
    // 65000L:10 stays distinct from 65000:10 (DESIGN.md RT match: the forms are different RTs).
    expect(r.config.vrfs.A?.['route-targets'].import).toEqual(['4200000000:7', '65000L:10']);
  });

  it('takes networks with attributes next to the plain form', () => {
    const r = loadConfig(
      [
        ...HEAD,
        'networks:',
        '  - 192.0.2.0/24',
        '  - { prefix: 198.51.100.0/24, communities: [65000:1, no-export], large-communities: [1:2:3], med: 5,',
        '      local-preference: 200, route-targets: [65000:9] }',
        '',
      ].join('\n'),
      'c.yaml',
    );
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.config.networks).toEqual([
      { prefix: '192.0.2.0/24' },
      {
        prefix: '198.51.100.0/24',
        communities: ['65000:1', 'no-export'],
        'large-communities': ['1:2:3'],
        med: 5,
        'local-preference': 200,
        'route-targets': ['65000:9'],
      },
    ]);
  });
});

describe('schema errors carry file:line:col, key path and message', () => {
  it('a bad route distinguisher', () => {
    const r = loadConfig(
      [...HEAD, 'vrfs:', '  CUSTOMER-A:', '    rd: 65000-10', ''].join('\n'),
      'c.yaml',
    );
    if (r.ok) throw new Error('expected errors');
    expect(r.errors).toHaveLength(1);
    const e = r.errors[0]!;
    expect([e.file, e.line, e.column, e.keyPath]).toEqual(['c.yaml', 5, 9, 'vrfs.CUSTOMER-A.rd']);
    expect(e.message).toBe(
      '"65000-10" is not a route distinguisher; use ASN:NN, A.B.C.D:NN or ASN4:NN',
    );
    expect(String(e)).toBe(
      'c.yaml:5:9: vrfs.CUSTOMER-A.rd: "65000-10" is not a route distinguisher; use ASN:NN, A.B.C.D:NN or ASN4:NN',
    );
  });

  it('a route distinguisher with an out-of-range part', () => {
    expect(errorsOf([...HEAD, 'vrfs:', '  A:', '    rd: 70000:70000'])).toEqual([
      'c.yaml:5:9: vrfs.A.rd: "70000:70000" is not a route distinguisher: the assigned number in "70000:70000" is out of range (0..65535)',
    ]);
  });

  it('a missing key points at the closest existing ancestor', () => {
    expect(errorsOf([...HEAD, 'vrfs:', '  A:', '    label: 100'])).toEqual([
      'c.yaml:4:3: vrfs.A.rd: missing required key "rd"',
    ]);
  });

  it('a key with no value', () => {
    expect(errorsOf([...HEAD, 'vrfs:', '  A:', '    rd:'])).toEqual([
      'c.yaml:5:5: vrfs.A.rd: has no value; expected a string',
    ]);
  });

  it('an empty file lacks asn and router-id', () => {
    expect(errorsOf([''])).toEqual([
      'c.yaml:1:1: asn: missing required key "asn"',
      'c.yaml:1:1: router-id: missing required key "router-id"',
    ]);
  });

  it('unknown keys, with a suggestion when one is close', () => {
    expect(
      errorsOf([
        ...HEAD,
        'neighbors:',
        '  - address: 127.0.0.2',
        '    asn: 65001',
        '    hold-tme: 30',
        '    colour: red',
      ]),
    ).toEqual([
      'c.yaml:6:5: neighbors[0].hold-tme: unknown key "hold-tme"; did you mean "hold-time"?',
      'c.yaml:7:5: neighbors[0].colour: unknown key "colour"',
    ]);
    expect(errorsOf([...HEAD, 'vrf: {}'])).toEqual([
      'c.yaml:3:1: vrf: unknown key "vrf"; did you mean "vrfs"?',
    ]);
  });

  it('an unknown key inside the long form of a network', () => {
    expect(errorsOf([...HEAD, 'networks: [{prefix: 10.0.0.0/8, medd: 1}]'])).toEqual([
      'c.yaml:3:33: networks[0].medd: unknown key "medd"; did you mean "med"?',
    ]);
  });

  it('a value of the wrong type', () => {
    expect(errorsOf(['asn: "x"', 'router-id: 10.0.0.1', 'neighbors: {a: 1}'])).toEqual([
      'c.yaml:1:6: asn: expected a number, got "x"',
      'c.yaml:3:12: neighbors: expected a list, got a map',
    ]);
  });

  it('a value outside its enum', () => {
    expect(
      errorsOf([...HEAD, 'neighbors:', '  - { address: 127.0.0.2, asn: 1, families: [vpnv5] }']),
    ).toEqual([
      'c.yaml:4:46: neighbors[0].families[0]: "vpnv5" is not one of: ipv4, ipv6, ipv4-labeled, ipv6-labeled, vpnv4, vpnv6, rtc; did you mean "vpnv4"?',
    ]);
  });

  it('a set clause that replaces and adds (the policy compiler would refuse it at start)', () => {
    expect(
      errorsOf([
        ...HEAD,
        'policy:',
        '  route-maps:',
        '    M:',
        '      - seq: 10',
        '        action: permit',
        '        set: { community: { add: [65000:1], replace: [65000:2] } }',
      ]),
    ).toEqual([
      'c.yaml:8:45: policy.route-maps.M[0].set.community.replace: replace cannot be combined with add or remove',
    ]);
  });

  it('keys not built yet name the issue they wait for', () => {
    expect(
      errorsOf([
        ...HEAD,
        'neighbors:',
        '  - { address: 127.0.0.2, asn: 1, families: [vpnv4, rtc] }',
        'static-routes: [{ prefix: 10.5.0.0/24, next-hop: 192.0.2.1 }]',
      ]),
    ).toEqual([
      "c.yaml:5:1: static-routes: static routes in the default table are not built yet (no issue builds them): put the route in a VRF's static-routes, whose next-hop-vrf may be default",
    ]);
  });

  it('a number out of range', () => {
    expect(errorsOf([...HEAD, 'listen: { address: 127.0.0.1, port: 70000 }'])).toEqual([
      'c.yaml:3:37: listen.port: 70000 is out of range (0..65535)',
    ]);
  });

  it('a label that is neither a number nor auto, and one in the reserved range', () => {
    expect(errorsOf([...HEAD, 'vrfs:', '  A:', '    rd: 65000:1', '    label: foo'])).toEqual([
      'c.yaml:6:12: vrfs.A.label: expected a number or "auto", got "foo"',
    ]);
    expect(errorsOf([...HEAD, 'vrfs:', '  A:', '    rd: 65000:1', '    label: 5'])).toEqual([
      'c.yaml:6:12: vrfs.A.label: 5 is out of range (16..1048575)',
    ]);
  });

  it('prefixes with host bits set (IPv4 and IPv6)', () => {
    expect(errorsOf([...HEAD, 'networks: [10.1.5.1/24]'])).toEqual([
      'c.yaml:3:12: networks[0]: "10.1.5.1/24" has host bits set; did you mean 10.1.5.0/24?',
    ]);
    expect(errorsOf([...HEAD, 'networks: ["2001:db8::1/32"]'])).toEqual([
      'c.yaml:3:12: networks[0]: "2001:db8::1/32" has host bits set; did you mean 2001:db8::/32?',
    ]);
  });

  it('a bad community', () => {
    expect(errorsOf([...HEAD, 'networks: [{prefix: 10.0.0.0/8, communities: [65536:1]}]'])).toEqual(
      [
        'c.yaml:3:47: networks[0].communities[0]: "65536:1" is not a community; use AS:NN (each 0..65535) or a well-known name such as no-export',
      ],
    );
  });

  it('hold time and keepalive rules (RFC 4271 §4.2)', () => {
    expect(
      errorsOf([...HEAD, 'neighbors:', '  - address: 127.0.0.2', '    asn: 1', '    hold-time: 2']),
    ).toEqual(['c.yaml:6:16: neighbors[0].hold-time: hold-time must be 0 or at least 3 seconds']);
    expect(
      errorsOf([
        ...HEAD,
        'neighbors:',
        '  - address: 127.0.0.2',
        '    asn: 1',
        '    hold-time: 9',
        '    keepalive: 30',
      ]),
    ).toEqual(['c.yaml:7:16: neighbors[0].keepalive: keepalive 30 must be less than hold-time 9']);
  });

  it('a static route whose next hop is of the other family', () => {
    expect(
      errorsOf([...HEAD, 'static-routes:', '  - prefix: 10.0.0.0/8', '    next-hop: "::1"']),
    ).toEqual([
      'c.yaml:5:15: static-routes[0].next-hop: next hop ::1 is not the same address family as 10.0.0.0/8',
    ]);
  });

  it('a VRF name that is not a plain word', () => {
    expect(errorsOf([...HEAD, 'vrfs:', '  "A.B":', '    rd: 1:1'])).toEqual([
      'c.yaml:4:3: vrfs["A.B"]: "A.B" is not a valid name; use letters, digits, "-" and "_"',
    ]);
  });

  it('YAML syntax errors and duplicate keys come with a position', () => {
    expect(errorsOf(['asn: 1', 'router-id: 10.0.0.1', 'asn: 2'])).toEqual([
      'c.yaml:3:1: YAML: Map keys must be unique',
    ]);
    expect(errorsOf(['asn: 1', 'router-id: "abc'])).toEqual([
      'c.yaml:3:1: YAML: Missing closing "quote',
    ]);
  });
});
