import { describe, expect, it } from 'vitest';
import {
  checkCommunity,
  checkExtCommunity,
  checkLargeCommunity,
  checkPrefix,
  checkRouteTarget,
  connectedPrefix,
} from '../../src/config/values.js';

describe('config value checkers', () => {
  it('accepts prefixes with no host bits, v4 and v6', () => {
    for (const p of [
      '0.0.0.0/0',
      '10.0.0.0/8',
      '192.0.2.1/32',
      '::/0',
      '2001:db8::/32',
      '::ffff:10.0.0.0/104',
      'fe80::1/128',
    ]) {
      expect(checkPrefix(p)).toBe(p);
    }
  });

  it('refuses malformed prefixes and says why', () => {
    expect(() => checkPrefix('10.0.0.0')).toThrow(
      '"10.0.0.0" is not a prefix; use A.B.C.D/LEN or X:X::X/LEN',
    );
    expect(() => checkPrefix('10.0.0.256/24')).toThrow('is not a prefix');
    expect(() => checkPrefix('10.0.0.0/33')).toThrow(
      '"10.0.0.0/33": prefix length 33 is longer than 32',
    );
    expect(() => checkPrefix('2001:db8::/129')).toThrow('prefix length 129 is longer than 128');
    expect(() => checkPrefix('10.0.0.0/08')).toThrow('is not a prefix');
    // The embedded IPv4 tail counts: ::ffff:10.0.0.1 has bit 127 set.
    expect(() => checkPrefix('::ffff:10.0.0.1/104')).toThrow('has host bits set');
    expect(() => checkPrefix('2001:db8:0:0:1::/64')).toThrow('did you mean 2001:db8::/64?');
  });

  it('the connected prefix of an interface address', () => {
    expect(connectedPrefix('10.1.0.1/24')).toBe('10.1.0.0/24');
    expect(connectedPrefix('172.16.5.130/25')).toBe('172.16.5.128/25');
    expect(connectedPrefix('2001:db8:1::1/64')).toBe('2001:db8:1::/64');
  });

  it('route targets keep the three forms apart and print canonically', () => {
    expect(checkRouteTarget('65000:10')).toBe('65000:10');
    expect(checkRouteTarget('65000L:10')).toBe('65000L:10');
    expect(checkRouteTarget('4200000000L:7')).toBe('4200000000:7');
    expect(checkRouteTarget('10.0.0.1:5')).toBe('10.0.0.1:5');
    expect(() => checkRouteTarget('10.0.0.1:70000')).toThrow('is out of range (0..65535)');
    expect(() => checkRouteTarget('abc')).toThrow(
      '"abc" is not a route target; use ASN:NN, A.B.C.D:NN or ASN4:NN',
    );
  });

  it('large and extended communities', () => {
    expect(checkLargeCommunity('4200000000:1:2')).toBe('4200000000:1:2');
    expect(() => checkLargeCommunity('1:2')).toThrow('is not a large community');
    expect(() => checkLargeCommunity('4294967296:1:2')).toThrow('is not a large community');
    expect(checkExtCommunity('65000:1')).toBe('rt:65000:1');
    expect(checkExtCommunity('soo:10.0.0.1:3')).toBe('soo:10.0.0.1:3');
    expect(() => checkExtCommunity('xx:1:2')).toThrow('is not an extended community');
  });

  it('communities: the names the daemon reads are the names the checker accepts', () => {
    for (const c of ['65000:1', '0:0', '65535:65535', 'no-export', 'NO-LLGR', 'local-as']) {
      expect(checkCommunity(c)).toBe(c);
    }
    for (const c of ['65536:1', '1:2:3', 'no-such-name', '01:2']) {
      expect(() => checkCommunity(c)).toThrow(`"${c}" is not a community; use AS:NN`);
    }
  });

  it('interface addresses: the connected prefix in RFC 5952 text', () => {
    expect(connectedPrefix('10.1.0.1/24')).toBe('10.1.0.0/24');
    expect(connectedPrefix('2001:db8:0:0:1::1/64')).toBe('2001:db8::/64');
    expect(connectedPrefix('2001:db8:1:2:3:4:5:6/48')).toBe('2001:db8:1::/48');
  });
});
