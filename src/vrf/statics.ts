// Static routes of a VRF, inter-VRF ones included: installed while their next hop resolves (longest
// match) in the next-hop VRF or the default table, withdrawn when it stops resolving; re-resolved
// whenever a table they resolve in changed.

import { EMPTY_ATTR_VALUES, type NextHopAddr } from '../model/attrset.js';
import { makeRoute } from '../model/route.js';
import { type RouteOrigin } from '../model/route-origin.js';
import { nlriKey, prefixKey } from '../rib/keys.js';
import type { RibOps } from '../rib/ops.js';
import { GLOBAL_VIEW } from '../rib/rib.js';
import type { IpPrefix } from '../wire/types.js';
import type { LeakContext } from './context.js';
import { DEFAULT_VRF } from './defs.js';
import { maskTo, unicastFamily, V4_VRF, V6_VRF, type VrfState } from './state.js';

export class StaticRoutes {
  /** VRFs with static routes. */
  private readonly vrfs = new Set<VrfState>();

  constructor(private readonly ctx: LeakContext) {}

  addVrf(st: VrfState, ops: RibOps): void {
    if (st.def.statics.length === 0) return;
    this.vrfs.add(st);
    this.resolve(st, ops);
  }

  /** Forgets a VRF (its static paths go with the rest of its engine-made paths). */
  removeVrf(st: VrfState): void {
    this.vrfs.delete(st);
  }

  /** Re-resolves the statics of every VRF whose next hops live in one of these VRFs (`default`). */
  tablesChanged(vrfs: ReadonlySet<string>, ops: RibOps): void {
    for (const st of this.vrfs) {
      if (st.def.statics.some((s) => vrfs.has(s.nextHopVrf ?? st.def.name))) this.resolve(st, ops);
    }
  }

  /** Puts the statics that resolve and are not there, drops those there that stopped resolving. */
  private resolve(st: VrfState, ops: RibOps): void {
    const { rib } = this.ctx;
    const d = st.def;
    for (const s of d.statics) {
      const fam = unicastFamily(s.prefix);
      const nlri = { kind: 'prefix' as const, prefix: s.prefix };
      const key = nlriKey(nlri);
      const pathId = staticPathId(st, s.prefix);
      const resolved = this.resolves(s.nextHop, s.nextHopVrf ?? d.name, {
        vrf: d.name,
        prefix: s.prefix,
      });
      // A VRF being added has no tables yet (its view is one of the operations): nothing present.
      const present = rib.hasView(d.name) && rib.table(fam, d.name).has(key, st.ownSrc, pathId);
      if (resolved && !present) {
        const origin: RouteOrigin = {
          kind: 'local',
          source: 'static',
          vrf: d.name,
          ...(s.nextHopVrf !== undefined && s.nextHopVrf !== d.name
            ? { nextHopVrf: s.nextHopVrf }
            : {}),
        };
        const attrs = rib.interner.intern({
          ...EMPTY_ATTR_VALUES,
          origin: 2, // RFC 4271 §5.1.1: INCOMPLETE, as redistributed statics are.
          nextHop: s.nextHop,
        });
        ops.put(d.name, fam, makeRoute(key, nlri, attrs, origin, st.ownSrc, pathId, rib.nextSeq()));
      } else if (!resolved && present) {
        ops.drop(d.name, fam, key, st.ownSrc, pathId);
      }
    }
  }

  /**
   * Whether `nh` has a route in `vrf` (longest match; `default` is the global table). A static route
   * never resolves through itself (`self`: its own VRF and prefix).
   */
  resolves(nh: NextHopAddr, vrf: string, self?: { vrf: string; prefix: IpPrefix }): boolean {
    const { rib } = this.ctx;
    const view = vrf === DEFAULT_VRF ? GLOBAL_VIEW : vrf;
    if (!rib.hasView(view)) return false;
    const t = rib.table(nh.afi === 1 ? V4_VRF : V6_VRF, view);
    const selfKey = self ? prefixKey(self.prefix) : undefined;
    for (let len = nh.afi === 1 ? 32 : 128; len >= 0; len--) {
      const key = prefixKey(maskTo(nh, len));
      const dest = t.get(key);
      if (!dest?.best) continue;
      if (key !== selfKey || !self) return true;
      // Nor through a copy of itself leaked into the next-hop VRF (exported, imported there): it
      // would keep itself alive once what it really resolved through is gone.
      if (self.vrf !== vrf && dest.paths.some((p) => !fromStatic(p.origin, self.vrf))) return true;
    }
    return false;
  }
}

/** Whether a route is (a leaked copy of) a static route of `vrf`. */
function fromStatic(o: RouteOrigin, vrf: string): boolean {
  let x = o;
  while (x.kind === 'leaked') x = x.origin;
  return x.kind === 'local' && x.source === 'static' && x.vrf === vrf;
}

/** Own routes share one source id; statics get a path id of their own so they never collide. */
function staticPathId(st: VrfState, p: IpPrefix): number {
  return 1 + st.def.statics.findIndex((s) => prefixKey(s.prefix) === prefixKey(p));
}
