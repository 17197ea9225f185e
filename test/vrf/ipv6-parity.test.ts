// IPv6 parity (issue 17): every leak pattern of examples/ behaves the same for IPv6 and VPNv6 as
// for IPv4 and VPNv4. Each example's addresses are mapped into 2001:db8::/32 by the map of
// interop/vrf/map-v6.ts, which keeps containment (prefix-list ge/le +32), then run three ways: IPv4 alone, IPv6 alone and dual-stack (both in one config). Every
// VRF table, the VPN tables, the default table and the leak conflicts of the IPv6 run must be the
// IPv4 run's, mapped; the dual-stack run must hold exactly both; the leak invariants hold in all.

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Speaker } from '../../src/api/library.js';
import type { RouteView } from '../../src/daemon/views.js';
import { mapAddress, mapPrefix } from '../../interop/vrf/map-v6.js';

const dir = new URL('../../examples/', import.meta.url);
const examples = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') && !f.endsWith('-v6.yaml'))
  .sort();

const IPV4 = /^\d+\.\d+\.\d+\.\d+$/;
const mapNh = (v: string | null | undefined): string | null | undefined =>
  typeof v === 'string' && IPV4.test(v) ? mapAddress(v) : v;

type Obj = Record<string, unknown>;
type Network = string | Obj;

const mapNetwork = (n: Network): Network =>
  typeof n === 'string'
    ? mapPrefix(n)
    : {
        ...n,
        prefix: mapPrefix(String(n['prefix'])),
        ...(n['next-hop'] === undefined ? {} : { 'next-hop': mapNh(String(n['next-hop'])) }),
      };

/** The IPv6 version of an example's VRFs, networks and prefix lists (sessions left out). */
function mapConfig(c: Obj): Obj {
  const vrfs: Obj = {};
  for (const [name, v] of Object.entries((c['vrfs'] ?? {}) as Record<string, Obj>)) {
    const statics = (v['static-routes'] ?? []) as Obj[];
    const ifs = (v['interfaces'] ?? []) as Obj[];
    vrfs[name] = {
      ...v,
      networks: ((v['networks'] ?? []) as Network[]).map(mapNetwork),
      interfaces: ifs.map((i) => ({ ...i, address: mapPrefix(String(i['address'])) })),
      'static-routes': statics.map((s) => ({
        ...s,
        prefix: mapPrefix(String(s['prefix'])),
        'next-hop': mapNh(String(s['next-hop'])),
      })),
    };
  }
  const lists: Obj = {};
  const policy = (c['policy'] ?? {}) as Obj;
  for (const [name, entries] of Object.entries(
    (policy['prefix-lists'] ?? {}) as Record<string, Obj[]>,
  )) {
    lists[name] = entries.map((e) => ({
      ...e,
      prefix: mapPrefix(String(e['prefix'])),
      ...(e['ge'] === undefined ? {} : { ge: Number(e['ge']) + 32 }),
      ...(e['le'] === undefined ? {} : { le: Number(e['le']) + 32 }),
    }));
  }
  return {
    ...c,
    networks: ((c['networks'] ?? []) as Network[]).map(mapNetwork),
    policy: { ...policy, 'prefix-lists': lists },
    vrfs,
  };
}

/** IPv4 and IPv6 in one config: every list of the two versions concatenated. */
function dualConfig(v4: Obj, v6: Obj): Obj {
  const cat = (a: unknown, b: unknown) => [
    ...((a ?? []) as unknown[]),
    ...((b ?? []) as unknown[]),
  ];
  const vrfs: Obj = {};
  for (const [name, a] of Object.entries(v4['vrfs'] as Record<string, Obj>)) {
    const b = (v6['vrfs'] as Record<string, Obj>)[name] ?? {};
    vrfs[name] = {
      ...a,
      networks: cat(a['networks'], b['networks']),
      interfaces: cat(a['interfaces'], b['interfaces']),
      'static-routes': cat(a['static-routes'], b['static-routes']),
    };
  }
  const lists: Obj = {};
  const l4 = (((v4['policy'] ?? {}) as Obj)['prefix-lists'] ?? {}) as Record<string, Obj[]>;
  const l6 = (((v6['policy'] ?? {}) as Obj)['prefix-lists'] ?? {}) as Record<string, Obj[]>;
  for (const name of Object.keys(l4)) {
    // Each IPv6 entry right after its IPv4 one: the lists keep their order within a family.
    lists[name] = cat(
      l4[name],
      (l6[name] ?? []).map((e) => ({ ...e, seq: Number(e['seq']) + 1 })),
    );
  }
  return {
    ...v4,
    networks: cat(v4['networks'], v6['networks']),
    policy: { ...((v4['policy'] ?? {}) as Obj), 'prefix-lists': lists },
    vrfs,
  };
}

/** What a route must keep across the families, with IPv4 addresses mapped when `map`. */
function shape(r: RouteView, map: boolean): string {
  return JSON.stringify({
    prefix: map ? mapPrefix(r.prefix) : r.prefix,
    nextHop: map ? mapNh(r.nextHop) : r.nextHop,
    source: r.source,
    best: r.best,
    fib: r.fib,
    fromVrf: r.fromVrf,
    nextHopVrf: r.nextHopVrf,
    rd: r.rd,
    label: r.label,
    routeTargets: r.routeTargets,
    localPref: r.localPref,
    med: r.med,
    asPath: r.asPath,
    origin: r.origin,
  });
}

interface Tables {
  v4: Record<string, string[]>;
  v6: Record<string, string[]>;
}

/** Every table of a speaker split by family, as sorted shapes; `map` maps the IPv4 side. */
function tables(s: Speaker, vrfs: readonly string[], map: boolean): Tables {
  const sorted = (rs: RouteView[], m: boolean) => rs.map((r) => shape(r, m)).sort();
  const out: Tables = { v4: {}, v6: {} };
  out.v4['vpn'] = sorted(s.routes('vpnv4'), map);
  out.v6['vpn'] = sorted(s.routes('vpnv6'), false);
  out.v4['default'] = sorted(s.routes('ipv4'), map);
  out.v6['default'] = sorted(s.routes('ipv6'), false);
  for (const v of vrfs) {
    out.v4[`vrf ${v}`] = sorted(s.vrfRoutes(v, 'ipv4'), map);
    out.v6[`vrf ${v}`] = sorted(s.vrfRoutes(v, 'ipv6'), false);
  }
  const conflicts = s.leakConflicts().map((c) => ({ ...c, v6: c.prefix.includes(':') }));
  const cshape = (c: (typeof conflicts)[number], m: boolean) =>
    `${c.vrf} ${m ? mapPrefix(c.prefix) : c.prefix} ${shape(c.winner, m)} ${c.losers.map((l) => shape(l, m)).join(',')}`;
  out.v4['conflicts'] = conflicts
    .filter((c) => !c.v6)
    .map((c) => cshape(c, map))
    .sort();
  out.v6['conflicts'] = conflicts
    .filter((c) => c.v6)
    .map((c) => cshape(c, false))
    .sort();
  return out;
}

const speakers: Speaker[] = [];
afterAll(async () => {
  for (const s of speakers) await s.stop();
});

async function start(config: Obj): Promise<Speaker> {
  const s = await Speaker.start(config as Parameters<typeof Speaker.start>[0]);
  speakers.push(s);
  return s;
}

/** Polls until `read` equals `want` (the engine settles in the commits after start), then asserts. */
async function settlesTo<T>(s: Speaker, read: () => T, want: () => T, what: string): Promise<void> {
  await s
    .waitFor(() => JSON.stringify(read()) === JSON.stringify(want()), { timeoutMs: 3_000, what })
    .catch(() => undefined);
  expect(read(), what).toEqual(want());
}

describe.each(examples)('IPv6 parity: examples/%s', (file) => {
  const text = readFileSync(new URL(file, dir), 'utf8');
  const full = parse(text.split('# Expected')[0] ?? text) as Obj;
  // Sessions and the API are not what is compared here.
  const { neighbors: _n, listen: _l, api: _a, log: _g, ...v4 } = full;
  const v6 = mapConfig(v4);
  const vrfs = Object.keys((v4['vrfs'] ?? {}) as Obj);

  it('the IPv6 run holds the IPv4 run, mapped: VRF tables, VPN tables, default table, conflicts', async () => {
    const [s4, s6] = await Promise.all([start(v4), start(v6)]);
    await s4.waitFor((s) => s.leakInvariants().length === 0, { what: 'v4 invariants' });
    await settlesTo(
      s6,
      () => tables(s6, vrfs, false).v6,
      () => tables(s4, vrfs, true).v4,
      file,
    );
    expect(s6.routes('vpnv6').length).toBeGreaterThan(0);
    expect(s4.leakInvariants()).toEqual([]);
    expect(s6.leakInvariants()).toEqual([]);
  });

  it('dual-stack: each family holds what it holds alone', async () => {
    const [s4, s6, dual] = await Promise.all([start(v4), start(v6), start(dualConfig(v4, v6))]);
    await settlesTo(
      dual,
      () => tables(dual, vrfs, false).v4,
      () => tables(s4, vrfs, false).v4,
      `${file} v4`,
    );
    await settlesTo(
      dual,
      () => tables(dual, vrfs, false).v6,
      () => tables(s6, vrfs, false).v6,
      `${file} v6`,
    );
    expect(dual.leakInvariants()).toEqual([]);
  });
});
