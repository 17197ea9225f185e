// The invariant checker: every route the leak engine put anywhere is justified by the current
// configuration and routes, every route it should have put is there, nothing of a deleted VRF
// remains, and nothing stale is left in what the peers were told. Run after every change in tests.

import { GLOBAL_VIEW, type Rib } from '../rib/rib.js';
import { keyText, nlriKey, prefixKey } from '../rib/keys.js';
import type { Route } from '../model/route.js';
import type { FamilyName } from '../wire/afi.js';
import { isEngineSrc } from '../model/sources.js';
import type { LeakEngine } from './engine.js';

/** A destination key of a family's table as text (keys are compact strings, not text). */
function kt(f: FamilyName, key: string): string {
  return keyText(key, f === 'ipv4' || f === 'vpnv4' ? 1 : 2, f === 'vpnv4' || f === 'vpnv6');
}

export function checkLeakInvariants(rib: Rib, engine: LeakEngine): string[] {
  const problems: string[] = [];
  const exportSrcs = new Map<number, string>();
  const toDefaultSrcs = new Map<number, string>();
  for (const st of engine.vrfs.values()) {
    exportSrcs.set(st.exportSrc, st.def.name);
    toDefaultSrcs.set(st.toDefaultSrc, st.def.name);
  }
  // 1. Global tables: engine-made paths belong to a current VRF and match its current best route.
  for (const f of ['vpnv4', 'vpnv6', 'ipv4', 'ipv6'] as FamilyName[]) {
    for (const d of rib.table(f).dests.values()) {
      for (const p of d.paths) {
        if (!isEngineSrc(p.src)) continue;
        const owner = (f === 'vpnv4' || f === 'vpnv6' ? exportSrcs : toDefaultSrcs).get(p.src);
        if (owner === undefined) {
          problems.push(
            `${f} ${kt(f, d.key)}: a path of source ${p.src}, which no current VRF owns`,
          );
          continue;
        }
        const st = engine.vrfs.get(owner)!;
        if (f === 'vpnv4' || f === 'vpnv6') {
          if (p.nlri.kind !== 'vpn') continue;
          const vrfFam: FamilyName = f === 'vpnv4' ? 'ipv4' : 'ipv6';
          const best = rib
            .table(vrfFam, owner)
            .get(nlriKey({ kind: 'prefix', prefix: p.nlri.prefix }))?.best;
          const exp = best ? engine.exportOf(st, best) : 'no best route';
          if (typeof exp === 'string') {
            problems.push(`${f} ${kt(f, d.key)}: exported by ${owner} although ${exp}`);
          } else if (rib.interner.intern(exp.values) !== p.attrs) {
            problems.push(`${f} ${kt(f, d.key)}: exported by ${owner} with stale attributes`);
          }
        }
      }
    }
  }
  // The best VPN routes by prefix key (a VRF's destination key), built once per family: scanning
  // the whole VPN table for every imported path was quadratic (minutes at 100k routes).
  const vpnIndex = new Map<FamilyName, Map<string, Route[]>>();
  const vpnBestByPrefix = (vpnFam: FamilyName): Map<string, Route[]> => {
    let idx = vpnIndex.get(vpnFam);
    if (!idx) {
      idx = new Map();
      for (const vb of rib.table(vpnFam).bestRoutes()) {
        if (vb.nlri.kind !== 'vpn') continue;
        const k = prefixKey(vb.nlri.prefix);
        const list = idx.get(k);
        if (list) list.push(vb);
        else idx.set(k, [vb]);
      }
      vpnIndex.set(vpnFam, idx);
    }
    return idx;
  };
  // 2. Every VRF: its exports are all there, its imported paths are justified, nothing is missing.
  for (const st of engine.vrfs.values()) {
    const name = st.def.name;
    for (const fam of ['ipv4', 'ipv6'] as FamilyName[]) {
      const vpnFam: FamilyName = fam === 'ipv4' ? 'vpnv4' : 'vpnv6';
      const t = rib.table(fam, name);
      for (const d of t.dests.values()) {
        const best = d.best;
        if (best) {
          const exp = engine.exportOf(st, best);
          if (typeof exp !== 'string') {
            const vd = rib.table(vpnFam).get(nlriKey(exp.nlri));
            if (!vd?.paths.some((p) => p.src === st.exportSrc)) {
              problems.push(`${name} ${kt(fam, d.key)}: best route not exported to ${vpnFam}`);
            }
          }
        }
        for (const p of d.paths) {
          if (!isEngineSrc(p.src) || p.src === st.ownSrc || p.src === st.fromDefaultSrc) continue;
          // An imported path: the best VPN route of its RD must still import with these attributes.
          let justified = false;
          for (const vb of vpnBestByPrefix(vpnFam).get(d.key) ?? []) {
            if (vb.nlri.kind !== 'vpn' || engine.rdSource(vb.nlri.rd) !== p.src) continue;
            const imp = engine.importOf(st, vb);
            justified = 'values' in imp && rib.interner.intern(imp.values) === p.attrs;
          }
          if (!justified)
            problems.push(
              `${name} ${kt(fam, d.key)}: imported path (source ${p.src}) not justified`,
            );
        }
      }
      // Expected imports present.
      for (const vb of rib.table(vpnFam).bestRoutes()) {
        if (vb.nlri.kind !== 'vpn') continue;
        const imp = engine.importOf(st, vb);
        if (!('values' in imp)) continue;
        const key = nlriKey({ kind: 'prefix', prefix: vb.nlri.prefix });
        const src = engine.rdSource(vb.nlri.rd);
        if (!t.get(key)?.paths.some((p) => p.src === src)) {
          problems.push(
            `${name} ${kt(fam, key)}: should import ${kt(vpnFam, vb.key)} but does not`,
          );
        }
      }
    }
  }
  // 3. Views of deleted VRFs are gone; what peers were told matches the tables.
  for (const view of rib.viewNames()) {
    if (view !== GLOBAL_VIEW && !engine.vrfs.has(view))
      problems.push(`view ${view} of a deleted VRF remains`);
  }
  for (const a of rib.advertisedState()) {
    if (!rib.hasView(a.view)) {
      problems.push(`peers ${a.members.join(',')} were told routes of deleted view ${a.view}`);
      continue;
    }
    const t = rib.table(a.family, a.view);
    for (const [key, e] of a.keys) {
      const dest = t.get(key);
      const best = dest?.best;
      if (best && e.pathId !== 0) {
        // ADD-PATH (RFC 7911): any path of the destination may be what the peers hold.
        if (!dest.paths.some((r) => r.src === e.src))
          problems.push(
            `peers ${a.members.join(',')} have ${a.family} ${kt(a.family, key)} path ${e.pathId} from source ${e.src}, which has no path there`,
          );
        continue;
      }
      if (!best)
        problems.push(
          `peers ${a.members.join(',')} still have ${a.family} ${kt(a.family, key)}, which has no best route`,
        );
      else if (best.src !== e.src) {
        problems.push(
          `peers ${a.members.join(',')} have ${a.family} ${kt(a.family, key)} from source ${e.src}, best is ${best.src}`,
        );
      }
    }
  }
  return problems;
}
