// Issue: sessions with real peers, scenario e, the part real daemons cannot play: a restarted
// graceful-restart peer that comes back (with the Forwarding State bit) but never sends End-of-RIB.
// RFC 4724 §4.2 lets the helper bound how long stale routes wait; vrfleak's bound is the
// neighbor's `graceful-restart: {stale-time}`. GoBGP and FRR always send End-of-RIB, so the peer
// here is a raw speaker driven through vrfleak's codec (raw-peer.ts).

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker, type RouteView } from '../../src/api/library.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import { ipv4FromText } from '../../src/wire/admin-pair.js';
import { rtFromText } from '../../src/wire/ext-community.js';
import { prefixFromText } from '../../src/wire/nlri/text.js';
import { rdFromText } from '../../src/wire/rd.js';
import type { Capability, UpdateMessage } from '../../src/wire/types.js';
import { useScenario } from '../harness/vitest.js';
import { RawPeer } from './raw-peer.js';

const RAW_AS = 65020;
const STALE_TIME = 2;

/** OPEN capabilities: VPNv4, 4-octet AS, graceful restart (restart time 30 s, F bit for VPNv4). */
const caps = (restarting: boolean): Capability[] => [
  { kind: 'multiprotocol', afi: 1, safi: 128 },
  { kind: 'four-octet-as', asn: RAW_AS },
  {
    kind: 'graceful-restart',
    restarting,
    notification: false,
    restartTime: 30,
    families: [{ afi: 1, safi: 128, forwarding: true }],
  },
];

/** One UPDATE announcing `prefixes` under RD 65020:1, label 300, next hop 192.0.2.20. */
function announce(prefixes: readonly string[]): UpdateMessage {
  const rd = rdFromText('65020:1');
  return {
    type: 'update',
    withdrawn: [],
    nlri: [],
    attributes: [
      { kind: 'origin', flags: 0x40, value: 0 },
      { kind: 'as-path', flags: 0x40, segments: [{ type: 2, asns: [RAW_AS] }] },
      { kind: 'ext-communities', flags: 0xc0, values: [rtFromText('65020:1')] },
      {
        kind: 'mp-reach',
        flags: 0x80,
        afi: 1,
        safi: 128,
        nextHop: { kind: 'vpn-ipv4', rd: rdFromText('0:0'), addr: ipv4FromText('192.0.2.20')! },
        // RFC 3032 §2.1: label 300, bottom of stack.
        nlri: prefixes.map((p) => ({
          kind: 'vpn' as const,
          labels: [(300 << 4) | 1],
          rd,
          prefix: prefixFromText(p),
        })),
      },
    ],
  };
}

describe('vrfleak bounds stale routes of a restarted peer that never sends End-of-RIB', () => {
  const sc = useScenario(import.meta.url);
  let speaker: Speaker;
  let ip: { vrfleak: string; raw: string };
  const grEvents: Array<Extract<LogEvent, { event: 'graceful-restart' }>> = [];
  const route = (prefix: string): RouteView | undefined =>
    speaker.routes('vpnv4').find((r) => r.rd === '65020:1' && r.prefix === prefix);

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), raw: sc.nextAddress() };
    const log = createEventLog({ level: 'silent' });
    log.subscribe((e) => {
      if (e.event === 'graceful-restart') grEvents.push(e);
    });
    speaker = await Speaker.start(
      {
        asn: 65000,
        'router-id': ip.vrfleak,
        listen: { address: ip.vrfleak, port: 179 },
        neighbors: [
          {
            address: ip.raw,
            asn: RAW_AS,
            passive: true,
            'connect-retry': 1,
            'graceful-restart': { enabled: true, 'restart-time': 30, 'stale-time': STALE_TIME },
          },
        ],
      },
      { log },
    );
  });

  it('e. stale routes not sent again go after stale-time; the re-sent one stays', async () => {
    const first = await RawPeer.establish(ip.raw, ip.vrfleak, {
      asn: RAW_AS,
      bgpId: 0x0a141401,
      capabilities: caps(false),
    });
    first.send(announce(['10.20.1.0/24', '10.20.2.0/24']));
    const r = await speaker.waitFor(
      () => route('10.20.1.0/24') && route('10.20.2.0/24') && route('10.20.1.0/24'),
      {
        what: 'vrfleak has both raw-peer routes',
      },
    );
    expect(r).toMatchObject({ label: 300, nextHop: '192.0.2.20', routeTargets: ['65020:1'] });

    // The peer "restarts": its TCP connection goes away without a NOTIFICATION.
    first.destroy();
    await speaker.waitFor(
      () => route('10.20.1.0/24')?.stale === true && route('10.20.2.0/24')?.stale === true,
      { what: 'both routes stale after the connection drops', timeoutMs: 3_000 },
    );

    // Back with R=1 and F=1 for VPNv4; it re-sends one route and never sends End-of-RIB.
    const second = await RawPeer.establish(ip.raw, ip.vrfleak, {
      asn: RAW_AS,
      bgpId: 0x0a141401,
      capabilities: caps(true),
    });
    second.send(announce(['10.20.1.0/24']));
    await speaker.waitFor(() => route('10.20.1.0/24')?.stale === undefined, {
      what: '10.20.1.0/24 fresh again',
    });
    // F=1: nothing was dropped at re-establishment; 10.20.2.0/24 waits, stale.
    expect(route('10.20.2.0/24')?.stale).toBe(true);
    const backAt = Date.now();
    await speaker.waitFor(() => !route('10.20.2.0/24'), {
      what: `10.20.2.0/24 removed after stale-time (${STALE_TIME} s) without End-of-RIB`,
      timeoutMs: (STALE_TIME + 3) * 1000,
      intervalMs: 50,
    });
    expect(Date.now() - backAt).toBeGreaterThanOrEqual(STALE_TIME * 1000 - 1000);
    expect(route('10.20.1.0/24')).toMatchObject({ label: 300 });
    expect(route('10.20.1.0/24')?.stale).toBeUndefined();
    expect(grEvents.map((e) => [e.phase, e.routes])).toEqual([
      ['stale', 2],
      ['expired', 1],
    ]);
    expect(speaker.neighbor(ip.raw)?.state).toBe('Established');
    second.destroy();
    await speaker.stop();
  });
});
