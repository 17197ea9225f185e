import { describe, expect, it } from 'vitest';
import { WireError } from '../../src/wire/errors.js';
import { beginMessage, decodeHeader, endMessage } from '../../src/wire/header.js';
import { Writer } from '../../src/wire/writer.js';

/** Hex groups (whitespace ignored) to bytes; refuses odd or non-hex input. */
function hex(...parts: string[]): Buffer {
  const s = parts.join('').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex: ${s}`);
  return Buffer.from(s, 'hex');
}

const MARKER = 'ff'.repeat(16);

function headerError(f: () => unknown): WireError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    expect((e as WireError).kind).toBe('header');
    return e as WireError;
  }
  throw new Error('expected a WireError');
}

function notifyOf(f: () => unknown): [number, number, string] {
  const n = headerError(f).notify!;
  return [n.code, n.subcode, Buffer.from(n.data).toString('hex')];
}

describe('decodeHeader', () => {
  it('reads length and type', () => {
    // marker, length 19, type 4 (KEEPALIVE)
    expect(decodeHeader(hex(MARKER, '0013', '04'))).toEqual({ length: 19, type: 4 });
    // marker, length 29, type 1 (OPEN), at an offset of 3
    expect(decodeHeader(hex('aabbcc', MARKER, '001d', '01'), 3)).toEqual({ length: 29, type: 1 });
    // marker, length 4096, type 2 (UPDATE): the base maximum
    expect(decodeHeader(hex(MARKER, '1000', '02'))).toEqual({ length: 4096, type: 2 });
    // length 65535 with the RFC 8654 maximum
    expect(decodeHeader(hex(MARKER, 'ffff', '02'), 0, 65535)).toEqual({ length: 65535, type: 2 });
  });

  it('refuses a marker that is not all ones with 1/1', () => {
    // the first marker octet is 0xfe
    expect(notifyOf(() => decodeHeader(hex('fe', 'ff'.repeat(15), '0013', '04')))).toEqual([
      1,
      1,
      '',
    ]);
    // the last marker octet is 0x00
    expect(notifyOf(() => decodeHeader(hex('ff'.repeat(15), '00', '0013', '04')))).toEqual([
      1,
      1,
      '',
    ]);
  });

  it('refuses bad lengths with 1/2 carrying the length field', () => {
    expect(notifyOf(() => decodeHeader(hex(MARKER, '0012', '04')))).toEqual([1, 2, '0012']); // 18
    expect(notifyOf(() => decodeHeader(hex(MARKER, '0000', '04')))).toEqual([1, 2, '0000']); // 0
    expect(notifyOf(() => decodeHeader(hex(MARKER, '1001', '02')))).toEqual([1, 2, '1001']); // 4097
    expect(notifyOf(() => decodeHeader(hex(MARKER, 'ffff', '02')))).toEqual([1, 2, 'ffff']);
    // below the type minimum: OPEN 28, UPDATE 22, NOTIFICATION 20, ROUTE-REFRESH 22
    expect(notifyOf(() => decodeHeader(hex(MARKER, '001c', '01')))).toEqual([1, 2, '001c']);
    expect(notifyOf(() => decodeHeader(hex(MARKER, '0016', '02')))).toEqual([1, 2, '0016']);
    expect(notifyOf(() => decodeHeader(hex(MARKER, '0014', '03')))).toEqual([1, 2, '0014']);
    expect(notifyOf(() => decodeHeader(hex(MARKER, '0016', '05')))).toEqual([1, 2, '0016']);
    // a KEEPALIVE is exactly 19: 20 is refused
    expect(notifyOf(() => decodeHeader(hex(MARKER, '0014', '04')))).toEqual([1, 2, '0014']);
  });

  it('refuses an unknown type with 1/3 carrying the type octet', () => {
    expect(notifyOf(() => decodeHeader(hex(MARKER, '0013', '06')))).toEqual([1, 3, '06']);
    expect(notifyOf(() => decodeHeader(hex(MARKER, '0020', '00')))).toEqual([1, 3, '00']);
    expect(notifyOf(() => decodeHeader(hex(MARKER, '0020', 'ff')))).toEqual([1, 3, 'ff']);
  });

  it('refuses fewer than 19 octets', () => {
    expect(notifyOf(() => decodeHeader(hex(MARKER, '00')))[0]).toBe(1);
  });
});

describe('beginMessage / endMessage', () => {
  it('writes the marker, patches the length', () => {
    const w = new Writer(4);
    const at = beginMessage(w, 3);
    w.u8(6).u8(2); // Cease / Administrative Shutdown
    endMessage(w, at);
    // marker, length 21, type 3, code 6, subcode 2
    expect(w.finish().toString('hex')).toBe(MARKER + '0015' + '03' + '0602');
  });

  it('patches a message that does not start at offset 0', () => {
    const w = new Writer();
    w.u8(0xaa);
    const at = beginMessage(w, 4);
    endMessage(w, at);
    expect(w.finish().toString('hex')).toBe('aa' + MARKER + '0013' + '04');
  });

  it('refuses a message over the maximum', () => {
    const w = new Writer();
    const at = beginMessage(w, 2);
    w.bytes(new Uint8Array(4096 - 18)); // 4097 in all
    expect(() => endMessage(w, at, 4096)).toThrow(WireError);
    endMessage(w, at, 65535);
    expect(w.view().readUInt16BE(16)).toBe(4097);
  });
});

describe('RFC 8654 §4: OPEN stays within 4096', () => {
  it('refuses an OPEN over 4096 even with the extended maximum', () => {
    expect(notifyOf(() => decodeHeader(hex(MARKER, '1001', '01'), 0, 65535))).toEqual([
      1,
      2,
      '1001',
    ]);
    expect(decodeHeader(hex(MARKER, '1000', '01'), 0, 65535)).toEqual({ length: 4096, type: 1 });
  });
});
