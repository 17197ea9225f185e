import { describe, expect, it } from 'vitest';
import { listsOf, policyImpact } from '../../src/config/deps.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';

function cfg(text: string): Config {
  const r = loadConfig(text, 'c.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}

// One list of each kind, a route map on each, and every kind of consumer.
const BASE = `asn: 65000
router-id: 10.0.0.1
neighbors:
  - { address: 127.0.0.2, asn: 65001, route-map-in: RM-COMM, route-map-out: RM-PL }
  - { address: 127.0.0.3, asn: 65002, route-map-out: RM-LARGE }
policy:
  prefix-lists:
    SHARED-SERVICES: [{ seq: 10, action: permit, prefix: 10.100.0.0/16, le: 32 }]
    UNUSED: [{ seq: 10, action: permit, prefix: 10.0.0.0/8 }]
  community-lists:
    CL: [{ seq: 10, action: permit, communities: ['65000:1'] }]
  large-community-lists:
    LL: [{ seq: 10, action: permit, large-communities: ['65000:1:1'] }]
  ext-community-lists:
    EL: [{ seq: 10, action: permit, ext-communities: ['rt:65000:1'] }]
  route-maps:
    RM-PL: [{ seq: 10, action: permit, match: { prefix-list: SHARED-SERVICES } }]
    RM-COMM: [{ seq: 10, action: permit, match: { community-list: CL } }]
    RM-LARGE: [{ seq: 10, action: deny, match: { large-community-list: LL } }, { seq: 20, action: permit }]
    RM-EXT: [{ seq: 10, action: permit, match: { ext-community-list: EL } }]
vrfs:
  A:
    rd: 65000:1
    route-targets: { import: [65000:2], export: [65000:1] }
    import-map: RM-PL
    export-map: RM-EXT
    leak-from-default: { policy: RM-COMM }
    leak-to-default: { policy: RM-LARGE }
`;

const edited = (from: string, to: string) => cfg(BASE.replace(from, to));

describe('policyImpact: list -> route map -> consumers', () => {
  it('nothing changed, nothing reached', () => {
    const i = policyImpact(cfg(BASE), cfg(BASE));
    expect([...i.routeMaps]).toEqual([]);
    expect(i.consumers).toEqual([]);
  });

  it('ISSUE-12: a prefix list narrowed reaches the import map using it and the neighbor sending through it', () => {
    const i = policyImpact(cfg(BASE), edited('le: 32', 'le: 16'));
    expect([...i.lists]).toEqual(['prefix-lists/SHARED-SERVICES']);
    expect([...i.routeMaps]).toEqual(['RM-PL']);
    expect(i.why.get('RM-PL')).toEqual(['prefix-lists/SHARED-SERVICES']);
    expect(i.consumers).toEqual([
      { kind: 'vrf', vrf: 'A', role: 'import-map' },
      { kind: 'neighbor', address: '127.0.0.2', role: 'out' },
    ]);
  });

  it('each kind of list reaches its consumers', () => {
    const comm = policyImpact(cfg(BASE), edited("['65000:1']", "['65000:2']"));
    expect(comm.consumers).toEqual([
      { kind: 'vrf', vrf: 'A', role: 'leak-from-default' },
      { kind: 'neighbor', address: '127.0.0.2', role: 'in' },
    ]);
    const large = policyImpact(cfg(BASE), edited("['65000:1:1']", "['65000:1:2']"));
    expect(large.consumers).toEqual([
      { kind: 'vrf', vrf: 'A', role: 'leak-to-default' },
      { kind: 'neighbor', address: '127.0.0.3', role: 'out' },
    ]);
    const ext = policyImpact(cfg(BASE), edited("['rt:65000:1']", "['rt:65000:9']"));
    expect(ext.consumers).toEqual([{ kind: 'vrf', vrf: 'A', role: 'export-map' }]);
  });

  it('a list nobody matches on reaches nothing; an edited route map reaches its consumers', () => {
    expect(
      policyImpact(cfg(BASE), edited('prefix: 10.0.0.0/8', 'prefix: 11.0.0.0/8')).consumers,
    ).toEqual([]);
    const i = policyImpact(
      cfg(BASE),
      edited('RM-EXT: [{ seq: 10, action: permit', 'RM-EXT: [{ seq: 10, action: deny'),
    );
    expect(i.why.get('RM-EXT')).toEqual(['edited']);
    expect(i.consumers).toEqual([{ kind: 'vrf', vrf: 'A', role: 'export-map' }]);
  });

  it('a route map that matched on a list in the old config counts too', () => {
    // RM-EXT moves from EL to CL while EL changes: its decisions may differ through either.
    const next = cfg(
      BASE.replace('match: { ext-community-list: EL }', 'match: { community-list: CL }').replace(
        "['rt:65000:1']",
        "['rt:65000:9']",
      ),
    );
    expect(policyImpact(cfg(BASE), next).why.get('RM-EXT')).toEqual([
      'edited',
      'ext-community-lists/EL',
    ]);
  });

  it('listsOf names every list of every clause', () => {
    const c = cfg(BASE);
    expect(listsOf(c.policy['route-maps']['RM-LARGE']!)).toEqual(['large-community-lists/LL']);
  });
});
