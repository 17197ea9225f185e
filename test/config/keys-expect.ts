// keys.test.ts entries for a VRF's `expect` (the leak monitor, issue 16): SRC exports 10.1.0.0/24
// with RT 65000:1, DST imports it and says what it expects; the observable is `show leak violations`.

import { expect } from 'vitest';
import { differs, leak, type KeyCheck } from './keys-scenarios.js';
import type { World } from './keys-world.js';

const PL = {
  policy: {
    'prefix-lists': {
      NET1: [{ seq: 10, action: 'permit' as const, prefix: '10.1.0.0/16', le: 24 }],
      NET9: [{ seq: 10, action: 'permit' as const, prefix: '10.9.0.0/16', le: 24 }],
    },
  },
};
const dst = (e: Record<string, unknown>) => leak({}, { expect: e } as never, PL);
const violations = (w: World) =>
  w.service.vrf.violations().map((v) => `${v.vrf} ${v.kind} ${v.prefix ?? '-'}`);

export const EXPECT_KEYS: Record<string, KeyCheck> = {
  'vrfs.*.expect': async () => {
    const [a, b] = await differs(leak(), dst({ from: [] }), violations);
    expect([a, b]).toEqual([[], ['DST unexpected 10.1.0.0/24']]);
  },
  'vrfs.*.expect.from': async () => {
    const [a, b] = await differs(dst({}), dst({ from: [] }), violations);
    expect([a, b]).toEqual([[], ['DST unexpected 10.1.0.0/24']]);
  },
  'vrfs.*.expect.from[].vrf': async () => {
    const [a] = await differs(
      dst({ from: [{ vrf: 'SRC' }] }),
      dst({ from: [{ vrf: 'default' }] }),
      violations,
    );
    expect(a).toEqual([]);
  },
  'vrfs.*.expect.from[].route-target': async () => {
    const [a] = await differs(
      dst({ from: [{ 'route-target': '65000:1' }] }),
      dst({ from: [{ 'route-target': '65000:7' }] }),
      violations,
    );
    expect(a).toEqual([]);
  },
  'vrfs.*.expect.from[].prefix-list': async () => {
    const [a] = await differs(
      dst({ from: [{ vrf: 'SRC', 'prefix-list': 'NET1' }] }),
      dst({ from: [{ vrf: 'SRC', 'prefix-list': 'NET9' }] }),
      violations,
    );
    expect(a).toEqual([]);
  },
  'vrfs.*.expect.max-routes': async () => {
    const [, b] = await differs(dst({ 'max-routes': 1 }), dst({ 'max-routes': 0 }), violations);
    expect(b).toEqual(['DST over-limit -']);
  },
  'vrfs.*.expect.require': async () => {
    const [a, b] = await differs(
      dst({ require: ['10.1.0.0/24'] }),
      dst({ require: ['10.9.0.0/24'] }),
      violations,
    );
    expect([a, b]).toEqual([[], ['DST missing 10.9.0.0/24']]);
  },
};
