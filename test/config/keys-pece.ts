// keys.test.ts entries for the PE-CE neighbor keys (src/config/schema-pece.ts), and the PE-CE
// world they and test/daemon/pe-ce.test.ts observe: VRF CUST on vrfleak (AS 65000) with two CE
// sites of one customer AS (65100), CE1 and CE2, and an iBGP VPN peer PE2.

import { expect } from 'vitest';
import { neighborAdjRib } from '../../src/api/adj-rib.js';
import type { AdjRouteView } from '../../src/daemon/adj-views.js';
import type { FamilyName } from '../../src/wire/afi.js';
import { base, differs, refusedOnlyWith, type KeyCheck, type Neighbor } from './keys-scenarios.js';
import type { World } from './keys-world.js';

export const CE1 = '127.0.0.21';
export const CE2 = '127.0.0.22';
export const PE2 = '127.0.0.31';
export const CUSTOMER_AS = 65100;

/** VRF CUST with CE1 and CE2 (each with `ce1`/`ce2` on top) and PE2 (iBGP, VPNv4/VPNv6). */
export const peCe = (ce1: Partial<Neighbor> = {}, ce2: Partial<Neighbor> = {}) =>
  base({
    neighbors: [
      { address: CE1, asn: CUSTOMER_AS, vrf: 'CUST', families: ['ipv4', 'ipv6'], ...ce1 },
      { address: CE2, asn: CUSTOMER_AS, vrf: 'CUST', families: ['ipv4', 'ipv6'], ...ce2 },
      { address: PE2, asn: 65000, families: ['vpnv4', 'vpnv6'] },
    ],
    vrfs: {
      CUST: {
        rd: '65000:1',
        label: 100,
        'route-targets': { import: ['65000:1'], export: ['65000:1'] },
      },
    },
  });

/** What a neighbor was sent (its Adj-RIB-Out), in one family. */
export function advertised(w: World, addr: string, family: FamilyName): AdjRouteView[] {
  const r = neighborAdjRib(w.d, addr, 'advertised', family);
  if (!r.ok) throw new Error(r.message);
  return r.answer.routes;
}

/** All sessions up; CE1 announces 10.1.0.0/24 (its AS path: 65100). */
export function ce1Announces(w: World): void {
  for (const a of [CE1, CE2, PE2]) w.peer(a).up();
  w.peer(CE1).announce('ipv4', ['10.1.0.0/24'], { nextHop: '192.0.2.21' });
  w.settle();
}

const pathTo = (w: World, addr: string) =>
  advertised(w, addr, 'ipv4').find((r) => r.prefix === '10.1.0.0/24')?.asPath;

export const PE_CE_KEYS: Record<string, KeyCheck> = {
  'neighbors[].as-override': async () => {
    // CE1's AS 65100 becomes ours in what CE2 (also AS 65100) is sent: it no longer sees a loop.
    const [a, b] = await differs(peCe(), peCe({}, { 'as-override': true }), (w) => {
      ce1Announces(w);
      return pathTo(w, CE2);
    });
    expect([a, b]).toEqual(['65000 65100', '65000 65000']);
    refusedOnlyWith(
      peCe({ 'as-override': true }),
      peCe({ 'as-override': true, asn: 65000 }),
      /k\.yaml:\d+:\d+.*neighbors\[0\]\.as-override.*eBGP neighbors only/,
    );
  },
  'neighbors[].soo': async () => {
    // Same SoO on both: one multihomed site; CE1's route is tagged and not sent to CE2.
    const soo = { soo: '65100:1' };
    const [a, b] = await differs(peCe(), peCe(soo, soo), (w) => {
      ce1Announces(w);
      return [pathTo(w, CE2) !== undefined, advertised(w, PE2, 'vpnv4')[0]?.extCommunities];
    });
    expect(a).toEqual([true, ['RT:65000:1']]);
    // The SoO travels in the VPN route to the other PEs (with the VRF's export RT).
    expect(b).toEqual([false, ['SoO:65100:1', 'RT:65000:1']]);
  },
};
