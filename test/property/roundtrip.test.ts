// decode(encode(x)) deep-equals x for every message, path attribute, NLRI kind and next-hop form,
// under 2- and 4-octet AS contexts, with and without add-path. Only documented encoder choices are
// normalized (see `expected`):
//   - Extended Length (0x10) is added by the encoder when a value exceeds 255 octets (attrs/index.ts);
//   - RFC 7911: a path identifier is on the wire only when add-path is negotiated for the family;
//     then a missing one is sent as 0;
//   - RFC 8277 §2.4: withdrawn labeled / VPN NLRI carry the compatibility label 0x800000;
//   - RFC 9072: the extended parameters form is used when asked for or when the base form is too small;
//   - RFC 6793 §4.2.2: ASNs above 65535 go to a 2-octet speaker as AS_TRANS (23456).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodecContext } from '../../src/wire/context.js';
import { decodeMessage, encodeMessage } from '../../src/wire/message.js';
import type { BgpMessage, Nlri, PathAttribute, UpdateMessage } from '../../src/wire/types.js';
import {
  FAMILIES,
  attributeArbs,
  context,
  mpReach,
  mpUnreach,
  u16,
  u8,
  update,
} from './arbitraries.js';
import { open } from './open-arbs.js';

const RUNS = 1000;
const WITHDRAW_LABEL = 0x800000;

function nlriAsSent(
  n: Nlri,
  ctx: CodecContext,
  afi: number,
  safi: number,
  withdraw: boolean,
): Nlri {
  const { pathId, ...rest } = n;
  let out: Nlri = rest as Nlri;
  if (ctx.addPath.has((afi << 8) | safi)) out = { ...out, pathId: pathId ?? 0 };
  if (withdraw && (out.kind === 'labeled' || out.kind === 'vpn'))
    out = { ...out, labels: [WITHDRAW_LABEL] };
  return out;
}

function attrAsSent(a: PathAttribute, ctx: CodecContext): PathAttribute {
  switch (a.kind) {
    case 'mp-reach':
      return { ...a, nlri: a.nlri.map((n) => nlriAsSent(n, ctx, a.afi, a.safi, false)) };
    case 'mp-unreach':
      return { ...a, nlri: a.nlri.map((n) => nlriAsSent(n, ctx, a.afi, a.safi, true)) };
    default:
      return a;
  }
}

/** x as the codec should return it after encoding with ctx. */
function expected(msg: BgpMessage, ctx: CodecContext): BgpMessage {
  if (msg.type !== 'update') return msg;
  return {
    ...msg,
    withdrawn: msg.withdrawn.map((n) => nlriAsSent(n, ctx, 1, 1, true) as typeof n),
    nlri: msg.nlri.map((n) => nlriAsSent(n, ctx, 1, 1, false) as typeof n),
    attributes: msg.attributes.map((a) => attrAsSent(a, ctx)),
  };
}

/** Clears the Extended Length bit, after checking the decoder kept it when it was asked for. */
function withoutExtendedLength(sent: BgpMessage, got: BgpMessage): BgpMessage {
  if (got.type === 'open' && sent.type === 'open') {
    if (sent.extendedParams === true) expect(got.extendedParams).toBe(true);
    const { extendedParams: _, ...rest } = got;
    return rest;
  }
  if (got.type !== 'update' || sent.type !== 'update') return got;
  sent.attributes.forEach((a, i) => {
    if (a.flags & 0x10)
      expect(got.attributes[i]?.flags ?? 0, 'kept Extended Length').toBeGreaterThanOrEqual(0x10);
  });
  return { ...got, attributes: got.attributes.map((a) => ({ ...a, flags: a.flags & ~0x10 })) };
}

function strip(msg: BgpMessage): BgpMessage {
  if (msg.type === 'open') {
    const { extendedParams: _, ...rest } = msg;
    return rest;
  }
  if (msg.type !== 'update') return msg;
  return { ...msg, attributes: msg.attributes.map((a) => ({ ...a, flags: a.flags & ~0x10 })) };
}

/**
 * Byte fields as plain Uint8Arrays: some decoders copy with Uint8Array.prototype.slice, which
 * yields a Buffer (the species of a Buffer input); both are Uint8Arrays to the type system.
 */
function plain(x: unknown): unknown {
  if (x instanceof Uint8Array) return Uint8Array.from(x);
  if (Array.isArray(x)) return x.map(plain);
  if (x !== null && typeof x === 'object') {
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  }
  return x;
}

function roundTrip(msg: BgpMessage, ctx: CodecContext): void {
  const frame = encodeMessage(msg, ctx);
  const d = decodeMessage(frame, ctx);
  expect(d.problems).toEqual([]);
  expect(d.action).toBeUndefined();
  expect(plain(withoutExtendedLength(msg, d.message))).toEqual(plain(strip(expected(msg, ctx))));
}

const CONTEXTS: [string, boolean, boolean][] = [
  ['4-octet AS', true, false],
  ['2-octet AS', false, false],
  ['4-octet AS, add-path', true, true],
  ['2-octet AS, add-path', false, true],
];

describe('decode(encode(x)) = x', () => {
  for (const [name, as4, addPath] of CONTEXTS) {
    const ctx = context(as4, addPath);
    it(`UPDATE with any attributes (${name})`, () => {
      fc.assert(
        fc.property(update(as4), (m) => roundTrip(m, ctx)),
        { numRuns: RUNS },
      );
    });
  }

  for (const fam of FAMILIES) {
    for (const addPath of [false, true]) {
      const ctx = context(true, addPath);
      it(`MP_REACH + MP_UNREACH of AFI ${fam.afi} / SAFI ${fam.safi}${addPath ? ', add-path' : ''}`, () => {
        const arb = fc.tuple(
          mpReach(fam),
          mpUnreach(fam),
          attributeArbs(true)['origin']!,
          attributeArbs(true)['as-path']!,
        );
        fc.assert(
          fc.property(arb, ([reach, unreach, origin, path]) =>
            roundTrip(
              {
                type: 'update',
                withdrawn: [],
                nlri: [],
                attributes: [reach, unreach, origin, path],
              },
              ctx,
            ),
          ),
          { numRuns: RUNS },
        );
      });
    }
  }

  it('OPEN (every capability, unknown parameters, RFC 9072 form)', () => {
    fc.assert(
      fc.property(open, (m) => roundTrip(m, context(true, false))),
      { numRuns: RUNS },
    );
  });

  it('NOTIFICATION', () => {
    const arb = fc.record({ code: u8, subcode: u8, data: fc.uint8Array({ maxLength: 100 }) });
    fc.assert(
      fc.property(arb, (n) => roundTrip({ type: 'notification', ...n }, context(true, false))),
      { numRuns: RUNS },
    );
  });

  it('KEEPALIVE', () => roundTrip({ type: 'keepalive' }, context(true, false)));

  it('ROUTE-REFRESH (normal with ORF bytes, BoRR, EoRR, other subtypes)', () => {
    const arb = fc.oneof(
      fc.record({ afi: u16, subtype: fc.constantFrom(1, 2), safi: u8 }),
      fc
        .record({
          afi: u16,
          subtype: u8.filter((s) => s !== 1 && s !== 2),
          safi: u8,
          rest: fc.uint8Array({ maxLength: 50 }),
        })
        .map(({ rest, ...m }) => (rest.length > 0 ? { ...m, rest } : m)),
    );
    fc.assert(
      fc.property(arb, (m) => roundTrip({ type: 'route-refresh', ...m }, context(true, false))),
      { numRuns: RUNS },
    );
  });

  it('AS_PATH and AGGREGATOR to a 2-octet speaker: ASNs above 65535 become AS_TRANS', () => {
    const ctx = context(false, false);
    const asn = fc.integer({ min: 1, max: 0xffffffff });
    const arb = fc.tuple(fc.array(asn, { minLength: 1, maxLength: 10 }), asn);
    fc.assert(
      fc.property(arb, ([asns, agg]) => {
        const msg: UpdateMessage = {
          type: 'update',
          withdrawn: [],
          nlri: [],
          attributes: [
            { kind: 'as-path', flags: 0x40, segments: [{ type: 2, asns }] },
            { kind: 'aggregator', flags: 0xc0, asn: agg, id: 1 },
          ],
        };
        const got = decodeMessage(encodeMessage(msg, ctx), ctx).message as UpdateMessage;
        const trans = (a: number): number => (a > 0xffff ? 23456 : a);
        expect(got.attributes).toEqual([
          { kind: 'as-path', flags: 0x40, segments: [{ type: 2, asns: asns.map(trans) }] },
          { kind: 'aggregator', flags: 0xc0, asn: trans(agg), id: 1 },
        ]);
      }),
      { numRuns: RUNS },
    );
  });
});
