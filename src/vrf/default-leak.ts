// The default table <-> a VRF, only through a named policy (DESIGN.md "Semantics (decided)"): a
// symmetric pair, leakFromDefault (global best route -> VRF, under the VRF's from-default source)
// and leakToDefault (VRF best route -> global table, under its to-default source; its own routes
// only, unless allow-reexport). A route never leaks back to where its leak chain has been.

import { makeRoute, type Route } from '../model/route.js';
import { leakChain } from '../model/route-origin.js';
import { evaluateRouteMap } from '../policy/route-map.js';
import type { RibOps } from '../rib/ops.js';
import { GLOBAL_VIEW } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';
import type { IpPrefix } from '../wire/types.js';
import type { LeakContext } from './context.js';
import { DEFAULT_VRF } from './defs.js';
import { fromPolicyRoute, toPolicyRoute } from './policy-bridge.js';
import { isOwnRoute, prefixOf, V4_VRF, V6_VRF, type VrfState } from './state.js';

export class DefaultLeak {
  constructor(private readonly ctx: LeakContext) {}

  /** A global destination's best route changed: the VRF's copy follows (put, replaced, dropped). */
  leakFromDefault(st: VrfState, family: FamilyName, key: string, ops: RibOps): void {
    const pol = st.def.leakFromDefault?.policy;
    if (!pol) return;
    // A leaked path that does not change the VRF's best is a conflict all the same (as an import).
    this.ctx.mark(st, family, key);
    const best = this.ctx.rib.table(family).bestOf(key);
    const ok = best && !leakChain(best.origin).includes(st.def.name);
    const route = ok ? this.leaked(best, pol, DEFAULT_VRF, st.fromDefaultSrc, key) : undefined;
    if (route) ops.put(st.def.name, family, route);
    else this.ctx.dropHeld(ops, st.def.name, family, key, st.fromDefaultSrc);
  }

  /** A VRF destination's best route changed: the global table's copy follows. */
  leakToDefault(st: VrfState, family: FamilyName, key: string, ops: RibOps): void {
    const pol = st.def.leakToDefault?.policy;
    if (!pol) return;
    const best = this.ctx.rib.table(family, st.def.name).bestOf(key);
    // Only the VRF's own routes go to the default table (no re-export of what it imported).
    const ok =
      best &&
      (isOwnRoute(best, st) || st.def.allowReexport) &&
      !leakChain(best.origin).includes(DEFAULT_VRF);
    const route = ok ? this.leaked(best, pol, st.def.name, st.toDefaultSrc, key) : undefined;
    if (route) ops.put(GLOBAL_VIEW, family, route);
    else this.ctx.dropHeld(ops, GLOBAL_VIEW, family, key, st.toDefaultSrc);
  }

  /** A VRF comes: every global best route is offered to it (when it leaks from the default table). */
  addVrf(st: VrfState, ops: RibOps): void {
    if (!st.def.leakFromDefault) return;
    for (const f of [V4_VRF, V6_VRF]) {
      for (const key of this.ctx.rib.table(f).dests.keys()) this.leakFromDefault(st, f, key, ops);
    }
  }

  /** A VRF goes: every route it leaked to the default table is dropped. */
  removeVrf(st: VrfState, ops: RibOps): void {
    for (const f of [V4_VRF, V6_VRF]) {
      for (const r of this.ctx.rib.table(f).pathsOf(st.toDefaultSrc)) {
        ops.drop(GLOBAL_VIEW, f, r.key, st.toDefaultSrc, r.pathId);
      }
    }
  }

  /** The route `best` becomes on the other side when the policy permits it. */
  private leaked(
    best: Route,
    policy: string,
    fromVrf: string,
    src: number,
    key: string,
  ): Route | undefined {
    const { rib, cfg } = this.ctx;
    const map = cfg.policies.routeMaps.get(policy);
    const prefix: IpPrefix | undefined = prefixOf(best);
    if (!map || !prefix) return undefined;
    const res = evaluateRouteMap(map, toPolicyRoute(best.origin, best.attrs, prefix), cfg.policies);
    if (res.result !== 'permit') return undefined;
    return makeRoute(
      key,
      { kind: 'prefix', prefix },
      rib.interner.intern(fromPolicyRoute(best.attrs, res.route)),
      { kind: 'leaked', fromVrf, origin: best.origin },
      src,
      0,
      // As old as the route it copies (see vpn-import.ts putImported).
      best.seq,
    );
  }
}
