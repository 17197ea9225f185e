// What the fault scenarios compare: the keys ("RD:prefix", GoBGP's spelling) of the routes a load
// peer announces, computed from the load shape alone (bench/routes.ts's numbering: route i lives
// under RD admin:(i div perRd) with prefix 10.0.0.0/24 + (i mod perRd)), never read back from
// vrfleak; and the same keys as vrfleak's tables and a watcher GoBGP hold them.

import type { RouteView, Speaker } from '../../src/api/library.js';
import { waitUntil, type GobgpHandle } from '../harness/index.js';
import { perRd, type LoadShape } from '../../bench/routes.js';

export function prefixOf(p: number): string {
  const a = 0x0a000000 + p * 256;
  return `${a >>> 24}.${(a >>> 16) & 0xff}.${(a >>> 8) & 0xff}.0/24`;
}

/** The "admin:n:prefix" keys of routes [from, to) of a load shape. */
export function loadKeys(s: LoadShape, admin: number, from = 0, to = s.routes): string[] {
  const per = perRd(s);
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(`${admin}:${Math.floor(i / per)}:${prefixOf(i % per)}`);
  return out;
}

const key = (r: RouteView): string => `${r.rd ?? '-'}:${r.prefix}`;

/** vrfleak's VPNv4 paths learned from `peer`, as sorted keys. */
export function vpnKeysFrom(speaker: Speaker, peer: string): string[] {
  return speaker
    .routes('vpnv4')
    .filter((r) => r.peer === peer)
    .map(key)
    .sort();
}

/**
 * Waits until vrfleak's VPNv4 paths from each peer are exactly `want[peer]` (sorted keys). The
 * speaker runs in the test's own process, so a poll competes with the load it waits for: the
 * neighbors' received-prefix counts are polled first (cheap), and the key lists (a view of every
 * route, built and sorted: about a second per 100k routes on a loaded machine) only once the
 * counts agree. A timeout names the first differences.
 */
export async function waitForPeerKeys(
  speaker: Speaker,
  want: Readonly<Record<string, readonly string[]>>,
  what: string,
  timeoutMs = 60_000,
): Promise<void> {
  const peers = Object.keys(want);
  const counts = (): string =>
    peers
      .map((p) => `${p}: ${speaker.neighbor(p)?.prefixesReceived['vpnv4'] ?? 0}/${want[p]!.length}`)
      .join(', ');
  const countsMatch = (): boolean =>
    peers.every((p) => (speaker.neighbor(p)?.prefixesReceived['vpnv4'] ?? 0) === want[p]!.length);
  await waitUntil(async () => counts(), countsMatch, {
    what: `${what}: received-prefix counts`,
    timeoutMs,
    intervalMs: 250,
  });
  const diff = async (): Promise<true | string> => {
    for (const p of peers) {
      const same = sameKeys(vpnKeysFrom(speaker, p), want[p]!);
      if (same !== true) return `${p}: ${same}`;
    }
    return true;
  };
  await waitUntil(diff, (d) => d === true, { what, timeoutMs: 30_000, intervalMs: 1_000 });
}

/** vrfleak's best VPNv4 routes, as sorted keys. */
export function bestVpnKeys(speaker: Speaker): string[] {
  return speaker
    .routes('vpnv4')
    .filter((r) => r.best)
    .map(key)
    .sort();
}

/**
 * The VPNv4 keys a GoBGP holds as best paths, sorted. From the text table, not `-j`: GoBGP 3.10's
 * JSON repeats, in every path's MP_REACH attribute, all the NLRI of the UPDATE it came in (2k
 * routes make 44 MB, 25k make 200 MB and take seconds). A text line is `*> RD:prefix [labels] ...`.
 */
export async function gobgpVpnKeysText(g: GobgpHandle): Promise<string[]> {
  const text = await g.cli(['global', 'rib', '-a', 'vpnv4']);
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('*>')) out.push(line.slice(2).trim().split(/\s+/)[0]!);
  }
  return out.sort();
}

/** Sorted copy. */
export const sorted = (keys: readonly string[]): string[] => [...keys].sort();

/** Equality of two sorted key lists, with a short description of the first differences. */
export function sameKeys(a: readonly string[], b: readonly string[]): true | string {
  if (a.length === b.length && a.every((k, i) => k === b[i])) return true;
  const bs = new Set(b);
  const as = new Set(a);
  const onlyA = a.filter((k) => !bs.has(k));
  const onlyB = b.filter((k) => !as.has(k));
  return `${a.length} vs ${b.length}; only left: ${onlyA.slice(0, 3).join(' ')} (${onlyA.length}); only right: ${onlyB.slice(0, 3).join(' ')} (${onlyB.length})`;
}

/** Above this many routes the key list is not fetched (see gobgpVpnKeysText): counts only. */
export const EXACT_LIMIT = 5_000;

/**
 * The watcher's view to compare with `best` (sorted keys): the exact key list for small tables;
 * for large ones GoBGP's counts of destinations and paths (`summary`), which must both equal the
 * number of best routes (one path each: vrfleak sends only its best).
 */
export async function watcherMatches(
  g: GobgpHandle,
  best: readonly string[],
): Promise<true | string> {
  if (best.length <= EXACT_LIMIT) return sameKeys(await gobgpVpnKeysText(g), best);
  const s = await g.json<{ num_destination?: number; num_path?: number }>([
    'global',
    'rib',
    '-a',
    'vpnv4',
    'summary',
  ]);
  return s.num_destination === best.length && s.num_path === best.length
    ? true
    : `${s.num_destination ?? 0} destinations, ${s.num_path ?? 0} paths vs ${best.length} best`;
}
