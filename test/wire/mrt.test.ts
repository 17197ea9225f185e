// The MRT codec (RFC 6396, RFC 8050): every record kind encodes and decodes back to itself, the
// octets of a hand-built record are the RFC's, and a broken file is refused with its record number
// and offset.

import { describe, expect, it } from 'vitest';
import { attrFlags } from '../../src/wire/attrs/index.js';
import { labelEntry } from '../../src/wire/nlri/labeled.js';
import { decodeMrtFile, encodeMrtRecord } from '../../src/wire/mrt/file.js';
import type { MrtRecord, PeerIndexTable, RibRecord } from '../../src/wire/mrt/types.js';
import type { PathAttribute } from '../../src/wire/types.js';

const v4 = (a: number, b: number, c: number, d: number) => new Uint8Array([a, b, c, d]);

const peerTable: PeerIndexTable = {
  kind: 'peer-index-table',
  collectorId: 0x0a000001,
  viewName: 'CUSTOMER-A',
  peers: [
    { bgpId: 0x0a000001, address: v4(0, 0, 0, 0), asn: 65000 },
    { bgpId: 0x0a000002, address: v4(127, 0, 0, 11), asn: 4200000001 },
    { bgpId: 0x0a000003, address: new Uint8Array(16).fill(1), asn: 65002 },
  ],
};

const attrs = (extra: PathAttribute[] = []): PathAttribute[] => [
  { kind: 'origin', flags: attrFlags('origin'), value: 0 },
  { kind: 'as-path', flags: attrFlags('as-path'), segments: [{ type: 2, asns: [4200000001] }] },
  ...extra,
  { kind: 'communities', flags: attrFlags('communities'), values: [((65000 << 16) | 7) >>> 0] },
];

const vpnRecord = (addPath: boolean): RibRecord => ({
  kind: 'rib',
  sequence: 3,
  afi: 1,
  safi: 128,
  addPath,
  nlri: {
    kind: 'vpn',
    labels: [labelEntry(100)],
    rd: { hi: 65000, lo: 10 },
    prefix: { afi: 1, len: 24, addr: 0x0a010500 },
  },
  entries: [
    {
      peerIndex: 1,
      originatedTime: 1_700_000_000,
      ...(addPath ? { pathId: 7 } : {}),
      attributes: attrs([
        {
          kind: 'mp-reach',
          flags: attrFlags('mp-reach'),
          afi: 1,
          safi: 128,
          nextHop: { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0x7f00000b },
          nlri: [],
        },
      ]),
    },
  ],
});

const records: MrtRecord[] = [
  { timestamp: 1_700_000_100, body: peerTable },
  {
    timestamp: 1_700_000_100,
    body: {
      kind: 'rib',
      sequence: 0,
      afi: 1,
      safi: 1,
      addPath: false,
      nlri: { kind: 'prefix', prefix: { afi: 1, len: 24, addr: 0x0a010000 } },
      entries: [
        {
          peerIndex: 0,
          originatedTime: 1_700_000_000,
          attributes: attrs([{ kind: 'next-hop', flags: attrFlags('next-hop'), addr: 0x7f000001 }]),
        },
      ],
    },
  },
  {
    timestamp: 1_700_000_100,
    body: {
      kind: 'rib',
      sequence: 1,
      afi: 2,
      safi: 1,
      addPath: true,
      nlri: {
        kind: 'prefix',
        prefix: { afi: 2, len: 32, addr: new Uint8Array(16).fill(0x20, 0, 4) },
      },
      entries: [
        {
          peerIndex: 2,
          originatedTime: 5,
          pathId: 2,
          attributes: attrs([
            {
              kind: 'mp-reach',
              flags: attrFlags('mp-reach'),
              afi: 2,
              safi: 1,
              nextHop: { kind: 'ipv6', global: new Uint8Array(16).fill(1) },
              nlri: [],
            },
          ]),
        },
      ],
    },
  },
  { timestamp: 1_700_000_100, body: vpnRecord(false) },
  { timestamp: 1_700_000_100, body: vpnRecord(true) },
  {
    timestamp: 1_700_000_200,
    body: {
      kind: 'bgp4mp-message',
      local: false,
      addPath: true,
      peerAs: 65001,
      localAs: 65000,
      ifIndex: 0,
      peerIp: v4(127, 0, 0, 11),
      localIp: v4(127, 0, 0, 10),
      message: new Uint8Array([...new Array<number>(16).fill(0xff), 0, 19, 4]),
    },
  },
  {
    timestamp: 1_700_000_200,
    body: {
      kind: 'bgp4mp-state-change',
      peerAs: 65001,
      localAs: 65000,
      ifIndex: 0,
      peerIp: v4(127, 0, 0, 11),
      localIp: v4(127, 0, 0, 10),
      oldState: 5,
      newState: 6,
    },
  },
];

const file = Buffer.concat(records.map(encodeMrtRecord));

describe('MRT codec', () => {
  it('decodes every record kind back to what was encoded', () => {
    const r = decodeMrtFile(file);
    expect(r.ok ? 'ok' : r.fault).toBe('ok');
    if (!r.ok) return;
    expect(r.records).toEqual(records);
  });

  it('writes a VPNv4 RIB_GENERIC record as RFC 6396 §4.3.3 / §4.3.4 and RFC 8050 §4 lay it out', () => {
    const plain = encodeMrtRecord({ timestamp: 1, body: vpnRecord(false) });
    const ap = encodeMrtRecord({ timestamp: 1, body: vpnRecord(true) });
    // Header: timestamp, type 13, subtype 6 (RIB_GENERIC) / 12 (RIB_GENERIC_ADDPATH), length.
    expect(plain.readUInt16BE(4)).toBe(13);
    expect(plain.readUInt16BE(6)).toBe(6);
    expect(ap.readUInt16BE(6)).toBe(12);
    expect(plain.readUInt32BE(8)).toBe(plain.length - 12);
    const b = plain.subarray(12);
    // Sequence, AFI 1, SAFI 128, NLRI: 24 + 64 + 24 bits, label 100 BoS, RD 0:65000:10, 10.1.5.
    expect([...b.subarray(0, 7)]).toEqual([0, 0, 0, 3, 0, 1, 128]);
    expect([...b.subarray(7, 22)]).toEqual([
      112, 0x00, 0x06, 0x41, 0, 0, 0xfd, 0xe8, 0, 0, 0, 10, 10, 1, 5,
    ]);
    // Entry count 1; peer index 1; originated time; attribute length.
    expect(b.readUInt16BE(22)).toBe(1);
    expect(b.readUInt16BE(24)).toBe(1);
    expect(b.readUInt32BE(26)).toBe(1_700_000_000);
    const attrLen = b.readUInt16BE(30);
    expect(b.length).toBe(32 + attrLen);
    // The add-path record has the path id (7) after the originated time.
    expect(ap.subarray(12).readUInt32BE(30)).toBe(7);
    // MP_REACH_NLRI keeps only the next hop length and the next hop: 12 = RD 0 + 127.0.0.11.
    const mp = b.indexOf(Buffer.from([0x80, 14, 13, 12]));
    expect(mp).toBeGreaterThan(31);
    expect([...b.subarray(mp + 4, mp + 16)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 127, 0, 0, 11]);
  });

  it('refuses a truncated file, naming the record and its offset', () => {
    const ends = records.map((_, i) => records.slice(0, i + 1).map(encodeMrtRecord));
    const third = Buffer.concat(ends[1]!).length;
    const r = decodeMrtFile(file.subarray(0, third + 20));
    expect(r).toEqual({
      ok: false,
      fault: { record: 2, offset: third, reason: expect.stringMatching(/truncated record/) },
    });
    const h = decodeMrtFile(file.subarray(0, third + 5));
    expect(h.ok ? undefined : h.fault.reason).toMatch(/truncated header: 5 of 12/);
  });

  it('refuses a corrupt record: an attribute running past its entry, a peer index past the table', () => {
    const rib = encodeMrtRecord(records[1]!);
    const table = encodeMrtRecord(records[0]!);
    const bad = Buffer.from(rib);
    // The ORIGIN attribute's length (after header 12, seq 4, prefix 4, count 2, entry head 8).
    bad[12 + 4 + 4 + 2 + 8 + 2] = 200;
    const r = decodeMrtFile(Buffer.concat([table, bad]));
    expect(r.ok ? undefined : r.fault).toMatchObject({ record: 1, offset: table.length });
    expect(r.ok ? '' : r.fault.reason).toMatch(/attribute .* runs .* past/);
    const noTable = decodeMrtFile(rib);
    expect(noTable.ok ? '' : noTable.fault.reason).toMatch(/before any PEER_INDEX_TABLE/);
    const idx = Buffer.from(rib);
    idx.writeUInt16BE(9, 12 + 4 + 4 + 2);
    const r2 = decodeMrtFile(Buffer.concat([table, idx]));
    expect(r2.ok ? '' : r2.fault.reason).toMatch(/peer index 9, the peer index table has 3/);
  });

  it('keeps records of other types raw', () => {
    const raw: MrtRecord = {
      timestamp: 9,
      body: { kind: 'unknown', type: 17, subtype: 4, data: new Uint8Array([1, 2, 3]) },
    };
    const r = decodeMrtFile(encodeMrtRecord(raw));
    expect(r.ok && r.records).toEqual([raw]);
  });
});
