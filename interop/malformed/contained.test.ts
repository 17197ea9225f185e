// Malformed-input cases whose RFC reaction keeps the session up (malformed-input.md cases 8-20,
// 21/22/24 where contained, and the further cases): treat-as-withdraw, attribute discard, loops
// ignored, unknown things kept. Each case first announces its own prefix soundly (MED 1), then
// re-announces it malformed (MED 2, so a processed re-announcement is visible), over a real TCP
// session from the injector to vrfleak. Withdraw cases wait for the route to go; discard cases
// wait for MED 2 and check the attribute is gone from vrfleak and from what GoBGP received.
// After every case: no NOTIFICATION on the injector's socket, and GoBGP's session and route are
// untouched.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteView } from '../../src/api/library.js';
import { assertPeersOrFail, type GobgpPathJson } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import {
  ASPATH_EBGP,
  ASPATH_EMPTY,
  attr,
  body,
  expectBystanderUntouched,
  expectSessionUp,
  gobgpPath,
  NH_192_0_2_1,
  ORIGIN_IGP,
  pathsFrom,
  startBench,
  v4,
  waitGone,
  waitPath,
  type Bench,
} from './fixture.js';
import { frame, Injector } from './injector.js';

const peers = assertPeersOrFail(['gobgpd']);

const MED1 = attr(0x80, 4, '00000001');
const MED2 = attr(0x80, 4, '00000002');
const LP100 = attr(0x40, 5, '00000064');

type Outcome =
  | { kind: 'withdraw' }
  /** Kept (MED 2 seen); `route` and `gobgp` check what was dropped or kept. */
  | {
      kind: 'kept';
      route?: (r: RouteView) => void;
      gobgp?: (p: GobgpPathJson) => void;
    };

interface Case {
  readonly name: string;
  readonly ibgp?: boolean;
  /** The malformed re-announcement of `prefix`, an UPDATE body. */
  readonly bad: (prefix: string) => string;
  readonly outcome: Outcome;
}

const WITHDRAW: Outcome = { kind: 'withdraw' };
const types = (p: GobgpPathJson): number[] => p.attrs.map((a) => a.type);

/** eBGP re-announcement with ORIGIN / AS_PATH / NEXT_HOP replaced (null: left out) and extras. */
function ebgp(
  o: { origin?: string | null; asPath?: string | null; nh?: string | null; med?: string } = {},
  extra: readonly string[] = [],
): (prefix: string) => string {
  return (prefix) =>
    body(
      [
        o.origin === undefined ? ORIGIN_IGP : (o.origin ?? ''),
        o.asPath === undefined ? ASPATH_EBGP : (o.asPath ?? ''),
        o.nh === undefined ? NH_192_0_2_1 : (o.nh ?? ''),
        o.med ?? MED2,
        ...extra,
      ],
      v4(prefix),
    );
}
function ibgp(extra: readonly string[], lp: string = LP100): (prefix: string) => string {
  return (prefix) => body([ORIGIN_IGP, ASPATH_EMPTY, NH_192_0_2_1, MED2, lp, ...extra], v4(prefix));
}

function cases(ownHex: string, routerIdHex: string): Case[] {
  return [
    // Case 8: the last attribute (MED, `80 04 08`) claims 8 octets, 4 remain in the list.
    {
      name: 'case 8: attribute overruns the list, NLRI present',
      bad: (p) => body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1, '800408 00000002'], v4(p)),
      outcome: WITHDRAW,
    },
    // Case 9: ORIGIN twice (IGP then INCOMPLETE): the first is kept.
    {
      name: 'case 9: duplicate ORIGIN keeps the first',
      bad: ebgp({}, ['400101 02']),
      outcome: { kind: 'kept', route: (r) => expect(r.origin).toBe('igp') },
    },
    { name: 'case 10: ORIGIN flags 0xC0', bad: ebgp({ origin: 'c00101 00' }), outcome: WITHDRAW },
    {
      name: 'case 10: COMMUNITIES flags 0x80',
      bad: ebgp({}, ['800804 fdea0001']),
      outcome: WITHDRAW,
    },
    {
      name: 'case 10: EXTENDED_COMMUNITIES flags 0x80',
      bad: ebgp({}, ['801008 0002fdea00000001']),
      outcome: WITHDRAW,
    },
    // RFC 7606 §3(c): only O and T are compared; the four low-order bits are ignored.
    {
      name: 'case 10: ORIGIN flags 0x4F (low-order bits) is accepted',
      bad: ebgp({ origin: '4f0101 00' }),
      outcome: { kind: 'kept' },
    },
    { name: 'case 11: AS_PATH missing', bad: ebgp({ asPath: null }), outcome: WITHDRAW },
    { name: 'case 11: NEXT_HOP missing', bad: ebgp({ nh: null }), outcome: WITHDRAW },
    {
      name: 'case 11: only an unknown transitive attribute with NLRI',
      bad: (p) => body(['c06302 abcd'], v4(p)),
      outcome: WITHDRAW,
    },
    {
      name: 'case 11: MP_UNREACH (AFI 1 / SAFI 1, empty) followed by NLRI',
      bad: (p) => body(['800f03 000101'], v4(p)),
      outcome: WITHDRAW,
    },
    {
      name: 'case 24: Total Path Attribute Length 0 with NLRI',
      bad: (p) => body([], v4(p)),
      outcome: WITHDRAW,
    },
    { name: 'case 12: ORIGIN length 2', bad: ebgp({ origin: '400102 0000' }), outcome: WITHDRAW },
    { name: 'case 12: ORIGIN value 3', bad: ebgp({ origin: '400101 03' }), outcome: WITHDRAW },
    // AS_PATH values: segment type, count, ASNs (4-octet session).
    {
      name: 'case 13: AS_PATH segment type 5',
      bad: ebgp({ asPath: attr(0x40, 2, '05 01 0000fdea') }),
      outcome: WITHDRAW,
    },
    {
      name: 'case 13: AS_PATH segment length 0',
      bad: ebgp({ asPath: attr(0x40, 2, '02 00') }),
      outcome: WITHDRAW,
    },
    {
      name: 'case 13: AS_PATH segment overrun (2 ASNs announced, 1 present)',
      bad: ebgp({ asPath: attr(0x40, 2, '02 02 0000fdea') }),
      outcome: WITHDRAW,
    },
    {
      name: 'case 13: AS_PATH underrun (a stray octet after the segment)',
      bad: ebgp({ asPath: attr(0x40, 2, '02 01 0000fdea 00') }),
      outcome: WITHDRAW,
    },
    {
      name: 'case 13: AS 0 in AS_PATH',
      bad: ebgp({ asPath: attr(0x40, 2, '02 02 0000fdea 00000000') }),
      outcome: WITHDRAW,
    },
    {
      name: 'case 13: first AS 65003 is not the peer AS 65002 (enforce-first-as)',
      bad: ebgp({ asPath: attr(0x40, 2, '02 01 0000fdeb') }),
      outcome: WITHDRAW,
    },
    {
      name: 'case 13: AS_CONFED_SEQUENCE from a non-confederation peer',
      bad: ebgp({ asPath: attr(0x40, 2, '03 01 0000fdf0 02 01 0000fdea') }),
      outcome: WITHDRAW,
    },
    {
      name: 'case 13: our own AS 65000 in the path is a loop: ignored',
      bad: ebgp({ asPath: attr(0x40, 2, '02 02 0000fdea 0000fde8') }),
      outcome: WITHDRAW,
    },
    // Case 14: AS4_PATH (type 17) from a 4-octet speaker is ignored (RFC 6793 §6).
    {
      name: 'case 14: AS4_PATH from a NEW speaker is discarded',
      bad: ebgp({}, [attr(0xc0, 17, '02 02 0000fdea 0000fdeb')]),
      outcome: {
        kind: 'kept',
        route: (r) => expect(r.asPath).toBe('65002'),
        gobgp: (p) => expect(types(p)).not.toContain(17),
      },
    },
    {
      name: 'case 14: malformed AS4_PATH placed before AS_PATH is discarded',
      bad: (p) =>
        body(
          [ORIGIN_IGP, attr(0xc0, 17, '02 05 0000fdea'), ASPATH_EBGP, NH_192_0_2_1, MED2],
          v4(p),
        ),
      outcome: { kind: 'kept', route: (r) => expect(r.asPath).toBe('65002') },
    },
    {
      name: 'case 15: NEXT_HOP length 5',
      bad: ebgp({ nh: '400305 c000020100' }),
      outcome: WITHDRAW,
    },
    { name: 'case 15: NEXT_HOP 0.0.0.0', bad: ebgp({ nh: '400304 00000000' }), outcome: WITHDRAW },
    {
      name: 'case 15: NEXT_HOP multicast 224.0.0.5',
      bad: ebgp({ nh: '400304 e0000005' }),
      outcome: WITHDRAW,
    },
    {
      name: 'case 15: NEXT_HOP class E 240.0.0.1',
      bad: ebgp({ nh: '400304 f0000001' }),
      outcome: WITHDRAW,
    },
    {
      name: "case 15: NEXT_HOP is vrfleak's own address",
      bad: ebgp({ nh: `400304 ${ownHex}` }),
      outcome: WITHDRAW,
    },
    // The GoBGP test_03 input: MED `80 04 05 0000000064`.
    { name: 'case 16: MED length 5', bad: ebgp({ med: '800405 0000000064' }), outcome: WITHDRAW },
    {
      name: 'case 16: LOCAL_PREF length 3 from iBGP',
      ibgp: true,
      bad: ibgp([], '400503 000064'),
      outcome: WITHDRAW,
    },
    {
      name: 'case 16: LOCAL_PREF from eBGP is discarded',
      bad: ebgp({}, ['400504 0000004d']),
      outcome: { kind: 'kept', route: (r) => expect(r.localPref).not.toBe(77) },
    },
    {
      name: 'case 17: ATOMIC_AGGREGATE length 1 is discarded',
      bad: ebgp({}, ['400601 00']),
      outcome: {
        kind: 'kept',
        route: (r) => expect(r.atomicAggregate ?? false).toBe(false),
        gobgp: (p) => expect(types(p)).not.toContain(6),
      },
    },
    // The GoBGP test_02 input: AGGREGATOR `c0 07 05 0000006400`.
    {
      name: 'case 17: AGGREGATOR length 5 is discarded and not propagated',
      bad: ebgp({}, ['c00705 0000006400']),
      outcome: {
        kind: 'kept',
        route: (r) => expect(r.aggregator).toBeUndefined(),
        gobgp: (p) => expect(types(p)).not.toContain(7),
      },
    },
    {
      name: 'case 17: AGGREGATOR AS 0 is discarded and not propagated',
      bad: ebgp({}, ['c00708 00000000 c0000201']),
      outcome: {
        kind: 'kept',
        route: (r) => expect(r.aggregator).toBeUndefined(),
        gobgp: (p) => expect(types(p)).not.toContain(7),
      },
    },
    { name: 'case 18: COMMUNITIES length 0', bad: ebgp({}, ['c00800']), outcome: WITHDRAW },
    {
      name: 'case 18: COMMUNITIES length 5',
      bad: ebgp({}, ['c00805 fdea000100']),
      outcome: WITHDRAW,
    },
    {
      name: 'case 18: LARGE_COMMUNITIES length 11',
      bad: ebgp({}, ['c0200b 0000fdea00000001000000']),
      outcome: WITHDRAW,
    },
    {
      name: 'case 19: ORIGINATOR_ID from eBGP is discarded',
      bad: ebgp({}, ['800904 c0000209']),
      outcome: {
        kind: 'kept',
        route: (r) => expect(r.originatorId).toBeUndefined(),
        gobgp: (p) => expect(types(p)).not.toContain(9),
      },
    },
    {
      name: 'case 19: ORIGINATOR_ID length 3 from iBGP',
      ibgp: true,
      bad: ibgp(['800903 c00002']),
      outcome: WITHDRAW,
    },
    {
      name: 'case 19: CLUSTER_LIST length 5 from iBGP',
      ibgp: true,
      bad: ibgp(['800a05 c000020900']),
      outcome: WITHDRAW,
    },
    {
      name: 'case 19: ORIGINATOR_ID = our router id: ignored',
      ibgp: true,
      bad: ibgp([`800904 ${routerIdHex}`]),
      outcome: WITHDRAW,
    },
    {
      name: 'case 19: CLUSTER_LIST with our cluster id: ignored',
      ibgp: true,
      bad: ibgp([`800a08 c0000209 ${routerIdHex}`]),
      outcome: WITHDRAW,
    },
    {
      name: 'case 20: EXTENDED_COMMUNITIES length 9',
      bad: ebgp({}, ['c01009 0002fdea0000000100']),
      outcome: WITHDRAW,
    },
    // Type 0x4f / subtype 0x99 is unassigned; transitive (0x40 bit clear): kept and passed on.
    {
      name: 'case 20: unknown extended community type is kept and propagated',
      bad: ebgp({}, ['c01008 0f99010203040506']),
      outcome: { kind: 'kept', gobgp: (p) => expect(types(p)).toContain(16) },
    },
    {
      name: 'further: TUNNEL_ENCAPSULATION empty (RFC 9012)',
      bad: ebgp({}, ['c01700']),
      outcome: WITHDRAW,
    },
    // Prefix-SID TLV type 1 claiming 5 octets with 1 present.
    {
      name: 'further: PREFIX_SID malformed is discarded and not propagated (RFC 8669 §6)',
      bad: ebgp({}, ['c02804 01000500']),
      outcome: { kind: 'kept', gobgp: (p) => expect(types(p)).not.toContain(40) },
    },
    {
      name: 'further: OTC length 3 (RFC 9234)',
      bad: ebgp({}, ['c02303 00fdea']),
      outcome: WITHDRAW,
    },
    {
      name: 'further: unknown optional transitive attribute is propagated',
      bad: ebgp({}, ['c06304 deadbeef']),
      outcome: { kind: 'kept', gobgp: (p) => expect(types(p)).toContain(99) },
    },
    {
      name: 'further: unknown optional non-transitive attribute is not propagated',
      bad: ebgp({}, ['806402 cafe']),
      outcome: { kind: 'kept', gobgp: (p) => expect(types(p)).not.toContain(100) },
    },
    // GoBGP route_server_malformed_test.py (scenarios.md 2.4), contained under RFC 7606.
    {
      name: 'GoBGP #2: MP_UNREACH with flags 0x60',
      bad: ebgp({}, ['600f03 000101']),
      outcome: WITHDRAW,
    },
    // vrfleak compares only O and T (RFC 7606 §3(c)); 0x60 on a well-known attribute differs from
    // 0x40 in the Partial bit alone. GoBGP 3.10 reset here; vrfleak accepts the route.
    {
      name: 'GoBGP #3: AS_PATH with flags 0x60 (Partial only) is accepted',
      bad: ebgp({ asPath: attr(0x60, 2, '02 01 0000fdea') }),
      outcome: { kind: 'kept' },
    },
    {
      name: 'GoBGP #4: AS4_PATH with flags 0x60',
      bad: ebgp({}, [attr(0x60, 17, '02 01 0000fdea')]),
      outcome: WITHDRAW,
    },
    {
      name: 'GoBGP #6: MP_REACH (flags 0x60) for IPv6 on an IPv4 session',
      bad: ebgp({}, [attr(0x60, 14, '0002 01 10 20010db8000000000000000000000001 00')]),
      outcome: WITHDRAW,
    },
    {
      name: 'GoBGP #7: AS_PATH segment length overrun 0x0202ffdc',
      bad: ebgp({ asPath: '400204 0202ffdc' }),
      outcome: WITHDRAW,
    },
    // CodecContext.allowLoopbackNextHop: a session that itself runs over loopback accepts 127/8
    // next hops (lab setups). GoBGP's 127.0.0.1 input is therefore kept here; case 15 covers the
    // other martians and our own address.
    {
      name: 'GoBGP #8: NEXT_HOP 127.0.0.1 is accepted on a loopback session',
      bad: ebgp({ nh: '400304 7f000001' }),
      outcome: { kind: 'kept', route: (r) => expect(r.nextHop).toBe('127.0.0.1') },
    },
    { name: 'GoBGP #9: ORIGIN value 4', bad: ebgp({ origin: '400101 04' }), outcome: WITHDRAW },
  ];
}

describe.skipIf(peers.skip)(peers.title('malformed input kept contained (injector)'), () => {
  const sc = useScenario(import.meta.url);
  let b: Bench;
  let e: Injector;
  let i: Injector;
  const hexOf = (a: string) =>
    a
      .split('.')
      .map((x) => Number(x).toString(16).padStart(2, '0'))
      .join('');

  beforeAll(async () => {
    b = await startBench(sc);
    [e, i] = await Promise.all([Injector.establish(b.ebgp), Injector.establish(b.ibgp)]);
  }, 60_000);
  afterAll(async () => {
    e?.destroy();
    i?.destroy();
    await b?.speaker.stop();
  });

  // The list is built lazily: the addresses exist only after beforeAll.
  const table = cases('7f000000', '7f000000');
  table.forEach((c, n) => {
    it(c.name, async () => {
      const all = cases(hexOf(b.ip.vrfleak), hexOf(b.ip.vrfleak));
      const cur = all[n]!;
      const inj = cur.ibgp ? i : e;
      const peer = inj.opts.localAddress;
      const prefix = `10.${cur.ibgp ? 60 : 50}.${n}.0/24`;
      const good = cur.ibgp
        ? body([ORIGIN_IGP, ASPATH_EMPTY, NH_192_0_2_1, MED1, LP100], v4(prefix))
        : body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1, MED1], v4(prefix));
      inj.update(good);
      await waitPath(b, 'ipv4', prefix, peer, (r) => r.med === 1);
      await gobgpPath(b, prefix);
      inj.update(cur.bad(prefix));
      if (cur.outcome.kind === 'withdraw') {
        await waitGone(b, 'ipv4', prefix, peer);
      } else {
        const r = await waitPath(b, 'ipv4', prefix, peer, (x) => x.med === 2);
        cur.outcome.route?.(r);
        if (cur.outcome.gobgp) {
          // GoBGP sees eBGP MEDs only from its direct neighbor; wait for the new path's shape.
          const check = cur.outcome.gobgp;
          let last: unknown;
          const deadline = Date.now() + 10_000;
          for (;;) {
            try {
              check(await gobgpPath(b, prefix));
              break;
            } catch (err) {
              last = err;
              if (Date.now() > deadline) throw last;
              await new Promise((res) => setTimeout(res, 100));
            }
          }
        }
      }
      expectSessionUp(b, inj);
      expectBystanderUntouched(b);
    });
  });

  it('case 21: a martian VPNv4 next hop (RD 0 + 0.0.0.0) withdraws the route', async () => {
    // MP_REACH: AFI 0001 SAFI 80 | nh len 0c, RD 0 + next hop | reserved 00 |
    // NLRI 70 (112 bits) label 000641 (100, BoS) RD 0000fdea 00000007 (65002:7) 0a4700 (10.71.0/24)
    const mp = (nh: string) =>
      attr(0x80, 14, `0001 80 0c 0000000000000000 ${nh} 00 70 000641 0000fdea00000007 0a4700`);
    e.update(body([ORIGIN_IGP, ASPATH_EBGP, mp('c0000201')]));
    const has = () =>
      b.speaker.routes('vpnv4').some((r) => r.prefix === '10.71.0.0/24' && r.rd === '65002:7');
    await b.speaker.waitFor(has, { what: 'VPNv4 10.71.0.0/24 installed', timeoutMs: 5_000 });
    e.update(body([ORIGIN_IGP, ASPATH_EBGP, mp('00000000')]));
    await b.speaker.waitFor(() => !has(), { what: 'VPNv4 route withdrawn', timeoutMs: 5_000 });
    expectSessionUp(b, e);
    expectBystanderUntouched(b);
  });

  it('case 22: unknown RD type parses; MP_UNREACH with the 0x800000 label withdraws', async () => {
    // RD type 0x00ff (unknown), value 0a0b0c0d0e0f.
    e.update(
      body([
        ORIGIN_IGP,
        ASPATH_EBGP,
        attr(0x80, 14, '0001 80 0c 0000000000000000 c0000201 00 70 000641 00ff0a0b0c0d0e0f 0a4800'),
      ]),
    );
    const has = () => b.speaker.routes('vpnv4').some((r) => r.prefix === '10.72.0.0/24');
    await b.speaker.waitFor(has, {
      what: 'VPNv4 with unknown RD type installed',
      timeoutMs: 5_000,
    });
    // MP_UNREACH: AFI 0001 SAFI 80 | 70 label 800000 (compatibility) RD 00ff... 0a4800
    e.update(body([attr(0x80, 15, '0001 80 70 800000 00ff0a0b0c0d0e0f 0a4800')]));
    await b.speaker.waitFor(() => !has(), { what: 'withdrawn by MP_UNREACH', timeoutMs: 5_000 });
    expectSessionUp(b, e);
  });

  it('case 24: a VPNv4 End-of-RIB carrying ORIGIN is no announcement', async () => {
    const before = b.speaker.routes('vpnv4').length;
    e.update(body([ORIGIN_IGP, attr(0x80, 15, '0001 80')]));
    // Then a sound announcement: once it is in, the EoR-with-junk was processed before it.
    e.update(body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1, MED1], v4('10.73.0.0/24')));
    await waitPath(b, 'ipv4', '10.73.0.0/24', e.opts.localAddress);
    expect(b.speaker.routes('vpnv4').length).toBe(before);
    expectSessionUp(b, e);
  });

  it('case 24: NLRI of a family not negotiated (IPv6 unicast) are ignored', async () => {
    // MP_REACH AFI 0002 SAFI 01 | nh len 10, 2001:db8::1 | 00 | 20 20010db8 (2001:db8::/32)
    e.update(
      body([
        ORIGIN_IGP,
        ASPATH_EBGP,
        attr(0x80, 14, '0002 01 10 20010db8000000000000000000000001 00 20 20010db8'),
      ]),
    );
    e.update(body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1, MED1], v4('10.74.0.0/24')));
    await waitPath(b, 'ipv4', '10.74.0.0/24', e.opts.localAddress);
    expect(b.speaker.routes('ipv6')).toHaveLength(0);
    expectSessionUp(b, e);
  });

  it('further: ROUTE-REFRESH with an unknown subtype, with ORF junk, or an unknown family', async () => {
    // Body: AFI (2), subtype (1), SAFI (1) [, ORF entries].
    e.write(frame(5, '0001 05 01')); // subtype 5: ignored (RFC 7313 §5)
    e.write(frame(5, '0001 00 01 01 ff 0040 00')); // subtype 0 with a truncated ORF entry
    e.write(frame(5, '0019 00 46')); // AFI 25 / SAFI 70: not negotiated
    e.update(body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1, MED1], v4('10.75.0.0/24')));
    await waitPath(b, 'ipv4', '10.75.0.0/24', e.opts.localAddress);
    expectSessionUp(b, e);
    expectBystanderUntouched(b);
    expect(pathsFrom(b, 'ipv4', '10.75.0.0/24', e.opts.localAddress)).toHaveLength(1);
  });
});
