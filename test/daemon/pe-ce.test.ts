// eBGP PE-CE as operators run it (issue 14, point 4): CE routes enter the VRF and leave as VPN
// routes; VRF routes reach the CEs with the eBGP rules; as-override, allowas-in and site of origin;
// live reloads of those keys end where a fresh start on the final config does.

import { afterEach, describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/api/apply.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { soOFromText } from '../../src/wire/ext-community.js';
import type { PathAttribute } from '../../src/wire/types.js';
import { advertised, CE1, CE2, ce1Announces, CUSTOMER_AS, PE2, peCe } from '../config/keys-pece.js';
import { prefixes } from '../config/keys-scenarios.js';
import { load, updateOf, world, type RouteAttrs, type World } from '../config/keys-world.js';

let w: World | undefined;
afterEach(async () => {
  await w?.stop();
  w = undefined;
});

const start = async (c: ConfigInput) => (w = await world(c));

/** PE2 sends a VPN route for VRF CUST (RT 65000:1) with a MED, LOCAL_PREF and maybe an SoO. */
function pe2Sends(x: World, family: 'vpnv4' | 'vpnv6', prefix: string, soo?: string): void {
  const u = updateOf(family, [prefix], {
    rd: '65000:2',
    routeTargets: ['65000:1'],
    nextHop: '192.0.2.31',
    asPath: [CUSTOMER_AS],
  } satisfies RouteAttrs);
  const attrs: PathAttribute[] = [
    ...u.update.attributes.map((a) =>
      a.kind === 'ext-communities' && soo ? { ...a, values: [...a.values, soOFromText(soo)] } : a,
    ),
    { kind: 'med', flags: 0x80, value: 50 },
    { kind: 'local-pref', flags: 0x40, value: 200 },
  ];
  x.peer(PE2).events.update({ ...u, update: { ...u.update, attributes: attrs } });
  x.settle();
}

describe('an eBGP CE bound to a VRF', () => {
  it('its routes enter the VRF and leave as VPN routes with the RD, RTs and label', async () => {
    const x = await start(peCe());
    ce1Announces(x);
    expect(prefixes(x, 'ipv4', 'CUST')).toEqual(['10.1.0.0/24']);
    const vpn = advertised(x, PE2, 'vpnv4');
    expect(vpn).toMatchObject([
      { prefix: '10.1.0.0/24', rd: '65000:1', routeTargets: ['65000:1'], asPath: '65100' },
    ]);
    expect(vpn[0]?.localPref).toBe(100);
  });

  it('VPN routes reach it with our AS prepended, next hop self, no LOCAL_PREF, the MED kept', async () => {
    const x = await start(peCe());
    for (const a of [CE1, CE2, PE2]) x.peer(a).up();
    pe2Sends(x, 'vpnv4', '10.2.0.0/24');
    pe2Sends(x, 'vpnv6', '2001:db8:2::/48');
    const [r4] = advertised(x, CE1, 'ipv4');
    // FRR keeps the MED of a path imported into a VRF toward the VRF's eBGP peers (outbound.ts).
    expect(r4).toMatchObject({ prefix: '10.2.0.0/24', nextHop: '127.0.0.1', med: 50 });
    expect(r4?.asPath).toBe('65000 65100');
    expect(r4?.localPref).toBeNull();
    const [r6] = advertised(x, CE1, 'ipv6');
    expect(r6).toMatchObject({ prefix: '2001:db8:2::/48', asPath: '65000 65100', med: 50 });
    expect(r6?.localPref).toBeNull();
  });

  it('a route from one CE reaches another CE of the VRF without its MED (learned over eBGP)', async () => {
    const x = await start(peCe());
    for (const a of [CE1, CE2, PE2]) x.peer(a).up();
    const u = updateOf('ipv4', ['10.1.0.0/24'], { asPath: [CUSTOMER_AS], nextHop: '192.0.2.21' });
    const attributes = [...u.update.attributes, { kind: 'med' as const, flags: 0x80, value: 7 }];
    x.peer(CE1).events.update({ ...u, update: { ...u.update, attributes } });
    x.settle();
    const [r] = advertised(x, CE2, 'ipv4');
    expect(r).toMatchObject({ prefix: '10.1.0.0/24', nextHop: '127.0.0.1' });
    expect(r?.med).toBeNull();
    // Sent back to the CE it came from: never.
    expect(advertised(x, CE1, 'ipv4')).toEqual([]);
  });

  it('over an IPv6 session next hop self is the session IPv6 address', async () => {
    const x = await start(peCe());
    x.peer(CE1).up({ localAddress: '2001:db8::1', families: ['ipv6'] });
    x.peer(PE2).up();
    pe2Sends(x, 'vpnv6', '2001:db8:2::/48');
    expect(advertised(x, CE1, 'ipv6')[0]?.nextHop).toBe('2001:db8::1');
  });
});

describe('allowas-in', () => {
  const loops = async (allow: number | 'origin') => {
    const x = await start(peCe({ 'allowas-in': allow }));
    x.peer(CE1).up();
    x.peer(CE1).announce('ipv4', ['10.1.1.0/24'], { asPath: [CUSTOMER_AS, 65000] });
    x.peer(CE1).announce('ipv4', ['10.1.2.0/24'], { asPath: [CUSTOMER_AS, 65000, 65200] });
    x.peer(CE1).announce('ipv4', ['10.1.3.0/24'], { asPath: [CUSTOMER_AS, 65000, 65000] });
    x.settle();
    const got = prefixes(x, 'ipv4', 'CUST');
    await x.stop();
    w = undefined;
    return got;
  };

  it('N accepts our AS up to N times; origin only as the origin AS (RFC 4271 §9.1.2 relaxed)', async () => {
    expect(await loops(0)).toEqual([]);
    expect(await loops(1)).toEqual(['10.1.1.0/24', '10.1.2.0/24']);
    expect(await loops(2)).toEqual(['10.1.1.0/24', '10.1.2.0/24', '10.1.3.0/24']);
    expect(await loops('origin')).toEqual(['10.1.1.0/24', '10.1.3.0/24']);
  });
});

describe('site of origin', () => {
  it("a VPN route with a site's SoO is not sent to that site's CE, the other site gets it", async () => {
    const x = await start(peCe({ soo: '65100:1' }, { soo: '65100:2' }));
    for (const a of [CE1, CE2, PE2]) x.peer(a).up();
    pe2Sends(x, 'vpnv4', '10.3.0.0/24', '65100:1');
    expect(prefixes(x, 'ipv4', 'CUST')).toEqual(['10.3.0.0/24']);
    expect(advertised(x, CE1, 'ipv4')).toEqual([]);
    expect(advertised(x, CE2, 'ipv4').map((r) => r.prefix)).toEqual(['10.3.0.0/24']);
  });

  it("explain vrf says which CE is sent the route, and 'soo' for the one it came from", async () => {
    const x = await start(peCe({ soo: '65100:1' }, { soo: '65100:2', 'as-override': true }));
    ce1Announces(x);
    // Site 1 behind PE2 too: the VPN route carries its SoO.
    pe2Sends(x, 'vpnv4', '10.3.0.0/24', '65100:1');
    const e = x.service.explain('CUST', '10.3.0.0/24');
    expect(e.advertised).toEqual([
      { neighbor: CE1, sent: false, reason: 'soo' },
      { neighbor: CE2, sent: true, asPath: '65000 65000' },
    ]);
    expect(x.service.explain('CUST', '10.1.0.0/24').advertised).toEqual([
      { neighbor: CE1, sent: false, reason: 'its-own' },
      { neighbor: CE2, sent: true, asPath: '65000 65000' },
    ]);
    expect(e.steps).toContain(
      `to neighbor ${CE1}: not sent: soo (it carries the neighbor's site of origin: it came from that site)`,
    );
  });

  it('an SoO already on a received route stays; ours is added once', async () => {
    const x = await start(peCe({ soo: '65100:1' }));
    x.peer(CE1).up();
    x.peer(PE2).up();
    const u = updateOf('ipv4', ['10.1.0.0/24'], { asPath: [CUSTOMER_AS] });
    const ext: PathAttribute = {
      kind: 'ext-communities',
      flags: 0xc0,
      values: [soOFromText('65100:9'), soOFromText('65100:1')],
    };
    x.peer(CE1).events.update({
      ...u,
      update: { ...u.update, attributes: [...u.update.attributes, ext] },
    });
    x.settle();
    expect(advertised(x, PE2, 'vpnv4')[0]?.extCommunities).toEqual([
      'SoO:65100:9',
      'SoO:65100:1',
      'RT:65000:1',
    ]);
  });
});

describe('a live reload of the PE-CE keys', () => {
  const parsed = (c: ConfigInput) => {
    const r = load(c);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    return r.config;
  };

  /** What each neighbor holds after CE1 announces (and announces again: a route refresh's answer). */
  const state = (x: World) =>
    [CE1, CE2, PE2].map((a) =>
      ['ipv4', 'vpnv4'].flatMap((f) =>
        (x.d.peerByAddress(a)?.info?.families.includes(f as 'ipv4')
          ? advertised(x, a, f as 'ipv4')
          : []
        ).map((r) => `${r.prefix} ${r.asPath} ${r.extCommunities.join(',')}`),
      ),
    );

  it.each([
    ['as-override on', peCe(), peCe({}, { 'as-override': true })],
    ['as-override off', peCe({}, { 'as-override': true }), peCe()],
    ['soo on', peCe(), peCe({ soo: '65100:1' }, { soo: '65100:1' })],
    ['soo changed', peCe({ soo: '65100:1' }, { soo: '65100:1' }), peCe({ soo: '65100:2' })],
    ['allowas-in', peCe({}, { 'allowas-in': 1 }), peCe()],
  ])('%s: ends as a fresh start on the final config, no session reset', async (_, a, b) => {
    const fresh = await world(b);
    ce1Announces(fresh);
    const want = state(fresh);
    await fresh.stop();

    const x = await start(a);
    ce1Announces(x);
    const shells = [CE1, CE2, PE2].map((p) => x.peer(p));
    const r = applyConfig(x.d, parsed(a), parsed(b));
    expect(r.pending).toEqual([]);
    // The peers' answer to the route refresh a changed inbound key asks for.
    const refreshed = x.peer(CE1).sent.some((m) => m[18] === 5);
    if (refreshed) {
      x.peer(CE1).announce('ipv4', ['10.1.0.0/24'], { nextHop: '192.0.2.21' });
      x.settle();
    }
    expect(state(x)).toEqual(want);
    // The same sessions, still up: a reset would have made new shells.
    expect([CE1, CE2, PE2].map((p, i) => x.peer(p) === shells[i])).toEqual([true, true, true]);
    expect(shells.map((p) => p.state)).toEqual(['Established', 'Established', 'Established']);
  });
});
