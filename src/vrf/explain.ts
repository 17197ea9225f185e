// `explain vrf NAME PREFIX`: every candidate route for a prefix in a VRF, and why it is or is not
// there. The answer is computed from the same functions the engine runs (importOf, exportOf,
// resolves), so it cannot disagree with what the engine did.

import type { Route } from '../model/route.js';
import { leakChain } from '../model/route-origin.js';
import { nlriKey, prefixKey, vpnKeyPrefixPart } from '../rib/keys.js';
import { GLOBAL_VIEW, type Rib } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';
import { rdToText } from '../wire/rd.js';
import type { IpPrefix } from '../wire/types.js';
import { DEFAULT_VRF } from './defs.js';
import type { ImportRefusal, LeakEngine } from './engine.js';

export type CandidateVerdict =
  | { readonly kind: 'best'; readonly reason: string }
  | { readonly kind: 'present'; readonly lostTo: string; readonly reason: string }
  | { readonly kind: 'lost-conflict'; readonly to: string }
  | { readonly kind: 'refused'; readonly refusal: ImportRefusal }
  | { readonly kind: 'not-best-in-vpn'; readonly best: string }
  | { readonly kind: 're-export'; readonly holder: string }
  | { readonly kind: 'next-hop-unresolved'; readonly nextHop: string; readonly nextHopVrf: string }
  | { readonly kind: 'default-policy'; readonly policy: string | undefined };

export interface Candidate {
  /** Where the candidate comes from: `vpn RD`, `vrf NAME` (own), `default`, `static`. */
  readonly from: string;
  readonly rd?: string;
  readonly peer?: string;
  readonly fromVrf?: string;
  readonly verdict: CandidateVerdict;
}

export interface Explanation {
  readonly vrf: string;
  readonly prefix: string;
  readonly present: boolean;
  readonly candidates: Candidate[];
}

function describeRoute(r: Route): string {
  if (r.origin.kind === 'peer') return `bgp from ${r.origin.peer.address}`;
  if (r.origin.kind === 'local') return `${r.origin.source} in ${r.origin.vrf ?? DEFAULT_VRF}`;
  return `leaked from ${leakChain(r.origin).join(' <- ')}`;
}

export function explain(
  rib: Rib,
  engine: LeakEngine,
  vrf: string,
  prefix: IpPrefix,
  text: string,
): Explanation | undefined {
  const st = engine.vrfs.get(vrf);
  if (!st) return undefined;
  const fam: FamilyName = prefix.afi === 1 ? 'ipv4' : 'ipv6';
  const vpnFam: FamilyName = prefix.afi === 1 ? 'vpnv4' : 'vpnv6';
  const pk = prefixKey(prefix);
  const dest = rib.table(fam, vrf).get(nlriKey({ kind: 'prefix', prefix }));
  const candidates: Candidate[] = [];
  const inVrf = new Set<Route>(dest?.paths ?? []);

  // The VRF's own routes and what is in its table.
  for (const p of dest?.paths ?? []) {
    const own = engine.isOwn(p, st);
    if (!own) continue;
    candidates.push({
      from: describeRoute(p),
      ...(p.origin.kind === 'peer' ? { peer: p.origin.peer.address } : {}),
      verdict:
        dest?.best === p
          ? { kind: 'best', reason: dest.reason }
          : {
              kind: 'present',
              lostTo: dest?.best ? describeRoute(dest.best) : 'none',
              reason: dest?.reason ?? '',
            },
    });
  }

  // Every VPN path for the prefix, under any RD.
  for (const d of rib.table(vpnFam).dests.values()) {
    if (vpnKeyPrefixPart(d.key) !== pk) continue;
    for (const p of d.paths) {
      if (p.nlri.kind !== 'vpn') continue;
      const rd = rdToText(p.nlri.rd);
      const base = {
        from: `vpn ${rd}`,
        rd,
        ...(p.origin.kind === 'peer' ? { peer: p.origin.peer.address } : {}),
        ...(p.origin.kind === 'leaked' ? { fromVrf: leakChain(p.origin)[0]! } : {}),
      };
      if (d.best !== p) {
        candidates.push({
          ...base,
          verdict: { kind: 'not-best-in-vpn', best: d.best ? describeRoute(d.best) : 'none' },
        });
        continue;
      }
      const imp = engine.importOf(st, p);
      if (!('values' in imp)) {
        candidates.push({ ...base, verdict: { kind: 'refused', refusal: imp } });
        continue;
      }
      const inTable = [...inVrf].find(
        (x) => x.src === engine.rdSource(p.nlri.kind === 'vpn' ? p.nlri.rd : { hi: 0, lo: 0 }),
      );
      if (!inTable) {
        candidates.push({
          ...base,
          verdict: { kind: 'refused', refusal: { kind: 'not-best-in-vpn' } },
        });
      } else if (dest?.best === inTable) {
        candidates.push({ ...base, verdict: { kind: 'best', reason: dest.reason } });
      } else if (dest?.best && engine.isOwn(dest.best, st) && st.def.conflict === 'prefer-local') {
        candidates.push({
          ...base,
          verdict: { kind: 'lost-conflict', to: describeRoute(dest.best) },
        });
      } else {
        candidates.push({
          ...base,
          verdict: {
            kind: 'present',
            lostTo: dest?.best ? describeRoute(dest.best) : 'none',
            reason: dest?.reason ?? '',
          },
        });
      }
    }
  }

  // Routes other VRFs hold only as imported, which they do not re-export: the re-export rule.
  for (const other of engine.vrfs.values()) {
    if (other.def.name === vrf) continue;
    const od = rib.table(fam, other.def.name).get(nlriKey({ kind: 'prefix', prefix }));
    const best = od?.best;
    if (!best || engine.isOwn(best, other)) continue;
    const exportRts = new Set(other.def.exportRts.map((e) => JSON.stringify(e)));
    const wouldMatch = st.def.importRts.some((e) => exportRts.has(JSON.stringify(e)));
    if (wouldMatch && typeof engine.exportOf(other, best) === 'string') {
      candidates.push({
        from: `vrf ${other.def.name}`,
        fromVrf: other.def.name,
        verdict: { kind: 're-export', holder: other.def.name },
      });
    }
  }

  // Static routes of this VRF for the prefix whose next hop does not resolve.
  for (const s of st.def.statics) {
    if (prefixKey(s.prefix) !== pk) continue;
    const nhVrf = s.nextHopVrf ?? vrf;
    if (!engine.resolves(s.nextHop, nhVrf, { vrf, prefix: s.prefix })) {
      const nh =
        s.nextHop.afi === 1
          ? [24, 16, 8, 0].map((b) => ((s.nextHop.addr as number) >>> b) & 255).join('.')
          : 'ipv6';
      candidates.push({
        from: 'static',
        verdict: { kind: 'next-hop-unresolved', nextHop: nh, nextHopVrf: nhVrf },
      });
    }
  }

  // The default table, when the VRF leaks from it.
  const g = rib.table(fam, GLOBAL_VIEW).get(nlriKey({ kind: 'prefix', prefix }));
  if (g?.best) {
    const leaked = [...inVrf].some((x) => x.src === st.fromDefaultSrc);
    if (!leaked) {
      candidates.push({
        from: DEFAULT_VRF,
        verdict: { kind: 'default-policy', policy: st.def.leakFromDefault?.policy },
      });
    } else {
      candidates.push({
        from: DEFAULT_VRF,
        verdict:
          dest?.best && dest.best.src === st.fromDefaultSrc
            ? { kind: 'best', reason: dest.reason }
            : {
                kind: 'present',
                lostTo: dest?.best ? describeRoute(dest.best) : 'none',
                reason: dest?.reason ?? '',
              },
      });
    }
  }
  return { vrf, prefix: text, present: dest?.best !== undefined, candidates };
}

/** One line per candidate, for the CLI. */
export function explainText(e: Explanation): string[] {
  const out = [`${e.prefix} in VRF ${e.vrf}: ${e.present ? 'present' : 'absent'}`];
  for (const c of e.candidates) {
    const v = c.verdict;
    let why: string;
    switch (v.kind) {
      case 'best':
        why = `best (${v.reason})`;
        break;
      case 'present':
        why = `present, not best: ${v.lostTo} won (${v.reason})`;
        break;
      case 'lost-conflict':
        why = `lost a conflict to the VRF's own route (${v.to})`;
        break;
      case 'refused': {
        const r = v.refusal;
        why =
          r.kind === 'no-rt-intersection'
            ? `refused: no route-target intersection (route ${r.routeRts.join(',') || 'none'}; VRF imports ${r.vrfRts.join(',') || 'none'})`
            : r.kind === 'import-map'
              ? `refused by import map ${r.map} ${r.clause === undefined ? '(implicit deny)' : `clause ${r.clause}`}`
              : r.kind === 'source-vrf'
                ? `refused: it came from this VRF (never imported back into its source)`
                : r.kind === 'as-loop'
                  ? `refused: AS ${r.asn} appears ${r.count} times (allowas-in ${r.allowed})`
                  : 'refused: not the best path of its RD';
        break;
      }
      case 'not-best-in-vpn':
        why = `not imported: not the best path for its RD (best: ${v.best})`;
        break;
      case 're-export':
        why = `VRF ${v.holder} has it only as imported and does not re-export it (allow-reexport off)`;
        break;
      case 'next-hop-unresolved':
        why = `static route: next hop ${v.nextHop} does not resolve in ${v.nextHopVrf}`;
        break;
      case 'default-policy':
        why = v.policy
          ? `default table route refused by policy ${v.policy}`
          : 'in the default table; the VRF does not leak from it (no policy)';
        break;
      default: {
        const never: never = v;
        why = String(never);
      }
    }
    out.push(`  ${c.from}${c.peer ? ` (peer ${c.peer})` : ''}: ${why}`);
  }
  return out;
}
