// Speaker.reconfigure takes the reload path (src/api/apply.ts): default-table networks, which its
// own copy skipped, and list edits reaching the VRFs through their route maps.

import { describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';

const config = (networks: string[], le: number) => ({
  asn: 65000,
  'router-id': '10.0.0.1',
  networks,
  policy: {
    'prefix-lists': {
      SHARED: [{ seq: 10, action: 'permit' as const, prefix: '10.100.0.0/16', le }],
    },
    'route-maps': {
      IMPORT: [{ seq: 10, action: 'permit' as const, match: { 'prefix-list': 'SHARED' } }],
    },
  },
  vrfs: {
    SHARED: {
      rd: '65000:100',
      'route-targets': { import: [], export: ['65000:100'] },
      networks: ['10.100.0.0/16', '10.100.5.0/24'],
    },
    A: {
      rd: '65000:1',
      'route-targets': { import: ['65000:100'], export: ['65000:1'] },
      'import-map': 'IMPORT',
    },
  },
});

describe('Speaker.reconfigure', () => {
  it('applies default-table networks and a prefix-list edit behind an import map', async () => {
    const s = await Speaker.start(config(['192.0.2.0/24'], 32));
    try {
      const v4 = () => s.routes('ipv4').map((r) => r.prefix);
      const inA = () => s.vrfRoutes('A').map((r) => r.prefix);
      expect(v4()).toEqual(['192.0.2.0/24']);
      expect(inA()).toEqual(['10.100.0.0/16', '10.100.5.0/24']);
      const touched = s.reconfigure(config(['198.51.100.0/24'], 16));
      expect(v4()).toEqual(['198.51.100.0/24']);
      expect(inA()).toEqual(['10.100.0.0/16']);
      expect(touched).toEqual(['A']);
    } finally {
      await s.stop();
    }
  });
});

describe('Speaker.reconfigure with changes not yet committed', () => {
  // A VPN destination born in the uncommitted batch and changed again in it (here: originated with
  // the RT, then replaced by a path without it), then an RT change in the same turn. A fresh start
  // on the final config imports nothing: the VRF must end empty.
  const config = (imports: string[]) => ({
    asn: 65000,
    'router-id': '10.0.0.1',
    vrfs: { BLUE: { rd: '65000:1', 'route-targets': { import: imports, export: ['65000:1'] } } },
  });
  const body = (routeTargets: string[]) => ({
    rd: '65001:7',
    prefix: '10.7.0.0/24',
    nextHop: '192.0.2.7',
    label: 100,
    routeTargets,
  });

  it('a destination born and changed in the batch leaves no stale import', async () => {
    const s = await Speaker.start(config([]));
    try {
      s.announce('vpnv4', body(['65001:1']));
      s.announce('vpnv4', body([]));
      s.reconfigure(config(['65001:1']));
      await s.waitFor((x) => x.routes('vpnv4').length === 1 && x.routes('vpnv4')[0]!.best);
      await new Promise((r) => setImmediate(r));
      expect(s.routes('vpnv4').map((r) => r.routeTargets)).toEqual([[]]);
      expect(s.vrfRoutes('BLUE')).toEqual([]);
      expect(s.leakInvariants()).toEqual([]);
    } finally {
      await s.stop();
    }
  });
});
