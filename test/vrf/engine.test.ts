import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import { explain, explainText } from '../../src/vrf/explain.js';
import { leakGraph, leakGraphDot } from '../../src/vrf/graph.js';
import { prefixFromText } from '../../src/wire/nlri/text.js';
import { nlriKey, prefixKey } from '../../src/rib/keys.js';
import { rdFromText } from '../../src/wire/rd.js';

const key = (p: string): string => prefixKey(prefixFromText(p));
const vpnKey = (rd: string, p: string): string =>
  nlriKey({ kind: 'vpn', labels: [], rd: rdFromText(rd), prefix: prefixFromText(p) });
import { PEER, vrfDef, World } from './helpers.js';

const SHARED_SERVICES = {
  SHARED: {
    rd: '65000:1',
    export: ['65000:1'],
    import: ['65000:10', '65000:20'],
    networks: ['10.100.0.0/16'],
  },
  'CUSTOMER-A': {
    rd: '65000:10',
    export: ['65000:10'],
    import: ['65000:1'],
    networks: ['10.1.0.0/24'],
  },
  'CUSTOMER-B': {
    rd: '65000:20',
    export: ['65000:20'],
    import: ['65000:1'],
    networks: ['10.2.0.0/24'],
  },
};

function why(w: World, vrf: string, prefix: string): string[] {
  const e = explain(w.rib, w.engine, vrf, prefixFromText(prefix), prefix);
  return e ? explainText(e) : [];
}

describe('route-target leaking on one box', () => {
  it('shared services: customers get SHARED, never each other; SHARED gets both', () => {
    const w = new World(SHARED_SERVICES);
    expect(w.prefixes('CUSTOMER-A')).toEqual(['10.1.0.0/24', '10.100.0.0/16']);
    expect(w.prefixes('CUSTOMER-B')).toEqual(['10.100.0.0/16', '10.2.0.0/24']);
    expect(w.prefixes('SHARED')).toEqual(['10.1.0.0/24', '10.100.0.0/16', '10.2.0.0/24']);
    // The VPN table holds each VRF's own routes under its RD, once: imported routes are not re-exported.
    expect(w.vpnKeys()).toHaveLength(3);
    expect(w.invariants()).toEqual([]);
    const leaked = w.rib.table('ipv4', 'CUSTOMER-A').get(key('10.100.0.0/16'))?.best;
    expect(leaked?.origin).toMatchObject({ kind: 'leaked', fromVrf: 'SHARED' });
    expect(why(w, 'CUSTOMER-A', '10.2.0.0/24').join('\n')).toMatch(
      /vpn 65000:20: refused: no route-target intersection \(route 0002fde800000014; VRF imports 0002fde800000001\)/,
    );
  });

  it('the four-VRF case: SHARED reaches RED and BLUE, GREEN never sees SHARED', () => {
    const w = new World({
      SHARED: {
        rd: '65000:1',
        export: ['65000:1'],
        import: ['65000:2', '65000:3'],
        networks: ['10.100.0.0/24'],
      },
      RED: { rd: '65000:2', export: ['65000:2'], import: ['65000:1'], networks: ['10.2.0.0/24'] },
      BLUE: { rd: '65000:3', export: ['65000:3'], import: ['65000:1'], networks: ['10.3.0.0/24'] },
      GREEN: { rd: '65000:4', export: ['65000:4'], import: [], networks: ['10.4.0.0/24'] },
    });
    expect(w.prefixes('RED')).toContain('10.100.0.0/24');
    expect(w.prefixes('BLUE')).toContain('10.100.0.0/24');
    expect(w.prefixes('GREEN')).toEqual(['10.4.0.0/24']);
    expect(w.prefixes('SHARED')).toEqual(['10.100.0.0/24', '10.2.0.0/24', '10.3.0.0/24']);
    expect(w.invariants()).toEqual([]);
  });

  it('a route is never imported back into its source VRF, and a three-VRF chain does not loop', () => {
    const w = new World({
      A: {
        rd: '65000:1',
        export: ['65000:1'],
        import: ['65000:3'],
        networks: ['10.1.0.0/24'],
        allowReexport: true,
      },
      B: {
        rd: '65000:2',
        export: ['65000:2'],
        import: ['65000:1'],
        networks: ['10.2.0.0/24'],
        allowReexport: true,
      },
      C: {
        rd: '65000:3',
        export: ['65000:3'],
        import: ['65000:2'],
        networks: ['10.3.0.0/24'],
        allowReexport: true,
      },
    });
    // A -> B -> C -> A, each re-exporting: every VRF ends with all three, and A's own route
    // never comes back into A as a leaked copy.
    expect(w.prefixes('A')).toEqual(['10.1.0.0/24', '10.2.0.0/24', '10.3.0.0/24']);
    const a = w.rib.table('ipv4', 'A').get(key('10.1.0.0/24'));
    expect(a?.paths).toHaveLength(1);
    expect(why(w, 'A', '10.1.0.0/24').join('\n')).toMatch(/never imported back into its source/);
    expect(w.invariants()).toEqual([]);
  });

  it('without allow-reexport an imported route stops at the importing VRF (explain says why)', () => {
    const w = new World({
      A: { rd: '65000:1', export: ['65000:1'], networks: ['10.1.0.0/24'] },
      B: { rd: '65000:2', export: ['65000:2'], import: ['65000:1'] },
      C: { rd: '65000:3', import: ['65000:2'] },
    });
    expect(w.prefixes('B')).toEqual(['10.1.0.0/24']);
    expect(w.prefixes('C')).toEqual([]);
    expect(why(w, 'C', '10.1.0.0/24').join('\n')).toMatch(
      /VRF B has it only as imported and does not re-export/,
    );
  });

  it('import map: a deny clause refuses, a permit clause sets local-preference (backup leak)', () => {
    const w = new World(
      {
        SHARED: {
          rd: '65000:1',
          export: ['65000:1'],
          networks: ['10.100.0.53/32', '10.100.1.0/24'],
        },
        A: { rd: '65000:10', import: ['65000:1'], importMap: 'DNS-ONLY' },
      },
      {
        prefixLists: { DNS: [{ seq: 10, action: 'permit', prefix: '10.100.0.53/32' }] },
        routeMaps: {
          'DNS-ONLY': [
            {
              seq: 10,
              action: 'permit',
              match: { prefixList: 'DNS' },
              set: { localPreference: 50 },
            },
            { seq: 20, action: 'deny' },
          ],
        },
      },
    );
    expect(w.prefixes('A')).toEqual(['10.100.0.53/32']);
    expect(w.rib.table('ipv4', 'A').get(key('10.100.0.53/32'))?.best?.attrs.localPref).toBe(50);
    expect(why(w, 'A', '10.100.1.0/24').join('\n')).toMatch(
      /refused by import map DNS-ONLY clause 20/,
    );
    expect(w.invariants()).toEqual([]);
  });

  it('conflict: the VRF own route wins over a leaked one, is reported once, and explain names it', () => {
    const w = new World({
      SHARED: { rd: '65000:1', export: ['65000:1'], networks: ['10.5.0.0/24'] },
      A: { rd: '65000:10', import: ['65000:1'], networks: ['10.5.0.0/24'] },
    });
    const d = w.rib.table('ipv4', 'A').get(key('10.5.0.0/24'));
    expect(d?.paths).toHaveLength(2);
    expect(d?.best?.origin).toMatchObject({ kind: 'local', vrf: 'A' });
    expect(w.conflicts).toHaveLength(1);
    expect(w.engine.conflicts.size).toBe(1);
    w.settle();
    expect(w.conflicts).toHaveLength(1);
    expect(why(w, 'A', '10.5.0.0/24').join('\n')).toMatch(/lost a conflict to the VRF's own route/);
  });

  it('AS-path loop check on leak refuses a route carrying our AS', () => {
    const w = new World({ A: { rd: '65000:10', import: ['65001:1'] } });
    w.remote('65001:1', '10.9.0.0/24', ['65001:1'], {
      asPath: [{ type: 2, asns: [65001, 65000] }],
    });
    expect(w.prefixes('A')).toEqual([]);
    expect(why(w, 'A', '10.9.0.0/24').join('\n')).toMatch(
      /AS 65000 appears 1 times \(allowas-in 0\)/,
    );
  });

  it('the same prefix under two RDs is one destination in the VRF (per-VRF best path)', () => {
    const w = new World({ A: { rd: '65000:10', import: ['65001:1'] } });
    w.remote('65001:1', '10.9.0.0/24', ['65001:1'], { med: 20 });
    w.remote('65001:2', '10.9.0.0/24', ['65001:1'], { med: 10 });
    const d = w.rib.table('ipv4', 'A').get(key('10.9.0.0/24'));
    expect(d?.paths).toHaveLength(2);
    expect(d?.best?.attrs.med).toBe(10);
    expect(d?.reason).toBe('med');
    expect(w.invariants()).toEqual([]);
    w.remoteWithdraw('65001:2', '10.9.0.0/24');
    expect(w.rib.table('ipv4', 'A').get(key('10.9.0.0/24'))?.best?.attrs.med).toBe(20);
    w.remoteWithdraw('65001:1', '10.9.0.0/24');
    expect(w.prefixes('A')).toEqual([]);
    expect(w.invariants()).toEqual([]);
  });

  it('an RT matches byte for byte: the 4-octet form of 65000:10 is not the 2-octet one', () => {
    const w = new World({ A: { rd: '65000:10', import: ['65000:10'] } });
    w.remote('65001:1', '10.9.0.0/24', ['65000L:10']);
    expect(w.prefixes('A')).toEqual([]);
    w.remote('65001:1', '10.9.0.0/24', ['65000:10']);
    expect(w.prefixes('A')).toEqual(['10.9.0.0/24']);
  });

  it('static inter-VRF route: present while its next hop resolves in the next-hop VRF', () => {
    const w = new World({
      SHARED: { rd: '65000:1', connected: ['10.100.0.0/24'] },
      A: {
        rd: '65000:10',
        statics: [
          { prefix: '10.100.0.0/24', nextHop: '10.100.0.1', nextHopVrf: 'SHARED' },
          { prefix: '10.200.0.0/24', nextHop: '10.200.0.1', nextHopVrf: 'SHARED' },
        ],
      },
    });
    expect(w.prefixes('A')).toEqual(['10.100.0.0/24']);
    const r = w.rib.table('ipv4', 'A').get(key('10.100.0.0/24'))?.best;
    expect(r?.origin).toMatchObject({ kind: 'local', source: 'static', nextHopVrf: 'SHARED' });
    expect(why(w, 'A', '10.200.0.0/24').join('\n')).toMatch(
      /next hop 10.200.0.1 does not resolve in SHARED/,
    );
  });

  it('default table <-> VRF through a policy only', () => {
    const w = new World(
      {
        A: {
          rd: '65000:10',
          networks: ['10.1.0.0/24', '10.99.0.0/24'],
          leakFromDefault: 'DEFAULT-ONLY',
          leakToDefault: 'A-OUT',
        },
      },
      {
        prefixLists: {
          DEF: [{ seq: 10, action: 'permit', prefix: '0.0.0.0/0' }],
          A: [{ seq: 10, action: 'permit', prefix: '10.1.0.0/24' }],
        },
        routeMaps: {
          'DEFAULT-ONLY': [{ seq: 10, action: 'permit', match: { prefixList: 'DEF' } }],
          'A-OUT': [{ seq: 10, action: 'permit', match: { prefixList: 'A' } }],
        },
      },
    );
    w.rib.announce(
      'ipv4',
      PEER.id,
      { kind: 'peer', peer: PEER },
      { ...EMPTY_ATTR_VALUES, nextHop: { afi: 1, addr: 1 } },
      [
        { kind: 'prefix', prefix: prefixFromText('0.0.0.0/0') },
        { kind: 'prefix', prefix: prefixFromText('198.51.100.0/24') },
      ],
    );
    w.settle();
    expect(w.prefixes('A')).toEqual(['0.0.0.0/0', '10.1.0.0/24', '10.99.0.0/24']);
    const global = [...w.rib.table('ipv4').dests.keys()];
    expect(global).toContain(key('10.1.0.0/24')); // leaked to the default table
    expect(global).not.toContain(key('10.99.0.0/24')); // refused by A-OUT
    expect(w.invariants()).toEqual([]);
  });
});

describe('live changes leave nothing stale', () => {
  it('removing an import RT, removing a VRF, changing an RD', () => {
    const w = new World(SHARED_SERVICES);
    const base = w.engine.config;
    const without = (name: string) => {
      const cur = w.engine.config;
      return { ...cur, vrfs: cur.vrfs.filter((v) => v.name !== name) };
    };
    // Remove CUSTOMER-A's import RT.
    w.reconfigure({
      ...base,
      vrfs: base.vrfs.map((v) => (v.name === 'CUSTOMER-A' ? { ...v, importRts: [] } : v)),
    });
    w.settle();
    expect(w.prefixes('CUSTOMER-A')).toEqual(['10.1.0.0/24']);
    expect(w.prefixes('SHARED')).toContain('10.1.0.0/24');
    expect(w.invariants()).toEqual([]);
    // Remove CUSTOMER-B entirely: its VPN route and everything leaked from it go.
    w.reconfigure(without('CUSTOMER-B'));
    w.settle();
    expect(w.prefixes('SHARED')).not.toContain('10.2.0.0/24');
    expect(w.vpnKeys()).not.toContain(vpnKey('65000:20', '10.2.0.0/24'));
    expect(w.vpnKeys()).toContain(vpnKey('65000:1', '10.100.0.0/16'));
    expect(w.rib.hasView('CUSTOMER-B')).toBe(false);
    expect(w.invariants()).toEqual([]);
    // Change SHARED's RD: the VPN route moves to the new RD, imports follow.
    const cfg = w.engine.config;
    w.reconfigure({
      ...cfg,
      vrfs: cfg.vrfs.map((v) =>
        v.name === 'SHARED' ? vrfDef('SHARED', { ...SHARED_SERVICES.SHARED, rd: '65000:99' }) : v,
      ),
    });
    w.settle();
    expect(w.vpnKeys()).not.toContain(vpnKey('65000:1', '10.100.0.0/16'));
    expect(w.vpnKeys()).toContain(vpnKey('65000:99', '10.100.0.0/16'));
    expect(w.prefixes('CUSTOMER-A')).toEqual(['10.1.0.0/24']);
    expect(w.invariants()).toEqual([]);
  });
  it('a VRF added for a route target nobody imported gets the later routes of a set seen before', () => {
    // The import side lets a run of VPN changes under a set no VRF imports pass without a look
    // (vpn-import.ts quietSet): a VRF that starts importing one of its RTs must see the next ones.
    const w = new World({
      BLUE: { rd: '65000:5', export: ['65000:5'], networks: ['10.5.0.0/24'] },
    });
    w.remote('65007:2', '10.9.1.0/24', ['65007:2']);
    const cfg = w.engine.config;
    w.reconfigure({
      ...cfg,
      vrfs: [...cfg.vrfs, vrfDef('GREEN', { rd: '65000:6', import: ['65007:2'] })],
    });
    w.settle();
    expect(w.prefixes('GREEN')).toEqual(['10.9.1.0/24']);
    w.remote('65007:2', '10.9.2.0/24', ['65007:2']);
    expect(w.prefixes('GREEN')).toEqual(['10.9.1.0/24', '10.9.2.0/24']);
    w.remoteWithdraw('65007:2', '10.9.1.0/24');
    expect(w.prefixes('GREEN')).toEqual(['10.9.2.0/24']);
    expect(w.invariants()).toEqual([]);
  });
});

describe('leak graph', () => {
  it('edges, cycles, RTs exported but never imported and the reverse; DOT', () => {
    const g = leakGraph([
      vrfDef('A', { rd: '1:1', export: ['1:1', '9:9'], import: ['1:2'] }),
      vrfDef('B', { rd: '1:2', export: ['1:2'], import: ['1:1', '7:7'] }),
    ]);
    expect(g.edges).toEqual([
      { from: 'A', to: 'B', via: 'rt', label: '1:1' },
      { from: 'B', to: 'A', via: 'rt', label: '1:2' },
    ]);
    expect(g.cycles).toEqual([['A', 'B']]);
    expect(g.exportedNotImported).toEqual(['9:9']);
    expect(g.importedNotExported).toEqual(['7:7']);
    expect(leakGraphDot(g)).toMatch(/"A" -> "rt 1:1" \[label="export"\];/);
  });
});
