// Whole UPDATE bodies (after the 19-octet header), decoded and re-encoded byte for byte.
import { describe, expect, it } from 'vitest';
import type { CodecContext } from '../../src/wire/context.js';
import type { UpdateMessage } from '../../src/wire/types.js';
import { decodeUpdate, encodeUpdate } from '../../src/wire/update.js';
import { Writer } from '../../src/wire/writer.js';

const hex = (s: string): Buffer => Buffer.from(s.replace(/[\s|]/g, ''), 'hex');
const ctx: CodecContext = {
  fourOctetAs: true,
  addPath: new Set(),
  extendedMessage: false,
  ibgp: false,
};

function encode(m: UpdateMessage): string {
  const w = new Writer(16);
  encodeUpdate(w, m, ctx);
  return w.finish().toString('hex');
}

describe('IPv4 unicast UPDATE', () => {
  const body =
    '0004 | 18 0a0102' + // withdrawn routes length 4: 10.1.2.0/24
    '0022' + // total path attribute length 34
    '| 40 01 01 00' + // ORIGIN IGP
    '| 40 02 06 02 01 0000fde8' + // AS_PATH SEQUENCE 65000
    '| 40 03 04 0a000001' + // NEXT_HOP 10.0.0.1
    '| 80 04 04 00000064' + // MED 100
    '| c0 08 04 fde80001' + // COMMUNITIES 65000:1
    '| 18 c0a801 | 10 ac10'; // NLRI 192.168.1.0/24, 172.16.0.0/16
  const want: UpdateMessage = {
    type: 'update',
    withdrawn: [{ kind: 'prefix', prefix: { afi: 1, len: 24, addr: 0x0a010200 } }],
    attributes: [
      { kind: 'origin', flags: 0x40, value: 0 },
      { kind: 'as-path', flags: 0x40, segments: [{ type: 2, asns: [65000] }] },
      { kind: 'next-hop', flags: 0x40, addr: 0x0a000001 },
      { kind: 'med', flags: 0x80, value: 100 },
      { kind: 'communities', flags: 0xc0, values: [0xfde80001] },
    ],
    nlri: [
      { kind: 'prefix', prefix: { afi: 1, len: 24, addr: 0xc0a80100 } },
      { kind: 'prefix', prefix: { afi: 1, len: 16, addr: 0xac100000 } },
    ],
  };

  it('decodes', () => {
    const b = hex(body);
    const r = decodeUpdate(b, 0, b.length, ctx);
    expect(r.problems).toEqual([]);
    expect(r.action).toBeUndefined();
    expect(r.update).toEqual(want);
  });

  it('decodes at an offset (after a header)', () => {
    const b = Buffer.concat([Buffer.alloc(19, 0xff), hex(body)]);
    expect(decodeUpdate(b, 19, b.length, ctx).update).toEqual(want);
  });

  it('encodes to the same bytes', () => {
    expect(encode(want)).toBe(hex(body).toString('hex'));
  });

  it('an empty UPDATE is the IPv4 End-of-RIB', () => {
    const r = decodeUpdate(hex('0000 0000'), 0, 4, ctx);
    expect(r.problems).toEqual([]);
    expect(r.update).toEqual({ type: 'update', withdrawn: [], attributes: [], nlri: [] });
    expect(encode(r.update)).toBe('00000000');
  });
});

describe('VPNv4 UPDATE', () => {
  const body =
    '0000' + // no IPv4 withdrawn routes
    '0043' + // total path attribute length 67 = 35 + 4 + 9 + 19
    '| 80 0e 20 0001 80' + // MP_REACH len 32, AFI 1 SAFI 128
    '  0c 0000000000000000 0a000001 00' + // next hop RD 0 + 10.0.0.1, reserved
    '  70 000641 0000fde80000000a c0a801' + // label 100 BoS, RD 65000:10, 192.168.1.0/24
    '| 40 01 01 00' + // ORIGIN IGP
    '| 40 02 06 02 01 0000fde8' + // AS_PATH 65000
    '| c0 10 10 0002fde80000000a 0002fde800000014'; // RT 65000:10, RT 65000:20

  it('decodes and re-encodes', () => {
    const b = hex(body);
    const r = decodeUpdate(b, 0, b.length, ctx);
    expect(r.problems).toEqual([]);
    expect(r.update.nlri).toEqual([]);
    const mp = r.update.attributes[0];
    expect(mp?.kind).toBe('mp-reach');
    if (mp?.kind !== 'mp-reach') return;
    expect(mp.nextHop).toEqual({ kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0x0a000001 });
    expect(mp.nlri).toEqual([
      {
        kind: 'vpn',
        labels: [0x641],
        rd: { hi: 0x0000fde8, lo: 0x0000000a },
        prefix: { afi: 1, len: 24, addr: 0xc0a80100 },
      },
    ]);
    expect(r.update.attributes[3]).toEqual({
      kind: 'ext-communities',
      flags: 0xc0,
      values: [
        { kind: 'route-target', form: 'as2', transitive: true, global: 65000, local: 10 },
        { kind: 'route-target', form: 'as2', transitive: true, global: 65000, local: 20 },
      ],
    });
    expect(encode(r.update)).toBe(b.toString('hex'));
  });
});
