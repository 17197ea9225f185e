import { describe, expect, it } from 'vitest';
import { codecContexts, negotiate, negotiateHoldTime } from '../../src/session/negotiate.js';
import type { Negotiated } from '../../src/session/negotiate.js';
import { familyKey } from '../../src/wire/afi.js';
import type { Capability } from '../../src/wire/types.js';
import { LOCAL_ID, hex, mp, open } from './helpers.js';

const ours = (caps: Capability[], holdTime = 90) =>
  open(caps, { myAs: 65000, bgpId: LOCAL_ID, holdTime });

function ok(r: ReturnType<typeof negotiate>): Negotiated {
  if (!r.ok) throw new Error(`refused: ${r.notify.code}/${r.notify.subcode}`);
  return r.negotiated;
}

describe('hold time', () => {
  it('takes the smaller value and a third of it for keepalives', () => {
    expect(negotiateHoldTime(90, 30)).toEqual({ holdTime: 30, keepaliveTime: 10 });
    expect(negotiateHoldTime(30, 90)).toEqual({ holdTime: 30, keepaliveTime: 10 });
    expect(negotiateHoldTime(90, 3)).toEqual({ holdTime: 3, keepaliveTime: 1 });
    expect(negotiateHoldTime(90, 90)).toEqual({ holdTime: 90, keepaliveTime: 30 });
  });
  it('0 on either side disables hold timer and keepalives', () => {
    expect(negotiateHoldTime(90, 0)).toEqual({ holdTime: 0, keepaliveTime: 0 });
    expect(negotiateHoldTime(0, 90)).toEqual({ holdTime: 0, keepaliveTime: 0 });
  });
  it('refuses 1 and 2 seconds with 2/6 (RFC 4271 §6.2)', () => {
    for (const h of [1, 2]) {
      expect(negotiateHoldTime(90, h)).toMatchObject({ code: 2, subcode: 6 });
      const r = negotiate(ours([]), open([], { holdTime: h }));
      expect(r.ok).toBe(false);
      if (!r.ok) expect([r.notify.code, r.notify.subcode]).toEqual([2, 6]);
    }
  });
  it('a configured keepalive below a third wins, above it does not', () => {
    expect(negotiateHoldTime(90, 90, 5)).toEqual({ holdTime: 90, keepaliveTime: 5 });
    expect(negotiateHoldTime(90, 90, 60)).toEqual({ holdTime: 90, keepaliveTime: 30 });
  });
  it('reaches Negotiated', () => {
    const n = ok(negotiate(ours([], 90), open([], { holdTime: 30 })));
    expect([n.holdTime, n.keepaliveTime]).toEqual([30, 10]);
  });
});

describe('families', () => {
  it('intersects the multiprotocol capabilities', () => {
    const n = ok(
      negotiate(ours([mp(1, 128), mp(2, 128), mp(1, 1)]), open([mp(2, 128), mp(1, 128)])),
    );
    expect(n.families).toEqual([
      { afi: 1, safi: 128 },
      { afi: 2, safi: 128 },
    ]);
    expect(n.familyNames).toEqual(['vpnv4', 'vpnv6']);
  });
  it('a peer without multiprotocol capabilities carries IPv4 unicast only (RFC 4760 §8)', () => {
    const n = ok(negotiate(ours([mp(1, 1), mp(1, 128)]), open([{ kind: 'route-refresh' }])));
    expect(n.families).toEqual([{ afi: 1, safi: 1 }]);
    expect(n.familyNames).toEqual(['ipv4']);
  });
  it('no common family: 2/7 listing our multiprotocol capabilities', () => {
    const r = negotiate(ours([mp(1, 128), { kind: 'route-refresh' }]), open([mp(2, 1)]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.notify.code, r.notify.subcode]).toEqual([2, 7]);
    // 01 04: MP capability, length 4; 0001 AFI IPv4; 00 reserved; 80 SAFI 128
    expect(hex(r.notify.data)).toBe('0104' + '0001' + '00' + '80');
  });
  it('no common family is accepted when configured so', () => {
    const n = ok(
      negotiate(ours([mp(1, 128)]), open([mp(2, 1)]), { refuseWithoutCommonFamily: false }),
    );
    expect(n.families).toEqual([]);
  });
});

describe('required capabilities (RFC 5492 §3)', () => {
  it('2/7 with the missing ones encoded as in an OPEN', () => {
    const required: Capability[] = [
      mp(1, 128),
      { kind: 'four-octet-as', asn: 65000 },
      { kind: 'route-refresh' },
    ];
    const r = negotiate(ours([mp(1, 128)]), open([mp(1, 128)]), { required });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect([r.notify.code, r.notify.subcode]).toEqual([2, 7]);
    // 41 04 0000fde8: 4-octet AS capability, length 4, AS 65000; 02 00: route refresh, empty
    expect(hex(r.notify.data)).toBe('4104' + '0000fde8' + '0200');
  });
  it('present ones pass; multiprotocol compares the family', () => {
    const r = negotiate(ours([mp(1, 128)]), open([mp(1, 128), mp(2, 128)]), {
      required: [mp(2, 128)],
    });
    expect(r.ok).toBe(true);
    const r2 = negotiate(ours([mp(1, 128)]), open([mp(1, 128)]), { required: [mp(2, 128)] });
    expect(r2.ok).toBe(false);
  });
});

describe('AS numbers and flags', () => {
  it('4-octet AS: both sides; peer AS from the capability, else My AS', () => {
    const four: Capability = { kind: 'four-octet-as', asn: 4200000001 };
    const n = ok(
      negotiate(ours([{ kind: 'four-octet-as', asn: 65000 }]), open([four], { myAs: 23456 })),
    );
    expect(n.fourOctetAs).toBe(true);
    expect(n.peerAs).toBe(4200000001);
    expect(n.ibgp).toBe(false);
    const n2 = ok(negotiate(ours([]), open([four], { myAs: 23456 })));
    expect(n2.fourOctetAs).toBe(false);
    expect(n2.peerAs).toBe(4200000001);
    const n3 = ok(negotiate(ours([{ kind: 'four-octet-as', asn: 65000 }]), open([])));
    expect(n3.fourOctetAs).toBe(false);
    expect(n3.peerAs).toBe(65001);
  });
  it('iBGP when the ASes match', () => {
    const n = ok(negotiate(ours([]), open([], { myAs: 65000 })));
    expect(n.ibgp).toBe(true);
  });
  it('route refresh, enhanced route refresh, extended message need both sides', () => {
    const all: Capability[] = [
      { kind: 'route-refresh' },
      { kind: 'enhanced-route-refresh' },
      { kind: 'extended-message' },
    ];
    const both = ok(negotiate(ours(all), open(all)));
    expect([both.routeRefresh, both.enhancedRouteRefresh, both.extendedMessage]).toEqual([
      true,
      true,
      true,
    ]);
    const onlyUs = ok(negotiate(ours(all), open([])));
    expect([onlyUs.routeRefresh, onlyUs.enhancedRouteRefresh, onlyUs.extendedMessage]).toEqual([
      false,
      false,
      false,
    ]);
    const onlyPeer = ok(negotiate(ours([]), open(all)));
    expect([onlyPeer.routeRefresh, onlyPeer.extendedMessage]).toEqual([false, false]);
  });
  it('hostname of the peer, extended next hop entries both advertised', () => {
    const enh: Capability = {
      kind: 'extended-next-hop',
      entries: [
        { afi: 1, safi: 1, nextHopAfi: 2 },
        { afi: 1, safi: 128, nextHopAfi: 2 },
      ],
    };
    const theirs: Capability = {
      kind: 'extended-next-hop',
      entries: [{ afi: 1, safi: 128, nextHopAfi: 2 }],
    };
    const n = ok(
      negotiate(
        ours([mp(1, 128), enh]),
        open([mp(1, 128), theirs, { kind: 'hostname', hostname: 'pe2', domain: 'lab' }]),
      ),
    );
    expect(n.extendedNextHop).toEqual([{ afi: 1, safi: 128, nextHopAfi: 2 }]);
    expect(n.peerHostname).toEqual({ hostname: 'pe2', domain: 'lab' });
  });
});

describe('add-path (RFC 7911 §4)', () => {
  const ap = (...entries: [number, number, number][]): Capability => ({
    kind: 'add-path',
    entries: entries.map(([afi, safi, sendReceive]) => ({ afi, safi, sendReceive })),
  });
  const fams = [mp(1, 128), mp(2, 128), mp(1, 1)];
  it('our send + their receive => we send; their send + our receive => we receive', () => {
    // VPNv4: we send (2), they receive (1). VPNv6: we receive (1), they send (2).
    // IPv4: both (3) on both sides.
    const n = ok(
      negotiate(
        ours([...fams, ap([1, 128, 2], [2, 128, 1], [1, 1, 3])]),
        open([...fams, ap([1, 128, 1], [2, 128, 2], [1, 1, 3])]),
      ),
    );
    expect(n.addPath.send).toEqual([
      { afi: 1, safi: 1 },
      { afi: 1, safi: 128 },
    ]);
    expect(n.addPath.receive).toEqual([
      { afi: 1, safi: 1 },
      { afi: 2, safi: 128 },
    ]);
    const { rx, tx } = codecContexts(n);
    expect([...tx.addPath].sort()).toEqual([familyKey(1, 1), familyKey(1, 128)].sort());
    expect([...rx.addPath].sort()).toEqual([familyKey(1, 1), familyKey(2, 128)].sort());
  });
  it('same direction on both sides gives nothing', () => {
    const n = ok(negotiate(ours([...fams, ap([1, 128, 2])]), open([...fams, ap([1, 128, 2])])));
    expect(n.addPath).toEqual({ send: [], receive: [] });
  });
  it('only for negotiated families', () => {
    const n = ok(
      negotiate(ours([mp(1, 128), ap([2, 128, 3])]), open([mp(1, 128), ap([2, 128, 3])])),
    );
    expect(n.addPath).toEqual({ send: [], receive: [] });
  });
});

describe('codec contexts', () => {
  it('carry 4-octet AS, extended message, ibgp and the loopback flag', () => {
    const caps: Capability[] = [
      { kind: 'four-octet-as', asn: 65000 },
      { kind: 'extended-message' },
    ];
    const n = ok(
      negotiate(
        ours(caps),
        open([{ kind: 'four-octet-as', asn: 65000 }, { kind: 'extended-message' }]),
      ),
    );
    const { rx, tx } = codecContexts(n, { allowLoopbackNextHop: true });
    for (const c of [rx, tx]) {
      expect(c.fourOctetAs).toBe(true);
      expect(c.extendedMessage).toBe(true);
      expect(c.ibgp).toBe(true);
      expect(c.allowLoopbackNextHop).toBe(true);
    }
    expect(codecContexts(n).rx.allowLoopbackNextHop).toBeUndefined();
  });
});

describe('graceful restart and LLGR', () => {
  const gr = (
    restarting: boolean,
    notification: boolean,
    restartTime: number,
    families: { afi: number; safi: number; forwarding: boolean }[],
  ): Capability => ({ kind: 'graceful-restart', restarting, notification, restartTime, families });

  it("the peer's restart time, R bit and F bits for negotiated families; we help", () => {
    const n = ok(
      negotiate(
        ours([mp(1, 128), mp(2, 128), gr(false, true, 120, [])]),
        open([
          mp(1, 128),
          gr(true, true, 90, [
            { afi: 1, safi: 128, forwarding: true },
            { afi: 2, safi: 128, forwarding: false }, // the peer has no VPNv6 MP capability
            { afi: 1, safi: 1, forwarding: true }, // IPv4 unicast not negotiated
          ]),
        ]),
      ),
    );
    expect(n.gracefulRestart).toEqual({
      restartTime: 90,
      restarting: true,
      notification: true,
      families: [{ afi: 1, safi: 128, forwarding: true }],
      helper: true,
    });
  });
  it('N bit only when both set it; helper off by config or without families', () => {
    const a = ok(
      negotiate(
        ours([mp(1, 128), gr(false, false, 120, [])]),
        open([mp(1, 128), gr(false, true, 90, [{ afi: 1, safi: 128, forwarding: false }])]),
      ),
    );
    expect(a.gracefulRestart?.notification).toBe(false);
    expect(a.gracefulRestart?.helper).toBe(true);
    const b = ok(
      negotiate(
        ours([mp(1, 128), gr(false, false, 120, [])]),
        open([mp(1, 128), gr(false, true, 90, [{ afi: 1, safi: 128, forwarding: false }])]),
        {
          gracefulRestartHelper: false,
        },
      ),
    );
    expect(b.gracefulRestart?.helper).toBe(false);
    const c = ok(
      negotiate(
        ours([mp(1, 128), gr(false, false, 120, [])]),
        open([mp(1, 128), gr(false, false, 90, [])]),
      ),
    );
    expect(c.gracefulRestart?.helper).toBe(false);
  });
  it('absent unless both advertise GR', () => {
    const n = ok(
      negotiate(
        ours([mp(1, 128)]),
        open([mp(1, 128), gr(false, false, 90, [{ afi: 1, safi: 128, forwarding: true }])]),
      ),
    );
    expect(n.gracefulRestart).toBeUndefined();
  });
  it("LLGR: families both advertise, with GR, the peer's stale time and F bit", () => {
    const llgr = (fs: [number, number, number, number][]): Capability => ({
      kind: 'llgr',
      families: fs.map(([afi, safi, flags, staleTime]) => ({ afi, safi, flags, staleTime })),
    });
    const base = [mp(1, 128), mp(2, 128), gr(false, false, 120, [])];
    const n = ok(
      negotiate(
        ours([
          ...base,
          llgr([
            [1, 128, 0, 3600],
            [2, 128, 0, 3600],
          ]),
        ]),
        open([...base, llgr([[1, 128, 0x80, 86400]])]),
      ),
    );
    expect(n.llgr).toEqual([{ afi: 1, safi: 128, staleTime: 86400, forwarding: true }]);
    // RFC 9494 §4.2: GR listing no family (Restart Time 0) with LLGR: the routes are still kept.
    expect(n.gracefulRestart?.helper).toBe(true);
    expect(n.peerLlgr).toBe(true);
    const grOnly = ok(negotiate(ours(base), open(base)));
    expect(grOnly.gracefulRestart?.helper).toBe(false);
    expect(grOnly.peerLlgr).toBe(false);
    // §4.3 reads "the capability received": the peer's, whether or not we sent ours.
    expect(ok(negotiate(ours(base), open([...base, llgr([[1, 128, 0, 60]])]))).peerLlgr).toBe(true);
    const noGr = ok(
      negotiate(
        ours([mp(1, 128), llgr([[1, 128, 0, 3600]])]),
        open([mp(1, 128), llgr([[1, 128, 0, 3600]])]),
      ),
    );
    expect(noGr.llgr).toEqual([]);
    // §4.5: without GR the LLGR capability is ignored.
    expect(noGr.peerLlgr).toBe(false);
  });
});
