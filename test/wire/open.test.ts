import { describe, expect, it } from 'vitest';
import { WireError } from '../../src/wire/errors.js';
import { AS_TRANS, buildOpen, decodeOpen, encodeOpen } from '../../src/wire/open.js';
import {
  capabilitiesOf,
  checkOpen,
  findCapabilities,
  findCapability,
  peerAsOf,
} from '../../src/wire/open-check.js';
import type { OpenMessage } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';

/** Hex groups (whitespace ignored) to bytes; refuses odd or non-hex input. */
function hex(...parts: string[]): Buffer {
  const s = parts.join('').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex: ${s}`);
  return Buffer.from(s, 'hex');
}

function decode(body: Buffer): OpenMessage {
  return decodeOpen(body, 0, body.length);
}

function encode(open: OpenMessage): string {
  const w = new Writer(16);
  encodeOpen(w, open);
  return w.finish().toString('hex');
}

// version 4, My AS 65001, hold time 90, BGP Identifier 10.0.0.1
const FIXED = '04 fde9 005a 0a000001';

const BASE = hex(
  FIXED,
  '14', // Opt Parm Len 20
  '02 06 01 04 0001 00 01', // param 2 (capabilities), len 6: MP AFI 1 SAFI 1
  '02 02 02 00', // param 2, len 2: route refresh
  '02 06 41 04 0000fde9', // param 2, len 6: 4-octet AS 65001
);

const BASE_OPEN: OpenMessage = {
  type: 'open',
  version: 4,
  myAs: 65001,
  holdTime: 90,
  bgpId: 0x0a000001,
  params: [
    { kind: 'capabilities', capabilities: [{ kind: 'multiprotocol', afi: 1, safi: 1 }] },
    { kind: 'capabilities', capabilities: [{ kind: 'route-refresh' }] },
    { kind: 'capabilities', capabilities: [{ kind: 'four-octet-as', asn: 65001 }] },
  ],
};

// The same parameters in the RFC 9072 extended form.
const EXTENDED = hex(
  FIXED,
  'ff', // Non-Ext OP Len 255
  'ff', // Non-Ext OP Type 255
  '0017', // Extended Opt. Parm. Length 23
  '02 0006 01 04 0001 00 01', // param 2, 2-octet len 6: MP AFI 1 SAFI 1
  '02 0002 02 00', // param 2, len 2: route refresh
  '02 0006 41 04 0000fde9', // param 2, len 6: 4-octet AS 65001
);

describe('OPEN vectors', () => {
  it('decodes the base form', () => {
    expect(decode(BASE)).toEqual(BASE_OPEN);
  });
  it('encodes the base form', () => {
    expect(encode(BASE_OPEN)).toBe(BASE.toString('hex'));
  });
  it('decodes the RFC 9072 extended form', () => {
    expect(decode(EXTENDED)).toEqual({ ...BASE_OPEN, extendedParams: true });
  });
  it('encodes the extended form when asked', () => {
    expect(encode({ ...BASE_OPEN, extendedParams: true })).toBe(EXTENDED.toString('hex'));
  });
  it('no optional parameters', () => {
    // version 4, My AS 65000, hold 180, id 192.168.0.1, Opt Parm Len 0
    const body = hex('04 fde8 00b4 c0a80001 00');
    const open = decode(body);
    expect(open).toEqual({
      type: 'open',
      version: 4,
      myAs: 65000,
      holdTime: 180,
      bgpId: 0xc0a80001,
      params: [],
    });
    expect(encode(open)).toBe(body.toString('hex'));
  });
  it('keeps unknown parameter types raw', () => {
    // Opt Parm Len 4: param 1 (authentication, deprecated), len 2, ab cd
    const body = hex(FIXED, '04', '01 02 abcd');
    const open = decode(body);
    expect(open.params).toHaveLength(1);
    expect(open.params[0]).toMatchObject({ kind: 'unknown', type: 1 });
    expect(encode(open)).toBe(body.toString('hex'));
  });
  it('several capabilities in one parameter', () => {
    // Opt Parm Len 10: param 2, len 8: MP AFI 1 SAFI 128, then extended message
    const body = hex(FIXED, '0a', '02 08 01 04 0001 00 80 06 00');
    const open = decode(body);
    expect(open.params).toEqual([
      {
        kind: 'capabilities',
        capabilities: [{ kind: 'multiprotocol', afi: 1, safi: 128 }, { kind: 'extended-message' }],
      },
    ]);
    expect(encode(open)).toBe(body.toString('hex'));
  });
  it('switches to the extended form when the parameters exceed 255 octets', () => {
    const a = new Uint8Array(200).fill(0xaa);
    const b = new Uint8Array(200).fill(0xbb);
    const open: OpenMessage = {
      ...BASE_OPEN,
      params: [
        { kind: 'unknown', type: 9, value: a },
        { kind: 'unknown', type: 9, value: b },
      ],
    };
    const expected = hex(
      FIXED,
      'ff ff', // Non-Ext OP Len 255, Non-Ext OP Type 255
      '0196', // Extended Opt. Parm. Length: 2 * (3 + 200) = 406
      '09 00c8',
      'aa'.repeat(200), // param 9, len 200
      '09 00c8',
      'bb'.repeat(200), // param 9, len 200
    );
    expect(encode(open)).toBe(expected.toString('hex'));
    const back = decode(expected);
    expect(back.extendedParams).toBe(true);
    expect(encode(back)).toBe(expected.toString('hex'));
  });
  it('a base-form Opt Parm Len of 255 whose first parameter is not type 255 stays base form', () => {
    // Opt Parm Len 255: one unknown param 7 of 253 octets
    const body = hex(FIXED, 'ff', '07 fd', '11'.repeat(253));
    const open = decode(body);
    expect(open.extendedParams).toBeUndefined();
    expect(open.params[0]).toMatchObject({ kind: 'unknown', type: 7 });
    expect(encode(open)).toBe(body.toString('hex'));
  });
});

describe('buildOpen', () => {
  it('uses AS_TRANS for a 4-octet ASN and one capabilities parameter', () => {
    const open = buildOpen({
      asn: 4200000000,
      holdTime: 90,
      bgpId: 0x0a000001,
      capabilities: [{ kind: 'four-octet-as', asn: 4200000000 }, { kind: 'route-refresh' }],
    });
    expect(open.myAs).toBe(AS_TRANS);
    // version 4, My AS 23456 (5ba0), hold 90, id; Opt Parm Len 10: param 2 len 8:
    // 4-octet AS 4200000000, route refresh
    expect(encode(open)).toBe(
      hex('04 5ba0 005a 0a000001', '0a', '02 08 41 04 fa56ea00 02 00').toString('hex'),
    );
    expect(peerAsOf(open)).toBe(4200000000);
    expect(capabilitiesOf(open).map((c) => c.kind)).toEqual(['four-octet-as', 'route-refresh']);
  });
  it('a 2-octet ASN goes in My AS as it is', () => {
    const open = buildOpen({ asn: 65001, holdTime: 0, bgpId: 1, capabilities: [] });
    expect(open.myAs).toBe(65001);
    expect(open.params).toEqual([]);
    expect(peerAsOf(open)).toBe(65001);
  });
});

function openError(body: Buffer): WireError {
  try {
    decode(body);
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    return e as WireError;
  }
  throw new Error('expected a WireError');
}

describe('structural errors are 2/0 and never read past the buffer', () => {
  const cases: [string, Buffer][] = [
    ['body ends inside the fixed part', hex('04 fde9 005a 0a00')],
    ['body ends on Opt Parm Len', hex('04 fde9 005a 0a000001')],
    ['Opt Parm Len runs past the end', hex(FIXED, '0a', '02 02 02 00')],
    ['Opt Parm Len short of the end', hex(FIXED, '02', '02 02 02 00')],
    ['ends on a parameter length octet', hex(FIXED, '01', '02')],
    ['parameter length runs past', hex(FIXED, '08', '02 08 01 04 0001 00 01')],
    ['capability runs past its parameter', hex(FIXED, '06', '02 04 01 04 0001')],
    ['extended: length missing', hex(FIXED, 'ff ff 00')],
    ['extended: length runs past', hex(FIXED, 'ff ff 0010', '02 0002 02 00')],
    ['extended: length short of the end', hex(FIXED, 'ff ff 0002', '02 0002 02 00')],
    ['extended: parameter header truncated', hex(FIXED, 'ff ff 0002', '02 00')],
    ['extended: parameter length runs past', hex(FIXED, 'ff ff 0005', '02 0009 02 00')],
  ];
  for (const [name, body] of cases) {
    it(name, () => {
      const e = openError(body);
      expect(e.kind).toBe('open');
      expect(e.notify).toEqual({ code: 2, subcode: 0, data: new Uint8Array(0) });
    });
  }
  it('does not look beyond `end` when the buffer holds more', () => {
    // Opt Parm Len 4 claims a param whose bytes lie past `end` but inside the Buffer
    const buf = hex(FIXED, '04', '02 02 02 00');
    expect(() => decodeOpen(buf, 0, buf.length - 2)).toThrow(WireError);
  });
});

describe('checkOpen', () => {
  const expectAny = { localBgpId: 0x0a0000fe };
  it('accepts a good OPEN', () => {
    expect(checkOpen(BASE_OPEN, { peerAs: 65001, localBgpId: 0x0a0000fe })).toBeUndefined();
    expect(checkOpen(BASE_OPEN, expectAny)).toBeUndefined();
  });
  it('version 3 -> 2/1 with version 4 as data', () => {
    expect(checkOpen({ ...BASE_OPEN, version: 3 }, expectAny)).toEqual({
      code: 2,
      subcode: 1,
      data: Uint8Array.of(0x00, 0x04),
    });
  });
  it('hold time 1 and 2 -> 2/6; 0 and 3 are fine', () => {
    for (const holdTime of [1, 2]) {
      expect(checkOpen({ ...BASE_OPEN, holdTime }, expectAny)).toMatchObject({
        code: 2,
        subcode: 6,
      });
    }
    for (const holdTime of [0, 3]) {
      expect(checkOpen({ ...BASE_OPEN, holdTime }, expectAny)).toBeUndefined();
    }
  });
  it('the same identifier on an eBGP session is allowed when our AS is known (RFC 6286)', () => {
    const open = { ...BASE_OPEN, bgpId: 0x0a0000fe };
    expect(checkOpen(open, { localBgpId: 0x0a0000fe, localAs: 65000 })).toBeUndefined();
    expect(checkOpen(open, { localBgpId: 0x0a0000fe, localAs: 65001 })).toMatchObject({
      code: 2,
      subcode: 3,
    });
    expect(checkOpen(open, { localBgpId: 0x0a0000fe })).toMatchObject({ code: 2, subcode: 3 });
  });
});

describe('findCapability / findCapabilities', () => {
  it('finds by kind across parameters', () => {
    const caps = capabilitiesOf(BASE_OPEN);
    expect(findCapability(caps, 'four-octet-as')?.asn).toBe(65001);
    expect(findCapability(caps, 'llgr')).toBeUndefined();
    expect(findCapabilities(caps, 'multiprotocol')).toEqual([
      { kind: 'multiprotocol', afi: 1, safi: 1 },
    ]);
  });
});
