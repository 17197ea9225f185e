// fast-check arbitraries for OPEN messages and capabilities (RFC 5492, RFC 9072): what a
// conforming speaker sends, so decode returns it unchanged.

import fc from 'fast-check';
import type { Capability, OpenMessage } from '../../src/wire/types.js';
import { u16, u32, u8 } from './arbitraries.js';

const bytes = (max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ maxLength: max });
const list = <T>(a: fc.Arbitrary<T>, max: number, min = 1): fc.Arbitrary<T[]> =>
  fc.array(a, { minLength: min, maxLength: max });

const hostText = fc.string({
  unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-.'),
  maxLength: 30,
});
const KNOWN_CAPS = new Set([1, 2, 5, 6, 64, 65, 69, 70, 71, 73]);
const afiSafi = { afi: u16, safi: u8 };

export const capability: fc.Arbitrary<Capability> = fc.oneof(
  fc.record({ kind: fc.constant('multiprotocol' as const), ...afiSafi }),
  fc.constantFrom<Capability>(
    { kind: 'route-refresh' },
    { kind: 'enhanced-route-refresh' },
    { kind: 'extended-message' },
  ),
  fc.record({ kind: fc.constant('four-octet-as' as const), asn: u32 }),
  fc.record({
    kind: fc.constant('graceful-restart' as const),
    restarting: fc.boolean(),
    notification: fc.boolean(),
    restartTime: fc.integer({ min: 0, max: 0xfff }),
    families: list(fc.record({ ...afiSafi, forwarding: fc.boolean() }), 4, 0),
  }),
  fc.record({
    kind: fc.constant('llgr' as const),
    families: list(
      fc.record({ ...afiSafi, flags: u8, staleTime: fc.integer({ min: 0, max: 0xffffff }) }),
      4,
      0,
    ),
  }),
  fc.record({
    kind: fc.constant('add-path' as const),
    entries: list(fc.record({ ...afiSafi, sendReceive: fc.integer({ min: 1, max: 3 }) }), 4, 0),
  }),
  fc.record({
    kind: fc.constant('extended-next-hop' as const),
    entries: list(fc.record({ afi: u16, safi: u16, nextHopAfi: u16 }), 4, 0),
  }),
  fc.record({ kind: fc.constant('hostname' as const), hostname: hostText, domain: hostText }),
  fc.record({
    kind: fc.constant('unknown' as const),
    code: u8.filter((c) => !KNOWN_CAPS.has(c)),
    value: bytes(20),
  }),
);

export const open: fc.Arbitrary<OpenMessage> = fc
  .record({
    version: u8,
    myAs: u16,
    holdTime: u16,
    bgpId: u32,
    params: list(
      fc.oneof(
        fc.record({
          kind: fc.constant('capabilities' as const),
          capabilities: list(capability, 6, 0),
        }),
        // Type 2 is Capabilities; 255 announces the RFC 9072 form.
        fc.record({
          kind: fc.constant('unknown' as const),
          type: u8.filter((t) => t !== 2 && t !== 255),
          value: bytes(30),
        }),
      ),
      4,
      0,
    ),
    extendedParams: fc.boolean(),
  })
  .map((o) => ({ type: 'open' as const, ...o }));
