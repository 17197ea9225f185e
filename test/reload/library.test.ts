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
