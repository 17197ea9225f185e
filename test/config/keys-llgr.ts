// keys.test.ts entries for `neighbors[].long-lived-graceful-restart` (RFC 9494): each key shows in
// the LLGR capability vrfleak sends (the helper behaviour they drive is test/daemon/llgr.test.ts).

import { expect } from 'vitest';
import { LLGR_FAMILIES } from '../../src/config/schema-llgr.js';
import { FAMILIES, type FamilyName } from '../../src/wire/afi.js';
import {
  base,
  caps,
  differs,
  refusedOnlyWith,
  type KeyCheck,
  type Neighbor,
} from './keys-scenarios.js';
import type { World } from './keys-world.js';

const N = '127.0.0.11';

const neighbor = (families: FamilyName[], llgr?: Neighbor['long-lived-graceful-restart']) =>
  base({
    neighbors: [
      {
        address: N,
        asn: 65001,
        families,
        ...(llgr ? { 'long-lived-graceful-restart': llgr } : {}),
      },
    ],
  });

/** The LLGR capability's families as [family, stale time]. */
const llgrCap = (w: World): [string, number][] | undefined => {
  const c = caps(w, N).find((x) => x.kind === 'llgr');
  if (c?.kind !== 'llgr') return undefined;
  return c.families.map((f) => {
    const name = Object.entries(FAMILIES).find(([, v]) => v.afi === f.afi && v.safi === f.safi);
    return [name?.[0] ?? '?', f.staleTime];
  });
};

function familyKey(f: (typeof LLGR_FAMILIES)[number]): Record<string, KeyCheck> {
  return {
    [`neighbors[].long-lived-graceful-restart.families.${f}`]: async () => {
      const [a, b] = await differs(
        neighbor([f, f === 'vpnv4' ? 'vpnv6' : 'vpnv4'], { 'stale-time': 100 }),
        neighbor([f, f === 'vpnv4' ? 'vpnv6' : 'vpnv4'], {
          'stale-time': 100,
          families: { [f]: 0 },
        }),
        llgrCap,
      );
      // 0 leaves the family out of the capability.
      expect(a?.map(([x]) => x)).toContain(f);
      expect(b?.map(([x]) => x)).not.toContain(f);
    },
  };
}

export const LLGR_KEYS: Record<string, KeyCheck> = {
  'neighbors[].long-lived-graceful-restart': async () => {
    const [a, b] = await differs(
      neighbor(['ipv4']),
      neighbor(['ipv4'], { 'stale-time': 3600 }),
      llgrCap,
    );
    expect([a, b]).toEqual([undefined, [['ipv4', 3600]]]);
  },
  'neighbors[].long-lived-graceful-restart.stale-time': async () => {
    const [a, b] = await differs(
      neighbor(['ipv4'], { 'stale-time': 60 }),
      neighbor(['ipv4'], { 'stale-time': 16777215 }),
      llgrCap,
    );
    expect([a, b]).toEqual([[['ipv4', 60]], [['ipv4', 16777215]]]);
  },
  'neighbors[].long-lived-graceful-restart.families': async () => {
    const [a, b] = await differs(
      neighbor(['ipv4', 'vpnv4'], { 'stale-time': 60 }),
      neighbor(['ipv4', 'vpnv4'], { 'stale-time': 60, families: { vpnv4: 5 } }),
      llgrCap,
    );
    expect(b).toEqual([
      ['ipv4', 60],
      ['vpnv4', 5],
    ]);
    expect(a).toEqual([
      ['ipv4', 60],
      ['vpnv4', 60],
    ]);
    // A family the neighbor does not carry is refused with its position.
    refusedOnlyWith(
      neighbor(['ipv4'], { 'stale-time': 60 }),
      neighbor(['ipv4'], { 'stale-time': 60, families: { vpnv6: 5 } }),
      /long-lived-graceful-restart for vpnv6, a family this neighbor does not carry/,
    );
  },
  ...Object.assign({}, ...LLGR_FAMILIES.map(familyKey)),
};
