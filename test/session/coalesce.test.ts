// The batch a session writes (coalesce.ts): small messages as one buffer, in order; a large
// batch as it is, without a copy; a batch joined once for every peer sent it (Joins), and written
// with each message still reported (writeBatch).

import { describe, expect, it } from 'vitest';
import { coalesce, COALESCE_MAX, Joins, writeBatch } from '../../src/session/coalesce.js';

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

describe('Joins', () => {
  it('joins a batch once for every peer sent the same messages, in lists of their own', () => {
    let joined = 0;
    const joins = new Joins((ms) => (joined++, coalesce(ms)));
    const ms = [msg(19, 1), msg(100, 2), msg(300, 3)];
    const a = joins.octetsOf([...ms]);
    const b = joins.octetsOf([...ms]);
    expect(b).toBe(a);
    expect(joined).toBe(1);
    expect(a).toHaveLength(1);
    expect(a[0]!.equals(Buffer.concat(ms))).toBe(true);
  });

  it('tells batches apart by every message, not by the first or the length', () => {
    const joins = new Joins();
    const [x, y, z] = [msg(19, 1), msg(19, 2), msg(19, 3)];
    const a = joins.octetsOf([x, y]);
    const b = joins.octetsOf([x, z]);
    const c = joins.octetsOf([x, y, z]);
    // Equal octets in another buffer are another batch: only references are compared.
    const d = joins.octetsOf([x, msg(19, 2)]);
    expect(new Set([a, b, c, d]).size).toBe(4);
    expect(b[0]!.equals(Buffer.concat([x, z]))).toBe(true);
    expect(joins.octetsOf([x, z])).toBe(b);
  });

  it('leaves one message, and a batch past the bound, as they are', () => {
    const joins = new Joins((ms) => coalesce(ms, 100));
    const one = [msg(19, 1)];
    expect(joins.octetsOf(one)).toBe(one);
    const big = [msg(60, 1), msg(60, 2)];
    expect(joins.octetsOf(big)).toBe(big);
    expect(joins.octetsOf([...big])).toBe(big);
  });
});

describe('writeBatch', () => {
  const socket = () => {
    const ops: string[] = [];
    const written: Buffer[] = [];
    return {
      ops,
      written,
      s: {
        write: (b: Buffer) => (ops.push('write'), written.push(b), true),
        cork: () => void ops.push('cork'),
        uncork: () => void ops.push('uncork'),
      },
    };
  };

  it('writes a joined batch once and reports every message one by one', () => {
    const ms = [msg(19, 1), msg(23, 2), msg(40, 3)];
    const octets = coalesce(ms);
    const { ops, written, s } = socket();
    const tapped: Buffer[] = [];
    writeBatch(s, ms, octets, (m) => void tapped.push(m));
    expect(ops).toEqual(['write']);
    expect(written[0]).toBe(octets[0]);
    expect(tapped).toEqual(ms);
    expect(tapped[1]).toBe(ms[1]);
  });

  it('writes an unjoined batch message by message under one cork', () => {
    const ms = [msg(60, 1), msg(60, 2)];
    const { ops, written, s } = socket();
    const tapped: Buffer[] = [];
    writeBatch(s, ms, coalesce(ms, 100), (m) => void tapped.push(m));
    expect(ops).toEqual(['cork', 'write', 'write', 'uncork']);
    expect(written).toEqual(ms);
    expect(tapped).toEqual(ms);
  });
});
