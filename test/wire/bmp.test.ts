// The BMP codec (RFC 7854, RFC 8671, RFC 9069): the octets of each message against the RFCs'
// layouts, and decode(encode(m)) = m.

import { describe, expect, it } from 'vitest';
import {
  encodeBmp,
  INFO_SYS_NAME,
  INFO_TABLE_NAME,
  STAT_ADJ_RIB_IN_AFI,
  STAT_LEAK_VIOLATIONS,
  textTlv,
  type BmpMessage,
  type BmpPeer,
} from '../../src/wire/bmp.js';
import { decodeBmp, splitBmp } from '../../src/wire/bmp-decode.js';
import { WireError } from '../../src/wire/errors.js';
import { rdFromText } from '../../src/wire/rd.js';

const peer: BmpPeer = {
  type: 'rd',
  flags: { postPolicy: true, legacyAsPath: false, adjRibOut: false },
  distinguisher: rdFromText('65000:10'),
  address: '192.0.2.1',
  asn: 65001,
  bgpId: 0x0a000001,
  seconds: 1700000000,
  micros: 5,
};

/** A KEEPALIVE-sized stand-in PDU of a type (marker, length, type): the codec copies PDUs whole. */
function pdu(type: number, extra: number[] = []): Uint8Array {
  const len = 19 + extra.length;
  return Uint8Array.from([...Array(16).fill(0xff), len >> 8, len & 0xff, type, ...extra]);
}

describe('BMP encoding', () => {
  it('writes the common header and the 42-octet per-peer header as RFC 7854 §4.1-4.2 lay them out', () => {
    const b = encodeBmp({ type: 'route-monitoring', peer, update: pdu(2, [0, 0, 0, 0]) });
    expect(b[0]).toBe(3); // version
    expect(b.readUInt32BE(1)).toBe(b.length);
    expect(b[5]).toBe(0); // Route Monitoring
    expect(b[6]).toBe(1); // RD instance peer
    expect(b[7]).toBe(0x40); // L: post-policy; V clear for IPv4
    expect([...b.subarray(8, 16)]).toEqual([0, 0, 0xfd, 0xe8, 0, 0, 0, 10]); // RD 65000:10
    expect([...b.subarray(16, 28)]).toEqual(Array(12).fill(0));
    expect([...b.subarray(28, 32)]).toEqual([192, 0, 2, 1]);
    expect(b.readUInt32BE(32)).toBe(65001);
    expect(b.readUInt32BE(36)).toBe(0x0a000001);
    expect(b.readUInt32BE(40)).toBe(1700000000);
    expect(b.readUInt32BE(44)).toBe(5);
    expect(b.length).toBe(6 + 42 + 23);
  });

  it('sets V for an IPv6 peer, O for Adj-RIB-Out (RFC 8671), A for 2-octet AS paths', () => {
    const b = encodeBmp({
      type: 'route-monitoring',
      peer: {
        ...peer,
        type: 'global',
        address: '2001:db8::1',
        flags: { adjRibOut: true, legacyAsPath: true },
      },
      update: pdu(2, [0, 0, 0, 0]),
    });
    expect(b[7]).toBe(0x80 | 0x20 | 0x10);
    expect([...b.subarray(8, 16)]).toEqual(Array(8).fill(0)); // global: no distinguisher
    expect(b.readUInt16BE(16)).toBe(0x2001);
  });

  it('keeps a Loc-RIB peer distinguisher and puts F in the first flag bit (RFC 9069 §4.1-4.2)', () => {
    const b = encodeBmp({
      type: 'route-monitoring',
      peer: {
        ...peer,
        type: 'loc-rib',
        address: '0.0.0.0',
        flags: { filtered: true, postPolicy: true },
      },
      update: pdu(2, [0, 0, 0, 0]),
    });
    expect(b[6]).toBe(3);
    expect(b[7]).toBe(0x80);
    expect([...b.subarray(8, 16)]).toEqual([0, 0, 0xfd, 0xe8, 0, 0, 0, 10]);
  });

  it('writes Peer Up with the addresses, ports, both OPENs whole and the table name TLV (RFC 7854 §4.10, RFC 9069 §5.3)', () => {
    const sent = pdu(1, [4, 0xfd, 0xe8, 0, 90, 10, 0, 0, 1, 0]);
    const received = pdu(1, [4, 0xfd, 0xe9, 0, 90, 10, 0, 0, 2, 0]);
    const b = encodeBmp({
      type: 'peer-up',
      peer,
      localAddress: '192.0.2.2',
      localPort: 179,
      remotePort: 40000,
      sentOpen: sent,
      receivedOpen: received,
      tlvs: [textTlv(INFO_TABLE_NAME, 'CUST')],
    });
    const at = 6 + 42;
    expect([...b.subarray(at + 12, at + 16)]).toEqual([192, 0, 2, 2]);
    expect(b.readUInt16BE(at + 16)).toBe(179);
    expect(b.readUInt16BE(at + 18)).toBe(40000);
    expect([...b.subarray(at + 20, at + 20 + sent.length)]).toEqual([...sent]);
    const tlvAt = at + 20 + sent.length + received.length;
    expect(b.readUInt16BE(tlvAt)).toBe(3);
    expect(b.readUInt16BE(tlvAt + 2)).toBe(4);
    expect(b.subarray(tlvAt + 4).toString()).toBe('CUST');
  });

  it('writes each Peer Down reason with its data (RFC 7854 §4.9, RFC 9069 §4.5)', () => {
    const n = pdu(3, [6, 3]);
    const at = 6 + 42;
    const local = encodeBmp({
      type: 'peer-down',
      peer,
      reason: { kind: 'local-notification', notification: n },
    });
    expect(local[at]).toBe(1);
    expect([...local.subarray(at + 1)]).toEqual([...n]);
    const fsm = encodeBmp({
      type: 'peer-down',
      peer,
      reason: { kind: 'local-no-notification', fsmEvent: 18 },
    });
    expect([...fsm.subarray(at)]).toEqual([2, 0, 18]);
    const remote = encodeBmp({
      type: 'peer-down',
      peer,
      reason: { kind: 'remote-no-notification' },
    });
    expect([...remote.subarray(at)]).toEqual([4]);
    const tlv = encodeBmp({
      type: 'peer-down',
      peer,
      reason: { kind: 'local-tlv', tlvs: [textTlv(INFO_TABLE_NAME, 'A')] },
    });
    expect([...tlv.subarray(at)]).toEqual([6, 0, 3, 0, 1, 0x41]);
  });

  it('writes statistics as counters (4), gauges (8) and per-AFI/SAFI gauges (11) (RFC 7854 §4.8)', () => {
    const b = encodeBmp({
      type: 'statistics',
      peer,
      stats: [
        { kind: 'counter', type: STAT_LEAK_VIOLATIONS, value: 7 },
        { kind: 'afi-safi-gauge', type: STAT_ADJ_RIB_IN_AFI, afi: 1, safi: 128, value: 2n ** 40n },
      ],
    });
    const at = 6 + 42;
    expect(b.readUInt32BE(at)).toBe(2);
    expect([...b.subarray(at + 4, at + 12)]).toEqual([0xff, 0xfb, 0, 4, 0, 0, 0, 7]);
    expect([...b.subarray(at + 12, at + 27)]).toEqual([
      0, 9, 0, 11, 0, 1, 128, 0, 0, 1, 0, 0, 0, 0, 0,
    ]);
  });
});

/** Octets as arrays and bigints as text, so Buffers and Uint8Arrays compare by content. */
function plain(x: unknown): unknown {
  if (x instanceof Uint8Array) return [...x];
  if (typeof x === 'bigint') return `${x}`;
  if (Array.isArray(x)) return x.map(plain);
  if (x && typeof x === 'object')
    return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, plain(v)]));
  return x;
}

describe('BMP decoding', () => {
  const messages: BmpMessage[] = [
    { type: 'initiation', tlvs: [textTlv(INFO_SYS_NAME, 'pe1')] },
    { type: 'termination', tlvs: [{ type: 1, value: Uint8Array.from([0, 0]) }] },
    { type: 'route-monitoring', peer, update: pdu(2, [0, 0, 0, 0]) },
    {
      type: 'peer-down',
      peer,
      reason: { kind: 'remote-notification', notification: pdu(3, [6, 2]) },
    },
    { type: 'statistics', peer, stats: [{ kind: 'gauge', type: 7, value: 12n }] },
    {
      type: 'peer-up',
      peer: {
        ...peer,
        type: 'global',
        address: '2001:db8::1',
        distinguisher: rdFromText('0:0'),
        flags: { postPolicy: false, legacyAsPath: false, adjRibOut: false },
      },
      localAddress: '2001:db8::2',
      localPort: 1,
      remotePort: 2,
      sentOpen: pdu(1, [4]),
      receivedOpen: pdu(1, [4]),
      tlvs: [],
    },
  ];

  it('gives back what was encoded', () => {
    for (const m of messages) expect(plain(decodeBmp(encodeBmp(m)))).toEqual(plain(m));
  });

  it('splits a stream into messages and keeps the unfinished one', () => {
    const a = encodeBmp(messages[0]!);
    const b = encodeBmp(messages[2]!);
    const { messages: got, rest } = splitBmp(Buffer.concat([a, b.subarray(0, 10)]));
    expect(got.map((x) => x.length)).toEqual([a.length]);
    expect(rest.length).toBe(10);
  });

  it('refuses another version, a wrong length and a truncated body with a BMP error', () => {
    const good = encodeBmp(messages[2]!);
    const v2 = Buffer.from(good);
    v2[0] = 2;
    expect(() => decodeBmp(v2)).toThrow(WireError);
    expect(() => decodeBmp(good.subarray(0, good.length - 1))).toThrow(/length/);
    const cut = Buffer.from(good.subarray(0, 30));
    cut.writeUInt32BE(30, 1);
    expect(() => decodeBmp(cut)).toThrow(expect.objectContaining({ kind: 'bmp' }));
  });
});
