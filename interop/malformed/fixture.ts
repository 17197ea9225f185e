// The bench every malformed-input file runs on: vrfleak in this process (the receiver), one real
// gobgpd peering with it (the bystander: its session and routes must be untouched, and it shows
// what vrfleak propagates), and injector neighbors on their own loopback addresses. Malformed
// traffic only ever goes to vrfleak.

import { expect } from 'vitest';
import { Speaker, type RouteView } from '../../src/api/library.js';
import type { FamilyName } from '../../src/wire/afi.js';
import {
  startGobgp,
  waitUntil,
  type GobgpHandle,
  type GobgpPathJson,
  type Scenario,
} from '../harness/index.js';
import type { Injector, InjectorOptions } from './injector.js';

export const VRFLEAK_AS = 65000;
export const GOBGP_AS = 65001;
export const EBGP_AS = 65002;
/** The route GoBGP originates: it must stay in vrfleak's table through every case. */
export const BYSTANDER = '10.99.0.0/24';

export interface Bench {
  readonly speaker: Speaker;
  readonly gobgp: GobgpHandle;
  readonly ip: { vrfleak: string; gobgp: string; ebgp: string; ibgp: string; limited: string };
  /** Injector options for the eBGP (AS 65002) and iBGP (AS 65000) neighbors. */
  readonly ebgp: InjectorOptions;
  readonly ibgp: InjectorOptions;
  /** A neighbor with max-prefix 2 (ipv4). */
  readonly limited: InjectorOptions;
  /** When vrfleak's session with GoBGP came up: any later value means it was reset. */
  readonly gobgpUpSince: number;
}

export async function startBench(sc: Scenario): Promise<Bench> {
  const ip = {
    vrfleak: sc.nextAddress(),
    gobgp: sc.nextAddress(),
    ebgp: sc.nextAddress(),
    ibgp: sc.nextAddress(),
    limited: sc.nextAddress(),
  };
  const families: ('ipv4' | 'vpnv4')[] = ['ipv4', 'vpnv4'];
  const injector = (address: string, asn: number) => ({
    address,
    asn,
    families,
    passive: true,
    'connect-retry': 1,
  });
  const speaker = await Speaker.start({
    asn: VRFLEAK_AS,
    'router-id': ip.vrfleak,
    listen: { address: ip.vrfleak, port: 179 },
    neighbors: [
      { address: ip.gobgp, asn: GOBGP_AS, families, passive: true, 'connect-retry': 1 },
      injector(ip.ebgp, EBGP_AS),
      injector(ip.ibgp, VRFLEAK_AS),
      { ...injector(ip.limited, EBGP_AS), families: ['ipv4'], 'max-prefix': { limit: 2 } },
    ],
  });
  // GoBGP treats a loopback next hop as invalid (treat-as-withdraw), and vrfleak's next-hop-self
  // is its loopback session address. The daemon has a per-neighbor next-hop-address option that
  // the config schema does not expose yet: set it before GoBGP connects (vrfleak is passive).
  const g = speaker.daemon.peers.get(ip.gobgp);
  if (g) (g.opts as { nextHopAddress?: string }).nextHopAddress = '192.0.2.100';
  const gobgp = await startGobgp({
    parentDir: sc.dir,
    asn: GOBGP_AS,
    routerId: ip.gobgp,
    address: ip.gobgp,
    neighbors: [{ address: ip.vrfleak, asn: VRFLEAK_AS, families }],
  });
  await gobgp.waitEstablished(ip.vrfleak);
  await gobgp.globalRibAdd('ipv4', BYSTANDER, ['nexthop', '192.0.2.99']);
  await speaker.waitFor((s) => s.routes('ipv4').some((r) => r.prefix === BYSTANDER), {
    what: `vrfleak has GoBGP's ${BYSTANDER}`,
  });
  const base = { host: ip.vrfleak, port: 179 };
  return {
    speaker,
    gobgp,
    ip,
    ebgp: { ...base, localAddress: ip.ebgp, asn: EBGP_AS, families },
    ibgp: { ...base, localAddress: ip.ibgp, asn: VRFLEAK_AS, families },
    limited: { ...base, localAddress: ip.limited, asn: EBGP_AS, families: ['ipv4'] },
    gobgpUpSince: speaker.daemon.peers.get(ip.gobgp)?.establishedAt ?? -1,
  };
}

/** vrfleak's paths for a prefix from one peer. */
export function pathsFrom(b: Bench, family: FamilyName, prefix: string, peer: string): RouteView[] {
  return b.speaker.routes(family).filter((r) => r.prefix === prefix && r.peer === peer);
}

export async function waitPath(
  b: Bench,
  family: FamilyName,
  prefix: string,
  peer: string,
  accept: (r: RouteView) => boolean = () => true,
  what = `vrfleak has ${prefix} from ${peer}`,
): Promise<RouteView> {
  return b.speaker.waitFor(() => pathsFrom(b, family, prefix, peer).find(accept), {
    what,
    timeoutMs: 5_000,
    intervalMs: 20,
  });
}

export async function waitGone(
  b: Bench,
  family: FamilyName,
  prefix: string,
  peer: string,
): Promise<void> {
  await b.speaker.waitFor(() => pathsFrom(b, family, prefix, peer).length === 0, {
    what: `${prefix} from ${peer} withdrawn`,
    timeoutMs: 5_000,
    intervalMs: 20,
  });
}

/** GoBGP's paths for an IPv4 prefix (what vrfleak propagated). */
export async function gobgpPath(b: Bench, prefix: string): Promise<GobgpPathJson> {
  const rib = await waitUntil(
    () => b.gobgp.globalRib('ipv4'),
    (r) => (r[prefix] ?? []).length > 0,
    { what: `GoBGP has ${prefix}`, timeoutMs: 10_000, intervalMs: 100 },
  );
  return rib[prefix]![0]!;
}

/** The bystander: GoBGP's session never reset and its route still in vrfleak. */
export function expectBystanderUntouched(b: Bench): void {
  const p = b.speaker.daemon.peers.get(b.ip.gobgp);
  expect(p?.shell.state).toBe('Established');
  expect(p?.establishedAt).toBe(b.gobgpUpSince);
  expect(b.speaker.routes('ipv4').some((r) => r.prefix === BYSTANDER)).toBe(true);
}

/** A session that is still up: no NOTIFICATION, socket open, vrfleak says Established. */
export function expectSessionUp(b: Bench, inj: Injector): void {
  expect(inj.notification).toBeUndefined();
  expect(inj.closed).toBe(false);
  expect(b.speaker.neighbor(inj.opts.localAddress)?.state).toBe('Established');
}

// ---------------------------------------------------------------------------------------------
// UPDATE bodies. The malformed octets of each case are written out literally in the tests; these
// helpers only add the length fields around them.

/** One path attribute: flags, type, a 1-octet length (2 octets when flags has 0x10), value. */
export function attr(flags: number, code: number, value: string): string {
  const v = value.replace(/[\s|]+/g, '');
  const len = v.length / 2;
  const l = flags & 0x10 ? len.toString(16).padStart(4, '0') : len.toString(16).padStart(2, '0');
  return flags.toString(16).padStart(2, '0') + code.toString(16).padStart(2, '0') + l + v;
}

/** An UPDATE body: withdrawn routes, the attributes (concatenated hex), NLRI. */
export function body(attrs: readonly string[], nlri = '', withdrawn = ''): string {
  const w = withdrawn.replace(/[\s|]+/g, '');
  const a = attrs.join('').replace(/[\s|]+/g, '');
  const n = nlri.replace(/[\s|]+/g, '');
  const u16 = (x: number) => x.toString(16).padStart(4, '0');
  return u16(w.length / 2) + w + u16(a.length / 2) + a + n;
}

/** IPv4 NLRI text -> wire (length octet + significant octets), e.g. '10.1.2.0/24' -> 180a0102. */
export function v4(prefix: string): string {
  const [addr, len] = prefix.split('/') as [string, string];
  const n = Number(len);
  const octs = addr
    .split('.')
    .slice(0, Math.ceil(n / 8))
    .map((x) => Number(x).toString(16).padStart(2, '0'));
  return n.toString(16).padStart(2, '0') + octs.join('');
}

export const ORIGIN_IGP = attr(0x40, 1, '00');
export const NH_192_0_2_1 = attr(0x40, 3, 'c0000201');
/** AS_PATH of the eBGP injector: AS_SEQUENCE (2), 1 AS, 65002 (0000fdea), 4-octet session. */
export const ASPATH_EBGP = attr(0x40, 2, '02 01 0000fdea');
export const ASPATH_EMPTY = attr(0x40, 2, '');
/** A sound eBGP IPv4 UPDATE for `prefix` with MED `med` (4 octets) and `extra` attributes. */
export function goodEbgp(prefix: string, med = 0, extra: readonly string[] = []): string {
  const m = attr(0x80, 4, med.toString(16).padStart(8, '0'));
  return body([ORIGIN_IGP, ASPATH_EBGP, NH_192_0_2_1, m, ...extra], v4(prefix));
}
