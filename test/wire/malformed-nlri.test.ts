// malformed-input.md cases 21, 22 and 23 at the NLRI / next-hop level (raw bytes -> the error and
// its NOTIFICATION code/subcode), then through decodeUpdate (raw UPDATE body -> RFC 7606 action).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONTEXT, type CodecContext } from '../../src/wire/context.js';
import { WireError } from '../../src/wire/errors.js';
import { decodeNextHop, isMartianNextHop } from '../../src/wire/nexthop.js';
import { decodeIpv4Field, decodeNlriList } from '../../src/wire/nlri/index.js';
import { Reader } from '../../src/wire/reader.js';
import { decodeUpdate } from '../../src/wire/update.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function thrown(f: () => unknown): WireError {
  try {
    f();
  } catch (e) {
    if (e instanceof WireError) return e;
    throw e;
  }
  throw new Error('expected a WireError, nothing was thrown');
}

function expectNotify(f: () => unknown, subcode: number): WireError {
  const e = thrown(f);
  expect(e.kind).toBe('update');
  expect(e.notify?.code).toBe(3);
  expect(e.notify?.subcode).toBe(subcode);
  return e;
}

/** NLRI of (afi, safi) as MP_REACH (withdraw false) or MP_UNREACH (true) see them: errors 3/9. */
const mp =
  (afi: number, safi: number, wire: string, withdraw = false) =>
  () =>
    decodeNlriList(afi, safi, new Reader(h(wire)), DEFAULT_CONTEXT, withdraw, 9);

const RD0 = '0000fde8 0000000a'; // 65000:10

describe('case 21: MP_REACH next hop for VPNv4 (RFC 7606 §7.11, RFC 4364 §4.3.2)', () => {
  it('lengths other than 12, 24 and 48 are 3/9', () => {
    for (const len of [0, 1, 4, 8, 11, 13, 16, 20, 23, 25, 32, 47, 49, 255]) {
      const e = expectNotify(() => decodeNextHop(1, 128, Buffer.alloc(len)), 9);
      expect(e.message).toContain(`${len} octets`);
    }
  });

  it('VPNv6 and the plain families refuse their bad lengths too', () => {
    for (const len of [0, 12, 16, 32, 47])
      expectNotify(() => decodeNextHop(2, 128, Buffer.alloc(len)), 9);
    for (const len of [0, 3, 5, 12]) expectNotify(() => decodeNextHop(1, 1, Buffer.alloc(len)), 9);
    for (const len of [0, 4, 15, 17, 48])
      expectNotify(() => decodeNextHop(2, 1, Buffer.alloc(len)), 9);
    for (const len of [0, 8, 32]) expectNotify(() => decodeNextHop(1, 132, Buffer.alloc(len)), 9);
  });

  it('a martian VPNv4 next hop decodes, and the predicate flags it', () => {
    for (const addr of ['00000000', '7f000001', 'e0000005', 'f0000001', 'ffffffff']) {
      const nh = decodeNextHop(1, 128, h('0000000000000000' + addr));
      expect(isMartianNextHop(nh), addr).toBe(true);
    }
    expect(isMartianNextHop(decodeNextHop(1, 128, h('0000000000000000 0a000001')))).toBe(false);
  });
});

describe('case 22: VPNv4 NLRI syntax (RFC 7606 §5.3, RFC 4364 §4.3.4)', () => {
  it('length < 88 (one label + RD), including length 0 (the "0/0 prefix")', () => {
    expectNotify(mp(1, 128, '00'), 9);
    expectNotify(mp(1, 128, `57 000641 ${RD0}`), 9); // 87
    expectNotify(mp(1, 128, '18 000641'), 9); // 24: a label and nothing else
  });

  it('prefix part longer than 32 bits (length > 120 with one label)', () => {
    expectNotify(mp(1, 128, `79 000641 ${RD0} 0a010203 80`), 9); // 121
    expectNotify(mp(1, 128, `ff 000641 ${RD0} ${'00'.repeat(21)}`), 9); // 255
  });

  it('VPNv6 prefix part longer than 128 bits', () => {
    expectNotify(mp(2, 128, `d9 000641 ${RD0} ${'20'.repeat(17)}`), 9); // 217
  });

  it('prefix octets past the end of the attribute', () => {
    expectNotify(mp(1, 128, `70 000641 ${RD0} 0a01`), 9); // /24 with 2 of 3 octets
    // The second NLRI runs long (FRR IPv4-VPNv4-plenn-long).
    expectNotify(mp(1, 128, `70 000641 ${RD0} 0a0100  78 000641 ${RD0} 0a0100`), 9);
  });

  it('truncated label or RD', () => {
    expectNotify(mp(1, 128, '58 0006'), 9); // ends inside the label
    expectNotify(mp(1, 128, '58 000641 0000fde8'), 9); // ends inside the RD
    expectNotify(mp(1, 128, '70'), 9); // only the length octet
  });

  it('a label stack without BoS inside the length', () => {
    expectNotify(mp(1, 128, `58 000640 ${RD0}`), 9); // one entry, BoS clear
    // 112 bits: entries 000640 and 00010a (both BoS clear), no room left for the RD.
    expectNotify(mp(1, 128, '70 000640 00010a000001 0004 0a0100'), 9);
  });

  it('the add-path identifier truncated', () => {
    const ctx: CodecContext = { ...DEFAULT_CONTEXT, addPath: new Set([(1 << 8) | 128]) };
    const r = new Reader(h('000000'));
    expectNotify(() => decodeNlriList(1, 128, r, ctx, false, 9), 9);
  });

  it('path identifiers without add-path negotiated: an error that names them (RFC 7911 §3)', () => {
    // Path id 1, then a VPNv4 NLRI: read without add-path, its first octet is a length of 0.
    const vpn = expectNotify(mp(1, 128, `00000001 70 000641 ${RD0} 0a0100`), 9);
    expect(vpn.message).toMatch(/path identifier, RFC 7911 §3\? add-path is not negotiated/);
    const labeled = expectNotify(mp(1, 4, '00000001 30 000641 0a0100'), 9);
    expect(labeled.message).toMatch(/path identifier, RFC 7911 §3\?/);
    // A real length error says nothing about path identifiers.
    expect(expectNotify(mp(1, 128, `50 000641 ${RD0}`), 9).message).not.toMatch(/RFC 7911/);
  });

  it('unicast NLRI after a path identifier: undetectable when they parse, named when they fail', () => {
    // Path id 1, then 10.1.0.0/24, without add-path: three /0, a /1 and a /10, all valid NLRI. The
    // wire cannot say these were not meant (the comment in wire/nlri/prefix.ts).
    expect(mp(1, 1, '00000001 18 0a0100')()).toHaveLength(5);
    // Path id 1, then 10.1.2.3/32: the last length (3) has no octet left; the field started with a
    // length of 0, so the error names a path identifier as the likely cause.
    const e = expectNotify(mp(1, 1, '00000001 20 0a010203'), 9);
    expect(e.message).toMatch(/path identifier, RFC 7911 §3\? add-path is not negotiated/);
    // The same length error in a field that does not start with 0 says nothing of path ids.
    expect(expectNotify(mp(1, 1, '18 0a0100 03'), 9).message).not.toMatch(/RFC 7911/);
    // The IPv4 NLRI field of an UPDATE (3/10) the same.
    const field = thrown(() =>
      decodeIpv4Field(new Reader(h('00000001 20 0a010203')), DEFAULT_CONTEXT),
    );
    expect(field.notify?.subcode).toBe(10);
    expect(field.message).toMatch(/path identifier/);
  });

  it('an unknown RD type is parsed and kept (FRR IPv4-VPNv4-bogus-rd-type: SHOULD_PARSE)', () => {
    const got = mp(1, 128, '70 000641 00ff 0a0b0c0d0e0f 0a0100')();
    expect(got).toStrictEqual([
      {
        kind: 'vpn',
        labels: [0x000641],
        rd: { hi: 0x00ff0a0b, lo: 0x0c0d0e0f },
        prefix: { afi: 1, len: 24, addr: 0x0a010000 },
      },
    ]);
  });

  it('MP_UNREACH: the 3-octet label field is a compatibility value, any content', () => {
    for (const label of ['800000', '000000', 'ffffff', '000641']) {
      const got = mp(1, 128, `70 ${label} ${RD0} 0a0100`, true)();
      expect(got?.length, label).toBe(1);
    }
  });

  it('the error carries the subcode the caller names', () => {
    const r = new Reader(h('57'));
    expectNotify(() => decodeNlriList(1, 128, r, DEFAULT_CONTEXT, false, 1), 1);
  });
});

describe('case 23: IPv4 fields and truncated MP_UNREACH (RFC 4271 §6.3, RFC 7606 §5.3)', () => {
  const field = (wire: string) => () => decodeIpv4Field(new Reader(h(wire)), DEFAULT_CONTEXT);

  it('IPv4 field: prefix length > 32 is 3/10', () => {
    expectNotify(field('21 0a010203 00'), 10); // 33
    expectNotify(field('18 0a0102  ff'), 10); // the second one is /255
  });

  it('IPv4 field: a prefix overrunning the field is 3/10', () => {
    expectNotify(field('18 0a01'), 10);
    expectNotify(field('18 0a0102  20'), 10); // a /32 with no octets
  });

  it('MP_UNREACH with truncated withdrawn NLRI is 3/9', () => {
    expectNotify(mp(1, 128, `70 800000 ${RD0}`, true), 9);
    expectNotify(mp(1, 128, `70 800000 ${RD0} 0a0100  70 80`, true), 9);
    expectNotify(mp(1, 1, '18 0a01', true), 9);
    expectNotify(mp(2, 1, '81', true), 9); // IPv6 /129
    expectNotify(mp(1, 4, '30 800000 0a', true), 9);
  });
});

// ---------------------------------------------------------------------------------------------
// Through decodeUpdate. Bodies are hand-assembled: withdrawn length (2) | withdrawn | attribute
// length (2) | attributes | NLRI. ORIGIN `40 01 01 00`, empty AS_PATH `40 02 00` (iBGP).

const IBGP: CodecContext = { ...DEFAULT_CONTEXT, ibgp: true };
const ORIGIN_ASPATH = '40010100 400200'; // 7 octets

function update(body: string) {
  const b = h(body);
  return decodeUpdate(b, 0, b.length, IBGP);
}

describe('cases 21-23 through decodeUpdate', () => {
  it('baseline: a sound VPNv4 MP_REACH has no problems', () => {
    // MP_REACH: 80 0e 24 | AFI 0001 SAFI 80 | nh len 0c, RD 0 + 10.0.0.1 | reserved 00 |
    // NLRI 70 000641 RD 10.1.0.0/24 (15 octets). Value 2+1+1+12+1+15 = 32 = 0x20;
    // attributes 7 + 3 + 32 = 42 = 0x2a.
    const r = update(
      `0000 002a ${ORIGIN_ASPATH} 800e20 0001 80 0c 0000000000000000 0a000001 00 70000641${RD0}0a0100`,
    );
    expect(r.problems).toStrictEqual([]);
    expect(r.action).toBeUndefined();
  });

  it('case 21: a VPNv4 next hop of 16 octets resets the session (3/9)', () => {
    // value: 0001 80 10 <16> 00 <15> = 36 = 0x24; attributes 7 + 3 + 36 = 46 = 0x2e
    const r = update(
      `0000 002e ${ORIGIN_ASPATH} 800e24 0001 80 10 ${'00'.repeat(8)}${'0a000001'.repeat(2)} 00 70000641${RD0}0a0100`,
    );
    expect(r.action).toBe('session-reset');
    expect(r.notify?.code).toBe(3);
    expect(r.notify?.subcode).toBe(9);
  });

  it('case 21: a next hop length running past the attribute resets (3/1)', () => {
    // value: 0001 80 40 0a000001 (8 octets); attributes 7 + 3 + 8 = 18 = 0x12
    const r = update(`0000 0012 ${ORIGIN_ASPATH} 800e08 0001 80 40 0a000001`);
    expect(r.action).toBe('session-reset');
    expect(r.notify?.subcode).toBe(1);
  });

  it('case 21: an MP_REACH shorter than 5 octets resets (3/1)', () => {
    const r = update(`0000 000e ${ORIGIN_ASPATH} 800e04 0001 80 0c`);
    expect(r.action).toBe('session-reset');
    expect(r.notify?.subcode).toBe(1);
  });

  it('case 21: a martian MP next hop is treat-as-withdraw (3/8), the NLRI kept to withdraw', () => {
    // As the baseline, next hop RD 0 + 0.0.0.0 / 127.0.0.1 / 224.0.0.5.
    for (const nh of ['00000000', '7f000001', 'e0000005']) {
      const r = update(
        `0000 002a ${ORIGIN_ASPATH} 800e20 0001 80 0c 0000000000000000 ${nh} 00 70000641${RD0}0a0100`,
      );
      expect(r.action, nh).toBe('treat-as-withdraw');
      expect(r.notify?.code).toBe(3);
      expect(r.notify?.subcode).toBe(8);
      const mpReach = r.update.attributes.find((a) => a.kind === 'mp-reach');
      expect(mpReach?.kind === 'mp-reach' && mpReach.nlri.length).toBe(1);
    }
  });

  it('case 21: a loopback MP next hop is accepted when the session allows loopback', () => {
    const b = h(
      `0000 002a ${ORIGIN_ASPATH} 800e20 0001 80 0c 0000000000000000 7f000001 00 70000641${RD0}0a0100`,
    );
    const r = decodeUpdate(b, 0, b.length, { ...IBGP, allowLoopbackNextHop: true });
    expect(r.problems).toStrictEqual([]);
  });

  it('case 21: an MP_REACH with no NLRI does not judge its next hop', () => {
    // value: 0001 80 0c RD 0 + 0.0.0.0, reserved 00 = 17 = 0x11; attributes 7 + 3 + 17 = 27
    const r = update(`0000 001b ${ORIGIN_ASPATH} 800e11 0001 80 0c 0000000000000000 00000000 00`);
    expect(r.problems).toStrictEqual([]);
  });

  it('case 22: VPNv4 NLRI length 87 in MP_REACH resets the session (3/9)', () => {
    // NLRI 57 000641 RD (12 octets): value 2+1+1+12+1+12 = 29 = 0x1d; attributes 7+3+29 = 39
    const r = update(
      `0000 0027 ${ORIGIN_ASPATH} 800e1d 0001 80 0c 0000000000000000 0a000001 00 57000641${RD0}`,
    );
    expect(r.action).toBe('session-reset');
    expect(r.notify?.subcode).toBe(9);
  });

  it('case 22: an unknown RD type parses with no problem', () => {
    // as the baseline, with RD type 0x00ff
    const r = update(
      `0000 002a ${ORIGIN_ASPATH} 800e20 0001 80 0c 0000000000000000 0a000001 00 70000641 00ff0a0b0c0d0e0f 0a0100`,
    );
    expect(r.problems).toStrictEqual([]);
    const mpReach = r.update.attributes.find((a) => a.kind === 'mp-reach');
    expect(mpReach?.kind === 'mp-reach' && mpReach.nlri[0]).toMatchObject({
      rd: { hi: 0x00ff0a0b, lo: 0x0c0d0e0f },
    });
  });

  it('case 22: MP_UNREACH with the compatibility label withdraws with no problem', () => {
    // MP_UNREACH 80 0f 12 | 0001 80 | 70 800000 RD 0a0100 (15): value 18 = 0x12; attrs 21 = 0x15
    const r = update(`0000 0015 800f12 0001 80 70800000${RD0}0a0100`);
    expect(r.problems).toStrictEqual([]);
    const un = r.update.attributes.find((a) => a.kind === 'mp-unreach');
    expect(un?.kind === 'mp-unreach' && un.nlri.length).toBe(1);
  });

  it('case 23: IPv4 NLRI field with /33 resets (3/10)', () => {
    // NEXT_HOP 40 03 04 0a000001; attributes 7 + 7 = 14 = 0x0e; NLRI 21 0a010203 00
    const r = update(`0000 000e ${ORIGIN_ASPATH} 4003040a000001 21 0a010203 00`);
    expect(r.action).toBe('session-reset');
    expect(r.notify?.subcode).toBe(10);
  });

  it('case 23: withdrawn routes overrunning their field reset (3/10)', () => {
    const r = update('0003 18 0a01  0000');
    expect(r.action).toBe('session-reset');
    expect(r.notify?.subcode).toBe(10);
  });

  it('case 23: a truncated MP_UNREACH withdrawn NLRI resets (3/9)', () => {
    // value 0001 80 70 800000 RD (15 = 0x0f; the /24 octets are missing); attributes 18 = 0x12
    const r = update(`0000 0012 800f0f 0001 80 70800000${RD0}`);
    expect(r.action).toBe('session-reset');
    expect(r.notify?.subcode).toBe(9);
  });
});

describe('totality', () => {
  it('random bytes give NLRI or a WireError of kind update with a 3/x notify, nothing else', () => {
    const families: [number, number][] = [
      [1, 1],
      [2, 1],
      [1, 4],
      [2, 4],
      [1, 128],
      [2, 128],
      [1, 132],
    ];
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom(...families),
        fc.boolean(),
        fc.boolean(),
        (bytes, [afi, safi], withdraw, addPath) => {
          const ctx: CodecContext = addPath
            ? { ...DEFAULT_CONTEXT, addPath: new Set([(afi << 8) | safi]) }
            : DEFAULT_CONTEXT;
          const r = new Reader(Buffer.from(bytes));
          try {
            decodeNlriList(afi, safi, r, ctx, withdraw, 9);
            expect(r.pos).toBe(r.end);
          } catch (e) {
            expect(e).toBeInstanceOf(WireError);
            expect((e as WireError).kind).toBe('update');
            expect((e as WireError).notify?.code).toBe(3);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
