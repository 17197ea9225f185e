// fast-check arbitraries for every message, path attribute, NLRI kind and next-hop form, limited
// to what a conforming speaker sends (so decode must return it without problems) and small
// enough that every UPDATE fits 4096 octets. Shared by the property and fuzz tests.

import fc from 'fast-check';
import type { CodecContext } from '../../src/wire/context.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { isMartianNextHop } from '../../src/wire/nexthop.js';
import type {
  AsPathSegment,
  UpdateMessage,
  ExtCommunity,
  Ipv6ExtCommunity,
  NextHop,
  Nlri,
  PathAttribute,
  Rd,
} from '../../src/wire/types.js';

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
const asn = fc.integer({ min: 1, max: 0xffffffff }); // RFC 7607: AS 0 is malformed
const bytes = (max: number, min = 0): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ minLength: min, maxLength: max });
const list = <T>(a: fc.Arbitrary<T>, max: number, min = 1): fc.Arbitrary<T[]> =>
  fc.array(a, { minLength: min, maxLength: max });

/** A unicast IPv4 address that is no martian next hop (RFC 4271 §6.3). */
const nextHopAddr = fc
  .tuple(fc.integer({ min: 1, max: 223 }), u8, u8, u8)
  .filter(([a]) => a !== 127)
  .map(([a, b, c, d]) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0);

export function v4Prefix(): fc.Arbitrary<{ afi: 1; len: number; addr: number }> {
  return fc.tuple(fc.integer({ min: 0, max: 32 }), u32).map(([len, a]) => ({
    afi: 1 as const,
    len,
    addr: len === 0 ? 0 : (a & (0xffffffff << (32 - len))) >>> 0, // host bits zero
  }));
}

export function v6Prefix(): fc.Arbitrary<{ afi: 2; len: number; addr: Uint8Array }> {
  return fc.tuple(fc.integer({ min: 0, max: 128 }), bytes(16, 16)).map(([len, b]) => {
    const addr = new Uint8Array(16);
    for (let i = 0; i < 16; i++) {
      const keep = Math.max(0, Math.min(8, len - 8 * i));
      addr[i] = b[i]! & ((0xff00 >> keep) & 0xff);
    }
    return { afi: 2 as const, len, addr };
  });
}

export const rd: fc.Arbitrary<Rd> = fc.record({ hi: u32, lo: u32 });

/** RFC 3032 stack entries; only the last one has the bottom-of-stack bit. */
function labels(max: number): fc.Arbitrary<number[]> {
  const entry = fc.tuple(fc.integer({ min: 0, max: 0xfffff }), fc.integer({ min: 0, max: 7 }));
  return list(entry, max).map((es) =>
    es.map(([l, tc], i) => (l << 4) | (tc << 1) | (i === es.length - 1 ? 1 : 0)),
  );
}

export interface Family {
  readonly afi: number;
  readonly safi: number;
  readonly nlri: fc.Arbitrary<Nlri>;
  readonly nextHop: fc.Arbitrary<NextHop>;
}

const v6addr = bytes(16, 16);
/** Global unicast (2000::/3): never a martian next hop (RFC 4271 §6.3, malformed-input case 21). */
const v6global = v6addr.map((b) => Uint8Array.of(0x20 | (b[0]! & 0x1f), ...b.subarray(1)));
const nh4: fc.Arbitrary<NextHop> = nextHopAddr.map((addr) => ({ kind: 'ipv4', addr }));
const nh6 = (linkLocal: boolean): fc.Arbitrary<NextHop> =>
  linkLocal
    ? fc.oneof(
        v6global.map((global): NextHop => ({ kind: 'ipv6', global })),
        fc
          .tuple(v6global, v6addr)
          .map(([global, ll]): NextHop => ({ kind: 'ipv6', global, linkLocal: ll })),
      )
    : v6global.map((global): NextHop => ({ kind: 'ipv6', global }));
const nhVpn6: fc.Arbitrary<NextHop> = fc.oneof(
  fc.tuple(rd, v6global).map(([r, global]): NextHop => ({ kind: 'vpn-ipv6', rd: r, global })),
  fc.tuple(rd, v6global, rd, v6addr).map(([r, global, llr, ll]): NextHop => ({
    kind: 'vpn-ipv6',
    rd: r,
    global,
    linkLocalRd: llr,
    linkLocal: ll,
  })),
);
const nhVpn4: fc.Arbitrary<NextHop> = fc
  .tuple(rd, nextHopAddr)
  .map(([r, addr]) => ({ kind: 'vpn-ipv4', rd: r, addr }));

const pathId = fc.option(u32, { nil: undefined, freq: 4 });
const withId = <T extends object>(n: T, id: number | undefined): T =>
  id === undefined ? n : { ...n, pathId: id };

const rtcNlri: fc.Arbitrary<Nlri> = fc
  .tuple(fc.integer({ min: 0, max: 64 }), asn, bytes(8, 8), pathId)
  .map(([len, originAs, b, id]) => {
    const rt = b.slice(0, (len + 7) >> 3);
    if (len & 7) rt[rt.length - 1] = rt[rt.length - 1]! & (0xff << (8 - (len & 7)));
    return withId({ kind: 'rtc' as const, len, originAs: len === 0 ? 0 : originAs, rt }, id);
  });

/** Every family the codec knows, with the NLRI and next-hop forms it carries. */
export const FAMILIES: readonly Family[] = [
  {
    afi: 1,
    safi: 1,
    nlri: fc
      .tuple(v4Prefix(), pathId)
      .map(([prefix, id]) => withId({ kind: 'prefix', prefix }, id)),
    nextHop: fc.oneof(nh4, nh6(true)),
  },
  {
    afi: 1,
    safi: 2,
    nlri: fc
      .tuple(v4Prefix(), pathId)
      .map(([prefix, id]) => withId({ kind: 'prefix', prefix }, id)),
    nextHop: nh4,
  },
  {
    afi: 2,
    safi: 1,
    nlri: fc
      .tuple(v6Prefix(), pathId)
      .map(([prefix, id]) => withId({ kind: 'prefix', prefix }, id)),
    nextHop: nh6(true),
  },
  {
    afi: 2,
    safi: 2,
    nlri: fc
      .tuple(v6Prefix(), pathId)
      .map(([prefix, id]) => withId({ kind: 'prefix', prefix }, id)),
    nextHop: nh6(true),
  },
  {
    afi: 1,
    safi: 4,
    nlri: fc
      .tuple(labels(4), v4Prefix(), pathId)
      .map(([l, prefix, id]) => withId({ kind: 'labeled', labels: l, prefix }, id)),
    nextHop: fc.oneof(nh4, nh6(true)),
  },
  {
    afi: 2,
    safi: 4,
    nlri: fc
      .tuple(labels(4), v6Prefix(), pathId)
      .map(([l, prefix, id]) => withId({ kind: 'labeled', labels: l, prefix }, id)),
    nextHop: nh6(true),
  },
  {
    afi: 1,
    safi: 128,
    nlri: fc
      .tuple(labels(3), rd, v4Prefix(), pathId)
      .map(([l, r, prefix, id]) => withId({ kind: 'vpn', labels: l, rd: r, prefix }, id)),
    nextHop: fc.oneof(nhVpn4, nhVpn6),
  },
  {
    afi: 2,
    safi: 128,
    nlri: fc
      .tuple(labels(2), rd, v6Prefix(), pathId)
      .map(([l, r, prefix, id]) => withId({ kind: 'vpn', labels: l, rd: r, prefix }, id)),
    nextHop: nhVpn6,
  },
  { afi: 1, safi: 132, nlri: rtcNlri, nextHop: fc.oneof(nh4, nh6(false)) },
];

/** A family the codec does not know: next hop and NLRI stay raw. */
const UNKNOWN_FAMILY = { afi: 25, safi: 70 };

function segments(width: 2 | 4, confed: boolean): fc.Arbitrary<AsPathSegment[]> {
  const type = confed ? fc.constantFrom(1, 2, 3, 4) : fc.constantFrom(1, 2);
  const a = width === 4 ? asn : fc.integer({ min: 1, max: 0xffff });
  return list(fc.record({ type, asns: list(a, 8) }) as fc.Arbitrary<AsPathSegment>, 4, 0);
}

export const extCommunity: fc.Arbitrary<ExtCommunity> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('route-target' as const, 'route-origin' as const),
    form: fc.constant('as2' as const),
    transitive: fc.boolean(),
    global: u16,
    local: u32,
  }),
  fc.record({
    kind: fc.constantFrom('route-target' as const, 'route-origin' as const),
    form: fc.constantFrom('ipv4' as const, 'as4' as const),
    transitive: fc.boolean(),
    global: u32,
    local: u16,
  }),
  // Raw: any type/subtype that is not an RT or RO of the three decoded forms.
  bytes(8, 8)
    .filter((b) => !([0, 1, 2, 0x40, 0x41, 0x42].includes(b[0]!) && (b[1] === 2 || b[1] === 3)))
    .map((b): ExtCommunity => ({ kind: 'raw', bytes: b })),
);

const ipv6ExtCommunity: fc.Arbitrary<Ipv6ExtCommunity> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('route-target' as const, 'route-origin' as const),
    transitive: fc.boolean(),
    addr: v6addr,
    local: u16,
  }),
  bytes(20, 20)
    .filter((b) => !((b[0] === 0 || b[0] === 0x40) && (b[1] === 2 || b[1] === 3)))
    .map((b): Ipv6ExtCommunity => ({ kind: 'raw', bytes: b })),
);

/** Optional (and Transitive, where required) bits, with a random Partial bit where allowed. */
const flags = (base: number, partial = true): fc.Arbitrary<number> =>
  partial ? fc.boolean().map((p) => base | (p ? 0x20 : 0)) : fc.constant(base);

const KNOWN_CODES = new Set([
  1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 23, 25, 32, 35, 40,
]);

export function mpReach(fam: Family): fc.Arbitrary<PathAttribute> {
  return fc.record({
    kind: fc.constant('mp-reach' as const),
    flags: flags(0x80, false),
    afi: fc.constant(fam.afi),
    safi: fc.constant(fam.safi),
    // A martian MP next hop is a (treat-as-withdraw) error since case 21; round trips stay clean.
    nextHop: fam.nextHop.filter((nh) => !isMartianNextHop(nh)),
    nlri: list(fam.nlri, 6, 0),
  });
}

export function mpUnreach(fam: Family): fc.Arbitrary<PathAttribute> {
  return fc.record({
    kind: fc.constant('mp-unreach' as const),
    flags: flags(0x80, false),
    afi: fc.constant(fam.afi),
    safi: fc.constant(fam.safi),
    nlri: list(fam.nlri, 6, 0),
  });
}

const unknownFamilyReach: fc.Arbitrary<PathAttribute> = fc.record({
  kind: fc.constant('mp-reach' as const),
  flags: fc.constant(0x80),
  afi: fc.constant(UNKNOWN_FAMILY.afi),
  safi: fc.constant(UNKNOWN_FAMILY.safi),
  nextHop: bytes(40).map((b): NextHop => ({ kind: 'raw', bytes: b })),
  nlri: fc.constant([]),
  rawNlri: bytes(40),
});

/** One arbitrary per attribute kind, keyed by kind, for the given AS width. */
export function attributeArbs(as4: boolean): Record<string, fc.Arbitrary<PathAttribute>> {
  const width = as4 ? 4 : 2;
  const a: Record<string, fc.Arbitrary<PathAttribute>> = {
    origin: fc.record({
      kind: fc.constant('origin' as const),
      flags: flags(0x40),
      value: fc.integer({ min: 0, max: 2 }),
    }),
    'as-path': fc.record({
      kind: fc.constant('as-path' as const),
      flags: flags(0x40),
      segments: segments(width, true),
    }),
    'next-hop': fc.record({
      kind: fc.constant('next-hop' as const),
      flags: flags(0x40),
      addr: nextHopAddr,
    }),
    med: fc.record({ kind: fc.constant('med' as const), flags: flags(0x80), value: u32 }),
    'local-pref': fc.record({
      kind: fc.constant('local-pref' as const),
      flags: flags(0x40),
      value: u32,
    }),
    'atomic-aggregate': fc.record({
      kind: fc.constant('atomic-aggregate' as const),
      flags: flags(0x40),
    }),
    aggregator: fc.record({
      kind: fc.constant('aggregator' as const),
      flags: flags(0xc0),
      asn: as4 ? asn : fc.integer({ min: 1, max: 0xffff }),
      id: u32,
    }),
    communities: fc.record({
      kind: fc.constant('communities' as const),
      flags: flags(0xc0),
      values: list(u32, 80),
    }),
    'originator-id': fc.record({
      kind: fc.constant('originator-id' as const),
      flags: flags(0x80),
      id: u32,
    }),
    'cluster-list': fc.record({
      kind: fc.constant('cluster-list' as const),
      flags: flags(0x80),
      ids: list(u32, 8),
    }),
    'ext-communities': fc.record({
      kind: fc.constant('ext-communities' as const),
      flags: flags(0xc0),
      values: list(extCommunity, 40),
    }),
    'ipv6-ext-communities': fc.record({
      kind: fc.constant('ipv6-ext-communities' as const),
      flags: flags(0xc0),
      values: list(ipv6ExtCommunity, 4),
    }),
    'large-communities': fc.record({
      kind: fc.constant('large-communities' as const),
      flags: flags(0xc0),
      values: list(fc.record({ global: u32, local1: u32, local2: u32 }), 25),
    }),
    otc: fc.record({ kind: fc.constant('otc' as const), flags: flags(0xc0), asn: u32 }),
    unknown: fc.record({
      kind: fc.constant('unknown' as const),
      flags: fc.constantFrom(0x80, 0xc0, 0xe0),
      code: u8.filter((c) => !KNOWN_CODES.has(c)),
      value: bytes(300),
    }),
    'mp-reach': fc.oneof(...FAMILIES.map(mpReach), unknownFamilyReach),
    'mp-unreach': fc.oneof(...FAMILIES.map(mpUnreach)),
  };
  if (!as4) {
    // RFC 6793 §6: a NEW speaker discards AS4_PATH / AS4_AGGREGATOR, and AS4_PATH has no confed segments.
    a['as4-path'] = fc.record({
      kind: fc.constant('as4-path' as const),
      flags: flags(0xc0),
      segments: segments(4, false).filter((s) => s.length > 0),
    });
    a['as4-aggregator'] = fc.record({
      kind: fc.constant('as4-aggregator' as const),
      flags: flags(0xc0),
      asn,
      id: u32,
    });
  }
  return a;
}

/** The codec contexts the properties run under: 2- or 4-octet ASNs, with or without add-path. */
export function context(as4: boolean, addPath: boolean): CodecContext {
  const keys = FAMILIES.map((f) => (f.afi << 8) | f.safi);
  return { ...DEFAULT_CONTEXT, fourOctetAs: as4, addPath: new Set(addPath ? keys : []) };
}

const ipv4Nlri = (max: number) =>
  fc.array(
    fc
      .tuple(v4Prefix(), fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }))
      .map(([prefix, id]) =>
        id === undefined
          ? { kind: 'prefix' as const, prefix }
          : { kind: 'prefix' as const, prefix, pathId: id },
      ),
    { maxLength: max },
  );

/** UPDATEs with a random set of distinct attributes, in random order, and the ones RFC 4271 §5 requires. */
export function update(as4: boolean): fc.Arbitrary<UpdateMessage> {
  const arbs = attributeArbs(as4);
  return fc
    .record({
      kinds: fc.shuffledSubarray(Object.keys(arbs)),
      withdrawn: ipv4Nlri(5),
      nlri: ipv4Nlri(5),
    })
    .chain(({ kinds, withdrawn, nlri }) => {
      const need =
        nlri.length > 0
          ? ['origin', 'as-path', 'next-hop']
          : kinds.includes('mp-reach')
            ? ['origin', 'as-path']
            : [];
      const all = [...need.filter((k) => !kinds.includes(k)), ...kinds];
      return fc
        .tuple(...all.map((k) => arbs[k]!))
        .map((attributes): UpdateMessage => ({ type: 'update', withdrawn, nlri, attributes }));
    });
}
