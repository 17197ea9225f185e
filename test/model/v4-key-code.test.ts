// A VPNv4 route keeps its key as the RD part in its share and a small integer for the prefix
// (src/model/v4-key-code.ts): the key read back must be the key given, for every prefix length,
// RD and address, and for routes whose NLRI alternate between RDs in one run.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import {
  copyRoute,
  receivedRoute,
  staleCopy,
  vpnPrefixKey,
  vpnRdPart,
} from '../../src/model/route.js';
import { type RouteOrigin } from '../../src/model/route-origin.js';
import { headOf, NO_CODE, v4KeyCode, v4KeyOf } from '../../src/model/v4-key-code.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { nlriKey } from '../../src/rib/keys.js';
import type { VpnNlri } from '../../src/wire/types.js';
import { xorshift32 } from '../rib/xorshift.js';

/** One label stack for all, as the decoder shares equal ones: the routes share their parts. */
const LABELS = [(16 << 4) | 1];

const vpn = (hi: number, lo: number, len: number, addr: number): VpnNlri => ({
  kind: 'vpn',
  labels: LABELS,
  rd: { hi, lo },
  prefix: { afi: 1, len, addr: addr >>> 0 },
});

/** The address with the bits past `len` cleared, as a key carries it. */
const masked = (addr: number, len: number): number =>
  len === 0 ? 0 : ((addr >>> (32 - len)) << (32 - len)) >>> 0;

describe('v4KeyCode / v4KeyOf', () => {
  it('gives every length up to /30 a code that makes the same key again', () => {
    const next = xorshift32(0x13579bdf);
    const seen = new Map<number, string>();
    for (let len = 0; len <= 30; len++) {
      const addrs = [0, 0xffffffff, 0x80000000, 1 << (32 - Math.max(len, 1))];
      for (let i = 0; i < 200; i++) addrs.push(next());
      for (const a of addrs) {
        const key = nlriKey(vpn(next(), next(), len, masked(a, len)));
        const code = v4KeyCode(key);
        expect(code).not.toBe(NO_CODE);
        // A V8 small integer with or without pointer compression: 31 bits signed.
        expect(Number.isInteger(code) && code >= -(2 ** 30) && code < 2 ** 30).toBe(true);
        expect(v4KeyOf(headOf(key), code)).toBe(key);
        const prefix = key.slice(4);
        const before = seen.get(code);
        if (before !== undefined) expect(before).toBe(prefix);
        seen.set(code, prefix);
      }
    }
  });

  it('has no code for /31, /32, host bits set or a key of another length', () => {
    expect(v4KeyCode(nlriKey(vpn(1, 2, 31, 0x0a000002)))).toBe(NO_CODE);
    expect(v4KeyCode(nlriKey(vpn(1, 2, 32, 0x0a000001)))).toBe(NO_CODE);
    const unmasked = String.fromCharCode(0, 1, 0, 2, 24, 0x0a00, 0x0001);
    expect(v4KeyCode(unmasked)).toBe(NO_CODE);
    expect(v4KeyCode(String.fromCharCode(0, 1, 0, 2, 24, 0x0a00))).toBe(NO_CODE);
    expect(v4KeyCode(String.fromCharCode(0, 1, 0, 2, 0, 0, 1))).toBe(NO_CODE);
  });
});

describe('a received VPNv4 route keeps no key string', () => {
  const interner = new AttrInterner();
  const attrs = interner.intern({
    ...EMPTY_ATTR_VALUES,
    asPath: [{ type: 2 as const, asns: [65001] }],
    nextHop: { afi: 1 as const, addr: 0xc0000201 },
  });
  const origin: RouteOrigin = { kind: 'local', source: 'local' };

  it('reads back the key and NLRI of routes whose RDs alternate, /32s among them', () => {
    const next = xorshift32(0x2468ace1);
    const rds = [1, 2, 3, 4, 5, 6, 7].map((lo) => ({ hi: 65001, lo }));
    const given: { key: string; n: VpnNlri }[] = [];
    for (let i = 0; i < 500; i++) {
      const rd = rds[next() % (i < 250 ? 3 : rds.length)]!;
      const len = i % 10 === 0 ? 32 : 8 + (next() % 23);
      const n = vpn(rd.hi, rd.lo, len, masked(next(), len));
      given.push({ key: nlriKey(n), n });
    }
    const routes = given.map(({ key, n }, i) => receivedRoute(key, n, attrs, origin, 7, 0, i));
    for (let i = 0; i < given.length; i++) {
      const r = routes[i]!;
      const { key, n } = given[i]!;
      expect(r.key).toBe(key);
      expect(r.nlri).toEqual(n);
      expect(r.seq).toBe(i);
      expect(copyRoute(r).key).toBe(key);
      const stale = staleCopy(r);
      expect([stale.key, stale.stale]).toEqual([key, true]);
    }
  });

  it('gives the prefix and RD parts of a VPN key without the key (VRF import)', () => {
    const next = xorshift32(0x1357acef);
    const v6: VpnNlri = {
      kind: 'vpn',
      labels: LABELS,
      rd: { hi: 65001, lo: 9 },
      prefix: {
        afi: 2,
        len: 48,
        addr: new Uint8Array([0x20, 1, 0xd, 0xb8, 0, 7, ...new Array(10).fill(0)]),
      },
    };
    const given: VpnNlri[] = [v6];
    for (let i = 0; i < 300; i++) {
      const len = i % 7 === 0 ? 31 + (i % 2) : next() % 31;
      given.push(vpn(65001, next() % 4, len, masked(next(), len)));
    }
    given.forEach((n, i) => {
      const key = nlriKey(n);
      // A path id makes a route of another kind (it keeps its key as a string).
      for (const r of [
        receivedRoute(key, n, attrs, origin, 7, 0, i),
        receivedRoute(key, n, attrs, origin, 7, 3, i),
      ]) {
        expect(vpnPrefixKey(r)).toBe(key.slice(4));
        expect(vpnRdPart(r).slice(0, 4)).toBe(key.slice(0, 4));
      }
    });
  });
});
