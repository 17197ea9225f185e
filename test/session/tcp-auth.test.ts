// The bytes handed to the kernel for TCP-MD5 and GTSM (src/session/tcp-auth.ts), checked field by
// field against the Linux layout of struct tcp_md5sig and the sockaddrs inside it.

import { describe, expect, it } from 'vitest';
import {
  AF_INET,
  AF_INET6,
  MD5SIG_SIZE,
  MD5_MAX_KEY,
  encodeMd5Sig,
  minTtlFor,
  ttlOfSavedSyn,
} from '../../src/session/tcp-auth.js';

describe('struct tcp_md5sig', () => {
  it('is 216 octets: sockaddr_storage, flags, prefixlen, keylen, ifindex, key[80]', () => {
    expect(MD5SIG_SIZE).toBe(216);
    expect(encodeMd5Sig('192.0.2.1', AF_INET, Buffer.from('k')).length).toBe(216);
  });

  it('carries an IPv4 peer as sockaddr_in and the key with its length', () => {
    const b = encodeMd5Sig('192.0.2.1', AF_INET, Buffer.from('secret'));
    expect(b.readUInt16LE(0)).toBe(AF_INET);
    expect(b.readUInt16BE(2)).toBe(0); // port
    expect([...b.subarray(4, 8)]).toEqual([192, 0, 2, 1]);
    expect(b[128]).toBe(0); // tcpm_flags
    expect(b[129]).toBe(0); // tcpm_prefixlen
    expect(b.readUInt16LE(130)).toBe(6);
    expect(b.readInt32LE(132)).toBe(0); // tcpm_ifindex: any
    expect(b.subarray(136, 142).toString()).toBe('secret');
    expect(b.subarray(142).every((x) => x === 0)).toBe(true);
  });

  it('carries an IPv6 peer as sockaddr_in6 (address after port and flowinfo)', () => {
    const b = encodeMd5Sig('2001:db8::1', AF_INET6, Buffer.from('x'));
    expect(b.readUInt16LE(0)).toBe(AF_INET6);
    expect(b.readUInt32BE(4)).toBe(0); // flowinfo
    expect(b.subarray(8, 24).toString('hex')).toBe('20010db8000000000000000000000001');
    expect(b.readUInt32LE(24)).toBe(0); // scope id
  });

  it('maps an IPv4 peer on an IPv6 socket to ::ffff:a.b.c.d', () => {
    const b = encodeMd5Sig('127.0.0.2', AF_INET6, Buffer.from('x'));
    expect(b.readUInt16LE(0)).toBe(AF_INET6);
    expect(b.subarray(8, 24).toString('hex')).toBe('00000000000000000000ffff7f000002');
  });

  it('takes keys up to 80 octets; an empty key (keylen 0) deletes the peer key', () => {
    const full = encodeMd5Sig('192.0.2.1', AF_INET, Buffer.alloc(MD5_MAX_KEY, 0x61));
    expect(full.readUInt16LE(130)).toBe(80);
    expect(full.subarray(136).every((x) => x === 0x61)).toBe(true);
    expect(encodeMd5Sig('192.0.2.1', AF_INET, new Uint8Array(0)).readUInt16LE(130)).toBe(0);
    expect(() => encodeMd5Sig('192.0.2.1', AF_INET, Buffer.alloc(81))).toThrow(/at most 80/);
  });

  it('refuses an IPv6 peer on an IPv4 socket and a non-address', () => {
    expect(() => encodeMd5Sig('2001:db8::1', AF_INET, Buffer.from('x'))).toThrow(/IPv4 socket/);
    expect(() => encodeMd5Sig('peer.example', AF_INET, Buffer.from('x'))).toThrow(/not an IP/);
  });
});

describe('GTSM', () => {
  it('requires 256 - hops (RFC 5082 §3): 255 for a direct neighbor, 2 for 254 hops', () => {
    expect(minTtlFor(1)).toBe(255);
    expect(minTtlFor(2)).toBe(254);
    expect(minTtlFor(254)).toBe(2);
  });

  it('reads the TTL of a saved IPv4 SYN (octet 8) and the hop limit of an IPv6 one (octet 7)', () => {
    const v4 = Buffer.alloc(40);
    v4[0] = 0x45;
    v4[8] = 253;
    expect(ttlOfSavedSyn(v4)).toBe(253);
    const v6 = Buffer.alloc(60);
    v6[0] = 0x60;
    v6[7] = 255;
    expect(ttlOfSavedSyn(v6)).toBe(255);
    expect(ttlOfSavedSyn(Buffer.alloc(0))).toBeUndefined();
    expect(ttlOfSavedSyn(Buffer.from([0x45, 0, 0]))).toBeUndefined();
  });
});
