// vrfleak export loaded into the real daemons. The four-VRF example (examples/four-vrf.yaml) is
// rendered for each target and compared with vrfleak running the same config in-process:
// - GoBGP: after the same VPN input (a VPN route another PE would send, and each VRF's own routes
//   added as the output says), every GoBGP VRF holds the routes vrfleak's VRF holds.
// - FRR (bgpd -Z): every VPN route vrfleak exports, FRR exports too, with the same RD, route
//   targets and label (the example gives every VRF a fixed label; `label vpn export auto` would be
//   FRR's own choice, and then only its presence could be compared).
// - BIRD 2.0.12: the output parses (`bird -p`) and, BIRD having no l3vpn protocol, its VRF tables
//   hold what vrfleak's hold from the leaks between the router's own VRFs.

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import { TARGETS } from '../../src/translate/export.js';
import { assertPeersOrFail, startBird, startFrr, startGobgp, waitFor } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd', 'bgpd', 'bird']);
const file = new URL('../../examples/four-vrf.yaml', import.meta.url);
const text = readFileSync(file, 'utf8');
const config = (): Config => {
  const r = loadConfig(text, 'four-vrf.yaml');
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
};
const VRFS = ['SHARED', 'RED', 'BLUE', 'GREEN'];
/** The VPN input both get: one route for SHARED's customers, one nobody imports. */
const INPUT = [
  { prefix: '10.50.0.0/24', rd: '65099:1', rt: '65000:100', label: 500 },
  { prefix: '10.60.0.0/24', rd: '65099:2', rt: '65099:9', label: 600 },
];

describe.skipIf(peers.skip)(peers.title('vrfleak export into GoBGP, FRR and BIRD'), () => {
  const sc = useScenario(import.meta.url);
  let sp: Speaker;

  beforeAll(async () => {
    const c = structuredClone(config()) as unknown as Record<string, unknown>;
    delete c.listen;
    delete c.api;
    sp = await Speaker.start(c as never);
    for (const r of INPUT)
      sp.announce('vpnv4', {
        prefix: r.prefix,
        rd: r.rd,
        routeTargets: [r.rt],
        label: r.label,
        nextHop: '192.0.2.50',
      });
    await sp.waitFor((s) => s.vrfRoutes('SHARED').length >= 3 || undefined, {
      what: 'vrfleak settled',
    });
  });
  afterAll(async () => {
    await sp?.stop();
  });

  const vrfleakVrf = (v: string) =>
    sp
      .vrfRoutes(v)
      .filter((r) => r.best)
      .map((r) => r.prefix)
      .sort();

  it("GoBGP: each VRF holds the routes vrfleak's VRF holds for the same VPN input", async () => {
    const out = TARGETS.gobgp!(config());
    expect(out.text).toContain('# What GoBGP 3 cannot express');
    const g = await startGobgp({
      name: 'gobgp',
      parentDir: sc.dir,
      asn: 65000,
      routerId: '10.0.0.1',
      address: sc.nextAddress(),
      configToml: out.text,
    });
    // The VRFs' own routes, as the output lists them (GoBGP takes them through its API).
    const own = new Map<string, string[]>();
    for (const m of out.text.matchAll(/^#\s+gobgp vrf (\S+) rib add (\S+)$/gm)) {
      await g.vrfRibAdd(m[1]!, m[2]!, ['nexthop', '192.0.2.1']);
      own.set(m[1]!, [...(own.get(m[1]!) ?? []), m[2]!]);
    }
    for (const r of INPUT)
      await g.globalRibAdd('vpnv4', r.prefix, [
        'label',
        String(r.label),
        'rd',
        r.rd,
        'rt',
        r.rt,
        'nexthop',
        '192.0.2.50',
      ]);
    // `gobgp vrf NAME rib` lists the VPN paths the VRF imports (keys RD:prefix); the VRF's own
    // routes sit in the global VPN table under its RD and show there only if it imports its own RT.
    const gobgpVrf = async (v: string) => {
      const imported = Object.keys(await g.vrfRib(v)).map((k) => k.slice(k.lastIndexOf(':') + 1));
      return [...new Set([...imported, ...(own.get(v) ?? [])])].sort();
    };
    for (const v of VRFS) {
      await waitFor(
        async () => JSON.stringify(await gobgpVrf(v)) === JSON.stringify(vrfleakVrf(v)),
        { timeoutMs: 10_000, what: `GoBGP VRF ${v}` },
      ).catch(() => undefined);
      expect({ vrf: v, routes: await gobgpVrf(v) }).toEqual({ vrf: v, routes: vrfleakVrf(v) });
    }
  });

  it("FRR: the exported VPN routes carry the same RDs, route targets and labels as vrfleak's", async () => {
    const out = TARGETS.frr!(config());
    const f = await startFrr({
      name: 'frr',
      parentDir: sc.dir,
      address: sc.nextAddress(),
      port: 0,
      config: out.text,
    });
    // The VPN routes vrfleak's VRFs export (not the injected input).
    const rds = new Set(Object.values(config().vrfs).map((v) => v.rd));
    const ours = sp.routes('vpnv4').filter((r) => r.best && rds.has(r.rd ?? ''));
    expect(ours.length).toBe(4);
    for (const r of ours) {
      type Detail = Record<
        string,
        {
          prefix?: string;
          paths?: Array<{ extendedCommunity?: { string: string }; remoteLabel?: number }>;
        }
      >;
      let path: NonNullable<Detail[string]['paths']>[number] | undefined;
      await waitFor(
        async () => {
          const j = await f.json<Detail>(`show bgp ipv4 vpn rd ${r.rd} ${r.prefix} json`);
          path = j[r.rd!]?.paths?.[0];
          return path !== undefined;
        },
        { timeoutMs: 10_000, what: `FRR exports ${r.rd} ${r.prefix}` },
      );
      const rts = (path!.extendedCommunity?.string ?? '')
        .split(' ')
        .filter((x) => x.startsWith('RT:'))
        .map((x) => x.slice(3))
        .sort();
      expect({ rd: r.rd, prefix: r.prefix, rts, label: path!.remoteLabel }).toEqual({
        rd: r.rd,
        prefix: r.prefix,
        rts: [...r.routeTargets].sort(),
        label: r.label,
      });
    }
  });

  it("BIRD: the output parses, and the VRF tables hold what vrfleak's hold from local leaks", async () => {
    const out = TARGETS.bird!(config());
    expect(out.notes[0]).toMatch(/no l3vpn protocol/);
    const conf = join(sc.subdir('bird-parse'), 'bird.conf');
    writeFileSync(conf, out.text);
    execFileSync('bird', ['-p', '-c', conf]);
    const b = await startBird({
      name: 'bird',
      parentDir: sc.dir,
      address: sc.nextAddress(),
      config: out.text,
    });
    // vrfleak's VRFs minus what came from the VPN input (BIRD cannot take VPN routes into a VRF).
    const local = (v: string) => vrfleakVrf(v).filter((p) => !INPUT.some((i) => i.prefix === p));
    for (const v of VRFS) {
      const birdVrf = async () =>
        [...new Set((await b.routes(`t4_${v}`)).map((r) => r.prefix))].sort();
      await waitFor(async () => JSON.stringify(await birdVrf()) === JSON.stringify(local(v)), {
        timeoutMs: 10_000,
        what: `BIRD table of ${v}`,
      }).catch(() => undefined);
      expect({ vrf: v, routes: await birdVrf() }).toEqual({ vrf: v, routes: local(v) });
    }
  });
});
