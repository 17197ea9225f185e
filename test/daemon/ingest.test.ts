// Ingestion as a table: a decoded UPDATE and the peer's context in, the RIB operations and notes
// out, in order (src/daemon/ingest.ts). Each row names the rule it shows.

import { describe, expect, it } from 'vitest';
import {
  ingest,
  maxPrefixVerdict,
  reapply,
  type IngestContext,
  type IngestOp,
} from '../../src/daemon/ingest.js';
import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import type { PeerRef } from '../../src/model/route-origin.js';
import { compilePolicies } from '../../src/policy/index.js';
import { RIB_FAMILIES, VRF_FAMILIES } from '../../src/rib/rib.js';
import type { FamilyName } from '../../src/wire/afi.js';
import { rtFromText } from '../../src/wire/ext-community.js';
import { prefixFromText, prefixToText } from '../../src/wire/nlri/text.js';
import { notify, type AttrProblem } from '../../src/wire/errors.js';
import type { UpdateDecodeResult } from '../../src/wire/update.js';
import type { Nlri, PathAttribute, PrefixNlri, VpnNlri } from '../../src/wire/types.js';

const LOCAL_AS = 65000;
const PEER: PeerRef = {
  id: 1,
  address: '127.0.0.11',
  addrKey: '7f00000b',
  asn: 65001,
  bgpId: 0x0a000002,
  ibgp: false,
  rrClient: false,
};

const POLICIES = (() => {
  const r = compilePolicies({
    prefixLists: { SHARED: [{ seq: 10, action: 'permit', prefix: '10.100.0.0/16', le: 32 }] },
    routeMaps: {
      IN: [
        {
          seq: 10,
          action: 'permit',
          match: { prefixList: 'SHARED' },
          set: { localPreference: 50 },
        },
        { seq: 20, action: 'deny' },
      ],
    },
  });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.policies;
})();

const IMPORTED_RT = rtFromText('65000:10');
const OTHER_RT = rtFromText('65000:99');

function context(over: Partial<IngestContext> = {}, peer: Partial<PeerRef> = {}): IngestContext {
  const ref = { ...PEER, ...peer };
  return {
    origin: { kind: 'peer', peer: ref },
    view: '',
    negotiated: ['ipv4', 'vpnv4'],
    tables: RIB_FAMILIES,
    fourOctetAs: true,
    inbound: {
      localAs: LOCAL_AS,
      routerId: 0x0a000001,
      clusterId: 0x0a000001,
      peerAs: ref.asn,
      ibgp: ref.ibgp,
      fourOctetAs: true,
      allowasIn: 0,
      ownV4: new Set([0x7f00000a]),
      ownV6: new Set(),
    },
    policies: POLICIES,
    retainImportedOnly: false,
    importsAny: (exts) => exts.some((e) => JSON.stringify(e) === JSON.stringify(IMPORTED_RT)),
    maxPrefix: false,
    ...over,
  };
}

const pfx = (t: string): PrefixNlri => ({ kind: 'prefix', prefix: prefixFromText(t) });
const vpn = (t: string): VpnNlri => ({
  kind: 'vpn',
  labels: [0x000641],
  rd: { hi: 65000, lo: 10 },
  prefix: prefixFromText(t),
});

/** The attributes of an eBGP announcement from AS 65001, with the given path and extras. */
function attrs(path: number[] = [65001], extra: PathAttribute[] = []): PathAttribute[] {
  return [
    { kind: 'origin', flags: 0x40, value: 0 },
    { kind: 'as-path', flags: 0x40, segments: [{ type: 2, asns: path }] },
    { kind: 'next-hop', flags: 0x40, addr: 0x7f00000b },
    ...extra,
  ];
}

function mpReach(afi: number, safi: number, nlri: Nlri[]): PathAttribute {
  return {
    kind: 'mp-reach',
    flags: 0x80,
    afi,
    safi,
    nextHop:
      safi === 128
        ? { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0x7f00000b }
        : { kind: 'ipv4', addr: 0x7f00000b },
    nlri,
  };
}

const mpUnreach = (afi: number, safi: number, nlri: Nlri[]): PathAttribute => ({
  kind: 'mp-unreach',
  flags: 0x80,
  afi,
  safi,
  nlri,
});

const ext = (...rts: (typeof IMPORTED_RT)[]): PathAttribute => ({
  kind: 'ext-communities',
  flags: 0xc0,
  values: rts,
});

function update(
  u: { withdrawn?: PrefixNlri[]; attributes?: PathAttribute[]; nlri?: PrefixNlri[] },
  problems: Pick<UpdateDecodeResult, 'action'> & { problems?: AttrProblem[] } = {},
): UpdateDecodeResult {
  return {
    update: {
      type: 'update',
      withdrawn: u.withdrawn ?? [],
      attributes: u.attributes ?? [],
      nlri: u.nlri ?? [],
    },
    problems: problems.problems ?? [],
    ...(problems.action ? { action: problems.action } : {}),
  };
}

/** One line per operation: what a reader of the table checks. */
function show(op: IngestOp): string {
  const list = (nlri: readonly Nlri[]): string =>
    nlri.map((n) => (n.kind === 'rtc' ? 'rtc' : prefixToText(n.prefix))).join(',');
  switch (op.kind) {
    case 'announce':
      return `announce ${op.family} ${list(op.nlri)} lp=${op.values.localPref ?? '-'}`;
    case 'withdraw': {
      const r = op.reason;
      const why = r.kind === 'refused' ? `refused:${r.verdict.rule}` : r.kind;
      return `withdraw ${op.family} ${list(op.nlri)} ${why}`;
    }
    case 'keep-received':
      return `keep-received ${op.family} ${list(op.nlri)} path=${op.values.asPath.map((s) => s.asns.join(' ')).join(' ')}`;
    case 'drop-received':
      return `drop-received ${op.family} ${list(op.nlri)}`;
    case 'end-of-rib':
      return `end-of-rib ${op.family}`;
    case 'check-max-prefix':
      return `check-max-prefix ${op.family}`;
    case 'note':
      return op.note.kind === 'malformed'
        ? `note malformed ${op.note.action}`
        : op.note.kind === 'afi-safi-disable'
          ? `note afi-safi-disable ${op.note.family}`
          : `note afi-safi-ignored ${op.note.afi}/${op.note.safi}`;
  }
}

interface Case {
  readonly name: string;
  readonly update: UpdateDecodeResult;
  readonly ctx?: Partial<IngestContext>;
  readonly peer?: Partial<PeerRef>;
  readonly ops: readonly string[];
  readonly nlri: number;
}

const MALFORMED_ORIGIN: AttrProblem = {
  typeCode: 1,
  action: 'treat-as-withdraw',
  reason: 'bad ORIGIN',
  notify: notify(3, 6),
};

const CASES: readonly Case[] = [
  {
    name: 'an empty UPDATE is the IPv4 End-of-RIB (RFC 4724 §2)',
    update: update({}),
    ops: ['end-of-rib ipv4'],
    nlri: 0,
  },
  {
    name: 'an empty MP_UNREACH_NLRI is that family’s End-of-RIB',
    update: update({ attributes: [mpUnreach(1, 128, [])] }),
    ops: ['end-of-rib vpnv4'],
    nlri: 0,
  },
  {
    name: 'an announcement goes into the table',
    update: update({ attributes: attrs(), nlri: [pfx('10.1.0.0/24'), pfx('10.1.1.0/24')] }),
    ops: ['announce ipv4 10.1.0.0/24,10.1.1.0/24 lp=-'],
    nlri: 2,
  },
  {
    name: 'withdrawn routes and MP_UNREACH_NLRI are withdrawn',
    update: update({
      withdrawn: [pfx('10.1.0.0/24')],
      attributes: [mpUnreach(1, 128, [vpn('10.2.0.0/24')])],
    }),
    ops: ['withdraw ipv4 10.1.0.0/24 withdrawn', 'withdraw vpnv4 10.2.0.0/24 withdrawn'],
    nlri: 2,
  },
  {
    name: 'IPv4 NLRI without IPv4 negotiated are ignored',
    update: update({ attributes: attrs(), nlri: [pfx('10.1.0.0/24')] }),
    ctx: { negotiated: ['vpnv4'] },
    ops: [],
    nlri: 0,
  },
  {
    name: 'MP NLRI of a family not negotiated are ignored and noted (RFC 4760 §7)',
    update: update({ attributes: [...attrs(), mpReach(1, 4, [pfx('10.1.0.0/24')])] }),
    ops: ['note afi-safi-ignored 1/4'],
    nlri: 0,
  },
  {
    name: 'a VRF-bound peer has no VPN table: its VPN NLRI are ignored',
    update: update({ attributes: [...attrs(), mpReach(1, 128, [vpn('10.1.0.0/24')])] }),
    ctx: { tables: VRF_FAMILIES, view: 'CUSTOMER-A' },
    ops: ['note afi-safi-ignored 1/128'],
    nlri: 0,
  },
  {
    name: 'family demux: IPv4 NLRI and VPNv4 MP_REACH in one UPDATE, in that order',
    update: update({
      attributes: [...attrs([65001], [ext(IMPORTED_RT)]), mpReach(1, 128, [vpn('10.2.0.0/24')])],
      nlri: [pfx('10.1.0.0/24')],
    }),
    ops: ['announce ipv4 10.1.0.0/24 lp=-', 'announce vpnv4 10.2.0.0/24 lp=-'],
    nlri: 2,
  },
  {
    name: 'treat-as-withdraw from the codec withdraws what the UPDATE announces (RFC 7606 §2)',
    update: update(
      { attributes: attrs(), nlri: [pfx('10.1.0.0/24')] },
      { action: 'treat-as-withdraw', problems: [MALFORMED_ORIGIN] },
    ),
    ops: ['note malformed treat-as-withdraw', 'withdraw ipv4 10.1.0.0/24 malformed'],
    nlri: 1,
  },
  {
    name: 'our AS in the path is a loop: withdrawn, not logged (RFC 4271 §9.1.2)',
    update: update({ attributes: attrs([65001, LOCAL_AS]), nlri: [pfx('10.1.0.0/24')] }),
    ops: ['withdraw ipv4 10.1.0.0/24 refused:as-loop'],
    nlri: 1,
  },
  {
    name: 'allowas-in 1 accepts our AS once',
    update: update({ attributes: attrs([65001, LOCAL_AS]), nlri: [pfx('10.1.0.0/24')] }),
    ctx: {
      inbound: { ...context().inbound, allowasIn: 1 },
    },
    ops: ['announce ipv4 10.1.0.0/24 lp=-'],
    nlri: 1,
  },
  {
    name: 'an eBGP path not starting with the peer AS is malformed (RFC 7606 §7.2)',
    update: update({ attributes: attrs([65002]), nlri: [pfx('10.1.0.0/24')] }),
    ops: ['note malformed treat-as-withdraw', 'withdraw ipv4 10.1.0.0/24 refused:first-as'],
    nlri: 1,
  },
  {
    name: 'iBGP with our router id as ORIGINATOR_ID is a loop (RFC 4456 §8)',
    update: update({
      attributes: [
        { kind: 'origin', flags: 0x40, value: 0 },
        { kind: 'as-path', flags: 0x40, segments: [] },
        { kind: 'next-hop', flags: 0x40, addr: 0x7f00000b },
        { kind: 'originator-id', flags: 0x80, id: 0x0a000001 },
      ],
      nlri: [pfx('10.1.0.0/24')],
    }),
    peer: { asn: LOCAL_AS, ibgp: true },
    ops: ['withdraw ipv4 10.1.0.0/24 refused:originator-id'],
    nlri: 1,
  },
  {
    name: 'retain imported-only: a VPN route no VRF imports is dropped, IPv4 is kept',
    update: update({
      attributes: [...attrs([65001], [ext(OTHER_RT)]), mpReach(1, 128, [vpn('10.2.0.0/24')])],
      nlri: [pfx('10.1.0.0/24')],
    }),
    ctx: { retainImportedOnly: true },
    ops: ['announce ipv4 10.1.0.0/24 lp=-', 'withdraw vpnv4 10.2.0.0/24 not-imported'],
    nlri: 2,
  },
  {
    name: 'retain imported-only: a VPN route a VRF imports is kept',
    update: update({
      attributes: [...attrs([65001], [ext(IMPORTED_RT)]), mpReach(1, 128, [vpn('10.2.0.0/24')])],
    }),
    ctx: { retainImportedOnly: true },
    ops: ['announce vpnv4 10.2.0.0/24 lp=-'],
    nlri: 1,
  },
  {
    name: 'route-map-in runs per prefix: permitted ones are changed, denied ones withdrawn',
    update: update({
      attributes: attrs(),
      nlri: [pfx('10.100.1.0/24'), pfx('10.2.0.0/24')],
    }),
    ctx: { routeMapIn: POLICIES.routeMaps.get('IN')! },
    ops: ['announce ipv4 10.100.1.0/24 lp=50', 'withdraw ipv4 10.2.0.0/24 route-map-in'],
    nlri: 2,
  },
  {
    name: 'soft-reconfiguration inbound keeps routes as received: before route-map-in',
    update: update({
      attributes: attrs(),
      withdrawn: [pfx('10.9.0.0/24')],
      nlri: [pfx('10.100.1.0/24'), pfx('10.2.0.0/24')],
    }),
    ctx: { routeMapIn: POLICIES.routeMaps.get('IN')!, keepReceived: true },
    ops: [
      'withdraw ipv4 10.9.0.0/24 withdrawn',
      'drop-received ipv4 10.9.0.0/24',
      'keep-received ipv4 10.100.1.0/24,10.2.0.0/24 path=65001',
      'announce ipv4 10.100.1.0/24 lp=50',
      'withdraw ipv4 10.2.0.0/24 route-map-in',
    ],
    nlri: 3,
  },
  {
    name: 'soft-reconfiguration inbound keeps a looped route (as FRR), re-judged when applied',
    update: update({ attributes: attrs([65001, LOCAL_AS]), nlri: [pfx('10.1.0.0/24')] }),
    ctx: { keepReceived: true },
    ops: [
      'keep-received ipv4 10.1.0.0/24 path=65001 65000',
      'withdraw ipv4 10.1.0.0/24 refused:as-loop',
    ],
    nlri: 1,
  },
  {
    name: 'soft-reconfiguration inbound: a malformed route is not kept (RFC 7606 §2)',
    update: update(
      { attributes: attrs(), nlri: [pfx('10.1.0.0/24')] },
      { action: 'treat-as-withdraw', problems: [MALFORMED_ORIGIN] },
    ),
    ctx: { keepReceived: true },
    ops: [
      'note malformed treat-as-withdraw',
      'drop-received ipv4 10.1.0.0/24',
      'withdraw ipv4 10.1.0.0/24 malformed',
    ],
    nlri: 1,
  },
  {
    name: 'soft-reconfiguration inbound: nor is one the receive rules find malformed',
    update: update({ attributes: attrs([65002]), nlri: [pfx('10.1.0.0/24')] }),
    ctx: { keepReceived: true },
    ops: [
      'note malformed treat-as-withdraw',
      'drop-received ipv4 10.1.0.0/24',
      'withdraw ipv4 10.1.0.0/24 refused:first-as',
    ],
    nlri: 1,
  },
  {
    name: 'with max-prefix, the rule is judged after each announced family',
    update: update({
      attributes: [...attrs(), mpReach(1, 128, [vpn('10.2.0.0/24')])],
      withdrawn: [pfx('10.9.0.0/24')],
      nlri: [pfx('10.1.0.0/24')],
    }),
    ctx: { maxPrefix: true },
    ops: [
      'withdraw ipv4 10.9.0.0/24 withdrawn',
      'announce ipv4 10.1.0.0/24 lp=-',
      'check-max-prefix ipv4',
      'announce vpnv4 10.2.0.0/24 lp=-',
      'check-max-prefix vpnv4',
    ],
    nlri: 3,
  },
];

describe('ingest: a decoded UPDATE and the peer context to RIB operations', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const ctx = context(c.ctx, c.peer);
      const res = ingest(c.update, ctx);
      expect(res.ops.map(show)).toEqual(c.ops);
      expect(res.nlri).toBe(c.nlri);
    });
  }

  it('is pure: the same input gives the same operations, the input is left as it was', () => {
    const u = CASES[15]!.update;
    const before = JSON.stringify(u);
    const ctx = context(CASES[15]!.ctx);
    expect(ingest(u, ctx)).toEqual(ingest(u, ctx));
    expect(JSON.stringify(u)).toBe(before);
  });
});

describe('maxPrefixVerdict', () => {
  const mp = { limit: 10, warningPct: 75 };
  const rows: [string, FamilyName, number, boolean, unknown][] = [
    ['below the warning threshold', 'ipv4', 7, false, { kind: 'within' }],
    ['at the warning threshold', 'ipv4', 8, false, { kind: 'warning', count: 8 }],
    ['warned already on this session', 'ipv4', 8, true, { kind: 'within' }],
    ['at the limit: a warning still', 'ipv4', 10, false, { kind: 'warning', count: 10 }],
    [
      'above the limit: stop with the family and the limit (RFC 4486 §4)',
      'vpnv4',
      11,
      true,
      { kind: 'exceeded', count: 11, stop: { kind: 'max-prefix', afi: 1, safi: 128, limit: 10 } },
    ],
  ];
  for (const [name, fam, count, warned, verdict] of rows) {
    it(name, () => expect(maxPrefixVerdict(mp, fam, count, warned)).toEqual(verdict));
  }
});

describe('reapply: routes kept as received through the rules of the context again', () => {
  const values = (path: number[]) => ({
    ...EMPTY_ATTR_VALUES,
    asPath: [{ type: 2 as const, asns: path }],
    nextHop: { afi: 1 as const, addr: 0xc0000201 },
  });
  const kept = [
    {
      family: 'ipv4' as const,
      values: values([65001]),
      nlri: [pfx('10.100.1.0/24'), pfx('10.2.0.0/24')],
    },
    { family: 'ipv4' as const, values: values([65001, LOCAL_AS]), nlri: [pfx('10.3.0.0/24')] },
  ];

  it('gives what an UPDATE carrying them gives: route-map-in per prefix, loops refused', () => {
    const ops = reapply(kept, context({ routeMapIn: POLICIES.routeMaps.get('IN')! }));
    expect(ops.map(show)).toEqual([
      'announce ipv4 10.100.1.0/24 lp=50',
      'withdraw ipv4 10.2.0.0/24 route-map-in',
      'withdraw ipv4 10.3.0.0/24 refused:as-loop',
    ]);
  });

  it('a changed context changes the outcome (no route map, allowas-in 1), nothing kept again', () => {
    const ops = reapply(kept, context({ inbound: { ...context().inbound, allowasIn: 1 } }));
    expect(ops.map(show)).toEqual([
      'announce ipv4 10.100.1.0/24,10.2.0.0/24 lp=-',
      'announce ipv4 10.3.0.0/24 lp=-',
    ]);
  });
});
