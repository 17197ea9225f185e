// The VPNv4 lookups by number (a decoded NLRI's RD and v4KeyNumber, no key string) must find what
// the lookups by key string find: in an RD's map before and after its split, after deletions,
// and through Rib.announce / withdraw, for every prefix length, /31 and /32 (whose routes keep
// their key string), host bits set and 0.0.0.0/0; VPNv6 keeps the string path.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { NO_CODE, v4CodeOf, v4KeyCode } from '../../src/model/v4-key-code.js';
import type { RdMap } from '../../src/rib/rd-map.js';
import { destinationMap } from '../../src/rib/rd-map.js';
import { Rib } from '../../src/rib/rib.js';
import { nlriKey, v4KeyNumber } from '../../src/rib/keys.js';
import { SPLIT_AT } from '../../src/rib/sharded-map.js';
import type { Nlri, Rd, VpnNlri } from '../../src/wire/types.js';
import { peerOrigin } from './peer-origin.js';
import { xorshift32 } from './xorshift.js';

const vpn = (rd: Rd, len: number, addr: number, labels = [16]): VpnNlri => ({
  kind: 'vpn',
  labels,
  rd,
  prefix: { afi: 1, len, addr: addr >>> 0 },
});

/** Keys of every length, with host bits set and not, the highest addresses, two RDs. */
function awkward(): VpnNlri[] {
  const out: VpnNlri[] = [];
  // RD halves with their top bits set: a unit read as signed would differ.
  const rds: Rd[] = [
    { hi: 65000, lo: 7 },
    { hi: 0xfffe0001, lo: 0x80000001 },
  ];
  for (const rd of rds)
    for (let len = 0; len <= 32; len++) {
      const net = len === 0 ? 0 : (0xc0a80100 & (0xffffffff << (32 - len))) >>> 0;
      out.push(vpn(rd, len, net), vpn(rd, len, 0xffffffff), vpn(rd, len, net | 1));
    }
  return out;
}

const vals: AttrValues = { ...EMPTY_ATTR_VALUES, nextHop: { afi: 1, addr: 0x7f00000b } };

describe('VPNv4 keys by number', () => {
  it('v4CodeOf is v4KeyCode of the key, codes only where the route can keep one', () => {
    for (const n of awkward()) {
      const { len, addr } = n.prefix;
      expect(v4CodeOf(len, addr as number)).toBe(v4KeyCode(nlriKey(n)));
    }
    expect(v4CodeOf(31, 0x0a000000)).toBe(NO_CODE);
    expect(v4CodeOf(24, 0x0a000001)).toBe(NO_CODE);
    expect(v4CodeOf(24, 0x0a000100)).not.toBe(NO_CODE);
  });

  it("an RD's map answers by number as by key, through its split and its compactions", () => {
    const byKey = destinationMap<number>('vpnv4') as RdMap<number>;
    const byNum = destinationMap<number>('vpnv4') as RdMap<number>;
    expect(byNum.byNumber).toBe(true);
    const rdA: Rd = { hi: 65000, lo: 1 };
    const rdB: Rd = { hi: 0x80000000, lo: 0xffffffff };
    const next = xorshift32(4242);
    const nlri: VpnNlri[] = [...awkward()];
    // Past SPLIT_AT in one RD (shards found by runShardOf), alternating with a small RD.
    for (let i = 0; i < SPLIT_AT + 5000; i++) nlri.push(vpn(rdA, 24, 0x0a000000 + i * 256));
    for (let i = 0; i < 3000; i++) nlri.push(vpn(i % 2 ? rdA : rdB, next() % 33, next()));
    const num = (n: VpnNlri): number => v4KeyNumber(n.prefix.len, n.prefix.addr as number);
    nlri.forEach((n, i) => {
      byKey.set(nlriKey(n), i);
      byNum.setV4(n.rd, num(n), i);
    });
    expect(byNum.size).toBe(byKey.size);
    // Each side read the other way: a number that is not the key's would miss.
    const crossed = (): number[] => {
      const bad: number[] = [];
      nlri.forEach((n, i) => {
        const want = byKey.get(nlriKey(n));
        if (byKey.getV4(n.rd, num(n)) !== want || byNum.get(nlriKey(n)) !== want) bad.push(i);
      });
      return bad;
    };
    expect(crossed()).toEqual([]);
    expect([...byNum]).toEqual([...byKey]);
    // Three in four deleted, half by key and half by number on each side: the shards compact.
    let unlike = 0;
    nlri.forEach((n, i) => {
      if (i % 4 === 0) return;
      const k = nlriKey(n);
      const a = i % 2 ? byKey.delete(k) : byKey.deleteV4(n.rd, num(n));
      const b = i % 2 ? byNum.deleteV4(n.rd, num(n)) : byNum.delete(k);
      if (a !== b) unlike++;
    });
    expect(unlike).toBe(0);
    expect(byNum.size).toBe(byKey.size);
    expect(crossed()).toEqual([]);
    expect([...byNum]).toEqual([...byKey]);
    // An RD emptied by number leaves no map behind, and can come back.
    for (const n of nlri) byNum.deleteV4(n.rd, num(n));
    expect(byNum.size).toBe(0);
    expect([...byNum]).toEqual([]);
    byNum.setV4(rdB, num(vpn(rdB, 8, 0x0a000000)), 1);
    expect(byNum.get(nlriKey(vpn(rdB, 8, 0x0a000000)))).toBe(1);
  });

  it('Rib.announce and withdraw put and take VPNv4 routes under their key strings', () => {
    const rib = new Rib();
    const table = rib.table('vpnv4');
    expect(table.byNumber).toBeDefined();
    const nlri = awkward();
    rib.announce('vpnv4', 2, peerOrigin(2), vals, nlri);
    rib.recompute();
    for (const n of nlri) {
      const r = table.bestOf(nlriKey(n));
      expect(r?.key).toBe(nlriKey(n));
      expect(r?.nlri).toEqual(n);
    }
    expect(table.size).toBe(nlri.length);
    // Announced again from another peer: a second path, found by number, its key made then.
    rib.announce('vpnv4', 3, peerOrigin(3), vals, nlri);
    for (const n of nlri) expect(table.countAt(nlriKey(n))).toBe(2);
    // Half withdrawn by the table's string path, all of peer 2's by Rib.withdraw.
    nlri.forEach((n, i) => {
      if (i % 2) expect(table.remove(nlriKey(n), 3)?.key).toBe(nlriKey(n));
    });
    expect(rib.withdraw('vpnv4', 2, nlri)).toBe(nlri.length);
    const missing: Nlri[] = [];
    expect(rib.withdraw('vpnv4', 2, nlri, undefined, missing)).toBe(0);
    expect(missing).toEqual(nlri);
    expect(rib.withdraw('vpnv4', 3, nlri)).toBe(nlri.length / 2);
    expect(table.paths).toBe(0);
  });

  it('a lone path withdrawn by number leaves the table as one withdrawn by key', () => {
    const rib = new Rib();
    const table = rib.table('vpnv4');
    const nlri = awkward();
    rib.announce('vpnv4', 2, peerOrigin(2), vals, nlri);
    table.recompute();
    expect(rib.withdraw('vpnv4', 2, nlri.slice(0, 10))).toBe(10);
    const changes = [...table.recompute()];
    expect(changes.map((c) => c.dest.key)).toEqual(nlri.slice(0, 10).map(nlriKey));
    expect(changes.every((c) => c.newBest === undefined && c.oldBest !== undefined)).toBe(true);
    expect(table.size).toBe(nlri.length - 10);
  });

  it('VPNv6 keeps the string path', () => {
    const rib = new Rib();
    expect(rib.table('vpnv6').byNumber).toBeUndefined();
    expect(rib.table('ipv4').byNumber).toBeUndefined();
    const n: Nlri = {
      kind: 'vpn',
      labels: [16],
      rd: { hi: 65000, lo: 1 },
      prefix: {
        afi: 2,
        len: 32,
        addr: new Uint8Array([0x20, 0x01, 0x0d, 0xb8, ...new Array(12).fill(0)]),
      },
    };
    rib.announce('vpnv6', 2, peerOrigin(2), vals, [n]);
    expect(rib.table('vpnv6').bestOf(nlriKey(n))?.nlri).toEqual(n);
    expect(rib.withdraw('vpnv6', 2, [n])).toBe(1);
  });
});
