// malformed-input.md cases 7-20 and 24 (and the further cases), as raw UPDATE bodies. Each test
// checks the RFC 7606 action, the NOTIFICATION (code, subcode, data) and which routes an
// RFC 7606 receiver ends up with (announced, withdrawn, or a reset).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodecContext } from '../../src/wire/context.js';
import type { Nlri } from '../../src/wire/types.js';
import { decodeUpdate, encodeUpdate, type UpdateDecodeResult } from '../../src/wire/update.js';
import { Writer } from '../../src/wire/writer.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
const u16 = (n: number): string => n.toString(16).padStart(4, '0');

/** An UPDATE body: the two length fields are counted from the hand-written fields. */
function body(withdrawn: string, attrs: string, nlri: string): Buffer {
  const w = hex(withdrawn);
  const a = hex(attrs);
  return Buffer.concat([hex(u16(w.length)), w, hex(u16(a.length)), a, hex(nlri)]);
}

const EBGP: CodecContext = {
  fourOctetAs: true,
  addPath: new Set(),
  extendedMessage: false,
  ibgp: false,
};
const IBGP: CodecContext = { ...EBGP, ibgp: true };
const OLD: CodecContext = { ...EBGP, fourOctetAs: false };

const ORIGIN = '40 01 01 00'; // ORIGIN IGP
const AS_PATH = '40 02 06 02 01 0000fde8'; // AS_PATH SEQUENCE 65000 (4-octet)
const AS_PATH2 = '40 02 04 02 01 fde8'; // the same with 2-octet ASNs
const NH = '40 03 04 0a000001'; // NEXT_HOP 10.0.0.1
const GOOD = ORIGIN + AS_PATH + NH;
const NLRI = '18 c0a801'; // 192.168.1.0/24
const WD = '18 0a0102'; // 10.1.2.0/24
// MP_REACH IPv4 unicast, next hop 10.0.0.1, NLRI 10.9.0.0/16
const MP_REACH_V4 = '80 0e 0c 0001 01 04 0a000001 00 10 0a09';
// MP_UNREACH VPNv4 of 65000:10:192.168.1.0/24 (compatibility label 800000)
const MP_UNREACH_VPN = '80 0f 12 0001 80 70 800000 0000fde80000000a c0a801';
const EOR_VPN = '80 0f 03 0001 80'; // MP_UNREACH AFI 1 SAFI 128, no NLRI

function decode(b: Buffer, ctx = EBGP): UpdateDecodeResult {
  return decodeUpdate(b, 0, b.length, ctx);
}

function text(n: Nlri): string {
  const p = n.kind === 'rtc' ? undefined : n.prefix;
  if (!p || p.afi !== 1) return n.kind;
  const a = p.addr;
  const dotted = [a >>> 24, (a >>> 16) & 255, (a >>> 8) & 255, a & 255].join('.');
  return `${n.kind === 'vpn' ? 'vpn:' : ''}${dotted}/${p.len}`;
}

/** What an RFC 7606 receiver does with the result (RFC 7606 §2). */
function outcome(r: UpdateDecodeResult): 'reset' | { announce: string[]; withdraw: string[] } {
  if (r.action === 'session-reset') return 'reset';
  const u = r.update;
  const reach: string[] = u.nlri.map(text);
  const gone: string[] = u.withdrawn.map(text);
  for (const a of u.attributes) {
    if (a.kind === 'mp-reach') reach.push(...a.nlri.map(text));
    if (a.kind === 'mp-unreach') gone.push(...a.nlri.map(text));
  }
  return r.action === 'treat-as-withdraw'
    ? { announce: [], withdraw: [...gone, ...reach] }
    : { announce: reach, withdraw: gone };
}

function expectNotify(r: UpdateDecodeResult, subcode: number, data = ''): void {
  expect(r.notify?.code).toBe(3);
  expect(r.notify?.subcode).toBe(subcode);
  expect(Buffer.from(r.notify?.data ?? []).toString('hex')).toBe(hex(data).toString('hex'));
}

const kinds = (r: UpdateDecodeResult): string[] => r.update.attributes.map((a) => a.kind);

describe('baseline', () => {
  it('a well-formed UPDATE has no problems', () => {
    const r = decode(body(WD, GOOD, NLRI));
    expect(r.problems).toEqual([]);
    expect(outcome(r)).toEqual({ announce: ['192.168.1.0/24'], withdraw: ['10.1.2.0/24'] });
  });
});

describe('case 7: lengths inconsistent with the message', () => {
  it('Withdrawn Routes Length past the end', () => {
    // withdrawn length 0x0010, but only 4 more octets follow
    const r = decode(hex('0010 | 18 0a0102 00'));
    expect(r.action).toBe('session-reset');
    expectNotify(r, 1);
  });

  it('Total Path Attribute Length past the end', () => {
    // no withdrawn; attribute length 0x0030 (48) but only 20 octets of attributes follow
    const r = decode(hex('0000 0030' + GOOD));
    expect(r.action).toBe('session-reset');
    expectNotify(r, 1);
  });

  it('a body too short for the length fields', () => {
    expect(decode(hex('00')).action).toBe('session-reset');
    expect(decode(hex('')).action).toBe('session-reset');
    // withdrawn length 0 but no attribute length field
    expect(decode(hex('0000 00')).action).toBe('session-reset');
  });
});

describe('case 8: attribute framing overruns the attribute list', () => {
  it('last attribute longer than what is left: treat-as-withdraw, NLRI still found', () => {
    // COMMUNITIES claims 8 octets, only 4 are inside Total Path Attribute Length
    const r = decode(body('', GOOD + 'c0 08 08 fde80001', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 1);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });

  it('fewer than 3 octets left (4 with Extended Length)', () => {
    let r = decode(body('', GOOD + '40 01', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 1);
    r = decode(body('', GOOD + '50 01 00', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });

  it('no reachable NLRI located: session reset (RFC 7606 §5.2)', () => {
    // withdraws 10.1.2.0/24; AS_PATH claims 9 octets with 6 left, no NLRI
    const r = decode(body(WD, ORIGIN + '40 02 09 02 01 0000fde8', ''));
    expect(r.action).toBe('session-reset');
    expectNotify(r, 1);
  });

  it('MP_REACH parsed before the framing error: treat-as-withdraw of its NLRI', () => {
    const r = decode(body('', MP_REACH_V4 + ORIGIN + AS_PATH + 'c0 08 08 fde8', ''));
    expect(r.action).toBe('treat-as-withdraw');
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['10.9.0.0/16'] });
  });
});

describe('case 9: duplicate attributes', () => {
  it('a repeated ORIGIN is discarded, the first kept', () => {
    const r = decode(body('', GOOD + '40 01 01 02', NLRI));
    expect(r.action).toBe('attribute-discard');
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]?.typeCode).toBe(1);
    expect(r.update.attributes.filter((a) => a.kind === 'origin')).toEqual([
      { kind: 'origin', flags: 0x40, value: 0 },
    ]);
    expect(outcome(r)).toEqual({ announce: ['192.168.1.0/24'], withdraw: [] });
  });

  it('codes that share their low five bits are not repeats (the seen codes are 256 bits)', () => {
    // 0x21 = 33 and 0xe1 = 225 share ORIGIN's (1) low bits, 0x63 = 99 and 0xe3 = 227 each other's.
    const r = decode(
      body('', GOOD + 'c0 21 01 aa | c0 e1 01 bb | c0 63 01 cc | c0 e3 01 dd', NLRI),
    );
    expect(r.problems).toEqual([]);
    const codes = r.update.attributes.flatMap((a) => (a.kind === 'unknown' ? [a.code] : []));
    expect(codes).toEqual([33, 225, 99, 227]);
    const again = decode(body('', GOOD + 'c0 e3 01 aa | c0 e3 01 bb', NLRI));
    expect(again.problems.map((p) => p.typeCode)).toEqual([227]);
  });

  it('a repeated unknown optional attribute keeps the first', () => {
    const r = decode(body('', GOOD + 'c0 63 01 aa | c0 63 01 bb', NLRI));
    expect(r.action).toBe('attribute-discard');
    const unknown = r.update.attributes.filter((a) => a.kind === 'unknown');
    expect(unknown).toEqual([
      { kind: 'unknown', flags: 0xc0, code: 99, value: new Uint8Array([0xaa]) },
    ]);
  });

  it('a repeated MP_UNREACH or MP_REACH resets with 3/1', () => {
    let r = decode(body('', EOR_VPN + EOR_VPN, ''));
    expect(r.action).toBe('session-reset');
    expectNotify(r, 1);
    r = decode(body('', MP_REACH_V4 + ORIGIN + AS_PATH + MP_REACH_V4, ''));
    expect(r.action).toBe('session-reset');
    expectNotify(r, 1);
  });
});

describe('case 10: attribute flags', () => {
  it('ORIGIN with the Optional bit: treat-as-withdraw 3/4, data = the attribute', () => {
    const r = decode(body('', 'c0 01 01 00' + AS_PATH + NH, NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 4, 'c0 01 01 00');
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });

  it('COMMUNITIES and EXTENDED_COMMUNITIES without the Transitive bit', () => {
    let r = decode(body('', GOOD + '80 08 04 fde80001', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 4, '80 08 04 fde80001');
    r = decode(body('', GOOD + '80 10 08 0002fde80000000a', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 4, '80 10 08 0002fde80000000a');
  });

  it('Partial and the four low-order bits are not compared (RFC 7606 §3(c))', () => {
    // ORIGIN 0x60 (Partial), AS_PATH 0x4f (low bits), NEXT_HOP 0x40
    const r = decode(body('', '60 01 01 00 | 4f 02 06 02 01 0000fde8' + NH, NLRI));
    expect(r.problems).toEqual([]);
    expect(outcome(r)).toEqual({ announce: ['192.168.1.0/24'], withdraw: [] });
  });

  it('MP_REACH with well-known flags: treat-as-withdraw, its NLRI withdrawn', () => {
    const r = decode(body('', '60 0e 0c 0001 01 04 0a000001 00 10 0a09' + ORIGIN + AS_PATH, ''));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 4, '60 0e 0c 0001 01 04 0a000001 00 10 0a09');
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['10.9.0.0/16'] });
  });

  it('GoBGP case 1 (MP_REACH 0x60 with 4 octets of junk): flags error, then a reset', () => {
    const r = decode(body('', '60 0e 04 11223344', NLRI));
    expect(r.problems[0]?.notify.subcode).toBe(4);
    expect(Buffer.from(r.problems[0]!.notify.data).toString('hex')).toBe('600e0411223344');
    expect(r.action).toBe('session-reset');
  });

  it('an unrecognized attribute with the Optional bit clear: reset 3/2', () => {
    const r = decode(body('', GOOD + '40 63 02 abcd', NLRI));
    expect(r.action).toBe('session-reset');
    expectNotify(r, 2, '40 63 02 abcd');
  });
});

describe('case 11: missing well-known mandatory attributes', () => {
  it.each([
    ['ORIGIN', AS_PATH + NH, '01'],
    ['AS_PATH', ORIGIN + NH, '02'],
    ['NEXT_HOP', ORIGIN + AS_PATH, '03'],
  ])(
    'missing %s with IPv4 NLRI: treat-as-withdraw 3/3, data = the type code',
    (_n, attrs, code) => {
      const r = decode(body('', attrs, NLRI));
      expect(r.action).toBe('treat-as-withdraw');
      expectNotify(r, 3, code);
      expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
    },
  );

  it('MP_REACH needs ORIGIN and AS_PATH but not NEXT_HOP', () => {
    let r = decode(body('', MP_REACH_V4 + ORIGIN + AS_PATH, ''));
    expect(r.problems).toEqual([]);
    expect(outcome(r)).toEqual({ announce: ['10.9.0.0/16'], withdraw: [] });
    r = decode(body('', MP_REACH_V4 + AS_PATH, ''));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 3, '01');
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['10.9.0.0/16'] });
  });

  it('MP_UNREACH alone, or withdrawn routes alone, need nothing', () => {
    let r = decode(body('', MP_UNREACH_VPN, ''));
    expect(r.problems).toEqual([]);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['vpn:192.168.1.0/24'] });
    r = decode(body(WD, '', ''));
    expect(r.problems).toEqual([]);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['10.1.2.0/24'] });
  });

  it('only an unknown transitive attribute: nothing announced, nothing to report', () => {
    const r = decode(body('', 'c0 63 01 aa', ''));
    expect(r.action).toBeUndefined();
    expect(outcome(r)).toEqual({ announce: [], withdraw: [] });
  });

  it('MP_UNREACH followed by IPv4 NLRI without mandatory attributes', () => {
    const r = decode(body('', MP_UNREACH_VPN, NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expect(r.problems.map((p) => p.notify.data[0])).toEqual([1, 2, 3]);
    expect(outcome(r)).toEqual({
      announce: [],
      withdraw: ['vpn:192.168.1.0/24', '192.168.1.0/24'],
    });
  });
});

describe('case 12: ORIGIN', () => {
  it.each([
    ['length 0', '40 01 00', 5],
    ['length 2', '40 01 02 00 00', 5],
    ['value 3', '40 01 01 03', 6],
    ['value 255', '40 01 01 ff', 6],
  ])('%s: treat-as-withdraw', (_n, attr, subcode) => {
    const r = decode(body('', attr + AS_PATH + NH, NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, subcode, attr);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });
});

describe('case 13: AS_PATH', () => {
  it.each([
    ['segment type 5', '40 02 06 05 01 0000fde8'],
    ['segment type 0', '40 02 06 00 01 0000fde8'],
    ['segment length 0', '40 02 02 02 00'],
    ['overrun (GoBGP case 7)', '40 02 04 02 02 ffdc'],
    ['one-octet underrun', '40 02 07 02 01 0000fde8 02'],
    ['AS 0 (RFC 7607)', '40 02 0a 02 02 0000fde8 00000000'],
  ])('%s: treat-as-withdraw 3/11', (_n, attr) => {
    const r = decode(body('', ORIGIN + attr + NH, NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 11, attr);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });

  it('2-octet AS 0 from an OLD speaker, and a 4-octet path read as 2-octet', () => {
    let r = decode(body('', ORIGIN + '40 02 04 02 01 0000' + NH, NLRI), OLD);
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 11, '40 02 04 02 01 0000');
    // 4-octet encoding sent to an OLD session: 65000 reads as AS 0 then fde8
    r = decode(body('', ORIGIN + AS_PATH + NH, NLRI), OLD);
    expect(r.action).toBe('treat-as-withdraw');
    r = decode(body('', ORIGIN + AS_PATH2 + NH, NLRI), OLD);
    expect(r.problems).toEqual([]);
  });
});

describe('case 14: AS4_PATH', () => {
  const AS4 = 'c0 11 0a 02 02 fa56ea00 0000fde8'; // SEQUENCE 4200000000 65000

  it('from a NEW (4-octet) speaker: discarded, the route kept', () => {
    const r = decode(body('', GOOD + AS4, NLRI));
    expect(r.action).toBe('attribute-discard');
    expect(kinds(r)).not.toContain('as4-path');
    expect(outcome(r)).toEqual({ announce: ['192.168.1.0/24'], withdraw: [] });
  });

  it.each([
    ['segment length 0', 'c0 11 06 02 00 0000fde8'],
    ['shorter than 6 octets', 'c0 11 02 02 00'],
    ['segment type 9', 'c0 11 06 09 01 0000fde8'],
    ['AS 0', 'c0 11 06 02 01 00000000'],
    ['overrun', 'c0 11 06 02 02 0000fde8'],
  ])('malformed from an OLD speaker (%s): discarded', (_n, attr) => {
    const r = decode(body('', ORIGIN + AS_PATH2 + NH + attr, NLRI), OLD);
    expect(r.action).toBe('attribute-discard');
    expect(kinds(r)).toEqual(['origin', 'as-path', 'next-hop']);
    expect(outcome(r)).toEqual({ announce: ['192.168.1.0/24'], withdraw: [] });
  });

  it('placed before AS_PATH from an OLD speaker: fine; confed segments dropped', () => {
    // AS4_PATH: CONFED_SEQUENCE 65010, SEQUENCE 4200000000
    const r = decode(
      body('', 'c0 11 0c 03 01 0000fdf2 02 01 fa56ea00' + ORIGIN + AS_PATH2 + NH, NLRI),
      OLD,
    );
    expect(r.problems).toEqual([]);
    expect(r.update.attributes[0]).toEqual({
      kind: 'as4-path',
      flags: 0xc0,
      segments: [{ type: 2, asns: [4200000000] }],
    });
  });
});

describe('case 15: NEXT_HOP', () => {
  it('length 5: treat-as-withdraw 3/5', () => {
    const r = decode(body('', ORIGIN + AS_PATH + '40 03 05 0a00000100', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 5, '40 03 05 0a00000100');
  });

  it.each([
    ['0.0.0.0', '00000000'],
    ['127.0.0.1', '7f000001'],
    ['224.0.0.1', 'e0000001'],
    ['239.255.255.255', 'efffffff'],
    ['240.0.0.1', 'f0000001'],
    ['255.255.255.255', 'ffffffff'],
  ])('%s: treat-as-withdraw 3/8, data = the attribute', (_n, addr) => {
    const r = decode(body('', ORIGIN + AS_PATH + '40 03 04' + addr, NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 8, '40 03 04' + addr);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });

  it('without IPv4 NLRI a bad NEXT_HOP is ignored (RFC 4760 §3), MP routes kept', () => {
    const r = decode(body('', MP_REACH_V4 + ORIGIN + AS_PATH + '40 03 04 00000000', ''));
    expect(r.action).toBe('attribute-discard');
    expect(kinds(r)).not.toContain('next-hop');
    expect(outcome(r)).toEqual({ announce: ['10.9.0.0/16'], withdraw: [] });
  });

  it('a loopback next hop is accepted on a loopback session', () => {
    const r = decode(body('', ORIGIN + AS_PATH + '40 03 04 7f000002', NLRI), {
      ...EBGP,
      allowLoopbackNextHop: true,
    });
    expect(r.problems).toEqual([]);
  });
});

describe('case 16: MED and LOCAL_PREF', () => {
  it('MED length 5 (GoBGP test_03): treat-as-withdraw', () => {
    const r = decode(body('', GOOD + '80 04 05 0000000064', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 5, '80 04 05 0000000064');
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });

  it('LOCAL_PREF with a bad length from iBGP: treat-as-withdraw', () => {
    const r = decode(body('', GOOD + '40 05 03 000064', NLRI), IBGP);
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 5, '40 05 03 000064');
  });

  it('LOCAL_PREF from eBGP: discarded whatever its length', () => {
    for (const lp of ['40 05 04 00000064', '40 05 03 000064']) {
      const r = decode(body('', GOOD + lp, NLRI), EBGP);
      expect(r.action).toBe('attribute-discard');
      expect(kinds(r)).not.toContain('local-pref');
      expect(outcome(r)).toEqual({ announce: ['192.168.1.0/24'], withdraw: [] });
    }
  });

  it('LOCAL_PREF kept from iBGP, and when the peer type is unknown', () => {
    expect(decode(body('', GOOD + '40 05 04 00000064', NLRI), IBGP).problems).toEqual([]);
    const { ibgp: _drop, ...unknownPeer } = EBGP;
    expect(decode(body('', GOOD + '40 05 04 00000064', NLRI), unknownPeer).problems).toEqual([]);
  });
});

describe('case 17: ATOMIC_AGGREGATE and AGGREGATOR are discarded, never propagated', () => {
  it.each([
    ['ATOMIC_AGGREGATE length 1', '40 06 01 00', EBGP],
    ['AGGREGATOR length 5 (GoBGP test_02)', 'c0 07 05 0000006400', EBGP],
    ['AGGREGATOR length 6 on a 4-octet session', 'c0 07 06 fde8 0a000001', EBGP],
    ['AGGREGATOR length 8 on a 2-octet session', 'c0 07 08 0000fde8 0a000001', OLD],
    ['AGGREGATOR length 7', 'c0 07 07 0000fde8 0a0000', EBGP],
    ['AGGREGATOR length 9', 'c0 07 09 0000fde8 0a00000100', EBGP],
    ['AGGREGATOR AS 0 (RFC 7607)', 'c0 07 08 00000000 0a000001', EBGP],
    ['AS4_AGGREGATOR length 7 from an OLD speaker', 'c0 12 07 fa56ea00 0a0000', OLD],
    ['AS4_AGGREGATOR AS 0 from an OLD speaker', 'c0 12 08 00000000 0a000001', OLD],
    ['AS4_AGGREGATOR from a NEW speaker (RFC 6793 §6)', 'c0 12 08 fa56ea00 0a000001', EBGP],
  ])('%s', (_n, attr, ctx) => {
    const path = ctx === OLD ? AS_PATH2 : AS_PATH;
    const r = decode(body('', ORIGIN + path + NH + attr, NLRI), ctx);
    expect(r.action).toBe('attribute-discard');
    expect(kinds(r)).toEqual(['origin', 'as-path', 'next-hop']);
    expect(outcome(r)).toEqual({ announce: ['192.168.1.0/24'], withdraw: [] });
  });
});

describe('case 18: COMMUNITIES and LARGE_COMMUNITIES lengths', () => {
  it.each([
    ['COMMUNITIES length 0', 'c0 08 00'],
    ['COMMUNITIES length 5', 'c0 08 05 fde8000100'],
    ['LARGE_COMMUNITIES length 0', 'c0 20 00'],
    ['LARGE_COMMUNITIES length 13', 'c0 20 0d 0000fde8 00000001 00000002 00'],
    ['LARGE_COMMUNITIES length 8', 'c0 20 08 0000fde8 00000001'],
  ])('%s: treat-as-withdraw 3/5', (_n, attr) => {
    const r = decode(body('', GOOD + attr, NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 5, attr);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });
});

describe('case 19: ORIGINATOR_ID and CLUSTER_LIST', () => {
  it.each([
    ['ORIGINATOR_ID', '80 09 04 0a000002'],
    ['ORIGINATOR_ID, bad length', '80 09 03 0a0000'],
    ['CLUSTER_LIST', '80 0a 04 0a000003'],
    ['CLUSTER_LIST, bad length', '80 0a 06 0a0000030000'],
  ])('from eBGP (%s): discarded', (_n, attr) => {
    const r = decode(body('', GOOD + attr, NLRI), EBGP);
    expect(r.action).toBe('attribute-discard');
    expect(kinds(r)).toEqual(['origin', 'as-path', 'next-hop']);
    expect(outcome(r)).toEqual({ announce: ['192.168.1.0/24'], withdraw: [] });
  });

  it.each([
    ['ORIGINATOR_ID length 3', '80 09 03 0a0000'],
    ['ORIGINATOR_ID length 5', '80 09 05 0a00000200'],
    ['CLUSTER_LIST length 0', '80 0a 00'],
    ['CLUSTER_LIST length 6', '80 0a 06 0a0000030000'],
  ])('from iBGP (%s): treat-as-withdraw', (_n, attr) => {
    const r = decode(body('', GOOD + attr, NLRI), IBGP);
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 5, attr);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });

  it('well-formed from iBGP are kept', () => {
    const r = decode(body('', GOOD + '80 09 04 0a000002 | 80 0a 04 0a000003', NLRI), IBGP);
    expect(r.problems).toEqual([]);
    expect(kinds(r)).toContain('cluster-list');
  });
});

describe('case 20: EXTENDED_COMMUNITIES', () => {
  it.each([
    ['length 0', 'c0 10 00'],
    ['length 9', 'c0 10 09 0002fde80000000a 00'],
  ])('%s: treat-as-withdraw', (_n, attr) => {
    const r = decode(body('', GOOD + attr, NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 5, attr);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });

  it('unknown types and subtypes are not errors; the RTs next to them are still read', () => {
    // type 0x8f (unknown), RT 65000:10, type 0x00 subtype 0x77 (unknown)
    const r = decode(
      body('', GOOD + 'c0 10 18 8f01020304050607 0002fde80000000a 0077000000000001', NLRI),
    );
    expect(r.problems).toEqual([]);
    const ec = r.update.attributes.find((a) => a.kind === 'ext-communities');
    expect(ec?.kind === 'ext-communities' && ec.values.map((v) => v.kind)).toEqual([
      'raw',
      'route-target',
      'raw',
    ]);
  });
});

describe('case 24: End-of-RIB edge cases', () => {
  it('a VPNv4 End-of-RIB', () => {
    const r = decode(body('', EOR_VPN, ''));
    expect(r.problems).toEqual([]);
    expect(kinds(r)).toEqual(['mp-unreach']);
  });

  it('an End-of-RIB with well-formed extra attributes is still an End-of-RIB', () => {
    const r = decode(body('', EOR_VPN + ORIGIN + AS_PATH, ''));
    expect(r.problems).toEqual([]);
    expect(outcome(r)).toEqual({ announce: [], withdraw: [] });
  });

  it('an End-of-RIB with malformed extra attributes: treat-as-withdraw, never a reset', () => {
    const r = decode(body('', EOR_VPN + '40 01 02 0000' + 'c0 08 05 0000000000', ''));
    expect(r.action).toBe('treat-as-withdraw');
    expect(kinds(r)).toEqual(['mp-unreach']);
    expect(outcome(r)).toEqual({ announce: [], withdraw: [] });
  });

  it('Total Path Attribute Length 0 with NLRI: treat-as-withdraw (missing attributes)', () => {
    const r = decode(body('', '', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 3, '01');
    expect(r.problems).toHaveLength(3);
    expect(outcome(r)).toEqual({ announce: [], withdraw: ['192.168.1.0/24'] });
  });

  it('withdrawn routes with a malformed attribute and no NLRI: reset (RFC 7606 §5.2)', () => {
    const r = decode(body(WD, '40 01 01 07', ''));
    expect(r.action).toBe('session-reset');
    expectNotify(r, 6, '40 01 01 07');
  });
});

describe('further cases', () => {
  it('OTC: length 3 is treat-as-withdraw; value 0 is accepted', () => {
    let r = decode(body('', GOOD + 'c0 23 03 00fde8', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    expectNotify(r, 5, 'c0 23 03 00fde8');
    r = decode(body('', GOOD + 'c0 23 04 00000000', NLRI));
    expect(r.problems).toEqual([]);
  });

  it('unknown optional attributes are kept byte-exact (the Partial bit is not set here)', () => {
    const r = decode(body('', GOOD + 'c0 63 02 abcd | 80 64 01 ee', NLRI));
    expect(r.problems).toEqual([]);
    expect(r.update.attributes.slice(3)).toEqual([
      { kind: 'unknown', flags: 0xc0, code: 99, value: new Uint8Array([0xab, 0xcd]) },
      { kind: 'unknown', flags: 0x80, code: 100, value: new Uint8Array([0xee]) },
    ]);
  });

  it('Tunnel Encapsulation (23) with broken TLV framing: treat-as-withdraw', () => {
    // one Tunnel TLV: type 0x0008, length 0x0010 but 2 octets of value
    const r = decode(body('', GOOD + 'c0 17 06 0008 0010 abcd', NLRI));
    expect(r.action).toBe('treat-as-withdraw');
    // well-framed: kept raw
    const ok = decode(body('', GOOD + 'c0 17 06 0008 0002 abcd', NLRI));
    expect(ok.problems).toEqual([]);
    expect(kinds(ok)).toContain('unknown');
  });

  it('Prefix-SID (40) with broken TLV framing: discarded', () => {
    // TLV type 1 (label index), length 0x0007 but 2 octets
    const r = decode(body('', GOOD + 'c0 28 05 01 0007 0000', NLRI));
    expect(r.action).toBe('attribute-discard');
    expect(kinds(r)).toEqual(['origin', 'as-path', 'next-hop']);
  });

  it('IPv4 NLRI prefix length 33: reset 3/10', () => {
    const r = decode(body('', GOOD, '21 c0a80101 00'));
    expect(r.action).toBe('session-reset');
    expect(r.notify?.subcode).toBe(10);
  });

  it('MP_REACH too short, or its next hop running past it: reset 3/1', () => {
    let r = decode(body('', '80 0e 03 0001 80' + ORIGIN + AS_PATH, NLRI));
    expect(r.action).toBe('session-reset');
    expectNotify(r, 1);
    r = decode(body('', '80 0e 08 0001 80 0c 00000000' + ORIGIN + AS_PATH, ''));
    expect(r.action).toBe('session-reset');
    expectNotify(r, 1);
  });

  it('VPNv4 next hop of 11 octets: reset 3/9 (from the next-hop codec)', () => {
    const r = decode(
      body('', '80 0e 11 0001 80 0b 0000000000000000 0a0000 00 | 00' + ORIGIN + AS_PATH, ''),
    );
    expect(r.action).toBe('session-reset');
    expect(r.notify?.subcode).toBe(9);
  });
});

describe('hostile bytes', () => {
  it('decodeUpdate never throws, on random bodies and on mutations of a valid one', () => {
    const valid = body(WD, MP_REACH_V4 + GOOD + 'c0 10 08 0002fde80000000a' + EOR_VPN, NLRI);
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 80 }),
        fc.array(fc.tuple(fc.nat(valid.length - 1), fc.nat(255)), { maxLength: 4 }),
        fc.constantFrom(EBGP, IBGP, OLD),
        (random, edits, ctx) => {
          expect(() => decode(Buffer.from(random), ctx)).not.toThrow();
          const m = Buffer.from(valid);
          for (const [at, v] of edits) m[at] = v;
          const r = decode(m, ctx);
          // Without problems the body re-encodes to the same UPDATE. (Not always to the same
          // octets: MP_REACH's reserved octet is written as 0, RFC 4760 §3.)
          if (r.problems.length === 0) {
            const w = new Writer(64);
            encodeUpdate(w, r.update, ctx);
            expect(decode(w.finish(), ctx)).toEqual(r);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
