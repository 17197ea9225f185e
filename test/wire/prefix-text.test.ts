// Address, prefix and NLRI text forms (RFC 4291 §2.2, RFC 5952).
import { describe, expect, it } from 'vitest';
import { WireError } from '../../src/wire/errors.js';
import {
  ipv4FromText,
  ipv4ToText,
  ipv6FromText,
  ipv6ToText,
  prefixFromText,
  prefixToText,
  vpnNlriToText,
} from '../../src/wire/nlri/text.js';
import { keyPrefix, keyRd, keyText, nlriFromKey, nlriKey } from '../../src/wire/nlri/key.js';
import { rdToText } from '../../src/wire/rd.js';
import { maskV4 } from '../../src/wire/nlri/prefix.js';
import type { IpPrefix, Nlri } from '../../src/wire/types.js';

const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('IPv6 text', () => {
  // [canonical RFC 5952 text, octets]
  const canonical: [string, string][] = [
    ['::', '00'.repeat(16)],
    ['::1', '00'.repeat(15) + '01'],
    ['2001:db8::1', '20010db8 00000000 00000000 00000001'],
    ['2001:db8:0:1:1:1:1:1', '20010db8 00000001 00010001 00010001'], // one zero word stays
    ['2001:db8::2:1', '20010db8 00000000 00000000 00020001'],
    ['2001:0:0:1::1', '20010000 00000001 00000000 00000001'], // longest run compressed
    ['2001:db8::1:0:0:1', '20010db8 00000000 00010000 00000001'], // first of equal runs
    ['fe80::abcd:ef01', 'fe800000 00000000 00000000 abcdef01'],
    ['::ffff:102:304', '00000000 00000000 0000ffff 01020304'], // no dotted tail in output
    ['1::', '00010000 00000000 00000000 00000000'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ff'.repeat(16)],
  ];
  for (const [text, octets] of canonical) {
    it(`${text}`, () => {
      expect(ipv6ToText(b(octets))).toBe(text);
      expect(ipv6FromText(text)).toStrictEqual(b(octets));
    });
  }

  it('parses every RFC 4291 form', () => {
    const one = b('20010db8 00000000 00000000 00000001');
    expect(ipv6FromText('2001:0DB8:0000:0000:0000:0000:0000:0001')).toStrictEqual(one);
    expect(ipv6FromText('2001:db8:0:0:0:0:0:1')).toStrictEqual(one);
    expect(ipv6FromText('2001:db8::0:1')).toStrictEqual(one);
    const mapped = b('00000000 00000000 0000ffff 01020304');
    expect(ipv6FromText('::ffff:1.2.3.4')).toStrictEqual(mapped);
    expect(ipv6FromText('0:0:0:0:0:ffff:1.2.3.4')).toStrictEqual(mapped);
    expect(ipv6FromText('::1.2.3.4')).toStrictEqual(b('00'.repeat(12) + '01020304'));
    expect(ipv6FromText('1::1.2.3.4')).toStrictEqual(b('0001' + '00'.repeat(10) + '01020304'));
  });

  it('refuses what is not an address', () => {
    for (const bad of [
      '',
      ':',
      ':::',
      '1:::2',
      '1::2::3',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7:8::', // `::` must stand for at least one word
      '::1:2:3:4:5:6:7:8',
      '12345::',
      'g::',
      ':1::',
      '1::2:',
      '::ffff:1.2.3',
      '::ffff:1.2.3.256',
      '1:2:3:4:5:6:7:1.2.3.4',
      '1.2.3.4',
    ]) {
      expect(ipv6FromText(bad), bad).toBeUndefined();
    }
  });
});

describe('IPv4 text (re-exported)', () => {
  it('both ways', () => {
    expect(ipv4FromText('10.1.2.3')).toBe(0x0a010203);
    expect(ipv4ToText(0xc0a80101)).toBe('192.168.1.1');
  });
});

describe('prefix text', () => {
  it('both ways', () => {
    expect(prefixFromText('10.0.0.0/8')).toStrictEqual({ afi: 1, len: 8, addr: 0x0a000000 });
    expect(prefixFromText('0.0.0.0/0')).toStrictEqual({ afi: 1, len: 0, addr: 0 });
    expect(prefixFromText('255.255.255.255/32')).toStrictEqual({
      afi: 1,
      len: 32,
      addr: 0xffffffff,
    });
    expect(prefixFromText('2001:db8::/32')).toStrictEqual({
      afi: 2,
      len: 32,
      addr: b('20010db8' + '00'.repeat(12)),
    });
    expect(prefixFromText('::/0')).toStrictEqual({ afi: 2, len: 0, addr: b('00'.repeat(16)) });
    for (const t of ['10.0.0.0/8', '192.168.1.1/32', '2001:db8::/32', '::/0', 'ffc0::/10']) {
      expect(prefixToText(prefixFromText(t))).toBe(t);
    }
    expect(prefixToText(prefixFromText('2001:DB8:0::/48'))).toBe('2001:db8::/48');
  });

  it('refuses host bits and names the canonical prefix', () => {
    expect(() => prefixFromText('10.0.0.1/8')).toThrow(/host bits.*10\.0\.0\.0\/8/);
    expect(() => prefixFromText('2001:db8::1/32')).toThrow(/host bits.*2001:db8::\/32/);
    expect(() => prefixFromText('ffff::/10')).toThrow(/ffc0::\/10/);
  });

  it('refuses malformed text with a WireError of kind text', () => {
    for (const bad of [
      '10.0.0.0',
      '10.0.0.0/',
      '10.0.0.0/33',
      '10.0.0.0/08',
      '10.0.0.0/-1',
      '10.0.0/8',
      '2001:db8::/129',
      '2001:db8:::/32',
      '/8',
      'x/8',
    ]) {
      let err: unknown;
      try {
        prefixFromText(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(WireError);
      expect((err as WireError).kind, bad).toBe('text');
    }
  });
});

describe('NLRI text and keys', () => {
  const vpn4: Nlri = {
    kind: 'vpn',
    labels: [0x641],
    rd: { hi: 65000, lo: 10 },
    prefix: { afi: 1, len: 24, addr: 0x0a010000 },
  };
  it('vpnNlriToText', () => {
    expect(vpnNlriToText(vpn4)).toBe('65000:10:10.1.0.0/24');
    expect(
      vpnNlriToText({
        kind: 'vpn',
        labels: [0x641],
        rd: { hi: 0x00010a00, lo: 0x00010005 },
        prefix: { afi: 2, len: 32, addr: b('20010db8' + '00'.repeat(12)) },
      }),
    ).toBe('10.0.0.1:5:2001:db8::/32');
  });

  it('nlriKey: RD + prefix; labels and path id do not matter', () => {
    expect(nlriKey({ ...vpn4, labels: [0x651], pathId: 3 })).toBe(nlriKey(vpn4));
    expect(nlriKey({ ...vpn4, rd: { hi: 65000, lo: 11 } })).not.toBe(nlriKey(vpn4));
    expect(nlriKey({ ...vpn4, prefix: { afi: 1, len: 23, addr: 0x0a010000 } } as Nlri)).not.toBe(
      nlriKey(vpn4),
    );
    // One flat string of 16-bit units: RD (4), length, address (2 for IPv4).
    expect(nlriKey(vpn4)).toHaveLength(7);
    expect(keyText(nlriKey(vpn4), 1, true)).toBe('65000:10:10.1.0.0/24');
    const v6: Nlri = {
      kind: 'prefix',
      prefix: { afi: 2, len: 32, addr: b('20010db8' + '00'.repeat(12)) },
    };
    expect(nlriKey(v6)).toHaveLength(3);
    expect(keyText(nlriKey(v6), 2, false)).toBe('2001:db8::/32');
    // An odd number of significant octets: the last unit is padded, the text is unchanged.
    const v6odd: Nlri = {
      kind: 'prefix',
      prefix: { afi: 2, len: 40, addr: b('20010db8aa' + '00'.repeat(11)) },
    };
    expect(keyText(nlriKey(v6odd), 2, false)).toBe('2001:db8:aa00::/40');
    expect(nlriKey(v6odd)).not.toBe(nlriKey(v6));
    expect(
      keyText(nlriKey({ kind: 'prefix', prefix: { afi: 1, len: 0, addr: 0 } }), 1, false),
    ).toBe('0.0.0.0/0');
    expect(
      keyText(nlriKey({ kind: 'prefix', prefix: { afi: 1, len: 32, addr: 0xffffffff } }), 1, false),
    ).toBe('255.255.255.255/32');
    expect(nlriKey({ kind: 'rtc', len: 16, originAs: 65000, rt: b('0002') })).toBe(
      'rtc:65000:16:0002',
    );
    expect(nlriFromKey('rtc', 'rtc:65000:16:0002', [])).toEqual({
      kind: 'rtc',
      len: 16,
      originAs: 65000,
      rt: b('0002'),
    });
  });

  it('keys round-trip: keyPrefix/keyRd give back what nlriKey was given', () => {
    let seed = 7;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const afi = i % 2 === 0 ? 1 : 2;
      const len = rnd() % (afi === 1 ? 33 : 129);
      let prefix: IpPrefix;
      if (afi === 1) prefix = { afi: 1, len, addr: maskV4(rnd(), len) };
      else {
        const addr = Uint8Array.from({ length: 16 }, (_, k) => {
          const keep = Math.max(0, Math.min(8, len - 8 * k));
          return rnd() & (0xff00 >> keep) & 0xff;
        });
        prefix = { afi: 2, len, addr };
      }
      const rd = { hi: rnd(), lo: rnd() };
      const key = nlriKey({ kind: 'vpn', labels: [0x11], rd, prefix });
      expect(keyRd(key)).toEqual(rd);
      expect(keyPrefix(key, afi, 4)).toEqual(prefix);
      expect(keyText(key, afi, true)).toBe(`${rdToText(rd)}:${prefixToText(prefix)}`);
      const fam = afi === 1 ? 'vpnv4' : 'vpnv6';
      expect(nlriFromKey(fam, key, [0x11])).toEqual({ kind: 'vpn', labels: [0x11], rd, prefix });
      expect(nlriFromKey(fam, key, [0x11], 7)).toMatchObject({ pathId: 7 });
      const pk = nlriKey({ kind: 'prefix', prefix });
      expect(nlriFromKey(afi === 1 ? 'ipv4' : 'ipv6', pk, [])).toEqual({ kind: 'prefix', prefix });
      seen.add(`${afi}|${key}`);
    }
    expect(seen.size).toBe(2000);
  });
});
