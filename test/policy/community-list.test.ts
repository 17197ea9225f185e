import { describe, expect, it } from 'vitest';
import type {
  CommunityListEntryDef,
  ExtCommunityListEntryDef,
  PolicyError,
} from '../../src/policy/index.js';
import {
  communityFromText,
  communityToText,
  explainValueList,
  extFromText,
  extToBytes,
  prefixFromText,
  prefixToText,
  valueListPermits,
} from '../../src/policy/index.js';
import {
  compileCommunityList,
  compileExtCommunityList,
  compileLargeCommunityList,
} from '../../src/policy/community-list.js';
import type { ExtCommunity, IpPrefix } from '../../src/wire/types.js';

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function bytes(h: string): Uint8Array {
  return new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
}

function rt(text: string): ExtCommunity {
  const v = extFromText('route-target', text);
  if (typeof v === 'string') throw new Error(v);
  return v;
}

function ok<T>(f: (errors: PolicyError[]) => T): T {
  const errors: PolicyError[] = [];
  const v = f(errors);
  expect(errors).toEqual([]);
  return v;
}

describe('text forms', () => {
  it('reads communities and well-known names', () => {
    expect(communityFromText('65000:1')).toBe(0xfde80001);
    expect(communityFromText('no-export')).toBe(0xffffff01);
    expect(communityFromText('NO-ADVERTISE')).toBe(0xffffff02);
    expect(communityFromText('blackhole')).toBe(0xffff029a);
    expect(communityFromText('65536:1')).toMatch(/not a community/);
    expect(communityFromText('1:2:3')).toMatch(/not a community/);
    expect(communityToText(0xffffff01)).toBe('no-export');
    expect(communityToText(0x00010002)).toBe('1:2');
  });

  it('reads and prints IPv6 prefixes', () => {
    const v = prefixFromText('2001:db8:0:0:1::/80');
    expect(typeof v).toBe('object');
    if (typeof v === 'string') return;
    expect(v.afi).toBe(2);
    if (v.afi !== 2) return;
    // 2001 0db8 0000 0000 0001 0000 0000 0000
    expect(hex(v.addr)).toBe('20010db8000000000001000000000000');
    // RFC 5952 §4.2.3: the longer zero run (3 words at the end) becomes ::
    expect(prefixToText(v)).toBe('2001:db8:0:0:1::/80');
    const m = prefixFromText('::ffff:10.0.0.0/104');
    if (typeof m === 'string' || m.afi !== 2) throw new Error('parse');
    // 0000 x5, ffff, 0a00 0000
    expect(hex(m.addr)).toBe('00000000000000000000ffff0a000000');
    // RFC 5952 §4.2.2: a lone zero word stays; §4.2.3: of equal runs the first is shortened
    expect(prefixToText(prefixFromText('2001:db8:0:1:1:1:1:1/128') as IpPrefix)).toBe(
      '2001:db8:0:1:1:1:1:1/128',
    );
    expect(prefixToText(prefixFromText('2001:0:0:1:0:0:1:1/128') as IpPrefix)).toBe(
      '2001::1:0:0:1:1/128',
    );
    expect(prefixToText(prefixFromText('::/0') as IpPrefix)).toBe('::/0');
    expect(prefixFromText('1::2::3/64')).toMatch(/not an IPv6/);
    expect(prefixFromText('1:2:3:4:5:6:7:8:9/64')).toMatch(/not an IPv6/);
  });

  it('encodes route targets as their 8 octets', () => {
    // type 00 (2-octet AS), subtype 02 (RT), AS fde8, assigned 0000000a
    expect(hex(extToBytes(rt('65000:10')))).toBe('0002fde80000000a');
    // type 02 (4-octet AS, RFC 5668), subtype 02, AS 0000fde8, assigned 000a
    expect(hex(extToBytes(rt('65000L:10')))).toBe('02020000fde8000a');
    // type 02, subtype 02, AS fa56ea00 (4200000000), assigned 0007
    expect(hex(extToBytes(rt('4200000000:7')))).toBe('0202fa56ea000007');
    // type 01 (IPv4), subtype 02, 0a000001, assigned 0005
    expect(hex(extToBytes(rt('10.0.0.1:5')))).toBe('01020a0000010005');
    // type 00, subtype 02, AS fde8, assigned 00011170 (70000 needs the 4-octet field)
    expect(hex(extToBytes(rt('65000:70000')))).toBe('0002fde800011170');
    expect(extFromText('route-target', '4200000000:70000')).toMatch(/out of range/);
  });
});

describe('standard community lists', () => {
  const defs: CommunityListEntryDef[] = [
    { seq: 10, action: 'deny', communities: ['65000:666'] },
    { seq: 20, action: 'permit', communities: ['65000:1', 'no-export'] },
    { seq: 30, action: 'permit', communities: ['65000:2'] },
  ];
  const l = ok((e) => compileCommunityList('C', defs, e));
  const c = (...t: string[]): number[] => t.map((x) => communityFromText(x) as number);

  it('needs every community of an entry', () => {
    expect(valueListPermits(l, c('65000:1'))).toBe(false);
    expect(valueListPermits(l, c('65000:1', 'no-export'))).toBe(true);
    expect(valueListPermits(l, c('no-export', '65000:9', '65000:1'))).toBe(true);
    expect(valueListPermits(l, c('65000:2'))).toBe(true);
  });

  it('first match wins; a deny entry denies', () => {
    expect(valueListPermits(l, c('65000:2', '65000:666'))).toBe(false);
    expect(explainValueList(l, c('65000:2', '65000:666'))).toBe(
      'communities [65000:2 65000:666] denied by community-list C seq 10 (65000:666)',
    );
  });

  it('implicit deny, also for a route without communities', () => {
    expect(valueListPermits(l, c('65000:3'))).toBe(false);
    expect(valueListPermits(l, [])).toBe(false);
    expect(explainValueList(l, [])).toBe(
      'communities [] not matched by community-list C (implicit deny)',
    );
  });

  it('internet matches every route', () => {
    const any = ok((e) =>
      compileCommunityList('ANY', [{ seq: 5, action: 'permit', communities: ['internet'] }], e),
    );
    expect(valueListPermits(any, [])).toBe(true);
    expect(valueListPermits(any, c('1:1'))).toBe(true);
  });

  it('rejects bad entries', () => {
    const errors: PolicyError[] = [];
    compileCommunityList(
      'B',
      [
        { seq: 1, action: 'permit', communities: ['65000:x'] },
        { seq: 2, action: 'permit', communities: [] },
      ],
      errors,
    );
    expect(errors.map((e) => e.where)).toEqual([
      'communityLists.B[seq 1].communities',
      'communityLists.B[seq 2].communities',
    ]);
  });
});

describe('large community lists', () => {
  it('match all three fields', () => {
    const l = ok((e) =>
      compileLargeCommunityList(
        'LC',
        [{ seq: 10, action: 'permit', communities: ['4200000000:1:2'] }],
        e,
      ),
    );
    expect(valueListPermits(l, [{ global: 4200000000, local1: 1, local2: 2 }])).toBe(true);
    expect(valueListPermits(l, [{ global: 4200000000, local1: 2, local2: 1 }])).toBe(false);
    expect(valueListPermits(l, [])).toBe(false);
  });
});

describe('ext-community lists', () => {
  const defs: ExtCommunityListEntryDef[] = [
    { seq: 10, action: 'permit', rt: ['65000:10'] },
    { seq: 20, action: 'permit', rt: ['10.0.0.1:5'], soo: ['65000:99'] },
  ];
  const l = ok((e) => compileExtCommunityList('X', defs, e));

  it('compares route targets byte for byte (2- vs 4-octet AS forms differ)', () => {
    expect(valueListPermits(l, [rt('65000:10')])).toBe(true);
    expect(valueListPermits(l, [rt('65000L:10')])).toBe(false);
    // the same 8 octets arriving undecoded still match
    expect(valueListPermits(l, [{ kind: 'raw', bytes: bytes('00 02 fde8 0000000a') }])).toBe(true);
    // non-transitive type 0x40 is another value
    expect(valueListPermits(l, [{ kind: 'raw', bytes: bytes('40 02 fde8 0000000a') }])).toBe(false);
    const l4 = ok((e) =>
      compileExtCommunityList('X4', [{ seq: 1, action: 'permit', rt: ['65000L:10'] }], e),
    );
    expect(valueListPermits(l4, [rt('65000L:10')])).toBe(true);
    expect(valueListPermits(l4, [rt('65000:10')])).toBe(false);
    // 02 02 0000fde8 000a
    expect(valueListPermits(l4, [{ kind: 'raw', bytes: bytes('0202 0000fde8 000a') }])).toBe(true);
  });

  it('keeps route targets and route origins apart', () => {
    const soo = extFromText('route-origin', '65000:10') as ExtCommunity;
    expect(valueListPermits(l, [soo])).toBe(false);
    const both = [rt('10.0.0.1:5'), extFromText('route-origin', '65000:99') as ExtCommunity];
    expect(valueListPermits(l, both)).toBe(true);
    expect(valueListPermits(l, [rt('10.0.0.1:5')])).toBe(false);
  });

  it('rejects bad text', () => {
    const errors: PolicyError[] = [];
    compileExtCommunityList('B', [{ seq: 1, action: 'permit', rt: ['1.2.3:4'] }], errors);
    compileExtCommunityList('B', [{ seq: 2, action: 'permit' }], errors);
    expect(errors.map((e) => e.where)).toEqual([
      'extCommunityLists.B[seq 1].rt',
      'extCommunityLists.B[seq 2]',
    ]);
  });
});
