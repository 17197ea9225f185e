// The VrfSource backed by the leak engine (src/vrf) when the daemon runs one: conflicts from the
// engine, explain from src/vrf/explain.ts rendered as steps, the graph from src/vrf/graph.ts
// (route targets, default-table policies, static inter-VRF routes). VRF lists and tables come from
// the config view, which reads the engine's tables in the RIB.

import type { Config } from '../config/schema.js';
import type { Daemon } from '../daemon/daemon.js';
import { routeView } from '../daemon/views.js';
import { explain, type Candidate } from '../vrf/explain.js';
import { leakGraph } from '../vrf/graph.js';
import { edgeKey, liveEdgeRoutes } from '../vrf/graph-live.js';
import { violationView } from '../vrf/violation-view.js';
import { formatAdminPair } from '../wire/admin-pair.js';
import { decodeExtCommunity } from '../wire/ext-community.js';
import { prefixFromText, prefixToText } from '../wire/nlri/text.js';
import { configVrfSource, type LeakEdge, type VrfSource } from './vrf-source.js';
import { ceAdvertisement, ceStep } from './explain-ce.js';

/** The engine keys route targets by their 8 octets in hex; operators read `65000:10`. */
function rtText(key: string): string {
  if (!/^[0-9a-f]{16}$/.test(key)) return key;
  const ec = decodeExtCommunity(Buffer.from(key, 'hex'), 0);
  return ec.kind === 'raw' ? key : formatAdminPair(ec);
}

function step(c: Candidate): string {
  const v = c.verdict;
  switch (v.kind) {
    case 'best':
      return `${c.from}: selected (${v.reason})`;
    case 'present':
      return `${c.from}: present, not best: ${v.lostTo} wins (${v.reason})`;
    case 'lost-conflict':
      return `${c.from}: imported, but the VRF's own route wins (${v.to}; conflict: prefer-local)`;
    case 'not-best-in-vpn':
      return `${c.from}: not the best VPN path for its RD (best: ${v.best})`;
    case 're-export':
      return `${c.from}: ${v.holder} holds it only as imported and does not re-export it (allow-reexport off)`;
    case 'next-hop-unresolved':
      return `${c.from}: next hop ${v.nextHop} does not resolve in ${v.nextHopVrf}`;
    case 'default-policy':
      return v.policy
        ? `${c.from}: in the default table, refused by leak-from-default policy ${v.policy}`
        : `${c.from}: in the default table, but the VRF has no leak-from-default policy`;
    case 'refused': {
      const r = v.refusal;
      switch (r.kind) {
        case 'no-rt-intersection':
          return `${c.from}: route targets [${r.routeRts.map(rtText).join(' ')}] match none of the VRF's import RTs [${r.vrfRts.map(rtText).join(' ')}]`;
        case 'import-map':
          return `${c.from}: refused by import map ${r.map}${r.clause === undefined ? ' (no clause matched: implicit deny)' : ` clause ${r.clause}`}`;
        case 'source-vrf':
          return `${c.from}: never imported back into its source VRF ${r.vrf}`;
        case 'as-loop':
          return `${c.from}: AS ${r.asn} appears ${r.count} time(s) in the path (allowed ${r.allowed})`;
        case 'not-best-in-vpn':
          return `${c.from}: not the best VPN path for its RD`;
        default: {
          const never: never = r;
          return never;
        }
      }
    }
    default: {
      const never: never = v;
      return never;
    }
  }
}

export function engineVrfSource(config: () => Config, daemon: Daemon): VrfSource {
  const base = configVrfSource(config, daemon);
  return {
    vrfs: () => base.vrfs(),
    vrfRoutes: (name, family) => base.vrfRoutes(name, family),
    conflicts() {
      const engine = daemon.leak;
      if (!engine) return base.conflicts();
      return [...engine.conflicts.values()].map((c) => {
        const loser = c.losers[0];
        return {
          vrf: c.vrf,
          prefix: prefixToText(c.prefix),
          winner: routeView(c.winner, true).source,
          loser: loser ? routeView(loser, false).source : 'leaked',
          fromVrf: loser?.origin.kind === 'leaked' ? loser.origin.fromVrf : null,
        };
      });
    },
    violations() {
      return (daemon.monitor?.violations() ?? []).map(violationView);
    },
    graph() {
      // From what runs: the engine's VRFs and policies (export maps' route targets included), each
      // edge with the routes it carries now, each cycle with what allow-reexport lets through.
      const defs = daemon.leak?.config.vrfs ?? daemon.opts.vrfs;
      const g = leakGraph(defs, daemon.leak?.config.policies ?? daemon.opts.policies);
      const live = liveEdgeRoutes(
        daemon.rib,
        defs.map((v) => v.name),
      );
      const maps = new Map(defs.map((v) => [v.name, v.importMap ?? null]));
      const edges: LeakEdge[] = [];
      for (const e of g.edges) {
        const same = edges.find((x) => x.from === e.from && x.to === e.to && x.via === e.via);
        if (same && e.via === 'rt') {
          same.routeTargets.push(e.label);
          if (e.exportMap && !same.exportMaps?.includes(e.exportMap))
            same.exportMaps = [...(same.exportMaps ?? []), e.exportMap];
        } else
          edges.push({
            from: e.from,
            to: e.to,
            via: e.via,
            routeTargets: e.via === 'rt' ? [e.label] : [],
            policy: e.via === 'rt' ? (maps.get(e.to) ?? null) : e.via === 'static' ? null : e.label,
            exportMaps: e.exportMap ? [e.exportMap] : [],
            routes: live.get(edgeKey(e)) ?? 0,
          });
      }
      const cycleCarry = g.cycles.map((vrfs, i) => ({ vrfs, ...g.cycleCarry[i]! }));
      return {
        vrfs: g.vrfs,
        edges,
        cycles: g.cycles,
        cycleCarry: cycleCarry.map((c) => ({ ...c, reexporters: [...c.reexporters] })),
      };
    },
    explain(vrf, prefix) {
      const engine = daemon.leak;
      if (!engine) return base.explain(vrf, prefix);
      const e = explain(daemon.rib, engine, vrf, prefixFromText(prefix), prefix);
      if (!e) return undefined;
      const steps = e.candidates.map(step);
      if (steps.length === 0)
        steps.push(
          'no route for this prefix anywhere vrfleak looks (VRF, VPN table, default table)',
        );
      // Whether the VRF's CEs are sent it, and why not (explain-ce.ts).
      const advertised = ceAdvertisement(daemon, vrf, prefixFromText(prefix));
      steps.push(...advertised.map(ceStep));
      return { vrf, prefix, present: e.present, steps, candidates: e.candidates, advertised };
    },
  };
}
