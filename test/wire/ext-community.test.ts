import { describe, expect, it } from 'vitest';
import {
  decodeExtCommunity,
  extCommunityBytes,
  extCommunityKey,
  formatExtCommunity,
  parseExtCommunity,
  rtFromText,
  soOFromText,
} from '../../src/wire/ext-community.js';
import { WireError } from '../../src/wire/errors.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
const bytesHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('route targets from text', () => {
  it('2-octet AS form: type 00, subtype 02, AS 2 octets, number 4 octets', () => {
    const rt = rtFromText('65000:10');
    expect(rt).toEqual({
      kind: 'route-target',
      form: 'as2',
      transitive: true,
      global: 65000,
      local: 10,
    });
    expect(bytesHex(extCommunityBytes(rt))).toBe('0002' + 'fde8' + '0000000a');
  });

  it('IPv4 form: type 01, address 4 octets, number 2 octets', () => {
    expect(bytesHex(extCommunityBytes(rtFromText('10.0.0.1:5')))).toBe(
      '0102' + '0a000001' + '0005',
    );
  });

  it('4-octet AS form: type 02, AS 4 octets, number 2 octets; `L` forces it', () => {
    expect(bytesHex(extCommunityBytes(rtFromText('4200000000:7')))).toBe(
      '0202' + 'fa56ea00' + '0007',
    );
    expect(bytesHex(extCommunityBytes(rtFromText('65000L:10')))).toBe('0202' + '0000fde8' + '000a');
  });

  it('site of origin uses subtype 03', () => {
    expect(bytesHex(extCommunityBytes(soOFromText('10.0.0.1:5')))).toBe(
      '0103' + '0a000001' + '0005',
    );
  });

  it('rejects bad text with WireError', () => {
    expect(() => rtFromText('65000')).toThrow(WireError);
    expect(() => rtFromText('10.0.0.1:70000')).toThrow(WireError);
    expect(() => parseExtCommunity('XX:1:2')).toThrow(WireError);
  });
});

describe('decode', () => {
  it('reads the three forms and transitivity from the 0x40 bit', () => {
    expect(decodeExtCommunity(hex('4002 fde8 00000014'), 0)).toEqual({
      kind: 'route-target',
      form: 'as2',
      transitive: false,
      global: 65000,
      local: 20,
    });
    expect(decodeExtCommunity(hex('ffff | 4103 0a000001 0005'), 2)).toEqual({
      kind: 'route-origin',
      form: 'ipv4',
      transitive: false,
      global: 0x0a000001,
      local: 5,
    });
  });

  it('reads values with the top bit set as unsigned, in every form (read by index, not a DataView)', () => {
    // as2: 2-octet global, 4-octet local; as4 and ipv4: 4-octet global, 2-octet local.
    expect(decodeExtCommunity(hex('0002 ffff fedcba98'), 0)).toMatchObject({
      form: 'as2',
      global: 0xffff,
      local: 0xfedcba98,
    });
    expect(decodeExtCommunity(hex('0202 fa56ea00 fffe'), 0)).toMatchObject({
      form: 'as4',
      global: 4200000000,
      local: 0xfffe,
    });
    expect(decodeExtCommunity(hex('0103 c0a80001 8001'), 0)).toMatchObject({
      form: 'ipv4',
      global: 0xc0a80001,
      local: 0x8001,
    });
    // Each round-trips to its octets.
    for (const h of [
      '0002 ffff fedcba98',
      '0202 fa56ea00 fffe',
      '0103 c0a80001 8001',
      '4002 0001 80000000',
    ])
      expect(bytesHex(extCommunityBytes(decodeExtCommunity(hex(h), 0)))).toBe(h.replace(/ /g, ''));
  });

  it('keeps other types raw', () => {
    // 0x03/0x0c: BGP encapsulation extended community (RFC 9012), not decoded here
    expect(decodeExtCommunity(hex('030c 0000 0000 0008'), 0)).toEqual({
      kind: 'raw',
      bytes: new Uint8Array(hex('030c000000000008')),
    });
    // 0x00 with subtype 0x05 (not RT/SoO) stays raw too
    expect(decodeExtCommunity(hex('0005 fde8 0000000a'), 0).kind).toBe('raw');
  });
});

describe('text and keys', () => {
  it('formats RT, SoO, non-transitive and raw', () => {
    expect(formatExtCommunity(rtFromText('65000:10'))).toBe('RT:65000:10');
    expect(formatExtCommunity(soOFromText('10.0.0.1:5'))).toBe('SoO:10.0.0.1:5');
    expect(formatExtCommunity(rtFromText('4200000000:7'))).toBe('RT:4200000000:7');
    expect(formatExtCommunity(rtFromText('65000L:10'))).toBe('RT:65000L:10');
    expect(formatExtCommunity(decodeExtCommunity(hex('4002 fde8 00000014'), 0))).toBe(
      'RT-NT:65000:20',
    );
    expect(formatExtCommunity(decodeExtCommunity(hex('030c 0000 0000 0008'), 0))).toBe(
      '0x030c000000000008',
    );
  });

  it('parses what it formats', () => {
    for (const t of ['RT:65000:10', 'SoO:10.0.0.1:5', 'RT-NT:65000:20', '0x030c000000000008']) {
      expect(formatExtCommunity(parseExtCommunity(t))).toBe(t);
    }
  });

  it('keys are the 8 octets in hex: forms that print alike stay different', () => {
    expect(extCommunityKey(rtFromText('65000:10'))).toBe('0002fde80000000a');
    expect(extCommunityKey(rtFromText('65000L:10'))).toBe('02020000fde8000a');
    expect(extCommunityKey(rtFromText('65000:10'))).toBe(
      extCommunityKey(decodeExtCommunity(hex('0002fde80000000a'), 0)),
    );
    // a non-transitive RT is not the transitive one
    expect(extCommunityKey(decodeExtCommunity(hex('4002fde80000000a'), 0))).not.toBe(
      extCommunityKey(rtFromText('65000:10')),
    );
  });
});
