// The leak monitor's violations in BMP Statistics Reports: each VRF's Loc-RIB report carries the
// violations raised in it as a counter of vrfleak's experimental type.

import { describe, expect, it } from 'vitest';
import { leakViolationStats } from '../../src/daemon/bmp-attach.js';
import { STAT_LEAK_VIOLATIONS } from '../../src/wire/bmp.js';
import type { Daemon } from '../../src/daemon/daemon.js';

const withCounts = (m: Map<string, { current: number; raised: number }>): Pick<Daemon, 'monitor'> =>
  ({ monitor: { counts: () => m } }) as unknown as Pick<Daemon, 'monitor'>;

describe('BMP statistics: leak violations', () => {
  it("reports a VRF's raised violations as a counter on that VRF's Loc-RIB", () => {
    const p = leakViolationStats(withCounts(new Map([['CUST-A', { current: 1, raised: 3 }]])));
    expect(p.tableStats('CUST-A')).toEqual([
      { kind: 'counter', type: STAT_LEAK_VIOLATIONS, value: 3 },
    ]);
    expect(p.tableStats('CUST-B')).toEqual([]);
    expect(p.tableStats('')).toEqual([]);
  });

  it('reports nothing without a monitor', () => {
    const p = leakViolationStats({ monitor: undefined } as Pick<Daemon, 'monitor'>);
    expect(p.tableStats('CUST-A')).toEqual([]);
  });
});
