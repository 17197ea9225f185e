// Route distinguisher text and octets (RFC 4364 §4.2), hand-checked.
import { describe, expect, it } from 'vitest';
import { WireError } from '../../src/wire/errors.js';
import {
  RD_ZERO,
  rdEquals,
  rdFromBytes,
  rdFromText,
  rdKey,
  rdToBytes,
  rdToText,
  rdType,
} from '../../src/wire/rd.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('rd text <-> value', () => {
  // [text, type, the 8 octets on the wire]
  const cases: [string, number, string][] = [
    ['65000:10', 0, '0000' + 'fde8' + '0000000a'], // type 0: 2-octet AS | 4-octet number
    ['0:0', 0, '0000' + '0000' + '00000000'],
    ['65535:4294967295', 0, '0000' + 'ffff' + 'ffffffff'],
    ['10.0.0.1:5', 1, '0001' + '0a000001' + '0005'], // type 1: IPv4 | 2-octet number
    ['255.255.255.255:65535', 1, '0001' + 'ffffffff' + 'ffff'],
    ['4200000000:7', 2, '0002' + 'fa56ea00' + '0007'], // type 2: 4-octet AS | 2-octet number
    ['65000L:10', 2, '0002' + '0000fde8' + '000a'], // a small ASN in the 4-octet form
    ['7:0a0b0c0d0e0f', 7, '0007' + '0a0b0c0d0e0f'], // unknown type: TYPE:hex
    ['65535:ffffffffffff', 65535, 'ffff' + 'ffffffffffff'],
  ];
  for (const [text, type, octets] of cases) {
    it(`${text} is type ${type}, ${octets}`, () => {
      const rd = rdFromText(text);
      expect(hex(rdToBytes(rd))).toBe(octets);
      expect(rdType(rd)).toBe(type);
      expect(rdToText(rd)).toBe(text);
      expect(rdToText(rdFromBytes(Buffer.from(octets, 'hex')))).toBe(text);
    });
  }

  it('holds the halves as unsigned numbers', () => {
    expect(rdFromText('4200000000:7')).toStrictEqual({ hi: 0x0002fa56, lo: 0xea000007 });
    expect(rdFromText('255.255.255.255:65535')).toStrictEqual({ hi: 0x0001ffff, lo: 0xffffffff });
  });

  it('upper-case hex parses and prints lower case', () => {
    expect(rdToText(rdFromText('300:0A0B0C0D0E0F'))).toBe('300:0a0b0c0d0e0f');
  });

  it('refuses malformed text with a WireError of kind text', () => {
    for (const bad of [
      '',
      '65000',
      '65000:',
      ':10',
      'abc:10',
      '65000:-1',
      '65000:x',
      '1.2.3:4',
      '10.0.0.1:65536', // type 1 has a 2-octet number
      '4200000000:65536', // type 2 has a 2-octet number
      '4294967296:1',
      '0:0a0b0c0d0e0f', // the hex form is for unknown types only
      '2:0a0b0c0d0e0f',
      '65536:0a0b0c0d0e0f',
      '7:0a0b0c0d0e', // 10 hex digits: not 6 octets
    ]) {
      let err: unknown;
      try {
        rdFromText(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(WireError);
      expect((err as WireError).kind).toBe('text');
    }
  });
});

describe('rd helpers', () => {
  it('RD_ZERO, equality and keys', () => {
    expect(hex(rdToBytes(RD_ZERO))).toBe('0000000000000000');
    expect(rdToText(RD_ZERO)).toBe('0:0');
    expect(rdEquals(rdFromText('65000:10'), { hi: 65000, lo: 10 })).toBe(true);
    // 65000:10 (type 0) and 65000L:10 (type 2) print alike but are different RDs.
    expect(rdEquals(rdFromText('65000:10'), rdFromText('65000L:10'))).toBe(false);
    expect(rdKey(rdFromText('65000:10'))).not.toBe(rdKey(rdFromText('65000L:10')));
    expect(rdKey({ hi: 1, lo: 23 })).not.toBe(rdKey({ hi: 12, lo: 3 }));
  });

  it('rdFromBytes wants exactly 8 octets', () => {
    expect(() => rdFromBytes(new Uint8Array(7))).toThrow(WireError);
  });
});
