// The batch a session writes (coalesce.ts): small messages as one buffer, in order; a large
// batch as it is, without a copy.

import { describe, expect, it } from 'vitest';
import { coalesce, COALESCE_MAX } from '../../src/session/coalesce.js';

const msg = (n: number, fill: number): Buffer => Buffer.alloc(n, fill);

describe('coalesce', () => {
  it('writes several small messages as one buffer holding them in order', () => {
    const ms = [msg(19, 1), msg(100, 2), msg(4096, 3)];
    const out = coalesce(ms);
    expect(out).toHaveLength(1);
    expect(out[0]!.equals(Buffer.concat(ms))).toBe(true);
  });

  it('leaves one message, and a batch past the bound, as they are', () => {
    const one = [msg(50, 7)];
    expect(coalesce(one)).toBe(one);
    const big = [msg(4096, 1), msg(4096, 2), msg(100, 3)];
    expect(coalesce(big, 8192)).toBe(big);
    expect(coalesce(big, 8292)).toHaveLength(1);
    expect(COALESCE_MAX).toBeGreaterThanOrEqual(65536);
  });
});
