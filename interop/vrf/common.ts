// Helpers shared by the VRF leak scenarios: reading GoBGP's VRF and VPN tables by prefix, and the
// leak invariant check every scenario runs after every change.

import { expect } from 'vitest';
import type { Speaker } from '../../src/api/library.js';
import type { Family, GobgpHandle, GobgpPathJson, GobgpRibJson } from '../harness/index.js';
import { waitUntil } from '../harness/index.js';

/** Every path of a GoBGP table JSON, flattened. */
export function paths(rib: GobgpRibJson): GobgpPathJson[] {
  return Object.values(rib).flat();
}

/** The prefixes in a GoBGP table (VRF or global), sorted, without duplicates. */
export function prefixesOf(rib: GobgpRibJson): string[] {
  return [...new Set(paths(rib).map((p) => p.nlri.prefix))].sort();
}

/** The RD of a GoBGP VPN path as text (`admin:assigned`). */
export function rdOf(p: GobgpPathJson): string {
  return p.nlri.rd ? `${String(p.nlri.rd.admin)}:${p.nlri.rd.assigned}` : '';
}

/** GoBGP path attribute by type code. */
export function attrOf(p: GobgpPathJson | undefined, type: number): Record<string, unknown> {
  return (p?.attrs.find((a) => a.type === type) ?? {}) as Record<string, unknown>;
}

/** The AS numbers of a GoBGP path's AS_PATH, in order. */
export function asnsOf(p: GobgpPathJson | undefined): number[] {
  const segs = attrOf(p, 2)['as_paths'] as { asns: number[] }[] | undefined;
  return (segs ?? []).flatMap((s) => s.asns);
}

/** RT values (`A:B`) of a GoBGP path. */
export function rtsOf(p: GobgpPathJson | undefined): string[] {
  const v = attrOf(p, 16)['value'] as { subtype: number; value: string }[] | undefined;
  return (v ?? []).filter((e) => e.subtype === 2).map((e) => e.value);
}

/** The path for `rd` + `prefix` in GoBGP's VPN table, if there. */
export function vpnPath(rib: GobgpRibJson, rd: string, prefix: string): GobgpPathJson | undefined {
  return paths(rib).find((p) => p.nlri.prefix === prefix && rdOf(p) === rd);
}

/** Polls a GoBGP VRF until `accept` holds for its prefix list. */
export async function waitVrf(
  g: GobgpHandle,
  vrf: string,
  accept: (prefixes: string[]) => boolean,
  what: string,
  family: 'ipv4' | 'ipv6' = 'ipv4',
): Promise<string[]> {
  const rib = await waitUntil(
    () => g.vrfRib(vrf, family),
    (r) => accept(prefixesOf(r)),
    { what: `${g.name} vrf ${vrf}: ${what}`, timeoutMs: 15_000 },
  );
  return prefixesOf(rib);
}

/** Polls GoBGP's global table of `family` until `accept` holds. */
export async function waitGlobal(
  g: GobgpHandle,
  family: Family,
  accept: (rib: GobgpRibJson) => boolean,
  what: string,
): Promise<GobgpRibJson> {
  return waitUntil(() => g.globalRib(family), accept, {
    what: `${g.name} ${family}: ${what}`,
    timeoutMs: 15_000,
  });
}

/** The invariant checker (src/vrf/invariants.ts) after a change: nothing unjustified, nothing stale. */
export async function invariantsHold(s: Speaker): Promise<void> {
  // A change may still be in the daemon's commit queue; wait for a clean answer, then assert it.
  await s
    .waitFor((x) => x.leakInvariants().length === 0, { timeoutMs: 5_000, what: 'leak invariants' })
    .catch(() => undefined);
  expect(s.leakInvariants()).toEqual([]);
}

/** Prefixes (best routes) of a vrfleak VRF's `family` table, sorted. */
export function vrfPrefixes(s: Speaker, vrf: string, family: 'ipv4' | 'ipv6' = 'ipv4'): string[] {
  return [
    ...new Set(
      s
        .vrfRoutes(vrf, family)
        .filter((r) => r.best)
        .map((r) => r.prefix),
    ),
  ].sort();
}
