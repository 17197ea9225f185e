// HashSlots finds every place it holds by walking its hash's probe sequence, through growth and
// removals anywhere in a run (the backward shift must not strand a later entry behind a hole),
// with hashes that collide outright and runs that wrap past the last slot.

import { describe, expect, it } from 'vitest';
import { HashSlots } from '../../src/rib/hash-slots.js';
import { xorshift32 } from './xorshift.js';

/** The places a walk of hash's probe sequence finds under that hash. */
function found(t: HashSlots, hash: number): number[] {
  const out: number[] = [];
  for (let i = t.home(hash); ; i = t.next(i)) {
    const p = t.placeAt(i);
    if (p < 0) return out;
    if (t.hashAt(i) === hash) out.push(p);
  }
}

describe('HashSlots', () => {
  it('finds each place under its hash through growth and random removals', () => {
    const t = new HashSlots();
    const ref = new Map<number, number>();
    const next = xorshift32(7);
    let place = 0;
    for (let round = 0; round < 20_000; round++) {
      const live = [...ref.keys()];
      if (live.length > 0 && next() % 3 === 0) {
        const p = live[next() % live.length]!;
        t.remove(ref.get(p)!, p);
        ref.delete(p);
      } else {
        // Few distinct hashes: long runs of equal and of colliding hashes.
        const h = next() % 512;
        t.add(h, place);
        ref.set(place++, h);
      }
      if (round % 997 === 0 || round === 19_999) {
        expect(t.size).toBe(ref.size);
        const byHash = new Map<number, number[]>();
        for (const [p, h] of ref) byHash.set(h, [...(byHash.get(h) ?? []), p]);
        for (const [h, ps] of byHash) expect(found(t, h).sort((a, b) => a - b)).toEqual(ps);
      }
    }
  });

  it('keeps runs that wrap past the last slot findable when their head is removed', () => {
    const t = new HashSlots(16);
    // Hashes whose home is the last slot, then one whose home is slot 0.
    const last: number[] = [];
    for (let h = 1; last.length < 4; h++) if (t.home(h) === 15) last.push(h);
    let zero = 1;
    while (t.home(zero) !== 0) zero++;
    last.forEach((h, p) => t.add(h, p));
    t.add(zero, 9);
    t.remove(last[0]!, 0);
    for (let p = 1; p < 4; p++) expect(found(t, last[p]!)).toEqual([p]);
    expect(found(t, zero)).toEqual([9]);
    t.remove(last[1]!, 1);
    t.remove(last[2]!, 2);
    expect(found(t, zero)).toEqual([9]);
    expect(found(t, last[3]!)).toEqual([3]);
    expect(t.size).toBe(2);
  });
});
