// The leak monitor (issue 16 point 3): per VRF, an `expect` declares what may be leaked into it
// (from which VRFs or route targets, within which prefix lists), how many leaked routes it may
// select, and which leaked prefixes must be there. It watches the best-path changes the propagation
// loop already produces (daemon/propagate.ts), never the whole tables: a change in a watched VRF
// re-decides that one destination, and once the loop is quiet the VRF's bound and required
// prefixes are looked at (one lookup per required prefix). What it watches is what the VRF
// selected (the route it forwards with): a leaked path that loses to the VRF's own route is a
// conflict (conflicts.ts), not a leak. Violations are raised and cleared once per settle, so a
// route that comes and goes inside one commit raises nothing. Pure over rib/ and policy/.

import type { Route } from '../model/route.js';
import type { PolicyLists } from '../policy/route-map.js';
import { prefixListPermits } from '../policy/prefix-list.js';
import type { ChangeBatch, Rib } from '../rib/rib.js';
import { prefixKey } from '../rib/keys.js';
import type { FamilyName } from '../wire/afi.js';
import type { IpPrefix } from '../wire/types.js';
import { prefixOf, unicastFamily, V4_VRF, V6_VRF } from './state.js';

/** Where leaked routes may come from: a VRF (`default`: the global table) or a route target. */
export type LeakSource =
  | { readonly kind: 'vrf'; readonly vrf: string; readonly prefixList?: string }
  /** rtKey: the route target's 8 octets in hex (AttrSet.rtKeys), text: as configured. */
  | {
      readonly kind: 'rt';
      readonly rtKey: string;
      readonly text: string;
      readonly prefixList?: string;
    };

export interface VrfExpect {
  readonly vrf: string;
  /** Undefined: any source (only the bound and the required prefixes apply). */
  readonly from?: readonly LeakSource[];
  readonly maxRoutes?: number;
  readonly require: readonly IpPrefix[];
}

/** Why a leaked route the VRF selected is not expected. */
export type UnexpectedReason =
  /** No `from` entry names its source VRF or one of its route targets. */
  | { readonly kind: 'unexpected-source' }
  /** Its source is expected, but only within these prefix lists, which deny the prefix. */
  | { readonly kind: 'outside-prefix-list'; readonly lists: readonly string[] };

export type LeakViolation =
  | {
      readonly kind: 'unexpected';
      readonly vrf: string;
      readonly prefix: IpPrefix;
      /** The VRF it was leaked from (`default`), or undefined for a remote PE's VPN route. */
      readonly fromVrf: string | undefined;
      readonly rtKeys: readonly string[];
      readonly reason: UnexpectedReason;
    }
  | {
      readonly kind: 'missing';
      readonly vrf: string;
      readonly prefix: IpPrefix;
      /** `absent`: nothing for the prefix; `not-leaked`: the VRF selected a route of its own. */
      readonly reason: 'absent' | 'not-leaked';
    }
  | {
      readonly kind: 'over-limit';
      readonly vrf: string;
      readonly count: number;
      readonly limit: number;
    };

/** What the monitor reports, once per violation raised and once when it clears. */
export type MonitorEvent =
  | { readonly kind: 'raised'; readonly violation: LeakViolation }
  | { readonly kind: 'cleared'; readonly violation: LeakViolation };

/** Per VRF: violations now, and raised since the daemon started (the BMP statistics read these). */
export interface ViolationCount {
  readonly current: number;
  readonly raised: number;
}

interface Watched {
  readonly def: VrfExpect;
  /** The policy the verdicts were made under (a reload re-decides when it changes). */
  readonly fingerprint: string;
  /** family|key of each destination whose selected route is leaked. */
  readonly leaked: Set<string>;
  /** family|key -> the unexpected leaked route selected there. */
  readonly unexpected: Map<string, LeakViolation>;
  /** Violations as last reported, by id. */
  reported: Map<string, LeakViolation>;
  dirty: boolean;
}

/** A violation's identity: one per destination, required prefix, or bound. */
function idOf(v: LeakViolation): string {
  return v.kind === 'over-limit' ? 'over-limit' : `${v.kind}|${prefixKey(v.prefix)}`;
}

export class LeakMonitor {
  private readonly watched = new Map<string, Watched>();
  private readonly raisedTotal = new Map<string, number>();
  private lists: PolicyLists | undefined;

  constructor(
    private readonly rib: Rib,
    /** Whether a route in a VRF's table is leaked into it (not one of its own). */
    private readonly isLeaked: (vrf: string, r: Route) => boolean,
    private readonly sink: ((e: MonitorEvent) => void) | undefined = undefined,
  ) {}

  /**
   * The expectations of a (re)configuration. A VRF whose `expect` or whose prefix lists changed is
   * looked at afresh (one pass over its tables, at reload time); the others keep their state. A
   * VRF no longer watched has its violations cleared.
   */
  configure(expects: readonly VrfExpect[], lists: PolicyLists): void {
    this.lists = lists;
    const next = new Map(expects.map((e) => [e.vrf, e]));
    for (const [name, w] of this.watched) {
      if (next.has(name)) continue;
      this.watched.delete(name);
      for (const v of w.reported.values()) this.sink?.({ kind: 'cleared', violation: v });
    }
    for (const def of expects) {
      const fingerprint = this.fingerprint(def);
      const old = this.watched.get(def.vrf);
      if (old?.fingerprint === fingerprint) continue;
      const w: Watched = {
        def,
        fingerprint,
        leaked: new Set(),
        unexpected: new Map(),
        reported: old?.reported ?? new Map(),
        dirty: true,
      };
      this.watched.set(def.vrf, w);
      if (!this.rib.hasView(def.vrf)) continue;
      for (const f of [V4_VRF, V6_VRF]) {
        for (const d of this.rib.table(f, def.vrf).dests.values()) this.note(w, f, d.key, d.best);
      }
    }
  }

  /** The best-path changes of one recompute round (Propagation.commit hands every round here). */
  observe(batches: readonly ChangeBatch[]): void {
    if (this.watched.size === 0) return;
    for (const { view, family, changes } of batches) {
      const w = this.watched.get(view);
      if (!w) continue;
      for (let i = 0; i < changes.length; i++)
        this.note(w, family, changes.key(i), changes.newBest(i));
      w.dirty = true;
    }
  }

  /** Once the loop is quiet: each changed VRF's bound and required prefixes, then the events. */
  settle(): void {
    for (const w of this.watched.values()) {
      if (!w.dirty) continue;
      w.dirty = false;
      const now = new Map<string, LeakViolation>();
      for (const v of w.unexpected.values()) now.set(idOf(v), v);
      for (const v of this.missing(w)) now.set(idOf(v), v);
      const limit = w.def.maxRoutes;
      if (limit !== undefined && w.leaked.size > limit) {
        const v: LeakViolation = {
          kind: 'over-limit',
          vrf: w.def.vrf,
          count: w.leaked.size,
          limit,
        };
        now.set(idOf(v), v);
      }
      for (const [id, v] of w.reported) {
        if (!now.has(id)) this.sink?.({ kind: 'cleared', violation: v });
      }
      for (const [id, v] of now) {
        if (w.reported.has(id)) continue;
        this.raisedTotal.set(w.def.vrf, (this.raisedTotal.get(w.def.vrf) ?? 0) + 1);
        this.sink?.({ kind: 'raised', violation: v });
      }
      w.reported = now;
    }
  }

  /** Every current violation, VRF by VRF. */
  violations(): LeakViolation[] {
    return [...this.watched.values()].flatMap((w) => [...w.reported.values()]);
  }

  /** Violations per VRF: current and raised since start (the one home of these counters). */
  counts(): Map<string, ViolationCount> {
    const out = new Map<string, ViolationCount>();
    for (const [vrf, raised] of this.raisedTotal) out.set(vrf, { current: 0, raised });
    for (const [vrf, w] of this.watched) {
      out.set(vrf, { current: w.reported.size, raised: this.raisedTotal.get(vrf) ?? 0 });
    }
    return out;
  }

  /** One destination of a watched VRF now selects `best`. */
  private note(w: Watched, family: FamilyName, key: string, best: Route | undefined): void {
    const k = `${family}|${key}`;
    const prefix = best ? prefixOf(best) : undefined;
    if (!best || !prefix || !this.isLeaked(w.def.vrf, best)) {
      w.leaked.delete(k);
      w.unexpected.delete(k);
      return;
    }
    w.leaked.add(k);
    const reason = this.verdict(w.def, best, prefix);
    if (!reason) {
      w.unexpected.delete(k);
      return;
    }
    const fromVrf = best.origin.kind === 'leaked' ? best.origin.fromVrf : undefined;
    w.unexpected.set(k, {
      kind: 'unexpected',
      vrf: w.def.vrf,
      prefix,
      fromVrf,
      rtKeys: best.attrs.rtKeys,
      reason,
    });
  }

  /** Why a leaked route is not expected, or undefined when an entry of `from` admits it. */
  private verdict(def: VrfExpect, r: Route, prefix: IpPrefix): UnexpectedReason | undefined {
    if (def.from === undefined) return undefined;
    const fromVrf = r.origin.kind === 'leaked' ? r.origin.fromVrf : undefined;
    const denied: string[] = [];
    for (const s of def.from) {
      const matches = s.kind === 'vrf' ? s.vrf === fromVrf : r.attrs.rtKeys.includes(s.rtKey);
      if (!matches) continue;
      if (s.prefixList === undefined) return undefined;
      const list = this.lists?.prefixLists.get(s.prefixList);
      if (list && prefixListPermits(list, prefix)) return undefined;
      denied.push(s.prefixList);
    }
    return denied.length
      ? { kind: 'outside-prefix-list', lists: denied }
      : { kind: 'unexpected-source' };
  }

  private *missing(w: Watched): Generator<LeakViolation> {
    const vrf = w.def.vrf;
    for (const prefix of w.def.require) {
      const f = unicastFamily(prefix);
      const best = this.rib.hasView(vrf)
        ? this.rib.table(f, vrf).bestOf(prefixKey(prefix))
        : undefined;
      if (best && this.isLeaked(vrf, best)) continue;
      yield { kind: 'missing', vrf, prefix, reason: best ? 'not-leaked' : 'absent' };
    }
  }

  /** The expectation and the prefix lists it names, as the verdicts depend on them. */
  private fingerprint(def: VrfExpect): string {
    const lists = (def.from ?? []).flatMap((s) =>
      s.prefixList === undefined ? [] : [s.prefixList],
    );
    const entries = lists.map((n) =>
      this.lists?.prefixLists.get(n)?.entries.map((e) => `${e.seq} ${e.action} ${e.text}`),
    );
    const req = def.require.map((p) => `${p.afi}|${p.len}|${String(p.addr)}`);
    return JSON.stringify([def.from, def.maxRoutes, req, entries]);
  }
}
