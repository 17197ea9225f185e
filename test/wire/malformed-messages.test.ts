// Cases 1-6 of /work/shared/reference/malformed-input.md as raw bytes: the exact NOTIFICATION
// (code, subcode, data) each one must produce, through decodeMessage and, for header errors,
// through the Framer as well.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { WireError } from '../../src/wire/errors.js';
import type { Notify } from '../../src/wire/errors.js';
import { Framer } from '../../src/wire/framer.js';
import { decodeMessage, encodeMessage } from '../../src/wire/message.js';
import { checkOpen } from '../../src/wire/open-check.js';
import type { OpenMessage } from '../../src/wire/types.js';

/** Hex groups (whitespace ignored) to bytes; refuses odd or non-hex input. */
function hex(...parts: string[]): Buffer {
  const s = parts.join('').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex: ${s}`);
  return Buffer.from(s, 'hex');
}

const MARKER = 'ff'.repeat(16);
const CTX = DEFAULT_CONTEXT;

/** The notify of the WireError f throws, as [code, subcode, data hex]. */
function thrown(f: () => unknown): [number, number, string] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    const n = (e as WireError).notify;
    expect(n).toBeDefined();
    return [n!.code, n!.subcode, Buffer.from(n!.data).toString('hex')];
  }
  throw new Error('expected a WireError');
}

function asTriple(n: Notify | undefined): [number, number, string] | undefined {
  return n && [n.code, n.subcode, Buffer.from(n.data).toString('hex')];
}

/** Header cases give the same answer through decodeMessage and through the Framer. */
function headerCase(frame: Buffer, expected: [number, number, string]): void {
  expect(thrown(() => decodeMessage(frame, CTX))).toEqual(expected);
  expect(thrown(() => new Framer().push(frame))).toEqual(expected);
  // the framer answers from the 19 header octets alone
  expect(thrown(() => new Framer().push(frame.subarray(0, 19)))).toEqual(expected);
}

describe('case 1: marker not all ones -> 1/1', () => {
  it('a zero octet in the marker', () => {
    headerCase(hex('ff'.repeat(8), '00', 'ff'.repeat(7), '0013 04'), [1, 1, '']);
  });
  it('an all-zero marker', () => {
    headerCase(hex('00'.repeat(16), '0013 04'), [1, 1, '']);
  });
});

describe('case 2: bad length -> 1/2 with the length field', () => {
  it('length 18', () => headerCase(hex(MARKER, '0012 04'), [1, 2, '0012']));
  it('length 4097 without extended messages', () => {
    headerCase(Buffer.concat([hex(MARKER, '1001 02'), Buffer.alloc(4097 - 19)]), [1, 2, '1001']);
  });
  it('OPEN of 28', () => {
    // length 28, type 1; 9 octets: version 4, AS, hold, 2 octets of the identifier
    headerCase(hex(MARKER, '001c 01', '04 fde9 005a 0a00 0000'), [1, 2, '001c']);
  });
  it('UPDATE of 22', () => headerCase(hex(MARKER, '0016 02', '0000 00'), [1, 2, '0016']));
  it('NOTIFICATION of 20', () => headerCase(hex(MARKER, '0014 03', '06'), [1, 2, '0014']));
  it('KEEPALIVE of 20', () => headerCase(hex(MARKER, '0014 04', '00'), [1, 2, '0014']));
  it('ROUTE-REFRESH of 22', () => headerCase(hex(MARKER, '0016 05', '0001 00'), [1, 2, '0016']));
});

describe('case 3: unknown type -> 1/3 with the type', () => {
  it('type 6', () => headerCase(hex(MARKER, '0013 06'), [1, 3, '06']));
  it('type 0', () => headerCase(hex(MARKER, '0017 00', '00000000'), [1, 3, '00']));
});

// version 4, My AS 65001, hold 90, BGP Identifier 10.0.0.1
const FIXED = '04 fde9 005a 0a000001';

function openFrame(...rest: string[]): Buffer {
  const body = hex(FIXED, ...rest);
  const len = 19 + body.length;
  return Buffer.concat([hex(MARKER, len.toString(16).padStart(4, '0'), '01'), body]);
}

describe('case 4: OPEN optional parameters truncated -> 2/0', () => {
  const cases: [string, Buffer][] = [
    ['Opt Parm Len runs past the end', openFrame('08', '02 02 02 00')],
    ['the message ends on a parameter length octet', openFrame('01', '02')],
    ['parameter length runs past the end', openFrame('04', '02 06 0104')],
    ['capability length runs past its parameter', openFrame('04', '02 02 01 04')],
    ['capability header cut by its parameter', openFrame('03', '02 01 01')],
    ['RFC 9072 form: extended length past the end', openFrame('ff ff 0040', '02 0002 0200')],
    ['RFC 9072 form: extended length short', openFrame('ff ff 0001', '02 0002 0200')],
    ['RFC 9072 form: ends inside the extended length', openFrame('ff ff 00')],
    ['RFC 9072 form: parameter length past the end', openFrame('ff ff 0005', '02 00ff 0200')],
    ['RFC 9072 form: parameter header cut', openFrame('ff ff 0002', '02 00')],
  ];
  for (const [name, frame] of cases) {
    it(name, () => expect(thrown(() => decodeMessage(frame, CTX))).toEqual([2, 0, '']));
  }
  it('the decoder stops at the frame even when the Buffer goes on', () => {
    // Opt Parm Len 4 with 4 octets present only beyond the frame's own bytes
    const frame = openFrame('04', '02 02 02 00');
    const short = Buffer.concat([frame.subarray(0, frame.length - 2)]);
    short.writeUInt16BE(short.length, 16);
    const backing = Buffer.concat([short, hex('02 00')]);
    const view = backing.subarray(0, short.length);
    expect(thrown(() => decodeMessage(view, CTX))).toEqual([2, 0, '']);
  });
});

function decodeOpenFrame(frame: Buffer): OpenMessage {
  const m = decodeMessage(frame, CTX).message;
  if (m.type !== 'open') throw new Error('not an OPEN');
  return m;
}

describe('case 5: OPEN semantic errors', () => {
  const LOCAL = 0x0a0000fe; // our identifier 10.0.0.254
  const check = (frame: Buffer, peerAs?: number): [number, number, string] | undefined =>
    asTriple(checkOpen(decodeOpenFrame(frame), { peerAs, localBgpId: LOCAL }));
  // Opt Parm Len 8: param 2 len 6: 4-octet AS capability with the given 4 octets
  const as4 = (asn: string): string => `08 02 06 41 04 ${asn}`;

  it('a good OPEN passes', () => {
    expect(check(openFrame('00'), 65001)).toBeUndefined();
    expect(check(openFrame(as4('0000fde9')), 65001)).toBeUndefined();
  });
  it('version 3 -> 2/1, data 0004', () => {
    // version 3, My AS 65001, hold 90, id 10.0.0.1, no parameters
    const frame = hex(MARKER, '001d 01', '03 fde9 005a 0a000001 00');
    expect(check(frame)).toEqual([2, 1, '0004']);
  });
  it('peer AS other than configured -> 2/2', () => {
    expect(check(openFrame('00'), 65002)).toEqual([2, 2, '']);
  });
  it('the 4-octet AS capability is the peer AS', () => {
    // My AS 23456 (AS_TRANS), capability 4200000000
    const frame = hex(MARKER, '0025 01', '04 5ba0 005a 0a000001', as4('fa56ea00'));
    expect(check(frame, 4200000000)).toBeUndefined();
    expect(check(frame, 23456)).toEqual([2, 2, '']);
    // My AS 65001 but the capability says 65002
    expect(check(openFrame(as4('0000fdea')), 65001)).toEqual([2, 2, '']);
  });
  it('AS 0 -> 2/2 (RFC 7607), in My AS or in the capability, even when any AS is accepted', () => {
    const myAs0 = hex(MARKER, '001d 01', '04 0000 005a 0a000001 00');
    expect(check(myAs0)).toEqual([2, 2, '']);
    const cap0 = hex(MARKER, '0025 01', '04 5ba0 005a 0a000001', as4('00000000'));
    expect(check(cap0)).toEqual([2, 2, '']);
  });
  it('hold time 1 or 2 -> 2/6', () => {
    expect(check(hex(MARKER, '001d 01', '04 fde9 0001 0a000001 00'))).toEqual([2, 6, '']);
    expect(check(hex(MARKER, '001d 01', '04 fde9 0002 0a000001 00'))).toEqual([2, 6, '']);
    expect(check(hex(MARKER, '001d 01', '04 fde9 0000 0a000001 00'))).toBeUndefined();
    expect(check(hex(MARKER, '001d 01', '04 fde9 0003 0a000001 00'))).toBeUndefined();
  });
  it('BGP Identifier 0 or ours -> 2/3', () => {
    expect(check(hex(MARKER, '001d 01', '04 fde9 005a 00000000 00'))).toEqual([2, 3, '']);
    expect(check(hex(MARKER, '001d 01', '04 fde9 005a 0a0000fe 00'))).toEqual([2, 3, '']);
  });
});

describe('case 6: capabilities with bad lengths -> 2/0, never a crash', () => {
  // Opt Parm Len, then one capabilities parameter holding the bad capability
  const capFrame = (cap: string): Buffer => {
    const c = hex(cap);
    return openFrame(
      (c.length + 2).toString(16).padStart(2, '0'),
      '02',
      c.length.toString(16).padStart(2, '0'),
      cap,
    );
  };
  const cases: [string, string][] = [
    ['MP length 3', '01 03 0001 01'],
    ['MP length 5', '01 05 0001 00 01 00'],
    ['4-octet AS length 2', '41 02 fde9'],
    ['4-octet AS length 5', '41 05 0000fde9 00'],
    ['GR truncated (1 octet)', '40 01 80'],
    ['GR odd family bytes', '40 05 0078 0001 01'],
    ['LLGR length 6', '47 06 0001 80 80 000e'],
    ['LLGR length 8', '47 08 0001 80 80 000e10 00'],
    ['add-path length 3', '45 03 0001 01'],
    ['extended next hop length 4', '05 04 0001 0001'],
    ['hostname zero length', '49 00'],
    ['hostname length past the value', '49 03 09 6162'],
    ['domain length past the value', '49 05 01 61 09 6263'],
  ];
  for (const [name, cap] of cases) {
    it(name, () => expect(thrown(() => decodeMessage(capFrame(cap), CTX))).toEqual([2, 0, '']));
  }
  it('an unknown capability with any length is kept, not refused', () => {
    // software version (75) with a zero length: not ours to judge
    const open = decodeOpenFrame(capFrame('4b 00'));
    expect(open.params[0]).toMatchObject({
      kind: 'capabilities',
      capabilities: [{ kind: 'unknown', code: 75 }],
    });
  });
});

describe('hostile bytes produce only WireError', () => {
  const onlyWireError = (f: () => unknown): void => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      expect(e.kind).not.toBe('truncated');
    }
  };

  it('random OPEN, NOTIFICATION and ROUTE-REFRESH bodies', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 3, 5),
        fc.uint8Array({ minLength: 0, maxLength: 300 }),
        (type, body) => {
          const len = 19 + body.length;
          const frame = Buffer.concat([
            hex(MARKER, len.toString(16).padStart(4, '0'), type.toString(16).padStart(2, '0')),
            body,
          ]);
          onlyWireError(() => decodeMessage(frame, CTX));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('OPENs built from random capability TLVs', () => {
    const tlv = fc
      .tuple(
        fc.constantFrom(1, 2, 5, 6, 64, 65, 69, 70, 71, 73, 75),
        fc.uint8Array({ maxLength: 20 }),
        fc.integer({ min: -2, max: 2 }),
      )
      .map(([code, value, skew]) =>
        Buffer.concat([Buffer.of(code, Math.max(0, value.length + skew) & 0xff), value]),
      );
    fc.assert(
      fc.property(fc.array(tlv, { maxLength: 8 }), (tlvs) => {
        const caps = Buffer.concat(tlvs);
        if (caps.length > 253) return;
        const frame = openFrame(
          (caps.length + 2).toString(16).padStart(2, '0'),
          '02',
          caps.length.toString(16).padStart(2, '0'),
          caps.toString('hex'),
        );
        let decoded;
        try {
          decoded = decodeMessage(frame, CTX);
        } catch (e) {
          if (!(e instanceof WireError)) throw e;
          expect(e.notify).toMatchObject({ code: 2, subcode: 0 });
          return;
        }
        // whatever decodes re-encodes byte for byte
        expect(encodeMessage(decoded.message, CTX).toString('hex')).toBe(frame.toString('hex'));
      }),
      { numRuns: 3000 },
    );
  });
});
