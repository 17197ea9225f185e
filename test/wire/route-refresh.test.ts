import { describe, expect, it } from 'vitest';
import { WireError } from '../../src/wire/errors.js';
import { decodeRouteRefresh, encodeRouteRefresh } from '../../src/wire/route-refresh.js';
import type { RouteRefreshMessage } from '../../src/wire/types.js';
import { Writer } from '../../src/wire/writer.js';

/** Hex groups (whitespace ignored) to bytes; refuses odd or non-hex input. */
function hex(...parts: string[]): Buffer {
  const s = parts.join('').replace(/\s+/g, '');
  if (!/^([0-9a-f]{2})*$/i.test(s)) throw new Error(`bad hex: ${s}`);
  return Buffer.from(s, 'hex');
}

const MARKER = 'ff'.repeat(16);

function decodeBody(body: Buffer): RouteRefreshMessage {
  return decodeRouteRefresh(body, 0, body.length);
}

function encode(msg: RouteRefreshMessage): string {
  const w = new Writer(4);
  encodeRouteRefresh(w, msg);
  return w.finish().toString('hex');
}

const VECTORS: [string, string, RouteRefreshMessage][] = [
  // AFI 1, subtype 0 (RFC 2918 reserved), SAFI 1
  ['normal ipv4', '0001 00 01', { type: 'route-refresh', afi: 1, subtype: 0, safi: 1 }],
  // AFI 1, subtype 1 (BoRR), SAFI 128
  ['BoRR vpnv4', '0001 01 80', { type: 'route-refresh', afi: 1, subtype: 1, safi: 128 }],
  // AFI 2, subtype 2 (EoRR), SAFI 128
  ['EoRR vpnv6', '0002 02 80', { type: 'route-refresh', afi: 2, subtype: 2, safi: 128 }],
  // unknown subtype 5: returned as it is
  ['unknown subtype', '0001 05 01', { type: 'route-refresh', afi: 1, subtype: 5, safi: 1 }],
];

describe('ROUTE-REFRESH vectors', () => {
  for (const [name, bytes, msg] of VECTORS) {
    it(name, () => {
      expect(decodeBody(hex(bytes))).toEqual(msg);
      expect(encode(msg)).toBe(hex(bytes).toString('hex'));
    });
  }
  it('keeps ORF entries (RFC 5291) raw after a subtype 0 request', () => {
    // AFI 1, subtype 0, SAFI 128; when-to-refresh IMMEDIATE (1), ORF type 64, length 0
    const body = hex('0001 00 80', '01 40 0000');
    const msg = decodeBody(body);
    expect(msg).toMatchObject({ afi: 1, subtype: 0, safi: 128 });
    expect(Buffer.from(msg.rest!).toString('hex')).toBe('01400000');
    expect(encode(msg)).toBe(body.toString('hex'));
  });
  it('reads nothing past `end`', () => {
    const buf = hex('0001 00 01', 'deadbeef');
    expect(decodeRouteRefresh(buf, 0, 4)).toEqual({
      type: 'route-refresh',
      afi: 1,
      subtype: 0,
      safi: 1,
    });
  });
});

function rrError(f: () => unknown): WireError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(WireError);
    expect((e as WireError).kind).toBe('route-refresh');
    return e as WireError;
  }
  throw new Error('expected a WireError');
}

describe('RFC 7313 §5: BoRR / EoRR of the wrong length -> 7/1 with the whole message', () => {
  it('BoRR with one extra octet', () => {
    // marker, length 24, type 5; AFI 1, BoRR, SAFI 128, one stray octet
    const frame = hex(MARKER, '0018 05', '0001 01 80 00');
    const e = rrError(() => decodeRouteRefresh(frame, 19, frame.length));
    expect(e.notify!.code).toBe(7);
    expect(e.notify!.subcode).toBe(1);
    expect(Buffer.from(e.notify!.data).toString('hex')).toBe(frame.toString('hex'));
  });
  it('EoRR with 4 extra octets', () => {
    const frame = hex(MARKER, '001b 05', '0002 02 80 00000000');
    const e = rrError(() => decodeRouteRefresh(frame, 19, frame.length));
    expect(e.notify).toMatchObject({ code: 7, subcode: 1 });
    expect(e.notify!.data).toHaveLength(27);
  });
  it('a body under 4 octets', () => {
    const e = rrError(() => decodeBody(hex('0001 00')));
    expect(e.notify).toMatchObject({ code: 7, subcode: 1 });
  });
});
