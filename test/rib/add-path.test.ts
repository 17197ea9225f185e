// ADD-PATH (RFC 7911) in the RIB: path identifiers we allocate, the paths each send mode picks,
// a table's paths in decision order, and the decision over several paths of one neighbor.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import type { Route } from '../../src/model/route.js';
import type { PeerRef } from '../../src/model/route-origin.js';
import { PathIds, pathsToSend } from '../../src/rib/add-path.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { Table } from '../../src/rib/table.js';

const interner = new AttrInterner();
let seq = 0;
const KEY = 'k';

function peer(id: number): PeerRef {
  return {
    id,
    address: `192.0.2.${id}`,
    addrKey: String(id).padStart(3, '0'),
    asn: 65000 + id,
    bgpId: 0x0a000000 + id,
    ibgp: false,
    rrClient: false,
  };
}

function route(src: number, pathId: number, v: Partial<AttrValues> = {}, asn = 65000 + src): Route {
  const attrs = interner.intern({
    ...EMPTY_ATTR_VALUES,
    asPath: [{ type: 2, asns: [asn] }],
    nextHop: { afi: 1, addr: 0xc0000201 },
    ...v,
  });
  return {
    key: KEY,
    nlri: { kind: 'prefix', prefix: { afi: 1, len: 8, addr: 0x0a000000 }, pathId },
    attrs,
    origin: { kind: 'peer', peer: peer(src) },
    src,
    pathId,
    seq: seq++,
    stale: false,
  };
}

describe('path identifiers (PathIds)', () => {
  it('are per destination, stable while the path lives, the lowest free one for a new path', () => {
    const ids = new PathIds();
    expect([ids.idOf('x', 'a'), ids.idOf('x', 'b'), ids.idOf('x', 'c')]).toEqual([1, 2, 3]);
    expect(ids.idOf('y', 'a')).toBe(1);
    expect(ids.idOf('x', 'b')).toBe(2);
    ids.free('x', 'b');
    expect(ids.idOf('x', 'c')).toBe(3);
    expect(ids.idOf('x', 'd')).toBe(2);
    ids.free('y', 'a');
    expect([...ids.identities('y')]).toEqual([]);
  });
});

describe('send modes', () => {
  const r1 = route(1, 0);
  const r2 = route(2, 0);
  const r3 = route(3, 0, {}, 65001);
  const ranked = [r1, r2, r3];
  it('all, best N, best per neighbor AS', () => {
    expect(pathsToSend(ranked, { kind: 'all' })).toEqual(ranked);
    expect(pathsToSend(ranked, { kind: 'best', n: 2 })).toEqual([r1, r2]);
    expect(pathsToSend(ranked, { kind: 'best', n: 5 })).toEqual(ranked);
    // r1 and r3 both have neighbor AS 65001: r1 is that AS's best.
    expect(pathsToSend(ranked, { kind: 'best-per-neighbor-as' })).toEqual([r1, r2]);
  });
});

describe('several paths of one neighbor in a table', () => {
  it('are kept by path id, decided over, ranked best first; a path change is reported', () => {
    const t = new Table('t');
    t.trackPaths = true;
    t.upsert(route(1, 1, { med: 30 }));
    t.upsert(route(1, 2, { med: 10 }));
    t.upsert(route(1, 3, { med: 20 }));
    const [ch] = t.recompute();
    expect(ch!.newBest!.pathId).toBe(2);
    expect(t.ranked(KEY).map((r) => r.pathId)).toEqual([2, 3, 1]);
    // The same med: the lower received path id decides last.
    t.upsert(route(1, 3, { med: 10 }));
    expect([...t.recompute()]).toEqual([]);
    expect(t.takePathChanges()).toEqual([KEY]);
    expect(t.ranked(KEY).map((r) => r.pathId)).toEqual([2, 3, 1]);
    expect(t.remove(KEY, 1, 2)?.pathId).toBe(2);
    expect([...t.recompute()][0]!.newBest!.pathId).toBe(3);
    expect(t.takePathChanges()).toEqual([]);
  });
});
