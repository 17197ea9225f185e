import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  capabilityCode,
  decodeCapabilities,
  encodeCapabilities,
  encodeCapability,
} from '../../src/wire/capabilities.js';
import { WireError } from '../../src/wire/errors.js';
import type { Capability } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';

/** Hex groups (whitespace ignored) to bytes; refuses odd or non-hex input. */
function hex(...parts: string[]): Buffer {
  const s = parts.join('').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex: ${s}`);
  return Buffer.from(s, 'hex');
}

function decode(bytes: Buffer): Capability[] {
  return decodeCapabilities(bytes, 0, bytes.length);
}

function encode(caps: readonly Capability[]): string {
  const w = new Writer(8);
  encodeCapabilities(w, caps);
  return w.finish().toString('hex');
}

/** Each vector: the TLV bytes and the capability they carry, checked in both directions. */
const VECTORS: [string, string, Capability][] = [
  // code 1, len 4, AFI 1, reserved, SAFI 128
  ['multiprotocol vpnv4', '01 04 0001 00 80', { kind: 'multiprotocol', afi: 1, safi: 128 }],
  // code 1, len 4, AFI 2, reserved, SAFI 1
  ['multiprotocol ipv6', '01 04 0002 00 01', { kind: 'multiprotocol', afi: 2, safi: 1 }],
  ['route refresh', '02 00', { kind: 'route-refresh' }], // code 2, len 0
  ['enhanced route refresh', '46 00', { kind: 'enhanced-route-refresh' }], // code 70, len 0
  ['extended message', '06 00', { kind: 'extended-message' }], // code 6, len 0
  // code 65, len 4, AS 65001
  ['four-octet AS 65001', '41 04 0000fde9', { kind: 'four-octet-as', asn: 65001 }],
  // code 65, len 4, AS 4200000000
  ['four-octet AS 4200000000', '41 04 fa56ea00', { kind: 'four-octet-as', asn: 4200000000 }],
  [
    'graceful restart',
    // code 64, len 10; flags R+N (0xc_) and restart time 0x0b4 = 180;
    // AFI 1 SAFI 128 flags F; AFI 2 SAFI 128 flags 0
    '40 0a c0b4 0001 80 80 0002 80 00',
    {
      kind: 'graceful-restart',
      restarting: true,
      notification: true,
      restartTime: 180,
      families: [
        { afi: 1, safi: 128, forwarding: true },
        { afi: 2, safi: 128, forwarding: false },
      ],
    },
  ],
  [
    'graceful restart, no families, time 4095',
    '40 02 0fff', // code 64, len 2, no flags, restart time 4095
    {
      kind: 'graceful-restart',
      restarting: false,
      notification: false,
      restartTime: 4095,
      families: [],
    },
  ],
  [
    'long-lived graceful restart',
    // code 71, len 7; AFI 1, SAFI 128, flags F, stale time 3600 (0x000e10)
    '47 07 0001 80 80 000e10',
    { kind: 'llgr', families: [{ afi: 1, safi: 128, flags: 0x80, staleTime: 3600 }] },
  ],
  [
    'add-path',
    // code 69, len 8; AFI 1 SAFI 128 receive (1); AFI 2 SAFI 128 send (2)
    '45 08 0001 80 01 0002 80 02',
    {
      kind: 'add-path',
      entries: [
        { afi: 1, safi: 128, sendReceive: 1 },
        { afi: 2, safi: 128, sendReceive: 2 },
      ],
    },
  ],
  [
    'extended next hop',
    // code 5, len 12; IPv4 unicast over IPv6; VPNv4 (SAFI 128 in 2 octets) over IPv6
    '05 0c 0001 0001 0002 0001 0080 0002',
    {
      kind: 'extended-next-hop',
      entries: [
        { afi: 1, safi: 1, nextHopAfi: 2 },
        { afi: 1, safi: 128, nextHopAfi: 2 },
      ],
    },
  ],
  [
    'hostname',
    // code 73, len 8; hostname length 3 "pe1"; domain length 3 "lab"
    '49 08 03 706531 03 6c6162',
    { kind: 'hostname', hostname: 'pe1', domain: 'lab' },
  ],
  [
    'hostname, empty domain',
    '49 05 03 706531 00', // code 73, len 5; "pe1"; domain length 0
    { kind: 'hostname', hostname: 'pe1', domain: '' },
  ],
  [
    'unknown code kept raw',
    '4b 03 02 6869', // code 75 (software version), len 3, value 02 "hi"
    { kind: 'unknown', code: 75, value: Uint8Array.from([0x02, 0x68, 0x69]) },
  ],
];

describe('capability vectors', () => {
  for (const [name, bytes, cap] of VECTORS) {
    it(`${name}: decode`, () => {
      const got = decode(hex(bytes));
      expect(got).toHaveLength(1);
      if (cap.kind === 'unknown') {
        expect(got[0]).toMatchObject({ kind: 'unknown', code: cap.code });
        expect(Buffer.from((got[0] as { value: Uint8Array }).value)).toEqual(
          Buffer.from(cap.value),
        );
      } else {
        expect(got[0]).toEqual(cap);
      }
    });
    it(`${name}: encode`, () => {
      expect(encode([cap])).toBe(hex(bytes).toString('hex'));
    });
  }

  it('decodes a sequence of TLVs', () => {
    // MP ipv4 unicast, route refresh, 4-octet AS 65001
    const caps = decode(hex('01 04 0001 00 01', '02 00', '41 04 0000fde9'));
    expect(caps.map((c) => c.kind)).toEqual(['multiprotocol', 'route-refresh', 'four-octet-as']);
    expect(caps.map(capabilityCode)).toEqual([1, 2, 65]);
  });
});

describe('non-canonical values re-encode byte for byte', () => {
  const cases: [string, string, Partial<Capability>][] = [
    // MP with a non-zero reserved octet
    ['multiprotocol reserved', '01 04 0002 ff 01', { kind: 'multiprotocol', afi: 2, safi: 1 }],
    // GR with the two reserved flag bits (0x30) set, time 0; family flags with reserved bits 0x7f
    [
      'graceful restart reserved bits',
      '40 06 3000 0001 01 7f',
      { kind: 'graceful-restart', restarting: false, restartTime: 0 },
    ],
    // hostname with no domain-length octet at all
    ['hostname without domain', '49 04 03 706531', { hostname: 'pe1', domain: '' }],
    // hostname with octets after the domain
    ['hostname trailing', '49 06 01 61 01 62 0000', { hostname: 'a', domain: 'b' }],
  ];
  for (const [name, bytes, shape] of cases) {
    it(name, () => {
      const caps = decode(hex(bytes));
      expect(caps[0]).toMatchObject(shape);
      expect(encode(caps)).toBe(hex(bytes).toString('hex'));
      // A copy is a new value: it encodes canonically.
      expect(encode([{ ...caps[0]! }])).not.toBe(hex(bytes).toString('hex'));
    });
  }

  it('a hostname of non-UTF-8 octets that would grow past 255 when re-encoded', () => {
    // code 73, len 202: hostname length 200 of 0xff, domain length 0
    const bytes = hex('49 ca c8', 'ff'.repeat(200), '00');
    const caps = decode(bytes);
    expect(caps[0]).toMatchObject({ kind: 'hostname', domain: '' });
    expect(encode(caps)).toBe(bytes.toString('hex'));
  });

  it('GR family reserved bits do not read as F', () => {
    const [gr] = decode(hex('40 06 0000 0001 01 7f'));
    expect(gr).toMatchObject({ families: [{ afi: 1, safi: 1, forwarding: false }] });
  });
});

describe('values that are not understood are kept raw', () => {
  it('route refresh with a value', () => {
    const caps = decode(hex('02 01 00')); // code 2, len 1 (RFC 2918 says 0)
    expect(caps[0]).toMatchObject({ kind: 'unknown', code: 2 });
    expect(encode(caps)).toBe('020100');
  });
  it('add-path with Send/Receive 4 (RFC 7911 §4)', () => {
    const caps = decode(hex('45 04 0001 01 04'));
    expect(caps[0]).toMatchObject({ kind: 'unknown', code: 69 });
    expect(encode(caps)).toBe('4504000101' + '04');
  });
});

function malformed(bytes: string, name: RegExp): void {
  let err: unknown;
  try {
    decode(hex(bytes));
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(WireError);
  const w = err as WireError;
  expect(w.kind).toBe('open');
  expect(w.notify).toEqual({ code: 2, subcode: 0, data: new Uint8Array(0) });
  expect(w.message).toMatch(name);
}

describe('malformed known capabilities: 2/0 naming the capability', () => {
  it('multiprotocol length 3 and 5', () => {
    malformed('01 03 0001 01', /multiprotocol/);
    malformed('01 05 0001 00 01 00', /multiprotocol/);
  });
  it('four-octet AS length 2', () => malformed('41 02 fde9', /four-octet AS/));
  it('graceful restart truncated / odd family bytes', () => {
    malformed('40 01 80', /graceful restart/);
    malformed('40 00', /graceful restart/);
    malformed('40 04 0078 0001', /graceful restart/);
    malformed('40 07 0078 0001 01 80 00', /graceful restart/);
  });
  it('LLGR not a multiple of 7 (CVE-2023-31489)', () => {
    malformed('47 06 0001 80 80 000e', /long-lived/);
    malformed('47 08 0001 80 80 000e10 00', /long-lived/);
  });
  it('add-path not a multiple of 4', () => malformed('45 03 0001 01', /add-path/));
  it('extended next hop not a multiple of 6', () => {
    malformed('05 04 0001 0001', /extended next hop/);
    malformed('05 07 0001 0001 0002 00', /extended next hop/);
  });
  it('hostname zero length, lengths running past the value', () => {
    malformed('49 00', /hostname/);
    malformed('49 02 05 61', /hostname/); // hostname length 5, 1 octet follows
    malformed('49 04 01 61 05 62', /hostname/); // domain length 5, 1 octet follows
  });
  it('a TLV running past the parameter', () => {
    malformed('01 04 0001', /multiprotocol/); // MP len 4, 2 octets follow
    malformed('41', /capabilit/); // a lone code octet
    malformed('02 00 41', /capabilit/);
  });
});

describe('encode limits', () => {
  it('refuses a hostname capability over 255 octets', () => {
    const w = new Writer();
    expect(() =>
      encodeCapability(w, { kind: 'hostname', hostname: 'h'.repeat(200), domain: 'd'.repeat(60) }),
    ).toThrow(WireError);
  });
  it('encodes a multi-byte UTF-8 hostname by octets', () => {
    // "é" is c3 a9: hostname length 2
    expect(encode([{ kind: 'hostname', hostname: 'é', domain: '' }])).toBe(
      '4904' + '02c3a9' + '00',
    );
  });
});

describe('typed capabilities round trip', () => {
  const u8 = fc.integer({ min: 0, max: 255 });
  const u16 = fc.integer({ min: 0, max: 0xffff });
  const word = fc.string({ maxLength: 40 });
  const cap: fc.Arbitrary<Capability> = fc.oneof(
    fc.record({ kind: fc.constant('multiprotocol' as const), afi: u16, safi: u8 }),
    fc.constant({ kind: 'route-refresh' as const }),
    fc.constant({ kind: 'enhanced-route-refresh' as const }),
    fc.constant({ kind: 'extended-message' as const }),
    fc.record({
      kind: fc.constant('four-octet-as' as const),
      asn: fc.integer({ min: 0, max: 0xffffffff }),
    }),
    fc.record({
      kind: fc.constant('graceful-restart' as const),
      restarting: fc.boolean(),
      notification: fc.boolean(),
      restartTime: fc.integer({ min: 0, max: 4095 }),
      families: fc.array(fc.record({ afi: u16, safi: u8, forwarding: fc.boolean() }), {
        maxLength: 10,
      }),
    }),
    fc.record({
      kind: fc.constant('llgr' as const),
      families: fc.array(
        fc.record({
          afi: u16,
          safi: u8,
          flags: u8,
          staleTime: fc.integer({ min: 0, max: 0xffffff }),
        }),
        { maxLength: 10 },
      ),
    }),
    fc.record({
      kind: fc.constant('add-path' as const),
      entries: fc.array(
        fc.record({ afi: u16, safi: u8, sendReceive: fc.integer({ min: 1, max: 3 }) }),
        { maxLength: 10 },
      ),
    }),
    fc.record({
      kind: fc.constant('extended-next-hop' as const),
      entries: fc.array(fc.record({ afi: u16, safi: u16, nextHopAfi: u16 }), { maxLength: 10 }),
    }),
    fc.record({ kind: fc.constant('hostname' as const), hostname: word, domain: word }),
  );

  it('decode(encode(cap)) equals cap', () => {
    fc.assert(
      fc.property(fc.array(cap, { maxLength: 5 }), (caps) => {
        const w = new Writer();
        encodeCapabilities(w, caps);
        const bytes = w.finish();
        expect(decode(bytes)).toEqual(caps);
      }),
      { numRuns: 2000 },
    );
  });
});
