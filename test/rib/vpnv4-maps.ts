// What the tests of the VPNv4 destination maps (v4-key-map.test.ts, value-registry.test.ts) share:
// a key of one RD (route-share.test.ts uses it too), and the withdrawal of most keys in an order of
// their own, checked against a reference map.

import { expect } from 'vitest';
import { nlriKey } from '../../src/rib/keys.js';

/** The VPNv4 key of a prefix under RD 65000:rdLo. */
export const vpnv4Key = (len: number, addr: number, rdLo = 7): string =>
  nlriKey({
    kind: 'vpn',
    labels: [],
    rd: { hi: 65000, lo: rdLo },
    prefix: { afi: 1, len, addr: addr >>> 0 },
  });

/**
 * Withdraws most keys from m and ref alike, in an order of their own (shards compact; every key of
 * RD 65000:1 goes, so that RD's map empties), and checks that m answers as ref does.
 */
export function withdrawMost<V>(
  m: Map<string, V>,
  ref: Map<string, V>,
  keys: readonly string[],
  next: () => number,
): void {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[(i * 7919) % keys.length]!;
    if (k.charCodeAt(3) === 1 || next() % 5 !== 0) expect(m.delete(k)).toBe(ref.delete(k));
  }
  expect(m.size).toBe(ref.size);
  for (const k of keys) expect(m.get(k)).toBe(ref.get(k));
  expect(new Map(m)).toEqual(new Map(ref));
}
