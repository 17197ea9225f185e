import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PolicyError, PrefixListEntryDef } from '../../src/policy/index.js';
import {
  explainPrefixList,
  prefixFromText,
  prefixListLookup,
  prefixListPermits,
} from '../../src/policy/index.js';
import type { CompiledPrefixList } from '../../src/policy/prefix-list.js';
import { compilePrefixList } from '../../src/policy/prefix-list.js';
import type { IpPrefix, Ipv4Prefix } from '../../src/wire/types.js';

function list(defs: PrefixListEntryDef[]): CompiledPrefixList {
  const errors: PolicyError[] = [];
  const l = compilePrefixList('L', defs, errors);
  expect(errors).toEqual([]);
  return l;
}

function p(text: string): IpPrefix {
  const v = prefixFromText(text);
  if (typeof v === 'string') throw new Error(v);
  return v;
}

function permits(l: CompiledPrefixList, text: string): boolean {
  return prefixListPermits(l, p(text));
}

describe('prefix-list ge/le (IPv4)', () => {
  // [entry, candidate, expected] worked out by hand from the FRR/Cisco rules.
  const table: [Omit<PrefixListEntryDef, 'seq' | 'action'>, string, boolean][] = [
    // neither: exact length only
    [{ prefix: '10.0.0.0/8' }, '10.0.0.0/8', true],
    [{ prefix: '10.0.0.0/8' }, '10.1.0.0/16', false],
    [{ prefix: '10.0.0.0/8' }, '11.0.0.0/8', false],
    // le alone: len..le
    [{ prefix: '10.0.0.0/8', le: 24 }, '10.0.0.0/8', true],
    [{ prefix: '10.0.0.0/8', le: 24 }, '10.20.30.0/24', true],
    [{ prefix: '10.0.0.0/8', le: 24 }, '10.20.30.0/25', false],
    [{ prefix: '10.0.0.0/8', le: 24 }, '10.0.0.0/7', false],
    [{ prefix: '10.0.0.0/8', le: 24 }, '11.0.0.0/16', false],
    // ge alone: ge..32
    [{ prefix: '10.0.0.0/8', ge: 16 }, '10.0.0.0/8', false],
    [{ prefix: '10.0.0.0/8', ge: 16 }, '10.0.0.0/15', false],
    [{ prefix: '10.0.0.0/8', ge: 16 }, '10.9.0.0/16', true],
    [{ prefix: '10.0.0.0/8', ge: 16 }, '10.9.8.7/32', true],
    // both: ge..le
    [{ prefix: '10.0.0.0/8', ge: 16, le: 24 }, '10.9.0.0/16', true],
    [{ prefix: '10.0.0.0/8', ge: 16, le: 24 }, '10.9.8.0/24', true],
    [{ prefix: '10.0.0.0/8', ge: 16, le: 24 }, '10.9.8.0/25', false],
    [{ prefix: '10.0.0.0/8', ge: 16, le: 24 }, '10.0.0.0/12', false],
    // the default route, and "any"
    [{ prefix: '0.0.0.0/0' }, '0.0.0.0/0', true],
    [{ prefix: '0.0.0.0/0' }, '10.0.0.0/8', false],
    [{ prefix: '0.0.0.0/0', le: 32 }, '192.0.2.1/32', true],
    [{ prefix: '0.0.0.0/0', le: 32 }, '0.0.0.0/0', true],
    // high bit addresses (unsigned 32-bit)
    [{ prefix: '192.168.0.0/16', le: 32 }, '192.168.255.255/32', true],
    [{ prefix: '255.255.255.255/32' }, '255.255.255.255/32', true],
    [{ prefix: '128.0.0.0/1', ge: 2, le: 2 }, '192.0.0.0/2', true],
    [{ prefix: '128.0.0.0/1', ge: 2, le: 2 }, '64.0.0.0/2', false],
    // an IPv6 prefix never matches an IPv4 entry
    [{ prefix: '0.0.0.0/0', le: 32 }, '::/0', false],
  ];
  for (const [e, cand, want] of table) {
    it(`${e.prefix}${e.ge ? ` ge ${e.ge}` : ''}${e.le ? ` le ${e.le}` : ''} vs ${cand} -> ${want}`, () => {
      expect(permits(list([{ seq: 5, action: 'permit', ...e }]), cand)).toBe(want);
    });
  }
});

describe('prefix-list ge/le (IPv6)', () => {
  const table: [Omit<PrefixListEntryDef, 'seq' | 'action'>, string, boolean][] = [
    [{ prefix: '2001:db8::/32' }, '2001:db8::/32', true],
    [{ prefix: '2001:db8::/32' }, '2001:db8::/48', false],
    [{ prefix: '2001:db8::/32', le: 64 }, '2001:db8:1:2::/64', true],
    [{ prefix: '2001:db8::/32', le: 64 }, '2001:db8:1:2::/65', false],
    [{ prefix: '2001:db8::/32', le: 64 }, '2001:db9::/48', false],
    [{ prefix: '2001:db8::/32', ge: 48 }, '2001:db8:ffff::/48', true],
    [{ prefix: '2001:db8::/32', ge: 48 }, '2001:db8::1/128', true],
    [{ prefix: '2001:db8::/32', ge: 48 }, '2001:db8::/47', false],
    [{ prefix: '2001:db8::/32', ge: 48, le: 56 }, '2001:db8:0:ff00::/56', true],
    [{ prefix: '2001:db8::/32', ge: 48, le: 56 }, '2001:db8::/57', false],
    // a bit in the middle of an octet (the 33rd bit of 2001:db8:8000::)
    [{ prefix: '2001:db8:8000::/33', le: 48 }, '2001:db8:8000::/40', true],
    [{ prefix: '2001:db8:8000::/33', le: 48 }, '2001:db8:4000::/40', false],
    [{ prefix: '::/0', le: 128 }, 'fe80::1/128', true],
    [{ prefix: '::/0', le: 128 }, '10.0.0.0/8', false],
  ];
  for (const [e, cand, want] of table) {
    it(`${e.prefix}${e.ge ? ` ge ${e.ge}` : ''}${e.le ? ` le ${e.le}` : ''} vs ${cand} -> ${want}`, () => {
      expect(permits(list([{ seq: 5, action: 'permit', ...e }]), cand)).toBe(want);
    });
  }
});

describe('prefix-list order and implicit deny', () => {
  const l = list([
    // given out of order on purpose: seq decides, not position
    { seq: 20, action: 'permit', prefix: '10.0.0.0/8', le: 32 },
    { seq: 10, action: 'deny', prefix: '10.66.0.0/16', le: 32 },
    { seq: 30, action: 'permit', prefix: '2001:db8::/32', le: 128 },
  ]);

  it('first match in seq order wins', () => {
    expect(permits(l, '10.66.1.0/24')).toBe(false);
    expect(permits(l, '10.67.1.0/24')).toBe(true);
    expect(l.entries[prefixListLookup(l, p('10.66.1.0/24'))]?.seq).toBe(10);
    expect(l.entries[prefixListLookup(l, p('10.67.1.0/24'))]?.seq).toBe(20);
  });

  it('denies what no entry matches', () => {
    expect(prefixListLookup(l, p('192.0.2.0/24'))).toBe(-1);
    expect(permits(l, '192.0.2.0/24')).toBe(false);
    expect(permits(l, '2001:db9::/32')).toBe(false);
    expect(permits(list([]), '10.0.0.0/8')).toBe(false);
  });

  it('explains each outcome', () => {
    expect(explainPrefixList(l, p('10.1.0.0/24'))).toBe(
      'prefix 10.1.0.0/24 permitted by prefix-list L seq 20 (10.0.0.0/8 le 32)',
    );
    expect(explainPrefixList(l, p('10.66.0.0/24'))).toBe(
      'prefix 10.66.0.0/24 denied by prefix-list L seq 10 (10.66.0.0/16 le 32)',
    );
    expect(explainPrefixList(l, p('172.16.0.0/12'))).toBe(
      'prefix 172.16.0.0/12 not in prefix-list L (implicit deny)',
    );
  });
});

describe('prefix-list compile errors', () => {
  const cases: [PrefixListEntryDef[], RegExp][] = [
    [[{ seq: 10, action: 'permit', prefix: '10.0.0.1/8' }], /host bits/],
    [[{ seq: 10, action: 'permit', prefix: '10.0.0.0/33' }], /at most 32/],
    [[{ seq: 10, action: 'permit', prefix: '10.0.0/8' }], /not an IPv4 address/],
    [[{ seq: 10, action: 'permit', prefix: '2001:db8::1/32' }], /host bits/],
    [[{ seq: 10, action: 'permit', prefix: '10.0.0.0/16', le: 8 }], /ge <= le/],
    [[{ seq: 10, action: 'permit', prefix: '10.0.0.0/16', ge: 24, le: 20 }], /ge <= le/],
    [[{ seq: 10, action: 'permit', prefix: '10.0.0.0/16', le: 33 }], /<= 32/],
    [
      [
        { seq: 10, action: 'permit', prefix: '10.0.0.0/8' },
        { seq: 10, action: 'deny', prefix: '11.0.0.0/8' },
      ],
      /seq 10 appears twice/,
    ],
    [[{ seq: 10, action: 'allow' as 'permit', prefix: '10.0.0.0/8' }], /permit or deny/],
    [[{ seq: 10, action: 'permit', prefix: '10.0.0.0/8', lt: 9 } as never], /unknown key "lt"/],
  ];
  for (const [defs, re] of cases) {
    it(`rejects ${JSON.stringify(defs)}`, () => {
      const errors: PolicyError[] = [];
      compilePrefixList('L', defs, errors);
      expect(errors.map((e) => e.message).join('\n')).toMatch(re);
      expect(errors[0]?.where).toMatch(/^prefixLists\.L/);
    });
  }
});

// The trie against a plain scan written here from the rules, on random lists and prefixes.
describe('prefix-list trie agrees with a linear scan', () => {
  function v4(addr: number, len: number): Ipv4Prefix {
    const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    return { afi: 1, len, addr: (addr & mask) >>> 0 };
  }
  function scan(defs: PrefixListEntryDef[], c: IpPrefix & { afi: 1 }): number | undefined {
    for (const d of [...defs].sort((a, b) => a.seq - b.seq)) {
      const e = p(d.prefix) as IpPrefix & { afi: 1 };
      const lo = d.ge ?? e.len;
      const hi = d.le ?? (d.ge !== undefined ? 32 : e.len);
      const mask = e.len === 0 ? 0 : (0xffffffff << (32 - e.len)) >>> 0;
      if (c.len >= lo && c.len <= hi && (c.addr & mask) >>> 0 === e.addr) return d.seq;
    }
    return undefined;
  }
  // Few distinct top bits so entries and candidates overlap often.
  const addr = fc.integer({ min: 0, max: 15 }).map((x) => (x << 28) >>> 0);
  const entry = fc
    .tuple(addr, fc.integer({ min: 0, max: 6 }), fc.option(fc.integer({ min: 0, max: 8 })))
    .map(([a, len, extra]) => {
      const pr = v4(a, len);
      const txt = `${pr.addr >>> 24}.${(pr.addr >>> 16) & 255}.0.0/${len}`;
      return extra === null ? { prefix: txt } : { prefix: txt, le: len + extra };
    });
  it('on random inputs', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 12 }),
        fc.array(fc.tuple(addr, fc.integer({ min: 0, max: 10 })), { minLength: 1, maxLength: 10 }),
        (es, cands) => {
          const defs = es.map((e, i) => ({ seq: (i * 7) % 13, action: 'permit' as const, ...e }));
          const uniq = defs.filter((d, i) => defs.findIndex((x) => x.seq === d.seq) === i);
          const l = list(uniq);
          for (const [a, len] of cands) {
            const c = v4(a, len);
            expect(l.entries[prefixListLookup(l, c)]?.seq).toBe(scan(uniq, c));
          }
        },
      ),
    );
  });
});
