// RT-constrain (RFC 4684) in the daemon: the memberships vrfleak originates for its import RTs
// (and withdraws on reload), the VPN routes a peer that negotiated rtc is sent (only those its
// memberships cover, after its RTC End-of-RIB or the wait's end), live membership changes, and
// the memberships reflected to a client (§3.2).

import { afterEach, expect, it, vi } from 'vitest';
import { applyConfig } from '../../src/api/apply.js';
import { rtcAnswer, rtcWhy } from '../../src/api/endpoints-rtc.js';
import { formatRtc } from '../../src/cli/format-rtc.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { nlriKey } from '../../src/rib/keys.js';
import { rtcNlriOf } from '../../src/rib/rtc.js';
import { RTC_EOR_WAIT_MS } from '../../src/daemon/rtc.js';
import { familyName } from '../../src/wire/afi.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { rtFromText } from '../../src/wire/ext-community.js';
import { decodeMessage } from '../../src/wire/message.js';
import { prefixToText } from '../../src/wire/nlri/text.js';
import { decodeUpdate } from '../../src/wire/update.js';
import type { Nlri, PathAttribute, RtcNlri } from '../../src/wire/types.js';
import { base } from '../config/keys-scenarios.js';
import { load, world, type World } from '../config/keys-world.js';

const A = '127.0.0.11'; // rtc, a client
const B = '127.0.0.12'; // no rtc
const C = '127.0.0.13'; // rtc, a client
let w: World | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await w?.stop();
  w = undefined;
});

const vrf = (n: number, rt = `65000:${n}`) => ({
  rd: `65000:${n}`,
  'route-targets': { import: [rt], export: [rt] },
  networks: [`10.${n}.0.0/24`],
});

const cfg = (vrfs: Record<string, unknown> = { RED: vrf(1), BLUE: vrf(2) }): ConfigInput =>
  base({
    neighbors: [
      { address: A, asn: 65000, families: ['vpnv4', 'rtc'], 'route-reflector-client': true },
      { address: B, asn: 65000, families: ['vpnv4'], 'route-reflector-client': true },
      { address: C, asn: 65000, families: ['vpnv4', 'rtc'], 'route-reflector-client': true },
    ],
    vrfs: vrfs as ConfigInput['vrfs'],
  });

const parsed = (c: ConfigInput) => {
  const r = load(c);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
};

const OPT = 0x80;
const rtc = (rt: string | undefined, originAs = 65000): RtcNlri =>
  rt === undefined
    ? { kind: 'rtc', len: 0, originAs: 0, rt: new Uint8Array(0) }
    : rtcNlriOf(originAs, rtFromText(rt));

function announceRtc(addr: string, nlri: RtcNlri[]): void {
  const attributes: PathAttribute[] = [
    { kind: 'origin', flags: 0x40, value: 0 },
    { kind: 'as-path', flags: 0x40, segments: [] },
    {
      kind: 'mp-reach',
      flags: OPT,
      afi: 1,
      safi: 132,
      nextHop: { kind: 'ipv4', addr: 0x7f00000b },
      nlri,
    },
  ];
  w!.peer(addr).events.update({
    update: { type: 'update', withdrawn: [], attributes, nlri: [] },
    problems: [],
  });
}

function withdrawRtc(addr: string, nlri: RtcNlri[]): void {
  const attributes: PathAttribute[] = [{ kind: 'mp-unreach', flags: OPT, afi: 1, safi: 132, nlri }];
  w!.peer(addr).events.update({
    update: { type: 'update', withdrawn: [], attributes, nlri: [] },
    problems: [],
  });
}

/** What a peer holds now from what it was sent, per family: NLRI key -> its attributes. */
function held(addr: string) {
  const out = new Map<string, Map<string, { nlri: Nlri; attrs: readonly PathAttribute[] }>>();
  const eor: string[] = [];
  for (const m of w!.peer(addr).sent) {
    const d = decodeMessage(m, { ...DEFAULT_CONTEXT, allowLoopbackNextHop: true }).message;
    if (d.type !== 'update') continue;
    for (const a of d.attributes) {
      if (a.kind !== 'mp-reach' && a.kind !== 'mp-unreach') continue;
      const f = familyName(a.afi, a.safi)!;
      let t = out.get(f);
      if (!t) out.set(f, (t = new Map()));
      if (a.kind === 'mp-unreach' && a.nlri.length === 0) eor.push(f);
      for (const n of a.nlri) {
        if (a.kind === 'mp-unreach') t.delete(nlriKey(n));
        else t.set(nlriKey(n), { nlri: n, attrs: d.attributes });
      }
    }
  }
  const vpn = [...(out.get('vpnv4')?.values() ?? [])]
    .map(({ nlri }) => (nlri.kind === 'rtc' ? '' : prefixToText(nlri.prefix)))
    .sort();
  return { vpn, rtc: out.get('rtc') ?? new Map(), eor };
}

it('originates a membership per import RT; a reload ends where a fresh start would', async () => {
  w = await world(cfg());
  const table = () => w!.d.rib.table('rtc');
  expect([...table().dests.keys()].sort()).toEqual(
    [nlriKey(rtc('65000:1')), nlriKey(rtc('65000:2'))].sort(),
  );
  // BLUE imports 65000:3 instead of 65000:2; RED goes.
  const next = cfg({ BLUE: { ...vrf(2), 'route-targets': { import: ['65000:3'], export: [] } } });
  applyConfig(w.d, parsed(cfg()), parsed(next));
  const reloaded = [...table().dests.keys()].sort();
  expect(reloaded).toEqual([nlriKey(rtc('65000:3'))]);
  const fresh = await world(next);
  try {
    expect([...fresh.d.rib.table('rtc').dests.keys()].sort()).toEqual(reloaded);
  } finally {
    await fresh.stop();
  }
});

const GR = { peerGracefulRestart: { restartTime: 120, restarting: false } };

it('an rtc peer gets only the VPN routes its memberships cover, after its RTC End-of-RIB', async () => {
  w = await world(cfg());
  w.peer(A).up(GR);
  w.peer(B).up();
  w.settle();
  // B does not speak rtc: everything. A waits for its RTC End-of-RIB (RFC 4684 §6).
  expect(held(B).vpn).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
  expect(held(A).vpn).toEqual([]);
  expect(held(A).eor).toEqual(['rtc']);
  // Our own memberships went to A at once, next hop self.
  expect([...held(A).rtc.keys()].sort()).toEqual(
    [nlriKey(rtc('65000:1')), nlriKey(rtc('65000:2'))].sort(),
  );
  announceRtc(A, [rtc('65000:1', 65001)]);
  w.peer(A).withdrawnEor('rtc');
  w.settle();
  expect(held(A).vpn).toEqual(['10.1.0.0/24']);
  expect(held(A).eor).toEqual(['rtc', 'vpnv4']);
  // Why (GET /api/v1/rtc/why, show bgp ipv4 rtc why): typed, per neighbor.
  expect(rtcWhy(w.d, A, '65000:2', '10.2.0.0/24')).toEqual({
    neighbor: A,
    rd: '65000:2',
    prefix: '10.2.0.0/24',
    sent: false,
    reason: { kind: 'rtc-not-member', routeTargets: 1 },
  });
  expect(rtcWhy(w.d, A, '65000:1', '10.1.0.0/24')).toMatchObject({ sent: true });
  expect(rtcWhy(w.d, B, '65000:2', '10.2.0.0/24')).toMatchObject({ sent: true });
  const shown = formatRtc(rtcAnswer(w.d));
  expect(shown).toContain(`Neighbor ${A}: filtering; memberships: 65000:1`);
  expect(shown).toMatch(/^ \*> 65000:1 +65001 +127\.0\.0\.11 +127\.0\.0\.11$/m);
  // Live: A adds 65000:2 and drops 65000:1.
  announceRtc(A, [rtc('65000:2', 65001)]);
  w.settle();
  expect(held(A).vpn).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
  withdrawRtc(A, [rtc('65000:1', 65001)]);
  w.settle();
  expect(held(A).vpn).toEqual(['10.2.0.0/24']);
  // The default route target: everything.
  announceRtc(A, [rtc(undefined)]);
  w.settle();
  expect(held(A).vpn).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
  expect(w.events).toContainEqual({ event: 'rtc-membership', peer: A, routeTargets: 'all' });
  expect(held(B).vpn).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
});

it('without an RTC End-of-RIB the VPN routes go when the wait ends', async () => {
  vi.useFakeTimers();
  w = await world(cfg());
  w.peer(A).up(GR);
  announceRtc(A, [rtc('65000:2', 65001)]);
  w.settle();
  expect(held(A).vpn).toEqual([]);
  vi.advanceTimersByTime(RTC_EOR_WAIT_MS);
  w.settle();
  expect(held(A).vpn).toEqual(['10.2.0.0/24']);
  expect(w.events).toContainEqual({ event: 'rtc-wait-ended', peer: A, reason: 'timer' });
});

it('reflects a client membership to another client with ORIGINATOR_ID = our router id (§3.2)', async () => {
  w = await world(cfg({}));
  w.peer(A).up();
  w.peer(C).up();
  announceRtc(A, [rtc('65000:7')]);
  w.settle();
  const at = held(C).rtc.get(nlriKey(rtc('65000:7')));
  expect(at).toBeDefined();
  const oid = at!.attrs.find((a: PathAttribute) => a.kind === 'originator-id');
  expect(oid).toEqual(expect.objectContaining({ id: 0x0a000001 }));
  // Never back to the client that sent it.
  expect(held(A).rtc.has(nlriKey(rtc('65000:7')))).toBe(false);
  withdrawRtc(A, [rtc('65000:7')]);
  w.settle();
  expect(held(C).rtc.has(nlriKey(rtc('65000:7')))).toBe(false);
});

it('the membership routes sent to a peer hold their outbound sets only while sent', async () => {
  w = await world(cfg({}));
  const interner = w.d.rib.interner;
  const before = interner.size;
  w.peer(A).up();
  w.peer(C).up();
  announceRtc(A, [rtc('65000:7'), rtc('65000:8', 65001)]);
  w.settle();
  expect(held(C).rtc.size).toBeGreaterThan(0);
  // A's path (ORIGINATOR_ID and CLUSTER_LIST added for C) and C's outbound copy of it: more sets.
  expect(interner.size).toBeGreaterThan(before);
  // Sent again unchanged (a membership change elsewhere): no set made for it stays behind.
  const sent = interner.size;
  announceRtc(A, [rtc('65000:7'), rtc('65000:8', 65001)]);
  w.settle();
  expect(interner.size).toBe(sent);
  withdrawRtc(A, [rtc('65000:7'), rtc('65000:8', 65001)]);
  w.settle();
  w.peer(C).down();
  w.peer(A).down();
  w.settle();
  expect(interner.size).toBe(before);
});

it('a peer without graceful restart (no End-of-RIB coming) is filtered at once, no wait', async () => {
  w = await world(cfg());
  w.peer(A).up();
  w.settle();
  expect(held(A)).toMatchObject({ vpn: [], eor: ['vpnv4', 'rtc'] });
  announceRtc(A, [rtc('65000:2', 65001)]);
  w.settle();
  expect(held(A).vpn).toEqual(['10.2.0.0/24']);
});

/**
 * An UPDATE whose MP_REACH_NLRI (AFI 1, SAFI `safi`, next hop 127.0.0.11) carries one NLRI of 16
 * bits, `nlri` in hex (3 octets: the length octet and two): a wrong length for RTC (RFC 4684 §4:
 * 0 or 32..96) and for VPNv4 alike.
 */
function shortNlriUpdate(safi: string, nlri: string) {
  const body = Buffer.from(
    '0000' +
      '0016' +
      '40010100' +
      '400200' +
      '800e0c' +
      '0001' +
      safi +
      '04' +
      '7f00000b' +
      '00' +
      nlri,
    'hex',
  );
  return decodeUpdate(body, 0, body.length, DEFAULT_CONTEXT);
}
const wrongLengthRtc = () => shortNlriUpdate('84', '100000');

it('the codec: a wrong-length RTC NLRI disables the family (RFC 7606 §2), a VPN one still resets', () => {
  const r = wrongLengthRtc();
  expect(r.action).toBe('afi-safi-disable');
  expect(r.problems[0]).toMatchObject({ typeCode: 14, family: { afi: 1, safi: 132 } });
  // Control: a bad NLRI under SAFI 128 (VPNv4) cannot be contained.
  expect(shortNlriUpdate('80', 'ff0000').action).toBe('session-reset');
});

it('a wrong-length RTC NLRI: the peer loses its memberships and rtc, nothing else', async () => {
  w = await world(cfg());
  w.peer(A).up(GR);
  announceRtc(A, [rtc('65000:1', 65001)]);
  w.peer(A).withdrawnEor('rtc');
  w.peer(A).announce('vpnv4', ['10.9.0.0/24'], { routeTargets: ['65000:9'], rd: '65000:9' });
  w.settle();
  expect(held(A).vpn).toEqual(['10.1.0.0/24']);
  w.peer(A).events.update(wrongLengthRtc());
  w.settle();
  expect(w.events).toContainEqual(
    expect.objectContaining({ event: 'afi-safi-disabled', peer: A, family: 'rtc', routes: 1 }),
  );
  // The session stays; its VPN route stays; it is sent every VPN route as a peer without rtc.
  expect(w.peer(A).state).toBe('Established');
  expect(w.d.rib.table('rtc').dests.size).toBe(2);
  expect(w.routes('vpnv4').map((r) => r.prefix)).toContain('10.9.0.0/24');
  expect(held(A).vpn).toEqual(['10.1.0.0/24', '10.2.0.0/24']);
  // Later memberships from it are ignored for the session (RFC 4760 §7).
  announceRtc(A, [rtc('65000:5', 65001)]);
  w.settle();
  expect(w.d.rib.table('rtc').dests.size).toBe(2);
});
