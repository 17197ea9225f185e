// An update group packs a set of only the common attributes from its values (wireAttrs: a writer,
// wire/attrs/set-encode.ts), any other set from its attribute objects (valuesToWire): both must
// give the octets encodeAttribute writes for valuesToWire's list, for every AS width, with and
// without LOCAL_PREF, across the Extended Length boundary.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { valuesToWire, wireAttrs, type ToWireOptions } from '../../src/rib/convert.js';
import { encodeAttribute } from '../../src/wire/attrs/index.js';
import type { CodecContext } from '../../src/wire/context.js';
import { rtFromText, soOFromText } from '../../src/wire/ext-community.js';
import type { AsPathSegment } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';
import { xorshift32 } from './xorshift.js';

const next = xorshift32(0x13c0ffee);
const upTo = (n: number): number => next() % (n + 1);
const list = <T>(n: number, f: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => f(i));

/** A generated set: common attributes of every size, now and then a rare one. */
function values(): AttrValues {
  const segment = (): AsPathSegment => ({
    type: next() % 4 === 0 ? 1 : 2,
    asns: list(1 + upTo(70), () => (next() % 2 ? 64512 + upTo(1000) : 1 + (next() >>> 1))),
  });
  const rare = next() % 5 === 0;
  const v: AttrValues = {
    ...EMPTY_ATTR_VALUES,
    origin: upTo(2),
    asPath: list(upTo(3), segment),
    med: next() % 2 ? next() : undefined,
    localPref: next() % 2 ? next() : undefined,
    communities: list(next() % 2 ? upTo(80) : 0, () => next()),
    extCommunities: list(next() % 2 ? upTo(40) : 0, (i) =>
      i % 3 ? rtFromText(`65000:${upTo(9999)}`) : soOFromText(`10.0.0.1:${upTo(99)}`),
    ),
  };
  if (!rare) return v;
  switch (upTo(3)) {
    case 0:
      return { ...v, atomicAggregate: true, aggregator: { asn: next(), id: next() } };
    case 1:
      return { ...v, largeCommunities: [{ global: 1, local1: 2, local2: 3 }], otc: 65001 };
    case 2:
      return { ...v, originatorId: next(), clusterList: [next(), next()] };
    default:
      return {
        ...v,
        others: [{ kind: 'unknown', flags: 0xc0, code: 99, value: new Uint8Array([1, 2]) }],
      };
  }
}

function octets(v: AttrValues, o: ToWireOptions, ctx: CodecContext): [string, string] {
  const plain = new Writer(64);
  for (const a of valuesToWire(v, o)) encodeAttribute(plain, a, ctx);
  const packed = new Writer(64);
  const attrs = wireAttrs(v, o);
  if (typeof attrs === 'function') attrs(packed, ctx);
  else for (const a of attrs) encodeAttribute(packed, a, ctx);
  return [packed.finish().toString('hex'), plain.finish().toString('hex')];
}

describe('wireAttrs', () => {
  it('writes what valuesToWire encodes, for 2000 generated sets in each session kind', () => {
    let written = 0;
    for (let i = 0; i < 2000; i++) {
      const v = values();
      for (const fourOctetAs of [true, false]) {
        for (const localPref of [true, false]) {
          const o: ToWireOptions = { fourOctetAs, localPref, markPartial: true };
          const ctx: CodecContext = { fourOctetAs, addPath: new Set(), extendedMessage: false };
          const [packed, plain] = octets(v, o, ctx);
          expect(packed).toBe(plain);
          if (typeof wireAttrs(v, o) === 'function') written++;
        }
      }
    }
    // Most generated sets take the writer (a rare attribute or a 4-octet ASN to an old speaker
    // takes the objects): the comparison above covered both.
    expect(written).toBeGreaterThan(2000);
    expect(written).toBeLessThan(8000);
  });

  it("reads an outbound set's AS path once (an eBGP path is made when read)", () => {
    let reads = 0;
    const base: AttrValues = { ...EMPTY_ATTR_VALUES, asPath: [{ type: 2, asns: [65001] }] };
    const v = Object.create(base, {
      asPath: {
        get: () => {
          reads++;
          return base.asPath;
        },
      },
    }) as AttrValues;
    wireAttrs(v, { fourOctetAs: true, localPref: false, markPartial: true });
    expect(reads).toBe(1);
  });
});
