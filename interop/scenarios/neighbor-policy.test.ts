// Route maps attached to a neighbor (in and out), against a real GoBGP: the inbound map refuses
// some prefixes and sets local preference on the others; the outbound map sets the next hop and
// adds a community on what GoBGP receives, and refuses one prefix.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import type { LogEvent } from '../../src/log/events.js';
import { assertPeersOrFail, startGobgp, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

describe.skipIf(peers.skip)(peers.title('neighbor route maps in and out (GoBGP)'), () => {
  const sc = useScenario(import.meta.url);
  let g: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; g: string };

  /** The config; `edit` replaces parts of the policy and the neighbor's route-map-out. */
  const config = (edit: { toG?: unknown; fromG?: unknown; out?: string } = {}): ConfigInput => {
    const base = {
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        {
          address: ip.g,
          asn: 65001,
          'connect-retry': 1,
          'route-map-in': 'FROM-G',
          'route-map-out': 'TO-G',
        },
      ],
      policy: {
        'prefix-lists': {
          BOGONS: [{ seq: 10, action: 'permit', prefix: '10.66.0.0/16', le: 32 }],
          SECRET: [{ seq: 10, action: 'permit', prefix: '10.200.0.0/24' }],
          HUNDRED: [{ seq: 10, action: 'permit', prefix: '10.100.0.0/24' }],
          'TEN-ONE': [{ seq: 10, action: 'permit', prefix: '10.1.0.0/24' }],
        },
        'route-maps': {
          'FROM-G': [
            { seq: 10, action: 'deny', match: { 'prefix-list': 'BOGONS' } },
            { seq: 20, action: 'permit', set: { 'local-preference': 250 } },
          ],
          'TO-G2': [{ seq: 10, action: 'permit', set: { 'next-hop': '192.0.2.98' } }],
          'TO-G': [
            { seq: 10, action: 'deny', match: { 'prefix-list': 'SECRET' } },
            {
              seq: 20,
              action: 'permit',
              set: { 'next-hop': '192.0.2.99', community: { add: ['65000:777'] } },
            },
          ],
        },
      },
      vrfs: {
        A: {
          rd: '65000:100',
          'route-targets': { export: ['65000:100'] },
          networks: ['10.100.0.0/24', '10.200.0.0/24'],
        },
      },
    } as ConfigInput;
    const n = base.neighbors![0]!;
    n['route-map-out'] = edit.out ?? 'TO-G';
    const maps = base.policy!['route-maps'] as Record<string, unknown>;
    if (edit.toG) maps['TO-G'] = edit.toG;
    if (edit.fromG) maps['FROM-G'] = edit.fromG;
    return base;
  };

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), g: sc.nextAddress() };
    g = await startGobgp({
      name: 'gobgp',
      parentDir: sc.dir,
      asn: 65001,
      routerId: ip.g,
      address: ip.g,
      neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
    });
    speaker = await Speaker.start(config());
    await g.waitEstablished(ip.vrfleak);
  });

  it('route-map-in refuses a prefix list and sets local preference on the rest', async () => {
    await g.vrfAdd({
      name: 'RED',
      rd: '65001:10',
      importRts: ['65001:10'],
      exportRts: ['65001:10'],
    });
    // The bogon first: GoBGP sends in order on one TCP stream, so once the permitted route is in,
    // the bogon has been handled too.
    await g.vrfRibAdd('RED', '10.66.1.0/24', ['nexthop', '192.0.2.1']);
    await g.vrfRibAdd('RED', '10.1.0.0/24', ['nexthop', '192.0.2.1']);
    const r = await speaker.waitFor(
      (s) => s.routes('vpnv4').find((v) => v.prefix === '10.1.0.0/24'),
      { what: 'the permitted route arrives' },
    );
    expect(r.localPref).toBe(250);
    expect(speaker.routes('vpnv4').some((v) => v.prefix === '10.66.1.0/24')).toBe(false);
    expect(speaker.neighbor(ip.g)?.updatesIn).toBeGreaterThanOrEqual(2);
  });

  it('route-map-out sets the next hop and a community, and refuses one prefix', async () => {
    const rib = await waitUntil(
      () => g.globalRib('vpnv4'),
      (t) => t['65000:100:10.100.0.0/24'] !== undefined,
      { what: 'GoBGP receives 10.100.0.0/24' },
    );
    const path = rib['65000:100:10.100.0.0/24']?.[0];
    expect(path?.attrs.find((a) => a.type === 14)?.['nexthop']).toBe('192.0.2.99');
    expect(path?.attrs.find((a) => a.type === 8)?.['communities']).toEqual([65000 * 65536 + 777]);
    expect(rib['65000:100:10.200.0.0/24']).toBeUndefined();
  });

  // Policy changes apply without a session reset (FRR: soft reconfiguration by route refresh).
  const downs: LogEvent[] = [];
  let off: (() => void) | undefined;
  afterAll(async () => {
    off?.();
    await speaker?.stop();
  });

  it('an edited route-map-out applies without a reset: refused prefixes are withdrawn', async () => {
    off = speaker.onEvent((e) => {
      if (e.event === 'session-down') downs.push(e);
    });
    const up = speaker.neighbor(ip.g)!.uptimeMs!;
    speaker.reconfigure(
      config({
        toG: [
          { seq: 10, action: 'deny', match: { 'prefix-list': 'HUNDRED' } },
          { seq: 20, action: 'permit', set: { 'next-hop': '192.0.2.99' } },
        ],
      }),
    );
    const rib = await waitUntil(
      () => g.globalRib('vpnv4'),
      (t) =>
        t['65000:100:10.100.0.0/24'] === undefined && t['65000:100:10.200.0.0/24'] !== undefined,
      { what: 'GoBGP loses 10.100.0.0/24 and gets 10.200.0.0/24' },
    );
    const path = rib['65000:100:10.200.0.0/24']?.[0];
    expect(path?.attrs.find((a) => a.type === 14)?.['nexthop']).toBe('192.0.2.99');
    expect(downs).toEqual([]);
    expect(speaker.neighbor(ip.g)!.uptimeMs!).toBeGreaterThanOrEqual(up);
  });

  it('an edited route-map-in applies by a route refresh, without a reset', async () => {
    const deny10 = [
      { seq: 5, action: 'deny', match: { 'prefix-list': 'TEN-ONE' } },
      { seq: 10, action: 'deny', match: { 'prefix-list': 'BOGONS' } },
      { seq: 20, action: 'permit', set: { 'local-preference': 250 } },
    ];
    speaker.reconfigure(config({ toG: HUNDRED_OUT, fromG: deny10 }));
    await speaker.waitFor((s) => !s.routes('vpnv4').some((v) => v.prefix === '10.1.0.0/24'), {
      what: 'GoBGP sends its routes again and 10.1.0.0/24 is now refused',
    });
    // The map as it was: the route is accepted again, with the local preference it sets.
    speaker.reconfigure(
      config({
        toG: HUNDRED_OUT,
        fromG: [
          { seq: 10, action: 'deny', match: { 'prefix-list': 'BOGONS' } },
          { seq: 20, action: 'permit', set: { 'local-preference': 180 } },
        ],
      }),
    );
    const r = await speaker.waitFor(
      (s) => s.routes('vpnv4').find((v) => v.prefix === '10.1.0.0/24' && v.localPref === 180),
      { what: '10.1.0.0/24 back with the new local preference' },
    );
    expect(r.localPref).toBe(180);
    expect(downs).toEqual([]);
  });

  it('clear bgp soft in / soft out with a real peer: GoBGP answers the refresh, nothing resets', async () => {
    const inBefore = speaker.neighbor(ip.g)!.updatesIn;
    const outBefore = speaker.neighbor(ip.g)!.updatesOut;
    speaker.clear(ip.g, 'in');
    await speaker.waitFor((s) => s.neighbor(ip.g)!.updatesIn > inBefore, {
      what: 'GoBGP sends its routes again after the ROUTE-REFRESH',
    });
    speaker.clear(ip.g, 'out');
    expect(speaker.neighbor(ip.g)!.updatesOut).toBeGreaterThan(outBefore);
    expect(speaker.routes('vpnv4').some((v) => v.prefix === '10.1.0.0/24')).toBe(true);
    expect(downs).toEqual([]);
    expect(() => speaker.clear('192.0.2.250', 'in')).toThrow(/no neighbor 192\.0\.2\.250/);
  });

  it('a neighbor moved to another route-map-out (another update group) gets the difference', async () => {
    speaker.reconfigure(config({ toG: HUNDRED_OUT, out: 'TO-G2' }));
    const rib = await waitUntil(
      () => g.globalRib('vpnv4'),
      (t) =>
        t['65000:100:10.100.0.0/24']?.[0]?.attrs.find((a) => a.type === 14)?.['nexthop'] ===
          '192.0.2.98' &&
        t['65000:100:10.200.0.0/24']?.[0]?.attrs.find((a) => a.type === 14)?.['nexthop'] ===
          '192.0.2.98',
      { what: 'GoBGP has both prefixes with the next hop TO-G2 sets' },
    );
    expect(
      Object.keys(rib)
        .filter((k) => k.startsWith('65000:100:'))
        .sort(),
    ).toEqual(['65000:100:10.100.0.0/24', '65000:100:10.200.0.0/24']);
    // Back to TO-G, which refuses 10.100.0.0/24: withdrawn, as the group change requires.
    speaker.reconfigure(config({ toG: HUNDRED_OUT }));
    await waitUntil(
      () => g.globalRib('vpnv4'),
      (t) =>
        t['65000:100:10.100.0.0/24'] === undefined &&
        t['65000:100:10.200.0.0/24']?.[0]?.attrs.find((a) => a.type === 14)?.['nexthop'] ===
          '192.0.2.99',
      { what: 'GoBGP loses 10.100.0.0/24 again' },
    );
    expect(downs).toEqual([]);
  });
});

const HUNDRED_OUT = [
  { seq: 10, action: 'deny', match: { 'prefix-list': 'HUNDRED' } },
  { seq: 20, action: 'permit', set: { 'next-hop': '192.0.2.99' } },
];
