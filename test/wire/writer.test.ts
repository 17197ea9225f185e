// The Writer's integer writes: u32 stores the octets of the value's ToUint32, big-endian, as
// writeUInt32BE(v >>> 0) did (the range check it went through never fired, v >>> 0 is in range).

import { describe, expect, it } from 'vitest';
import { Writer } from '../../src/wire/writer.js';

describe('Writer', () => {
  it('u32: the octets writeUInt32BE(v >>> 0) writes, for every kind of number, across growth', () => {
    const values = [
      0,
      1,
      0xff,
      0x100,
      0xffff,
      0x10000,
      0xffffff,
      0x1000000,
      0x12345678,
      0x7fffffff,
      0x80000000,
      0x80000001,
      0xfffffffe,
      0xffffffff,
      -1,
      -0x80000000,
      2 ** 32,
      2 ** 32 + 5,
      2 ** 40 + 0x01020304,
      1.9,
      -1.9,
      NaN,
      Infinity,
    ];
    // One octet first, so the values sit at every alignment, and a writer that must grow.
    const w = new Writer(1);
    w.u8(0xaa);
    for (const v of values) w.u32(v);
    const want = Buffer.alloc(1 + 4 * values.length);
    want[0] = 0xaa;
    values.forEach((v, i) => want.writeUInt32BE(v >>> 0, 1 + 4 * i));
    expect(w.finish().toString('hex')).toBe(want.toString('hex'));
  });

  it('u8 / u16 / u24 / u32 interleaved, big-endian', () => {
    const w = new Writer(2);
    w.u8(0x01).u16(0x0203).u24(0x040506).u32(0x0708090a).u8(0x0b);
    expect(w.finish().toString('hex')).toBe('0102030405060708090a0b');
  });
});
