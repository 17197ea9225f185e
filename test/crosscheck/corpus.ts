// The cross-check corpus: every message type, path attribute, family and next-hop form, as the
// typed objects we mean to send. Addresses are written as text and turned into bytes here, so the
// expected tshark text is the input itself. Groups differ in the codec context they are encoded
// with (4-octet ASNs, 2-octet ASNs, add-path) and are dissected as separate captures.

import { familyKey } from '../../src/wire/afi.js';
import { DEFAULT_CONTEXT, type CodecContext } from '../../src/wire/context.js';
import type { BgpMessage, Capability, PathAttribute, UpdateMessage } from '../../src/wire/types.js';
import { bos, ip, ip6, mid, p4, p6, rd0, rd1, rd2 } from './values.js';

export const ORIGIN: PathAttribute = { kind: 'origin', flags: 0x40, value: 0 };
export const PATH: PathAttribute = {
  kind: 'as-path',
  flags: 0x40,
  segments: [{ type: 2, asns: [65001, 65002] }],
};

function update(attributes: PathAttribute[], more: Partial<UpdateMessage> = {}): UpdateMessage {
  return { type: 'update', withdrawn: [], nlri: [], attributes, ...more };
}

const mpReach = (
  afi: number,
  safi: number,
  nextHop: Extract<PathAttribute, { kind: 'mp-reach' }>['nextHop'],
  nlri: Extract<PathAttribute, { kind: 'mp-reach' }>['nlri'],
): PathAttribute => ({ kind: 'mp-reach', flags: 0x80, afi, safi, nextHop, nlri });

const mpUnreach = (
  afi: number,
  safi: number,
  nlri: Extract<PathAttribute, { kind: 'mp-unreach' }>['nlri'] = [],
): PathAttribute => ({ kind: 'mp-unreach', flags: 0x80, afi, safi, nlri });

const CAPS: Capability[] = [
  { kind: 'multiprotocol', afi: 1, safi: 128 },
  { kind: 'multiprotocol', afi: 2, safi: 128 },
  { kind: 'route-refresh' },
  { kind: 'enhanced-route-refresh' },
  { kind: 'four-octet-as', asn: 4200000001 },
  {
    kind: 'graceful-restart',
    restarting: true,
    notification: false,
    restartTime: 120,
    families: [
      { afi: 1, safi: 128, forwarding: true },
      { afi: 2, safi: 128, forwarding: false },
    ],
  },
  { kind: 'llgr', families: [{ afi: 1, safi: 128, flags: 0x80, staleTime: 86400 }] },
  { kind: 'add-path', entries: [{ afi: 1, safi: 1, sendReceive: 3 }] },
  { kind: 'extended-message' },
  { kind: 'extended-next-hop', entries: [{ afi: 1, safi: 1, nextHopAfi: 2 }] },
  { kind: 'hostname', hostname: 'pe1', domain: 'lab.example' },
  { kind: 'unknown', code: 200, value: Uint8Array.of(1, 2, 3) },
];

export interface Group {
  readonly name: string;
  readonly ctx: CodecContext;
  /** tshark preferences for this capture. */
  readonly prefs: readonly string[];
  readonly as4: boolean;
  readonly addPath: boolean;
  readonly messages: readonly (readonly [string, BgpMessage])[];
}

const AS4_MESSAGES: [string, BgpMessage][] = [
  [
    'OPEN with every capability',
    {
      type: 'open',
      version: 4,
      myAs: 23456,
      holdTime: 90,
      bgpId: ip('10.0.0.1'),
      params: [{ kind: 'capabilities', capabilities: CAPS }],
    },
  ],
  [
    'OPEN with one capability per parameter',
    {
      type: 'open',
      version: 4,
      myAs: 65001,
      holdTime: 3,
      bgpId: ip('192.0.2.1'),
      params: CAPS.slice(0, 3).map((c) => ({ kind: 'capabilities', capabilities: [c] })),
    },
  ],
  ['KEEPALIVE', { type: 'keepalive' }],
  [
    'NOTIFICATION hold timer',
    { type: 'notification', code: 4, subcode: 0, data: new Uint8Array(0) },
  ],
  [
    'NOTIFICATION UPDATE error with data',
    { type: 'notification', code: 3, subcode: 1, data: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) },
  ],
  [
    'NOTIFICATION admin shutdown (RFC 9003)',
    { type: 'notification', code: 6, subcode: 2, data: Uint8Array.of(4, 0x6d, 0x61, 0x69, 0x6e) },
  ],
  ['ROUTE-REFRESH', { type: 'route-refresh', afi: 1, subtype: 0, safi: 128 }],
  ['ROUTE-REFRESH BoRR', { type: 'route-refresh', afi: 2, subtype: 1, safi: 128 }],
  ['ROUTE-REFRESH EoRR', { type: 'route-refresh', afi: 1, subtype: 2, safi: 1 }],
  [
    'UPDATE with every attribute and IPv4 NLRI',
    update(
      [
        { kind: 'origin', flags: 0x40, value: 1 },
        {
          kind: 'as-path',
          flags: 0x40,
          segments: [
            { type: 2, asns: [65001, 4200000000] },
            { type: 1, asns: [64512, 64513] },
            { type: 3, asns: [65100] },
            { type: 4, asns: [65101, 65102] },
          ],
        },
        { kind: 'next-hop', flags: 0x40, addr: ip('192.0.2.1') },
        { kind: 'med', flags: 0x80, value: 4294967295 },
        { kind: 'local-pref', flags: 0x40, value: 200 },
        { kind: 'atomic-aggregate', flags: 0x40 },
        { kind: 'aggregator', flags: 0xc0, asn: 4200000002, id: ip('10.9.9.9') },
        { kind: 'communities', flags: 0xc0, values: [(65000 << 16) | 100, 0xffffff01] },
        { kind: 'originator-id', flags: 0x80, id: ip('10.0.0.3') },
        { kind: 'cluster-list', flags: 0x80, ids: [ip('10.0.0.4'), ip('10.0.0.5')] },
        {
          kind: 'ext-communities',
          flags: 0xc0,
          values: [
            { kind: 'route-target', form: 'as2', transitive: true, global: 65000, local: 100000 },
            {
              kind: 'route-target',
              form: 'ipv4',
              transitive: true,
              global: ip('10.0.0.1'),
              local: 5,
            },
            { kind: 'route-target', form: 'as4', transitive: true, global: 4200000000, local: 7 },
            { kind: 'route-origin', form: 'as2', transitive: true, global: 65000, local: 11 },
            {
              kind: 'route-origin',
              form: 'ipv4',
              transitive: true,
              global: ip('10.0.0.2'),
              local: 6,
            },
            { kind: 'route-origin', form: 'as4', transitive: true, global: 4200000003, local: 8 },
            { kind: 'raw', bytes: Uint8Array.of(0x03, 0x0c, 0, 0, 0, 0, 0, 8) },
          ],
        },
        {
          kind: 'ipv6-ext-communities',
          flags: 0xc0,
          values: [{ kind: 'route-target', transitive: true, addr: ip6('2001:db8::1'), local: 9 }],
        },
        {
          kind: 'large-communities',
          flags: 0xc0,
          values: [
            { global: 4200000000, local1: 1, local2: 2 },
            { global: 65000, local1: 0, local2: 4294967295 },
          ],
        },
        { kind: 'otc', flags: 0xc0, asn: 65003 },
        { kind: 'unknown', flags: 0xe0, code: 250, value: Uint8Array.of(0xca, 0xfe) },
      ],
      {
        withdrawn: [{ kind: 'prefix', prefix: p4('10.1.2.0/24') }],
        nlri: [
          { kind: 'prefix', prefix: p4('10.2.0.0/16') },
          { kind: 'prefix', prefix: p4('10.3.4.5/32') },
        ],
      },
    ),
  ],
  [
    'UPDATE with a long communities list (extended length)',
    update(
      [
        ORIGIN,
        PATH,
        { kind: 'next-hop', flags: 0x40, addr: ip('192.0.2.2') },
        {
          kind: 'communities',
          flags: 0xc0,
          values: Array.from({ length: 70 }, (_, i) => ((65000 << 16) | (i + 1)) >>> 0),
        },
      ],
      { nlri: [{ kind: 'prefix', prefix: p4('0.0.0.0/0') }] },
    ),
  ],
  ['End-of-RIB IPv4 unicast', update([])],
  [
    'IPv6 unicast, global + link-local next hop',
    update([
      ORIGIN,
      PATH,
      mpReach(2, 1, { kind: 'ipv6', global: ip6('2001:db8::1'), linkLocal: ip6('fe80::1') }, [
        { kind: 'prefix', prefix: p6('2001:db8:1::/48') },
        { kind: 'prefix', prefix: p6('::/0') },
      ]),
    ]),
  ],
  [
    'IPv6 unicast withdraw',
    update([mpUnreach(2, 1, [{ kind: 'prefix', prefix: p6('2001:db8:1::/48') }])]),
  ],
  ['End-of-RIB IPv6 unicast', update([mpUnreach(2, 1)])],
  [
    'IPv4 unicast over an IPv6 next hop (RFC 8950)',
    update([
      ORIGIN,
      PATH,
      mpReach(1, 1, { kind: 'ipv6', global: ip6('2001:db8::2') }, [
        { kind: 'prefix', prefix: p4('11.0.0.0/8') },
      ]),
    ]),
  ],
  [
    'labeled IPv4 with a two-label stack',
    update([
      ORIGIN,
      PATH,
      mpReach(1, 4, { kind: 'ipv4', addr: ip('10.0.0.7') }, [
        { kind: 'labeled', labels: [mid(16), bos(17)], prefix: p4('12.0.0.0/24') },
        { kind: 'labeled', labels: [bos(1048575)], prefix: p4('12.1.0.0/16') },
      ]),
    ]),
  ],
  [
    'labeled IPv4 withdraw',
    update([mpUnreach(1, 4, [{ kind: 'labeled', labels: [bos(16)], prefix: p4('12.0.0.0/24') }])]),
  ],
  ['End-of-RIB labeled IPv4', update([mpUnreach(1, 4)])],
  [
    'labeled IPv6',
    update([
      ORIGIN,
      PATH,
      mpReach(2, 4, { kind: 'ipv6', global: ip6('2001:db8::3') }, [
        { kind: 'labeled', labels: [bos(18)], prefix: p6('2001:db8:2::/64') },
      ]),
    ]),
  ],
  ['End-of-RIB labeled IPv6', update([mpUnreach(2, 4)])],
  [
    'VPNv4, 12-octet next hop, three RD types',
    update([
      ORIGIN,
      PATH,
      {
        kind: 'ext-communities',
        flags: 0xc0,
        values: [{ kind: 'route-target', form: 'as2', transitive: true, global: 65000, local: 10 }],
      },
      mpReach(1, 128, { kind: 'vpn-ipv4', rd: rd0(0, 0), addr: ip('10.0.0.1') }, [
        { kind: 'vpn', labels: [bos(100)], rd: rd0(65000, 10), prefix: p4('10.11.12.0/24') },
        { kind: 'vpn', labels: [bos(101)], rd: rd1('10.0.0.1', 5), prefix: p4('10.11.12.1/32') },
        { kind: 'vpn', labels: [bos(102)], rd: rd2(4200000000, 7), prefix: p4('10.0.0.0/8') },
        { kind: 'vpn', labels: [mid(103), bos(104)], rd: rd0(65000, 11), prefix: p4('0.0.0.0/0') },
      ]),
    ]),
  ],
  [
    'VPNv4 withdraw',
    update([
      mpUnreach(1, 128, [
        { kind: 'vpn', labels: [bos(100)], rd: rd0(65000, 10), prefix: p4('10.11.12.0/24') },
      ]),
    ]),
  ],
  ['End-of-RIB VPNv4', update([mpUnreach(1, 128)])],
  [
    'VPNv4 over an IPv6 next hop (RFC 8950, 24 octets)',
    update([
      ORIGIN,
      PATH,
      mpReach(1, 128, { kind: 'vpn-ipv6', rd: rd0(0, 0), global: ip6('2001:db8::6') }, [
        { kind: 'vpn', labels: [bos(21)], rd: rd0(65000, 2), prefix: p4('13.0.0.0/24') },
      ]),
    ]),
  ],
  [
    'VPNv6, 24-octet next hop',
    update([
      ORIGIN,
      PATH,
      mpReach(2, 128, { kind: 'vpn-ipv6', rd: rd0(0, 0), global: ip6('2001:db8::4') }, [
        { kind: 'vpn', labels: [bos(19)], rd: rd1('10.0.0.1', 3), prefix: p6('2001:db8:3::/64') },
      ]),
    ]),
  ],
  [
    'VPNv6, 48-octet next hop',
    update([
      ORIGIN,
      PATH,
      mpReach(
        2,
        128,
        {
          kind: 'vpn-ipv6',
          rd: rd0(0, 0),
          global: ip6('2001:db8::5'),
          linkLocalRd: rd0(0, 0),
          linkLocal: ip6('fe80::5'),
        },
        [{ kind: 'vpn', labels: [bos(20)], rd: rd0(65000, 1), prefix: p6('2001:db8:3::1/128') }],
      ),
    ]),
  ],
  ['End-of-RIB VPNv6', update([mpUnreach(2, 128)])],
  [
    'RTC',
    update([
      ORIGIN,
      PATH,
      mpReach(1, 132, { kind: 'ipv4', addr: ip('10.0.0.8') }, [
        { kind: 'rtc', len: 64, originAs: 65000, rt: Uint8Array.of(0, 2, 0xfd, 0xe8, 0, 0, 0, 10) },
        {
          kind: 'rtc',
          len: 64,
          originAs: 4200000000,
          rt: Uint8Array.of(0, 2, 0xfd, 0xe9, 0, 1, 0, 0),
        },
      ]),
    ]),
  ],
  [
    'RTC default route target',
    update([
      ORIGIN,
      PATH,
      mpReach(1, 132, { kind: 'ipv4', addr: ip('10.0.0.8') }, [
        { kind: 'rtc', len: 0, originAs: 0, rt: new Uint8Array(0) },
      ]),
    ]),
  ],
  ['End-of-RIB RTC', update([mpUnreach(1, 132)])],
];

const AS2_MESSAGES: [string, BgpMessage][] = [
  [
    'UPDATE from an OLD speaker: 2-octet AS_PATH, AGGREGATOR, AS4_PATH, AS4_AGGREGATOR',
    update(
      [
        ORIGIN,
        {
          kind: 'as-path',
          flags: 0x40,
          segments: [
            { type: 2, asns: [65001, 23456] },
            { type: 1, asns: [1, 2, 3] },
            { type: 3, asns: [64512] },
            { type: 4, asns: [64513, 64514] },
          ],
        },
        { kind: 'next-hop', flags: 0x40, addr: ip('192.0.2.9') },
        { kind: 'aggregator', flags: 0xc0, asn: 23456, id: ip('10.0.0.2') },
        {
          kind: 'as4-path',
          flags: 0xc0,
          segments: [
            { type: 2, asns: [65001, 4200000000] },
            { type: 1, asns: [1, 2, 3] },
          ],
        },
        { kind: 'as4-aggregator', flags: 0xc0, asn: 4200000002, id: ip('10.0.0.2') },
      ],
      { nlri: [{ kind: 'prefix', prefix: p4('10.2.0.0/16') }] },
    ),
  ],
];

const AP = (n: number): { pathId: number } => ({ pathId: n });
const ADDPATH_MESSAGES: [string, BgpMessage][] = [
  [
    'IPv4 unicast with path identifiers',
    update([ORIGIN, PATH, { kind: 'next-hop', flags: 0x40, addr: ip('192.0.2.1') }], {
      withdrawn: [{ kind: 'prefix', prefix: p4('10.1.2.0/24'), ...AP(7) }],
      nlri: [
        { kind: 'prefix', prefix: p4('10.2.0.0/16'), ...AP(8) },
        { kind: 'prefix', prefix: p4('10.2.0.0/16'), ...AP(4294967295) },
      ],
    }),
  ],
  [
    'IPv6 unicast with path identifiers',
    update([
      ORIGIN,
      PATH,
      mpReach(2, 1, { kind: 'ipv6', global: ip6('2001:db8::1') }, [
        { kind: 'prefix', prefix: p6('2001:db8:1::/48'), ...AP(3) },
      ]),
    ]),
  ],
  [
    'labeled IPv4 with path identifiers',
    update([
      ORIGIN,
      PATH,
      mpReach(1, 4, { kind: 'ipv4', addr: ip('10.0.0.7') }, [
        { kind: 'labeled', labels: [mid(16), bos(17)], prefix: p4('12.0.0.0/24'), ...AP(5) },
      ]),
    ]),
  ],
  ['End-of-RIB IPv4 unicast (add-path)', update([])],
  ['End-of-RIB IPv6 unicast (add-path)', update([mpUnreach(2, 1)])],
  ['End-of-RIB VPNv4 (add-path)', update([mpUnreach(1, 128)])],
];

const ADDPATH_FAMILIES = [familyKey(1, 1), familyKey(2, 1), familyKey(1, 4), familyKey(2, 4)];

export const GROUPS: readonly Group[] = [
  {
    name: '4-octet AS',
    ctx: DEFAULT_CONTEXT,
    prefs: ['bgp.asn_len:4'],
    as4: true,
    addPath: false,
    messages: AS4_MESSAGES,
  },
  {
    name: '2-octet AS',
    ctx: { ...DEFAULT_CONTEXT, fourOctetAs: false },
    prefs: ['bgp.asn_len:2'],
    as4: false,
    addPath: false,
    messages: AS2_MESSAGES,
  },
  {
    name: 'add-path',
    ctx: { ...DEFAULT_CONTEXT, addPath: new Set(ADDPATH_FAMILIES) },
    prefs: ['bgp.asn_len:4'],
    as4: true,
    addPath: true,
    messages: ADDPATH_MESSAGES,
  },
];
