// An outbound set's AS path written from the received set's packed path (rib/packed-path-wire.ts,
// out-set.ts pathWriter) must be the octets encodeSegments writes for the segments `asPath` makes:
// our AS prepended into the leading AS_SEQUENCE or in a new one, runs past 255 ASNs split, 2- and
// 4-octet ASNs; and an update group's attributes (wireAttrs) must not change with it.

import { describe, expect, it } from 'vitest';
import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import { makeRoute } from '../../src/model/route.js';
import { wireAttrs } from '../../src/rib/convert.js';
import { AttrInterner } from '../../src/rib/intern.js';
import { makeOutSet, OutSet } from '../../src/rib/out-set.js';
import { outbound, sentPath, type OutProfile } from '../../src/rib/outbound.js';
import { packPath } from '../../src/rib/packed-path.js';
import { writePackedPath } from '../../src/rib/packed-path-wire.js';
import { encodeSegments } from '../../src/wire/attrs/segments.js';
import type { CodecContext } from '../../src/wire/context.js';
import { encodeAttribute } from '../../src/wire/attrs/index.js';
import { rtFromText } from '../../src/wire/ext-community.js';
import type { AsPathSegment } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';
import { EBGP_PROFILE, peerOrigin } from './peer-origin.js';
import { xorshift32 } from './xorshift.js';

const next = xorshift32(0x9a7b0009);
const upTo = (n: number): number => next() % (n + 1);

/** Segments of every type; lengths around the 255 boundary now and then; ASNs past 16 bits. */
function path(): AsPathSegment[] {
  const out: AsPathSegment[] = [];
  for (let s = upTo(4); s > 0; s--) {
    const edge = next() % 3 === 0;
    const len = edge ? 253 + upTo(4) : next() % 7 === 0 ? 256 + upTo(300) : 1 + upTo(20);
    const asns = Array.from({ length: len }, () =>
      next() % 2 ? 1 + upTo(65534) : 65536 + upTo(0xfffeffff),
    );
    out.push({ type: (1 + upTo(3)) as AsPathSegment['type'], asns });
  }
  // The leading segment an AS_SEQUENCE more often than not: where the prepend joins it.
  if (out[0] && next() % 3 !== 0) out[0] = { ...out[0], type: 2 };
  return out;
}

const hex = (f: (w: Writer) => void): string => {
  const w = new Writer(16);
  f(w);
  return w.buf.subarray(0, w.pos).toString('hex');
};

describe('writePackedPath', () => {
  it('writes what encodeSegments writes for the path, with and without our AS prepended', () => {
    for (let i = 0; i < 3000; i++) {
      const segs = path();
      const p = packPath(segs);
      const lead = next() % 4 === 0 ? undefined : next() % 2 ? 65000 : 4200000000;
      const width = next() % 2 ? 4 : 2;
      const want = lead === undefined ? segs : sentPath(segs, { localAs: lead });
      expect(hex((w) => writePackedPath(w, p, lead, width))).toBe(
        hex((w) => encodeSegments(w, want, width)),
      );
    }
  });

  it('prepends into a leading AS_SEQUENCE of 254 ASNs, and before one of 255 or an AS_SET', () => {
    const seq = (n: number, type: AsPathSegment['type'] = 2): AsPathSegment[] => [
      { type, asns: Array.from({ length: n }, (_, k) => 100 + k) },
    ];
    const first = (segs: AsPathSegment[]): string =>
      hex((w) => writePackedPath(w, packPath(segs), 7, 4)).slice(0, 4);
    expect(first(seq(254))).toBe('02ff');
    expect(first(seq(255))).toBe('0201');
    expect(first(seq(3, 1))).toBe('0201');
    expect(first([])).toBe('0201');
  });
});

describe('an outbound set packed with its path writer', () => {
  const interner = new AttrInterner();
  const profiles: [string, OutProfile][] = [
    ['eBGP', EBGP_PROFILE],
    ['eBGP with as-override', { ...EBGP_PROFILE, asOverride: { peerAs: 65001 } }],
    ['iBGP', { ...EBGP_PROFILE, ibgp: true }],
  ];
  const octets = (set: OutSet, fourOctetAs: boolean, withWriter: boolean): string => {
    const ctx = { fourOctetAs } as CodecContext;
    const o = { fourOctetAs, localPref: false, markPartial: true };
    const attrs = wireAttrs(set, o, withWriter ? set.pathWriter() : undefined);
    return hex((w) => {
      if (typeof attrs === 'function') attrs(w, ctx);
      else for (const a of attrs) encodeAttribute(w, a, ctx);
    });
  };
  for (const [name, p] of profiles)
    it(`encodes as without it: ${name}`, () => {
      for (let i = 0; i < 300; i++) {
        const v: AttrValues = {
          ...EMPTY_ATTR_VALUES,
          origin: upTo(2),
          asPath: path(),
          nextHop: { afi: 1, addr: 0x0a000001 },
          med: next() % 2 ? next() : undefined,
          communities: [next(), next()],
          extCommunities: [rtFromText(`65000:${upTo(99)}`)],
        };
        const r = makeRoute(
          'k',
          { kind: 'prefix', prefix: { afi: 1, addr: 0, len: 0 } },
          interner.intern(v),
          peerOrigin(1),
          1,
          0,
          1,
        );
        const set = outbound(r, p, makeOutSet);
        if (!(set instanceof OutSet)) throw new Error(`refused: ${String(set)}`);
        // as-override rewrites the path: no writer, the segments are read.
        expect(set.pathWriter() === undefined).toBe(p.asOverride !== undefined);
        for (const four of [true, false])
          expect(octets(set, four, true)).toBe(octets(set, four, false));
      }
    });
});
