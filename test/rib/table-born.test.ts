// A new destination goes into its table as the bare route at once ("born"), and its change is
// reported from the touched list. These are the cases where a born route is changed again before
// the recompute: the change must still start from no best, and a path put and dropped in one batch
// must leave no change and no destination.

import { describe, expect, it } from 'vitest';
import type { Route } from '../../src/model/route.js';
import { Table } from '../../src/rib/table.js';
import { route } from './table-route.js';

const changes = (t: Table): [string, Route | undefined, Route | undefined][] =>
  [...t.recompute()].map((c) => [c.dest.key, c.oldBest, c.newBest]);

describe('Table: a destination born in a batch', () => {
  it('is reported from no best, in the order the destinations were touched', () => {
    const t = new Table('t');
    const a = route('a', 1);
    const b = route('b', 1);
    const c = route('c', 1);
    t.upsert(a);
    t.upsert(b);
    expect(changes(t)).toEqual([
      ['a', undefined, a],
      ['b', undefined, b],
    ]);
    const b2 = route('b', 1, 9);
    t.upsert(b2);
    t.upsert(c);
    expect(changes(t)).toEqual([
      ['b', b, b2],
      ['c', undefined, c],
    ]);
    expect(t.bestOf('c')).toBe(c);
    expect(changes(t)).toEqual([]);
  });

  it('given a second path in the same batch: one change, from no best', () => {
    const t = new Table('t');
    const a = route('k', 1);
    const b = route('k', 2);
    t.upsert(a);
    t.upsert(b);
    expect(changes(t)).toEqual([['k', undefined, a]]);
    expect(t.get('k')!.paths).toEqual([a, b]);
  });

  it('replaced in the same batch: one change, from no best to the replacement', () => {
    const t = new Table('t');
    const a = route('k', 1);
    const a2 = route('k', 1, 5);
    t.upsert(a);
    expect(t.upsert(a2)).toBe(a);
    expect(changes(t)).toEqual([['k', undefined, a2]]);
    expect(t.paths).toBe(1);
  });

  it('dropped in the same batch: no change, no destination', () => {
    const t = new Table('t');
    const a = route('k', 1);
    t.upsert(a);
    expect(t.remove('k', 1)).toBe(a);
    expect(changes(t)).toEqual([]);
    expect(t.get('k')).toBeUndefined();
    expect(t.size).toBe(0);
    expect(t.paths).toBe(0);
  });
});
