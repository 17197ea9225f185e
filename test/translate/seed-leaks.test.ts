// The translated seed scenarios show the leaks their documents describe: each fixture is translated,
// loaded into a daemon in-process (Speaker), routes are injected (a VRF's own networks or
// interfaces added to the translated config, routes originated into the default table), and the
// VRF tables are compared with what the document says.

import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { translate } from '../../src/translate/translate.js';

const dir = new URL('./fixtures/', import.meta.url);

/** The translated config with routes injected per VRF (`networks` appended, `interfaces` added). */
function translated(
  file: string,
  dialect: string,
  inject: Record<
    string,
    { networks?: string[]; interfaces?: { name: string; address: string }[] }
  > = {},
): ConfigInput {
  const c = structuredClone(
    translate(readFileSync(new URL(file, dir), 'utf8'), file, dialect).config,
  ) as ConfigInput;
  for (const [vrf, add] of Object.entries(inject)) {
    const v = c.vrfs![vrf]!;
    v.networks = [...(v.networks ?? []), ...(add.networks ?? [])];
    v.interfaces = [...(v.interfaces ?? []), ...(add.interfaces ?? [])];
  }
  // In-process only: no listening, an API port nobody opens.
  delete c.listen;
  return c;
}

let sp: Speaker | undefined;
afterEach(async () => {
  await sp?.stop();
  sp = undefined;
});

const prefixes = (s: Speaker, vrf: string) =>
  s
    .vrfRoutes(vrf)
    .filter((r) => r.best)
    .map((r) => r.prefix)
    .sort();
const route = (s: Speaker, vrf: string, p: string) =>
  s.vrfRoutes(vrf).find((r) => r.best && r.prefix === p);

/** Waits until every VRF holds exactly the prefixes given, then checks the leak invariants. */
async function tablesAre(s: Speaker, want: Record<string, string[]>): Promise<void> {
  const got = () => Object.fromEntries(Object.keys(want).map((v) => [v, prefixes(s, v)]));
  await s
    .waitFor(() => JSON.stringify(got()) === JSON.stringify(want) || undefined, {
      timeoutMs: 5000,
      what: 'the leaked tables',
    })
    .catch(() => undefined);
  expect(got()).toEqual(want);
  expect(s.leakInvariants()).toEqual([]);
}

describe('seed 002 (Cisco IOS), translated', () => {
  it("RT import between VRFs: BLUE and RED each hold the other's routes (lines 38-48)", async () => {
    sp = await Speaker.start(
      translated('ios-002-rt.ios', 'ios', {
        BLUE: { networks: ['10.11.0.0/24'] },
        RED: { networks: ['10.22.0.0/24'] },
      }),
    );
    await tablesAre(sp, {
      BLUE: ['10.11.0.0/24', '10.22.0.0/24'],
      RED: ['10.11.0.0/24', '10.22.0.0/24'],
    });
    expect(route(sp, 'RED', '10.11.0.0/24')?.routeTargets).toEqual(['100:1']);
  });

  it('global <-> VRF static leaking: BLUE reaches 10.1.2.4/30 through the global table (lines 19-32)', async () => {
    sp = await Speaker.start(translated('ios-002-static.ios', 'ios'));
    // Serial1/0's subnet is in the global table (vrfleak has no default-table interfaces: injected).
    sp.announce('ipv4', { prefix: '10.1.2.4/30', nextHop: '10.1.2.6' });
    await tablesAre(sp, { BLUE: ['10.0.2.0/24', '10.1.2.4/30'] });
    expect(route(sp, 'BLUE', '10.1.2.4/30')).toMatchObject({
      source: 'static',
      nextHop: '10.1.2.5',
      nextHopVrf: 'default',
    });
  });
});

describe('seed 003/004 (Dell OS9), translated', () => {
  it('four VRFs: shared reaches red and blue, not green; red and blue reach shared, never each other', async () => {
    sp = await Speaker.start(
      translated('dell-004-four-vrf.dell', 'dell', {
        'vrf-shared': { networks: ['10.100.0.0/16'] },
        'vrf-red': { networks: ['10.1.0.0/16'] },
        'vrf-blue': { networks: ['10.2.0.0/16'] },
        'vrf-green': { networks: ['10.3.0.0/16'] },
      }),
    );
    await tablesAre(sp, {
      'vrf-shared': ['10.1.0.0/16', '10.100.0.0/16', '10.2.0.0/16'],
      'vrf-red': ['10.1.0.0/16', '10.100.0.0/16'],
      'vrf-blue': ['10.100.0.0/16', '10.2.0.0/16'],
      'vrf-green': ['10.3.0.0/16'],
    });
  });

  it("the conflict rule: a VRF's own route beats the leaked one for the same prefix", async () => {
    sp = await Speaker.start(
      translated('dell-004-four-vrf.dell', 'dell', {
        'vrf-shared': { networks: ['10.100.0.0/16'] },
        'vrf-red': { networks: ['10.100.0.0/16'] },
      }),
    );
    await sp.waitFor((x) => x.leakConflicts().length > 0 || undefined, { what: 'a conflict' });
    expect(route(sp, 'vrf-red', '10.100.0.0/16')?.source).toBe('local');
    expect(sp.leakConflicts().map((c) => [c.vrf, c.prefix])).toContainEqual([
      'vrf-red',
      '10.100.0.0/16',
    ]);
  });
});

describe('seed 001 (VyOS guide), translated', () => {
  it("static leak: CUSTOMER-A reaches SHARED's 10.100.0.0/16 through eth2 (lines 11-19)", async () => {
    sp = await Speaker.start(translated('vyos-001-basic.vyos', 'vyos'));
    await tablesAre(sp, {
      'CUSTOMER-A': ['10.1.0.0/24', '10.100.0.0/16'],
      SHARED: ['10.100.0.0/24'],
    });
    expect(route(sp, 'CUSTOMER-A', '10.100.0.0/16')).toMatchObject({
      source: 'static',
      nextHopVrf: 'SHARED',
    });
  });

  it('BGP leaking: CUSTOMER-A imports SHARED (65000:20); SHARED does not import CUSTOMER-A (lines 21-25)', async () => {
    sp = await Speaker.start(
      translated('vyos-001-bgp.vyos', 'vyos', {
        SHARED: { networks: ['10.100.0.0/16'] },
        'CUSTOMER-A': { networks: ['10.1.0.0/16'] },
      }),
    );
    await tablesAre(sp, {
      'CUSTOMER-A': ['10.1.0.0/16', '10.100.0.0/16'],
      SHARED: ['10.100.0.0/16'],
    });
  });

  it('bidirectional: statics both ways and symmetric route targets (lines 38-44)', async () => {
    sp = await Speaker.start(translated('vyos-001-bidirectional.vyos', 'vyos'));
    await tablesAre(sp, {
      'CUSTOMER-A': ['10.1.0.0/24', '10.100.0.0/24'],
      SHARED: ['10.1.0.0/24', '10.100.0.0/24'],
    });
    // Each side's own static wins over the same prefix leaked by route target (prefer-local).
    expect(route(sp, 'SHARED', '10.1.0.0/24')).toMatchObject({
      source: 'static',
      nextHopVrf: 'CUSTOMER-A',
    });
  });

  it("internet gateway: CUSTOMER-A's default route resolves in INTERNET (lines 49-51)", async () => {
    // INTERNET's uplink (the document's 203.0.113.1 is on it) is injected as an interface.
    sp = await Speaker.start(
      translated('vyos-001-internet-gateway.vyos', 'vyos', {
        INTERNET: { interfaces: [{ name: 'eth0', address: '203.0.113.2/24' }] },
      }),
    );
    await tablesAre(sp, { INTERNET: ['0.0.0.0/0', '203.0.113.0/24'], 'CUSTOMER-A': ['0.0.0.0/0'] });
    expect(route(sp, 'CUSTOMER-A', '0.0.0.0/0')).toMatchObject({
      nextHop: '10.100.0.1',
      nextHopVrf: 'INTERNET',
    });
  });

  it('management: MGMT reaches CUSTOMER-A, CUSTOMER-A has no route to MGMT (line 54)', async () => {
    sp = await Speaker.start(
      translated('vyos-001-management.vyos', 'vyos', { MGMT: { networks: ['10.250.0.0/24'] } }),
    );
    await tablesAre(sp, { MGMT: ['10.1.0.0/16', '10.250.0.0/24'], 'CUSTOMER-A': ['10.1.0.0/24'] });
  });
});

describe('FRR shared services (no seed: the patterns of seed 001 in FRR syntax), translated', () => {
  it('route maps on import and export, import vrf, a default-table leak through its policy', async () => {
    sp = await Speaker.start(
      translated('frr-shared-services.frr', 'frr', { RED: { networks: ['10.1.0.0/16'] } }),
    );
    sp.announce('ipv4', { prefix: '192.0.2.0/24', nextHop: '198.51.100.1' });
    sp.announce('ipv4', { prefix: '198.51.100.0/24', nextHop: '198.51.100.1' });
    await tablesAre(sp, {
      // BLUE's static is exported too: vrfleak exports a VRF's statics without `redistribute`.
      SHARED: ['10.1.0.0/16', '10.1.0.0/24', '10.100.0.0/16', '10.100.0.0/24', '10.100.0.53/32'],
      RED: ['10.1.0.0/16', '10.1.0.0/24', '10.100.0.0/16', '10.100.0.0/24'],
      BLUE: ['10.100.0.0/16', '10.100.0.0/24', '10.100.0.53/32', '10.3.0.0/16', '192.0.2.0/24'],
      GREEN: ['10.3.0.0/16'],
    });
    expect(route(sp, 'RED', '10.100.0.0/16')?.localPref).toBe(200);
    expect(route(sp, 'SHARED', '10.1.0.0/16')?.routeTargets.sort()).toEqual([
      '65000:1',
      '65000:999',
    ]);
  });
});
