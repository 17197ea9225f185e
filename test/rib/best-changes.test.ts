// A recompute's changes as columns (destination.ts BestChanges): change i reads the same key, old
// and new best, path count and destination by index as the object BestChanges.at(i) gives, for a
// destination born in the batch, one withdrawn, and one of several paths whose best changed.

import { describe, expect, it } from 'vitest';
import { Destination } from '../../src/rib/destination.js';
import { Table } from '../../src/rib/table.js';
import { route } from './table-route.js';

describe('BestChanges', () => {
  it("a best that moves among several paths: the count and the table's own Destination", () => {
    const t = new Table('t');
    const ps = [route('k', 1), route('k', 2), route('k', 3)];
    for (const r of ps) t.upsert(r);
    const first = t.recompute();
    expect(first.length).toBe(1);
    const best = first.newBest(0)!;
    expect(first.oldBest(0)).toBeUndefined();
    expect(first.count(0)).toBe(3);
    t.remove('k', best.src);
    const ch = t.recompute();
    expect(ch.length).toBe(1);
    expect(ch.key(0)).toBe('k');
    expect(ch.oldBest(0)).toBe(best);
    expect(ps).toContain(ch.newBest(0));
    expect(ch.newBest(0)).not.toBe(best);
    expect(ch.count(0)).toBe(2);
    expect(ch.dest(0)).toBe(t.dests.get('k'));
    expect(ch.dest(0)).toBeInstanceOf(Destination);
    const obj = ch.at(0);
    expect([obj.key, obj.oldBest, obj.newBest, obj.count, obj.dest]).toEqual([
      'k',
      best,
      ch.newBest(0),
      2,
      ch.dest(0),
    ]);
  });

  it('born and withdrawn lone paths: one column each, read back in order', () => {
    const t = new Table('t');
    const [a, b] = [route('a', 1), route('b', 1)];
    t.upsert(a);
    t.recompute();
    t.remove('a', 1);
    const gone = t.recompute();
    expect([gone.length, gone.key(0), gone.oldBest(0), gone.newBest(0), gone.count(0)]).toEqual([
      1,
      'a',
      a,
      undefined,
      0,
    ]);
    expect(gone.dest(0).best).toBeUndefined();
    t.upsert(b);
    const born = t.recompute();
    expect([born.length, born.key(0), born.oldBest(0), born.newBest(0), born.count(0)]).toEqual([
      1,
      'b',
      undefined,
      b,
      1,
    ]);
    expect(born.dest(0).best).toBe(b);
    expect([...born].map((c) => [c.key, c.oldBest, c.newBest])).toEqual([['b', undefined, b]]);
    expect(t.recompute().length).toBe(0);
  });
});
