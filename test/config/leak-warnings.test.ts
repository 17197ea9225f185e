// `vrfleak check` warns (issue 16), with FILE:LINE:COL and the key path, and still accepts: a VRF
// that imports without a prefix list to bound it, a VRF that re-exports (a leak chain), and the
// default table leaked into a VRF without a bound on the count.

import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { load } from './keys-world.js';

const PL = [{ seq: 10, action: 'permit' as const, prefix: '10.0.0.0/8', le: 32 }];

function cfg(vrfs: Record<string, unknown>, extraMaps: Record<string, unknown> = {}): ConfigInput {
  return {
    asn: 65000,
    'router-id': '10.0.0.1',
    policy: {
      'prefix-lists': { PL },
      'route-maps': {
        BOUNDED: [{ seq: 10, action: 'permit', match: { 'prefix-list': 'PL' } }],
        OPEN: [{ seq: 10, action: 'permit' }],
        ...extraMaps,
      },
    },
    vrfs,
  } as ConfigInput;
}

const A = { rd: '65000:1', 'route-targets': { export: ['65000:1'] } };

function warnings(c: ConfigInput): string[] {
  const r = load(c);
  expect(r.ok, r.ok ? '' : r.errors.join('\n')).toBe(true);
  return r.warnings.map(String);
}

describe('vrfleak check: leak warnings', () => {
  it('an import without an import map, or with one that matches on no prefix list', () => {
    const none = { rd: '65000:2', 'route-targets': { import: ['65000:1'] } };
    expect(warnings(cfg({ A, B: none }))).toEqual([
      expect.stringMatching(
        /^k\.yaml:\d+:\d+: warning: vrfs\.B\.route-targets: VRF "B" imports every prefix carrying 65000:1 \(no import-map\): never leak everything/,
      ),
    ]);
    expect(warnings(cfg({ A, B: { ...none, 'import-map': 'OPEN' } }))).toEqual([
      expect.stringMatching(
        /warning: vrfs\.B\.import-map: .*\(import map "OPEN" matches on no prefix list\)/,
      ),
    ]);
    expect(warnings(cfg({ A, B: { ...none, 'import-map': 'BOUNDED' } }))).toEqual([]);
  });

  it('a VRF that re-exports what it imports: a leak chain, with its ends', () => {
    const B = {
      rd: '65000:2',
      'route-targets': { import: ['65000:1'], export: ['65000:2'] },
      'import-map': 'BOUNDED',
      'allow-reexport': true,
    };
    const C = { rd: '65000:3', 'route-targets': { import: ['65000:2'] }, 'import-map': 'BOUNDED' };
    expect(warnings(cfg({ A, B, C }))).toEqual([
      expect.stringMatching(
        /^k\.yaml:\d+:\d+: warning: vrfs\.B\.allow-reexport: VRF "B" re-exports what it imports \(a leak chain\): routes of A leak on to C$/,
      ),
    ]);
    expect(warnings(cfg({ A, B: { ...B, 'allow-reexport': false }, C }))).toEqual([]);
  });

  it('the default table leaked into a VRF without expect.max-routes', () => {
    const B = { rd: '65000:2', 'leak-from-default': { policy: 'BOUNDED' } };
    expect(warnings(cfg({ B }))).toEqual([
      expect.stringMatching(
        /^k\.yaml:\d+:\d+: warning: vrfs\.B\.leak-from-default: the default table leaks into VRF "B" without a limit: set expect\.max-routes$/,
      ),
    ]);
    expect(warnings(cfg({ B: { ...B, expect: { 'max-routes': 100 } } }))).toEqual([]);
  });
});
