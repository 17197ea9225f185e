// Binding a VRF's interfaces to its table, two ways. Where the kernel has the `vrf` link type, a vrf
// device per VRF (table N) and the interfaces enslaved to it: the kernel then looks up the VRF's
// table for what arrives on them and keeps the router's own addresses per VRF. Where it has not
// (this project's CI kernel), policy routing: for each interface, `iif IF lookup N` and right after
// it `iif IF unreachable`, so a packet from a VRF interface that the VRF's table does not route is
// refused instead of falling through to the main table (another VRF's connected routes are there).
// Both rules sit before the main table's rule (32766) and after the local table's (0): the router's
// own addresses still answer from any VRF in that mode (moving the local rule would change every
// other program's routing on the host, which vrfleak does not own).

import { createHash } from 'node:crypto';
import { ip, ourRules, type RuleEntry } from './ip.js';
import { VRFLEAK_PROTO, type TableBinding } from './types.js';

/** The priority of `iif IF lookup N`; the unreachable rule is the next one. */
export const RULE_PRIORITY = 1000;

/** The alias our vrf devices carry, so a reconcile finds ours and no one else's. */
const DEVICE_ALIAS = 'vrfleak';

export type BindMode = 'vrf-device' | 'policy-rules';

/** A failure while binding, for the log and the counters. */
export interface BindFailure {
  readonly vrf: string;
  readonly what: string;
  readonly error: string;
}

/** The vrf device's name: the VRF's own when it fits IFNAMSIZ (15 octets), else a stable hash. */
export function deviceName(vrf: string): string {
  if (vrf.length <= 15) return vrf;
  return `${vrf.slice(0, 10)}-${createHash('sha1').update(vrf).digest('hex').slice(0, 4)}`;
}

/** Whether the kernel has the vrf link type: a probe device made and deleted at once. */
export async function detectVrfDevice(table: number): Promise<boolean> {
  const name = `vlprobe${process.pid % 100000}`;
  const r = await ip(['link', 'add', name, 'type', 'vrf', 'table', String(table)]);
  if (!r.ok) return false;
  await ip(['link', 'del', name]);
  return true;
}

function ruleKey(r: RuleEntry): string {
  return `${r.priority}|${r.iif}|${r.table ?? 'unreachable'}`;
}

function ruleArgs(fam: '-4' | '-6', verb: 'add' | 'del', r: RuleEntry): string[] {
  return [
    fam,
    'rule',
    verb,
    'pref',
    String(r.priority),
    'iif',
    r.iif,
    ...(r.table !== undefined ? ['lookup', String(r.table)] : ['unreachable']),
    'protocol',
    String(VRFLEAK_PROTO),
  ];
}

function wantedRules(bindings: readonly TableBinding[]): RuleEntry[] {
  const out: RuleEntry[] = [];
  for (const b of bindings) {
    for (const iif of b.interfaces) {
      out.push({ priority: RULE_PRIORITY, iif, table: b.table });
      out.push({ priority: RULE_PRIORITY + 1, iif });
    }
  }
  return out;
}

/**
 * Makes our policy rules exactly `bindings` (both families): rules of ours that are not wanted are
 * deleted (a VRF removed, a table renumbered, a crash), missing ones added. Rules of any other
 * protocol are never looked at.
 */
export async function syncRules(bindings: readonly TableBinding[]): Promise<BindFailure[]> {
  const failures: BindFailure[] = [];
  const have = await ourRules();
  if (typeof have === 'string') return [{ vrf: '', what: 'read rules', error: have }];
  const want = wantedRules(bindings);
  const wantKeys = new Set(want.map(ruleKey));
  const vrfOf = (iif: string) => bindings.find((b) => b.interfaces.includes(iif))?.vrf ?? '';
  // ourRules lists each family's rules; a key seen twice is a rule in both.
  const haveCount = new Map<string, number>();
  for (const r of have) haveCount.set(ruleKey(r), (haveCount.get(ruleKey(r)) ?? 0) + 1);
  const seen = new Set<string>();
  for (const r of have) {
    const k = ruleKey(r);
    if (wantKeys.has(k) || seen.has(k)) continue;
    seen.add(k);
    for (const fam of ['-4', '-6'] as const) await ip(ruleArgs(fam, 'del', r));
  }
  for (const r of want) {
    if ((haveCount.get(ruleKey(r)) ?? 0) >= 2) continue;
    for (const fam of ['-4', '-6'] as const) {
      const res = await ip(ruleArgs(fam, 'add', r));
      // "File exists": this family had it already.
      if (!res.ok && !/exists/i.test(res.stderr)) {
        failures.push({ vrf: vrfOf(r.iif), what: `rule iif ${r.iif}`, error: res.stderr });
      }
    }
  }
  return failures;
}

interface JsonLink {
  ifname?: string;
  ifalias?: string;
  master?: string;
  linkinfo?: { info_kind?: string; info_data?: { table?: number } };
}

/** Makes our vrf devices exactly `bindings`, with their interfaces enslaved. */
export async function syncDevices(bindings: readonly TableBinding[]): Promise<BindFailure[]> {
  const failures: BindFailure[] = [];
  const r = await ip(['-json', '-details', 'link', 'show']);
  let links: JsonLink[] = [];
  try {
    links = JSON.parse(r.stdout || '[]') as JsonLink[];
  } catch {
    links = [];
  }
  const ours = links.filter((l) => l.linkinfo?.info_kind === 'vrf' && l.ifalias === DEVICE_ALIAS);
  const wanted = new Map(bindings.map((b) => [deviceName(b.vrf), b]));
  for (const l of ours) {
    const b = l.ifname !== undefined ? wanted.get(l.ifname) : undefined;
    if (l.ifname && (!b || l.linkinfo?.info_data?.table !== b.table)) {
      // Deleting a vrf device releases its slaves back to the main table.
      await ip(['link', 'del', l.ifname]);
    }
  }
  for (const [dev, b] of wanted) {
    const have = ours.find((l) => l.ifname === dev && l.linkinfo?.info_data?.table === b.table);
    if (!have) {
      const add = await ip(['link', 'add', dev, 'type', 'vrf', 'table', String(b.table)]);
      if (!add.ok) {
        failures.push({ vrf: b.vrf, what: `vrf device ${dev}`, error: add.stderr });
        continue;
      }
      await ip(['link', 'set', dev, 'alias', DEVICE_ALIAS]);
    }
    await ip(['link', 'set', dev, 'up']);
    for (const i of b.interfaces) {
      const s = await ip(['link', 'set', i, 'master', dev]);
      if (!s.ok) failures.push({ vrf: b.vrf, what: `interface ${i}`, error: s.stderr });
    }
  }
  // An interface taken out of a VRF leaves its vrf device.
  const enslaved = new Set(bindings.flatMap((b) => b.interfaces));
  for (const l of links) {
    if (l.ifname && l.master && wanted.has(l.master) && !enslaved.has(l.ifname)) {
      await ip(['link', 'set', l.ifname, 'nomaster']);
    }
  }
  return failures;
}

/** Binds (or, with no bindings, unbinds) the VRFs' interfaces the way `mode` says. */
export async function syncBindings(
  mode: BindMode,
  bindings: readonly TableBinding[],
): Promise<BindFailure[]> {
  // Whatever the other way left behind (a mode change across restarts) goes too.
  if (mode === 'vrf-device') return [...(await syncRules([])), ...(await syncDevices(bindings))];
  return syncRules(bindings);
}
