// A settled destination whose lone path is withdrawn in a batch with no route born leaves the map
// at once (Table `detached`); nothing a reader can see differs from a Destination without paths
// waiting for the recompute: one change per destination, reads before the recompute, a path put
// back or a route born later in the same batch.

import { describe, expect, it } from 'vitest';
import type { Route } from '../../src/model/route.js';
import { Table } from '../../src/rib/table.js';
import { route } from './table-route.js';

const changes = (t: Table): [string, Route | undefined, Route | undefined, number][] =>
  [...t.recompute()].map((c) => [c.dest.key, c.oldBest, c.newBest, c.count]);

/** A table holding a, b and c, settled. */
function settled(): { t: Table; a: Route; b: Route; c: Route } {
  const t = new Table('t');
  const [a, b, c] = [route('a', 1), route('b', 1), route('c', 1)];
  for (const r of [a, b, c]) t.upsert(r);
  t.recompute();
  return { t, a, b, c };
}

describe('Table: lone paths withdrawn', () => {
  it('are reported once each, from their best, and leave no destination', () => {
    const { t, a, b } = settled();
    expect(t.remove('a', 1)).toBe(a);
    expect(t.remove('a', 1)).toBeUndefined();
    expect(t.remove('b', 2)).toBeUndefined();
    expect(t.remove('b', 1)).toBe(b);
    expect(t.paths).toBe(1);
    expect(changes(t)).toEqual([
      ['a', a, undefined, 0],
      ['b', b, undefined, 0],
    ]);
    expect(t.size).toBe(1);
    expect([...t.dests.keys()]).toEqual(['c']);
    expect(changes(t)).toEqual([]);
  });

  it("its change's destination holds no path and no best, as an emptied one would", () => {
    const { t, a } = settled();
    t.remove('a', 1);
    const [ch] = t.recompute();
    expect(ch?.oldBest).toBe(a);
    expect(ch?.dest.paths).toEqual([]);
    expect(ch?.dest.best).toBeUndefined();
    expect(ch?.dest.count).toBe(0);
  });

  it('read before the recompute: the destination is there, without paths, its best the old one', () => {
    const { t, a } = settled();
    t.remove('a', 1);
    expect(t.size).toBe(3);
    expect(t.bestOf('a')).toBe(a);
    expect(t.countAt('a')).toBe(0);
    expect(t.has('a', 1)).toBe(false);
    // The rest of the batch goes the ordinary way.
    t.remove('b', 1);
    expect(t.bestOf('b')).toBe(t.get('b')?.best);
    expect(changes(t).map(([k]) => k)).toEqual(['a', 'b']);
    expect(t.size).toBe(1);
  });

  it('put back in the same batch: one change from the old best to the new path', () => {
    const { t, a } = settled();
    t.remove('a', 1);
    const a2 = route('a', 1, 7);
    expect(t.upsert(a2)).toBeUndefined();
    expect(changes(t)).toEqual([['a', a, a2, 1]]);
    expect(t.bestOf('a')).toBe(a2);
    expect(t.paths).toBe(3);
  });

  it('another destination born after them: both reported, the withdrawn one gone', () => {
    const { t, a } = settled();
    t.remove('a', 1);
    const d = route('d', 1);
    t.upsert(d);
    t.remove('d', 1);
    expect(changes(t)).toEqual([['a', a, undefined, 0]]);
    expect([...t.dests.keys()].sort()).toEqual(['b', 'c']);
  });
});
