// ChunkedColumn keeps its entries where they are while it grows: a small column is as long as
// asked (not a chunk), and entries on both sides of each chunk boundary read back what was set.

import { describe, expect, it } from 'vitest';
import { CHUNK, ChunkedColumn } from '../../src/rib/chunked-column.js';

describe('ChunkedColumn', () => {
  it('is as long as asked below a chunk, and grows by whole chunks past one', () => {
    const c = new ChunkedColumn<number>(8);
    expect(c.capacity).toBe(8);
    c.grow(12);
    expect(c.capacity).toBe(12);
    c.grow(CHUNK + 1);
    expect(c.capacity).toBe(2 * CHUNK);
    c.grow(5);
    expect(c.capacity).toBe(2 * CHUNK);
    expect(new ChunkedColumn<number>(3 * CHUNK - 7).capacity).toBe(3 * CHUNK);
  });

  it('reads back every entry after growths, across chunk boundaries', () => {
    const c = new ChunkedColumn<{ n: number }>(8);
    const n = 3 * CHUNK + 100;
    for (let i = 0; i < n; i++) {
      if (i >= c.capacity) c.grow(i + (i >> 1));
      c.set(i, { n: i });
    }
    for (let i = 0; i < n; i++) expect(c.get(i)?.n).toBe(i);
    c.set(CHUNK, undefined);
    expect(c.get(CHUNK)).toBeUndefined();
    expect(c.get(CHUNK - 1)?.n).toBe(CHUNK - 1);
    expect(c.get(CHUNK + 1)?.n).toBe(CHUNK + 1);
  });
});
