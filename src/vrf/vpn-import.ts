// Import, VPN -> VRF (the mirror of vpn-export.ts): a VPN best route enters every VRF one of whose
// import route targets it carries, through the VRF's import map, under a source id per RD (RFC 4364
// §4.3.1, DESIGN.md "RT match", "No re-export").

import { pathContainsAs, type AttrSet, type AttrValues } from '../model/attrset.js';
import { keyedRoute, vpnPrefixKey, vpnRdPart, type Route } from '../model/route.js';
import { leakChainHas } from '../model/route-origin.js';
import { evaluateRouteMap } from '../policy/route-map.js';
import { vpnKeyPrefixPart } from '../rib/keys.js';
import type { RibOps } from '../rib/ops.js';
import type { FamilyName } from '../wire/afi.js';
import { extCommunityKey } from '../wire/ext-community.js';
import type { ExtCommunity, Rd } from '../wire/types.js';
import type { LeakContext } from './context.js';
import type { LeakConfig } from './defs.js';
import { fromPolicyRoute, toPolicyRoute } from './policy-bridge.js';
import { VpnRtIndex } from './rt-index.js';
import { isRt, prefixOf, V4_VRF, V6_VRF, type ImportRefusal, type VrfState } from './state.js';

const NO_LABELS: readonly number[] = Object.freeze([]);

export class VpnImport {
  /** import RT key -> names of the VRFs importing it. */
  private readonly rtIndex = new Map<string, Set<string>>();
  /** RD key -> source id of imported paths in VRF tables (one per RD: the best of each RD+prefix). */
  private readonly rdSrc = new Map<string, number>();
  private readonly vpnIndex: VpnRtIndex;
  /** RTs a removed VRF imported: the index forgets those no VRF imports once settled. */
  private readonly released = new Set<string>();
  /** The last RD seen by rdSourceOfKey and its source id (a peer's routes come in runs of one RD). */
  private lastRd = { hi: -1, lo: -1, src: 0 };
  /**
   * The set seen last that carries no route target a VRF imports or the index holds: a run of
   * VPN changes under one set (a VRF's exports under its own RT, a peer's UPDATE) is let through
   * without a lookup per route. Forgotten when a VRF comes (it may import or index one of them);
   * a removal can only make more sets quiet.
   */
  private quietSet: AttrSet | undefined;
  /** configuredImporters' counts, and the configuration they are of. */
  private counted: { cfg: LeakConfig; counts: Map<string, number> } | undefined;

  constructor(
    private readonly ctx: LeakContext,
    private readonly vrfs: ReadonlyMap<string, VrfState>,
  ) {
    this.vpnIndex = new VpnRtIndex(ctx.rib);
  }

  /** Whether any VRF imports one of these route targets (DESIGN.md "Retention"). */
  importsAny(exts: readonly ExtCommunity[]): boolean {
    for (const e of exts) {
      if (e.kind === 'route-target' && e.transitive && this.rtIndex.get(extCommunityKey(e))?.size) {
        return true;
      }
    }
    return false;
  }

  /** The source id of paths imported from VPN routes of one RD. */
  rdSource(rd: Rd): number {
    const k = `${rd.hi}:${rd.lo}`;
    let s = this.rdSrc.get(k);
    if (s === undefined) {
      s = this.ctx.newSrc();
      this.rdSrc.set(k, s);
    }
    return s;
  }

  /** Whether (and how) a VPN route enters a VRF. */
  importOf(st: VrfState, r: Route): { values: AttrValues } | ImportRefusal {
    const d = st.def;
    const { cfg } = this.ctx;
    // DESIGN.md "No re-export": never back into its source VRF (anywhere along its leak chain).
    if (leakChainHas(r.origin, d.name)) return { kind: 'source-vrf', vrf: d.name };
    // DESIGN.md "RT match": byte for byte, transitive route targets only.
    if (!r.attrs.rtKeys.some((k) => st.importRtKeys.has(k))) {
      return {
        kind: 'no-rt-intersection',
        routeRts: [...r.attrs.rtKeys],
        vrfRts: [...st.importRtKeys],
      };
    }
    // DESIGN.md: an AS-path loop check runs on leak, allowing the VRF's allowas-in (VrfDef.allowasIn,
    // which the configuration sets: this check takes whatever it is given).
    const count = pathContainsAs(r.attrs.asPath, cfg.asn);
    if (count > d.allowasIn) return { kind: 'as-loop', asn: cfg.asn, count, allowed: d.allowasIn };
    let values: AttrValues = r.attrs;
    if (d.importMap) {
      const map = cfg.policies.routeMaps.get(d.importMap);
      const prefix = prefixOf(r);
      if (!map || !prefix) return { kind: 'import-map', map: d.importMap, clause: undefined };
      const res = evaluateRouteMap(map, toPolicyRoute(r.origin, values, prefix), cfg.policies);
      if (res.result === 'deny') {
        return { kind: 'import-map', map: d.importMap, clause: res.decidedBy };
      }
      values = fromPolicyRoute(values, res.route);
    }
    return { values };
  }

  /** A VRF comes: indexed by its import RTs, and every matching VPN best route imported. */
  addVrf(st: VrfState, ops: RibOps): void {
    this.quietSet = undefined;
    for (const k of st.importRtKeys) {
      let s = this.rtIndex.get(k);
      if (!s) this.rtIndex.set(k, (s = new Set()));
      s.add(st.def.name);
    }
    // What the VRF's tables hold (none yet: its tables are among these operations) is what the
    // imports may conflict with; this step's operations are applied after it.
    const { rib } = this.ctx;
    const name = st.def.name;
    const v4Held = rib.hasView(name) && rib.table(V4_VRF, name).size > 0;
    const v6Held = rib.hasView(name) && rib.table(V6_VRF, name).size > 0;
    // Without an import map, whether and how a route enters depends on its set and origin alone
    // (importOf), and routes come in runs of one of each: asked once per run.
    const byRun = st.def.importMap === undefined;
    let set: AttrSet | undefined;
    let origin: Route['origin'] | undefined;
    let imp: ReturnType<VpnImport['importOf']> | undefined;
    // Only the VPN destinations carrying one of the VRF's import RTs (the RT index, or one scan of
    // the VPN tables), not a lookup per VPN route: adding a VRF costs what it imports.
    this.vpnIndex.visitCarrying(
      st.importRtKeys,
      (k) => this.configuredImporters(k) > 1,
      (f, r) => {
        if (!byRun || imp === undefined || r.attrs !== set || r.origin !== origin) {
          set = r.attrs;
          origin = r.origin;
          imp = this.importOf(st, r);
        }
        if ('values' in imp) {
          this.putImported(st, f, r, imp.values, ops, f === 'vpnv4' ? v4Held : v6Held);
        }
      },
    );
  }

  /** How many VRFs of the configuration import an RT (counted once per configuration). */
  private configuredImporters(rtKey: string): number {
    const { cfg } = this.ctx;
    if (this.counted?.cfg !== cfg) {
      const counts = new Map<string, number>();
      for (const v of cfg.vrfs) {
        for (const k of new Set(v.importRts.filter(isRt).map(extCommunityKey))) {
          counts.set(k, (counts.get(k) ?? 0) + 1);
        }
      }
      this.counted = { cfg, counts };
    }
    return this.counted.counts.get(rtKey) ?? 0;
  }

  /** A VRF goes: no longer indexed (its imported paths go with its other engine-made paths). */
  removeVrf(st: VrfState): void {
    for (const k of st.importRtKeys) {
      const s = this.rtIndex.get(k);
      s?.delete(st.def.name);
      if (s?.size === 0) {
        this.rtIndex.delete(k);
        this.released.add(k);
      }
    }
  }

  /**
   * Once the propagation is quiet: the VPN index forgets the RTs no VRF imports any more
   * (not at once: a changed VRF removed and added back in one reconfigure imports them again).
   */
  settled(): void {
    for (const k of this.released) if (!this.rtIndex.has(k)) this.vpnIndex.forget(k);
    this.released.clear();
  }

  /** A VPN destination's best route changed: the VRFs importing its old or new RTs follow. */
  importChange(
    family: FamilyName,
    key: string,
    oldBest: Route | undefined,
    newBest: Route | undefined,
    ops: RibOps,
  ): void {
    if (this.ignores(oldBest, newBest)) return;
    this.vpnIndex.update(family, key, oldBest, newBest);
    // Most VPN routes of a transit are imported by no VRF: no set built for them.
    const cand = this.importers(newBest, this.importers(oldBest, undefined));
    if (!cand) return;
    for (const name of cand) {
      const st = this.vrfs.get(name);
      if (!st) continue;
      const imp = newBest ? this.importOf(st, newBest) : undefined;
      if (newBest && imp && 'values' in imp) {
        this.putImported(st, family, newBest, imp.values, ops, true);
      } else this.dropImported(st, family, key, ops);
    }
  }

  /**
   * No VRF imports a route target and none is indexed: every VPN change is ignored, without
   * reading its routes (a transit's, or any speaker without VRFs: a route's set read per change
   * was ~120 ms of a realistic 1M table's commits, cache misses on routes and sets).
   */
  get idle(): boolean {
    return this.rtIndex.size === 0 && this.vpnIndex.empty;
  }

  /** Nothing to index and no VRF to import into (the fan-out's million exports, a transit's). */
  ignores(oldBest: Route | undefined, newBest: Route | undefined): boolean {
    return this.quiet(newBest) && this.quiet(oldBest);
  }

  /** Whether no VRF imports and the index holds none of a route's RTs (none: no route). */
  private quiet(r: Route | undefined): boolean {
    if (r === undefined || r.attrs === this.quietSet) return true;
    const keys = r.attrs.rtKeys;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      if (this.rtIndex.has(k) || this.vpnIndex.indexes(k)) return false;
    }
    this.quietSet = r.attrs;
    return true;
  }

  /** Names of the VRFs importing one of a route's RTs, added to cand (created on the first). */
  private importers(r: Route | undefined, cand: Set<string> | undefined): Set<string> | undefined {
    if (!r) return cand;
    // Indexed: a for-of allocated an iterator per VPN best change.
    const keys = r.attrs.rtKeys;
    for (let i = 0; i < keys.length; i++) {
      const vs = this.rtIndex.get(keys[i]!);
      if (!vs?.size) continue;
      cand ??= new Set();
      for (const v of vs) cand.add(v);
    }
    return cand;
  }

  /**
   * The VRF's copy of VPN route r (of VPN family f), under the source id of its RD; `held`: whether
   * the VRF's table of the family may hold a path at its destination. Its key in the
   * VRF is the prefix part of the VPN key, and its NLRI is read from that key: no NLRI or prefix
   * object per imported route (an RT change imports 100k).
   */
  private putImported(
    st: VrfState,
    f: FamilyName,
    r: Route,
    values: AttrValues,
    ops: RibOps,
    held: boolean,
  ): void {
    const { rib } = this.ctx;
    const fam = f === 'vpnv4' ? V4_VRF : V6_VRF;
    // Not the VPN key and a slice of it: a VPNv4 route makes its key when asked (v4-key-code.ts).
    const key = vpnPrefixKey(r);
    // A path that does not change the VRF's best is a conflict all the same; one that lands on
    // an empty destination changes it, and the best change marks it (LeakEngine.react).
    if (held && rib.table(fam, st.def.name).countAt(key) > 0) this.ctx.mark(st, fam, key);
    ops.put(
      st.def.name,
      fam,
      keyedRoute(
        key,
        fam,
        NO_LABELS,
        rib.interner.intern(values),
        r.origin,
        this.rdSourceOfKey(vpnRdPart(r)),
        0,
        // The copy is as old as the route it copies (RFC 5004's older-path rule compares arrival),
        // not as old as the commit that made it: a reload makes copies again, a start only once.
        r.seq,
      ),
    );
  }

  private dropImported(st: VrfState, f: FamilyName, vpnKey: string, ops: RibOps): void {
    const fam = f === 'vpnv4' ? V4_VRF : V6_VRF;
    const key = vpnKeyPrefixPart(vpnKey);
    const t = this.ctx.rib.hasView(st.def.name) ? this.ctx.rib.table(fam, st.def.name) : undefined;
    const src = this.rdSourceOfKey(vpnKey);
    if (!t?.has(key, src)) return;
    // A drop that leaves the best alone may end a conflict (the best change marks the others).
    this.ctx.mark(st, fam, key);
    ops.drop(st.def.name, fam, key, src);
  }

  /** rdSource of the RD of a VPN key (its first four units: model/route.ts vpnRdPart will do), without an Rd object per route. */
  private rdSourceOfKey(vpnKey: string): number {
    const hi = ((vpnKey.charCodeAt(0) << 16) | vpnKey.charCodeAt(1)) >>> 0;
    const lo = ((vpnKey.charCodeAt(2) << 16) | vpnKey.charCodeAt(3)) >>> 0;
    const last = this.lastRd;
    if (last.hi !== hi || last.lo !== lo) this.lastRd = { hi, lo, src: this.rdSource({ hi, lo }) };
    return this.lastRd.src;
  }
}
