import { describe, expect, it } from 'vitest';
import { WireError } from '../../src/wire/errors.js';
import { Framer } from '../../src/wire/framer.js';

/** Hex groups (whitespace ignored) to bytes; refuses odd or non-hex input. */
function hex(...parts: string[]): Buffer {
  const s = parts.join('').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex: ${s}`);
  return Buffer.from(s, 'hex');
}

const MARKER = 'ff'.repeat(16);

const MESSAGES = [
  hex(MARKER, '0013 04'), // KEEPALIVE
  // OPEN, length 37: version 4, AS 65001, hold 90, id 10.0.0.1, Opt Parm Len 8:
  // param 2 len 6: MP AFI 1 SAFI 128
  hex(MARKER, '0025 01', '04 fde9 005a 0a000001 08', '02 06 01 04 0001 00 80'),
  hex(MARKER, '0017 05', '0001 00 80'), // ROUTE-REFRESH, length 23
  hex(MARKER, '0013 04'), // KEEPALIVE
  hex(MARKER, '0017 03', '06 02 01 61'), // NOTIFICATION 6/2, length 23, data 01 "a"
];
const STREAM = Buffer.concat(MESSAGES);
const EXPECTED = MESSAGES.map((m) => m.toString('hex'));

function feed(f: Framer, chunks: Buffer[]): string[] {
  return chunks.flatMap((c) => f.push(c)).map((m) => m.toString('hex'));
}

function framerError(f: () => unknown): WireError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    expect((e as WireError).kind).toBe('header');
    return e as WireError;
  }
  throw new Error('expected a WireError');
}

describe('Framer', () => {
  it('one chunk holding several messages', () => {
    expect(feed(new Framer(), [STREAM])).toEqual(EXPECTED);
  });

  it('split at every offset', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      const got = feed(new Framer(), [STREAM.subarray(0, i), STREAM.subarray(i)]);
      expect(got, `split at ${i}`).toEqual(EXPECTED);
    }
  });

  it('split at every pair of offsets', () => {
    for (let i = 0; i <= STREAM.length; i++) {
      for (let j = i; j <= STREAM.length; j++) {
        const chunks = [STREAM.subarray(0, i), STREAM.subarray(i, j), STREAM.subarray(j)];
        expect(feed(new Framer(), chunks)).toEqual(EXPECTED);
      }
    }
  });

  it('byte by byte', () => {
    const f = new Framer();
    const chunks = [...STREAM].map((b) => Buffer.of(b));
    expect(feed(f, chunks)).toEqual(EXPECTED);
    expect(f.buffered).toBe(0);
  });

  it('returned messages survive later pushes', () => {
    const f = new Framer();
    const first = f.push(STREAM.subarray(0, 30)); // KEEPALIVE whole, OPEN partial
    const rest = f.push(STREAM.subarray(30));
    expect([...first, ...rest].map((m) => m.toString('hex'))).toEqual(EXPECTED);
  });

  it('reports a bad marker as soon as the header is complete', () => {
    const f = new Framer();
    expect(f.push(hex('00', 'ff'.repeat(15)))).toEqual([]);
    // 3 more octets complete the header (length 4000, type 2); the body never comes
    const e = framerError(() => f.push(hex('0fa0 02')));
    expect(e.notify).toEqual({ code: 1, subcode: 1, data: new Uint8Array(0) });
  });

  it('reports a bad length before the body arrives, with the length field', () => {
    const f = new Framer();
    // length 5000 (0x1388) over the 4096 maximum, type UPDATE
    const e = framerError(() => f.push(hex(MARKER, '1388 02')));
    expect(e.notify!.code).toBe(1);
    expect(e.notify!.subcode).toBe(2);
    expect(Buffer.from(e.notify!.data).toString('hex')).toBe('1388');
    // the framer stays failed
    expect(() => f.push(hex(MARKER, '0013 04'))).toThrow(e);
  });

  it('reports an unknown type, after valid messages in the same stream', () => {
    const f = new Framer();
    expect(feed(f, [MESSAGES[0]!])).toEqual([EXPECTED[0]]);
    const e = framerError(() => f.push(hex(MARKER, '0013 07')));
    expect(Buffer.from(e.notify!.data).toString('hex')).toBe('07');
  });

  it('accepts extended messages after setMaxLength', () => {
    const body = Buffer.alloc(5000 - 19 - 2, 0x61);
    // NOTIFICATION of 5000 octets: 6/2 then data
    const big = Buffer.concat([hex(MARKER, '1388 03', '06 02'), body]);
    const f = new Framer({ maxLength: 4096 });
    f.setMaxLength(65535);
    const got = feed(f, [big.subarray(0, 100), big.subarray(100, 4100), big.subarray(4100)]);
    expect(got).toEqual([big.toString('hex')]);
  });

  it('buffers no more than the message it is collecting', () => {
    const f = new Framer();
    // an UPDATE header announcing 4096 octets, then 1000 octets of its body
    f.push(hex(MARKER, '1000 02'));
    f.push(Buffer.alloc(1000));
    expect(f.buffered).toBe(1019);
    f.push(Buffer.alloc(4096 - 1019));
    expect(f.buffered).toBe(0);
  });
});
