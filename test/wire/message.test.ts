import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import type { CodecContext } from '../../src/wire/context.js';
import { WireError } from '../../src/wire/errors.js';
import { decodeMessage, encodeMessage } from '../../src/wire/message.js';
import type { BgpMessage } from '../../src/wire/types.js';

/** Hex groups (whitespace ignored) to bytes; refuses odd or non-hex input. */
function hex(...parts: string[]): Buffer {
  const s = parts.join('').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex: ${s}`);
  return Buffer.from(s, 'hex');
}

const MARKER = 'ff'.repeat(16);
const CTX: CodecContext = DEFAULT_CONTEXT;
const EXT: CodecContext = { ...DEFAULT_CONTEXT, extendedMessage: true };

const VECTORS: [string, Buffer, BgpMessage][] = [
  ['KEEPALIVE', hex(MARKER, '0013 04'), { type: 'keepalive' }],
  [
    'OPEN',
    // length 43, type 1; version 4, My AS 23456, hold 180, id 192.0.2.1, Opt Parm Len 14:
    // param 2 len 12: 4-octet AS 4200000000; MP AFI 2 SAFI 128
    hex(MARKER, '002b 01', '04 5ba0 00b4 c0000201 0e', '02 0c 41 04 fa56ea00 01 04 0002 00 80'),
    {
      type: 'open',
      version: 4,
      myAs: 23456,
      holdTime: 180,
      bgpId: 0xc0000201,
      params: [
        {
          kind: 'capabilities',
          capabilities: [
            { kind: 'four-octet-as', asn: 4200000000 },
            { kind: 'multiprotocol', afi: 2, safi: 128 },
          ],
        },
      ],
    },
  ],
  [
    'ROUTE-REFRESH',
    hex(MARKER, '0017 05', '0002 00 80'), // length 23, type 5; AFI 2, subtype 0, SAFI 128
    { type: 'route-refresh', afi: 2, subtype: 0, safi: 128 },
  ],
];

describe('message vectors', () => {
  for (const [name, frame, msg] of VECTORS) {
    it(`${name}: decode`, () => {
      const d = decodeMessage(frame, CTX);
      expect(d.message).toEqual(msg);
      expect(d.problems).toEqual([]);
      expect(d.action).toBeUndefined();
      expect(d.notify).toBeUndefined();
    });
    it(`${name}: encode`, () => {
      expect(encodeMessage(msg, CTX).toString('hex')).toBe(frame.toString('hex'));
    });
  }

  it('NOTIFICATION both ways', () => {
    // length 23, type 3; Cease / Administrative Reset, data: length 1, "x"
    const frame = hex(MARKER, '0017 03', '06 04 01 78');
    const d = decodeMessage(frame, CTX);
    expect(d.message).toMatchObject({ type: 'notification', code: 6, subcode: 4 });
    const data = (d.message as { data: Uint8Array }).data;
    expect(Buffer.from(data).toString('hex')).toBe('0178');
    expect(encodeMessage(d.message, CTX).toString('hex')).toBe(frame.toString('hex'));
  });

  it('NOTIFICATION with no data', () => {
    const frame = hex(MARKER, '0015 03', '04 00'); // Hold Timer Expired
    const d = decodeMessage(frame, CTX);
    expect(d.message).toMatchObject({ type: 'notification', code: 4, subcode: 0 });
    expect((d.message as { data: Uint8Array }).data).toHaveLength(0);
  });
});

function wireError(f: () => unknown): WireError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    return e as WireError;
  }
  throw new Error('expected a WireError');
}

describe('decodeMessage errors', () => {
  it('a frame whose length differs from the header -> 1/2', () => {
    const e = wireError(() => decodeMessage(hex(MARKER, '0014 04'), CTX));
    expect(e.notify).toMatchObject({ code: 1, subcode: 2 });
    // header says 23 for a ROUTE-REFRESH, frame holds 24
    const e2 = wireError(() => decodeMessage(hex(MARKER, '0017 05', '0001 00 01 00'), CTX));
    expect(e2.kind).toBe('header');
    expect(Buffer.from(e2.notify!.data).toString('hex')).toBe('0017');
  });
  it('the maximum follows the context', () => {
    // a NOTIFICATION of 5000 octets (0x1388): 6/2 then 4979 octets
    const frame = Buffer.concat([hex(MARKER, '1388 03', '06 02'), Buffer.alloc(4979)]);
    expect(wireError(() => decodeMessage(frame, CTX)).notify).toMatchObject({
      code: 1,
      subcode: 2,
    });
    expect(decodeMessage(frame, EXT).message).toMatchObject({ code: 6, subcode: 2 });
  });
  it('OPEN structure errors -> 2/0', () => {
    // length 31: Opt Parm Len 2, param 2 with length 5 and nothing after
    const e = wireError(() => decodeMessage(hex(MARKER, '001f 01', FIXED, '02', '02 05'), CTX));
    expect(e.kind).toBe('open');
    expect(e.notify).toEqual({ code: 2, subcode: 0, data: new Uint8Array(0) });
  });
  it('BoRR of the wrong length -> 7/1 with the message', () => {
    const frame = hex(MARKER, '0018 05', '0001 01 01 ff');
    const e = wireError(() => decodeMessage(frame, CTX));
    expect(e.notify!.code).toBe(7);
    expect(e.notify!.subcode).toBe(1);
    expect(Buffer.from(e.notify!.data).toString('hex')).toBe(frame.toString('hex'));
  });
});

const FIXED = '04 fde9 005a 0a000001'; // version 4, My AS 65001, hold 90, id 10.0.0.1

describe('encodeMessage limits', () => {
  it('refuses a message over the negotiated maximum', () => {
    const big: BgpMessage = {
      type: 'notification',
      code: 6,
      subcode: 2,
      data: new Uint8Array(5000),
    };
    expect(() => encodeMessage(big, CTX)).toThrow(WireError);
    expect(encodeMessage(big, EXT)).toHaveLength(19 + 2 + 5000);
  });
  it('writes the largest message that fits', () => {
    const max: BgpMessage = {
      type: 'notification',
      code: 6,
      subcode: 2,
      data: new Uint8Array(4075),
    };
    const out = encodeMessage(max, CTX);
    expect(out.readUInt16BE(16)).toBe(4096);
    expect(decodeMessage(out, CTX).message).toMatchObject({ code: 6, subcode: 2 });
  });
});

describe('encodeMessage: OPEN limit', () => {
  it('refuses an OPEN over 4096 even with extended messages', () => {
    const open: BgpMessage = {
      type: 'open',
      version: 4,
      myAs: 65001,
      holdTime: 90,
      bgpId: 1,
      params: [{ kind: 'unknown', type: 9, value: new Uint8Array(5000) }],
    };
    expect(() => encodeMessage(open, EXT)).toThrow(WireError);
  });
});

describe('UPDATE through decodeMessage / encodeMessage', () => {
  it('the IPv4 unicast End-of-RIB (RFC 4724 §2) both ways', () => {
    // length 23, type 2; Withdrawn Routes Length 0, Total Path Attribute Length 0, no NLRI
    const frame = hex(MARKER, '0017 02', '0000', '0000');
    const d = decodeMessage(frame, CTX);
    expect(d.message).toEqual({ type: 'update', withdrawn: [], attributes: [], nlri: [] });
    expect(d.problems).toEqual([]);
    expect(d.action).toBeUndefined();
    expect(encodeMessage(d.message, CTX).toString('hex')).toBe(frame.toString('hex'));
  });
  it('copies the action and notify of an UPDATE whose lengths cannot be reconciled', () => {
    // length 25, type 2; Withdrawn Routes Length 0, Total Path Attribute Length 200 with 2
    // octets left: RFC 7606 §4 / case 7: 3/1 session reset, returned (decodeUpdate never throws)
    const frame = hex(MARKER, '0019 02', '0000', '00c8', '4001');
    const d = decodeMessage(frame, CTX);
    expect(d.action).toBe('session-reset');
    expect(d.notify).toMatchObject({ code: 3, subcode: 1 });
    expect(d.problems.length).toBeGreaterThan(0);
  });
});
