// The realistic table generator (bench/realistic.ts): its UPDATEs decode cleanly with our own
// codec, carry every route exactly once, and have the shape the bench documents.

import { describe, expect, it } from 'vitest';
import { encodeRealistic } from '../../bench/realistic.js';
import { RouteCounter } from '../../bench/monitor.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { decodeMessage } from '../../src/wire/message.js';

describe('bench realistic table', () => {
  const shape = { routes: 50_000, rds: 20 };
  const load = encodeRealistic(shape);

  it('is deterministic for a seed and differs for another', () => {
    const again = encodeRealistic(shape);
    expect(Buffer.concat(again.announce).equals(Buffer.concat(load.announce))).toBe(true);
    const other = encodeRealistic(shape, 7);
    expect(Buffer.concat(other.announce).equals(Buffer.concat(load.announce))).toBe(false);
  });

  it('announces every route once, as the monitor counts them', () => {
    const counter = new RouteCounter(shape);
    for (const m of load.announce) counter.onUpdate(m);
    expect(counter.seenCount).toBe(shape.routes);
    expect(counter.foreign).toBe(0);
  });

  it('decodes without a single RFC 7606 problem, attributes in the documented ranges', () => {
    const sets = new Set<string>();
    let nlri = 0;
    for (const m of load.announce) {
      const d = decodeMessage(m, DEFAULT_CONTEXT);
      expect(d.problems).toEqual([]);
      if (d.message.type !== 'update') throw new Error('not an UPDATE');
      const attrs = d.message.attributes;
      const path = attrs.find((a) => a.kind === 'as-path');
      if (path?.kind !== 'as-path') throw new Error('no AS_PATH');
      const hops = path.segments[0]!.asns;
      expect(hops[0]).toBe(65001);
      expect(hops.length).toBeGreaterThanOrEqual(1);
      expect(hops.length).toBeLessThanOrEqual(8);
      const comms = attrs.find((a) => a.kind === 'communities');
      expect(comms?.kind === 'communities' ? comms.values.length : 0).toBeLessThanOrEqual(6);
      const ext = attrs.find((a) => a.kind === 'ext-communities');
      const rts = ext?.kind === 'ext-communities' ? ext.values.length : 0;
      expect(rts).toBeGreaterThanOrEqual(1);
      expect(rts).toBeLessThanOrEqual(3);
      const mp = attrs.find((a) => a.kind === 'mp-reach');
      if (mp?.kind !== 'mp-reach') throw new Error('no MP_REACH_NLRI');
      expect([mp.afi, mp.safi]).toEqual([1, 128]);
      nlri += mp.nlri.length;
      sets.add(m.subarray(23, m.length - mp.nlri.length * 15 - 21).toString('hex'));
    }
    expect(nlri).toBe(shape.routes);
    // About one distinct set per four routes (the generator's mean is ~4.3).
    expect(shape.routes / sets.size).toBeGreaterThan(3);
    expect(shape.routes / sets.size).toBeLessThan(6);
    expect(load.stats.maxNlriPerUpdate).toBeGreaterThan(100);
    expect(load.stats.attributeSets).toBeGreaterThanOrEqual(sets.size);
  });
});
