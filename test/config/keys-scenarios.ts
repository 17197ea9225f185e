// Small configs and what to observe in them, shared by the entries of keys.test.ts: each entry
// varies one key of one of these and compares an observable (an OPEN, a table, what a peer was
// sent, a log event, a refusal).

import { expect, vi } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { negotiate } from '../../src/session/negotiate.js';
import { FAMILIES, type FamilyName } from '../../src/wire/afi.js';
import { buildOpen } from '../../src/wire/open.js';
import type { Capability, OpenMessage } from '../../src/wire/types.js';
import { load, ROUTER_ID, sentRoutes, world, type World } from './keys-world.js';

/** A key's check: throws (an expect) when the key does not change what it says. */
export type KeyCheck = (() => Promise<void> | void) | 'container';

export type Neighbor = NonNullable<ConfigInput['neighbors']>[number];
export type Vrf = NonNullable<ConfigInput['vrfs']>[string];
export type RouteMap = NonNullable<NonNullable<ConfigInput['policy']>['route-maps']>[string];

export const PEER = '127.0.0.11';
export const CLIENT = '127.0.0.12';

export const base = (extra: Partial<ConfigInput> = {}): ConfigInput => ({
  asn: 65000,
  'router-id': ROUTER_ID,
  ...extra,
});

/** One eBGP IPv4 neighbor (PEER, AS 65001) with `n` on top. */
export const oneNeighbor = (n: Partial<Neighbor> = {}, extra: Partial<ConfigInput> = {}) =>
  base({
    neighbors: [{ address: PEER, asn: 65001, families: ['ipv4'], ...n }],
    ...extra,
  });

/** Starts `c`, observes, stops. */
export async function observeIn<T>(c: ConfigInput, observe: (w: World) => T | Promise<T>) {
  const w = await world(c);
  try {
    return await observe(w);
  } finally {
    await w.stop();
  }
}

/** The observable differs between `a` and `b`; returns both for exact checks. */
export async function differs<T>(
  a: ConfigInput,
  b: ConfigInput,
  observe: (w: World) => T | Promise<T>,
): Promise<[T, T]> {
  const x = await observeIn(a, observe);
  const y = await observeIn(b, observe);
  expect(x).not.toEqual(y);
  return [x, y];
}

/** `a` loads and `b` is refused with a message matching `why`. */
export function refusedOnlyWith(a: ConfigInput, b: ConfigInput, why: RegExp): void {
  const ok = load(a);
  expect(ok.ok, ok.ok ? '' : ok.errors.join('\n')).toBe(true);
  const r = load(b);
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.errors.map(String).join('\n')).toMatch(why);
}

// --- Observables -------------------------------------------------------------------------------

export const open = (w: World, addr = PEER): OpenMessage => w.peer(addr).shell.fsm.localOpen;

export const caps = (w: World, addr = PEER): Capability[] =>
  open(w, addr).params.flatMap((p) => (p.kind === 'capabilities' ? p.capabilities : []));

export const grCap = (w: World, addr = PEER) =>
  caps(w, addr).find((c) => c.kind === 'graceful-restart');

/** The peer's OPEN (AS 65001, hold 90, IPv4 unicast, GR) as the session code would receive it. */
export function peerOpen(asn = 65001, holdTime = 90): OpenMessage {
  return buildOpen({
    asn,
    holdTime,
    bgpId: 0x0a0000fe,
    capabilities: [
      { kind: 'multiprotocol', ...FAMILIES.ipv4 },
      { kind: 'four-octet-as', asn },
    ],
  });
}

/** What the session code negotiates with the peer's OPEN: the keepalive interval we then send. */
export function keepaliveSent(w: World, addr = PEER): number {
  const s = w.peer(addr).shell.fsm;
  const r = negotiate(s.localOpen, peerOpen(), s.negotiation);
  if (!r.ok) throw new Error('negotiation refused');
  return r.negotiated.keepaliveTime;
}

/** Shell settings without its functions (transport and timers). */
export const shellSettings = (w: World, addr = PEER) => {
  const s = w.peer(addr).shell;
  return { ...s, fsm: { ...s.fsm, checkOpen: undefined, localOpen: undefined } };
};

export const prefixes = (w: World, family: FamilyName, view?: string) =>
  w.routes(family, view).map((r) => r.prefix);

// --- Route reflection: PEER (iBGP non-client) sends 10.9.0.0/24; CLIENT may get it reflected. ---

export const reflection = (
  client: Partial<Neighbor> = {},
  extra: Partial<ConfigInput> = {},
  peer: Partial<Neighbor> = {},
) =>
  base({
    neighbors: [
      { address: PEER, asn: 65000, families: ['ipv4'], ...peer },
      {
        address: CLIENT,
        asn: 65000,
        families: ['ipv4'],
        'route-reflector-client': true,
        ...client,
      },
    ],
    ...extra,
  });

export function reflected(w: World) {
  w.peer(PEER).up();
  w.peer(CLIENT).up();
  w.peer(PEER).announce('ipv4', ['10.9.0.0/24'], { nextHop: '192.0.2.1' });
  w.settle();
  return sentRoutes(w.peer(CLIENT)).filter((r) => r.prefix === '10.9.0.0/24');
}

// --- Leaking: VRF SRC exports 10.1.0.0/24 (RT 65000:1); VRF DST imports RT 65000:1. -----------

export const SRC_NET = {
  prefix: '10.1.0.0/24',
  communities: ['65000:5'],
  'large-communities': ['65000:5:5'],
};

export const leak = (
  src: Partial<Vrf> = {},
  dst: Partial<Vrf> = {},
  extra: Partial<ConfigInput> = {},
) =>
  base({
    vrfs: {
      SRC: {
        rd: '65000:1',
        label: 100,
        'route-targets': { import: [], export: ['65000:1'] },
        networks: [SRC_NET],
        ...src,
      },
      DST: {
        rd: '65000:2',
        label: 200,
        'route-targets': { import: ['65000:1'], export: ['65000:2'] },
        ...dst,
      },
    },
    ...extra,
  });

/** DST's IPv4 routes (what `show ip route vrf DST --json` lists), without volatile fields. */
export const dstRoutes = (w: World, view = 'DST') =>
  w.routes('ipv4', view).map((r) => ({
    prefix: r.prefix,
    source: r.source,
    best: r.best,
    localPref: r.localPref,
    med: r.med,
    communities: r.communities,
    largeCommunities: r.largeCommunities,
    routeTargets: r.routeTargets,
    nextHop: r.nextHop,
    asPath: r.asPath,
    weight: r.weight ?? 0,
  }));

/** DST imports through route map M (policy: `policy` with M added). */
export const throughMap = (m: RouteMap, policy: NonNullable<ConfigInput['policy']> = {}) =>
  leak({}, { 'import-map': 'M' }, { policy: { ...policy, 'route-maps': { M: m } } });

/** The VPN routes as exported (rd, label, next hop, route targets). */
export const vpnRoutes = (w: World) =>
  w.routes('vpnv4').map((r) => ({
    rd: r.rd,
    prefix: r.prefix,
    label: r.label,
    nextHop: r.nextHop,
    routeTargets: r.routeTargets,
  }));

// --- Graceful restart: how long stale routes stay after the session came back (fake timers). ---

/**
 * PEER (GR) sends 10.9.0.0/24, drops gracefully, comes back without End-of-RIB; after `seconds`
 * of (fake) time, is the stale route still there?
 */
export async function staleAfter(c: ConfigInput, seconds: number): Promise<boolean> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  try {
    return await observeIn(c, (w) => {
      const gr = { restartTime: 600, restarting: false, preserved: ['ipv4' as const] };
      const p = w.peer(PEER);
      p.up({ peerGracefulRestart: gr });
      p.announce('ipv4', ['10.9.0.0/24']);
      w.settle();
      p.down(true);
      w.settle();
      p.up({ peerGracefulRestart: { ...gr, restarting: true } });
      w.settle();
      vi.advanceTimersByTime(seconds * 1000);
      w.settle();
      return prefixes(w, 'ipv4').includes('10.9.0.0/24');
    });
  } finally {
    vi.useRealTimers();
  }
}
