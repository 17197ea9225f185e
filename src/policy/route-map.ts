// Route-map evaluation with FRR semantics:
//  - clauses run in seq order; a clause matches when every match condition holds (none: always);
//  - a matching deny clause ends evaluation with deny (the route is left as it came in);
//  - a matching permit clause applies its sets and ends with permit, unless it says `continue`
//    [seq] / `on-match next` / `on-match goto seq`: then evaluation goes on from there against the
//    modified route, and ends with permit if no later clause matches (a later deny still denies);
//  - if no clause matches, the route is denied (implicit deny). A route map with no clauses
//    therefore denies everything, as in FRR.
// Evaluation is pure. Without `trace: true` it short-circuits conditions and builds no strings.

export type { PolicyLists } from './lists.js';

import type { ValueList } from './community-list.js';
import { explainValueList, valueListPermits } from './community-list.js';
import { explainPrefixList, prefixListPermits } from './prefix-list.js';
import type { PolicyLists } from './lists.js';
import type { CompiledSets } from './sets.js';
import { applySets } from './sets.js';
import type {
  Action,
  MatchKind,
  PolicyRoute,
  RouteMapResult,
  SourceProtocol,
  TraceCondition,
  TraceOutcome,
  TraceStep,
} from './types.js';

export interface CompiledMatch {
  readonly prefixList?: string;
  readonly communityList?: string;
  readonly largeCommunityList?: string;
  readonly extCommunityList?: string;
  readonly sourceVrf?: string;
  readonly sourceProtocol?: SourceProtocol;
}

export interface CompiledClause {
  readonly seq: number;
  readonly action: Action;
  readonly match: CompiledMatch;
  readonly sets: CompiledSets | undefined;
  /** After a permit: the index of the clause to go on at; -1 stops. May equal clauses.length. */
  readonly next: number;
}

export interface CompiledRouteMap {
  readonly name: string;
  /** Sorted by seq. */
  readonly clauses: readonly CompiledClause[];
}

export interface EvaluateOptions {
  /** Build the clause-by-clause trace (slower; for `explain` and `show`). */
  readonly trace?: boolean;
}

const NO_TRACE: readonly TraceStep[] = Object.freeze([]);

function missing(kind: MatchKind, name: string): TraceCondition {
  return { match: kind, ok: false, detail: `${kind} ${name} is not defined` };
}

function listCond<T>(
  kind: MatchKind,
  name: string,
  l: ValueList<T> | undefined,
  have: readonly T[],
): TraceCondition {
  if (l === undefined) return missing(kind, name);
  return { match: kind, ok: valueListPermits(l, have), detail: explainValueList(l, have) };
}

/** Every condition, evaluated for the trace (no short-circuit, so `explain` shows them all). */
function traceConditions(m: CompiledMatch, r: PolicyRoute, ctx: PolicyLists): TraceCondition[] {
  const out: TraceCondition[] = [];
  if (m.prefixList !== undefined) {
    const l = ctx.prefixLists.get(m.prefixList);
    out.push(
      l === undefined
        ? missing('prefix-list', m.prefixList)
        : {
            match: 'prefix-list',
            ok: prefixListPermits(l, r.prefix),
            detail: explainPrefixList(l, r.prefix),
          },
    );
  }
  if (m.communityList !== undefined) {
    const name = m.communityList;
    out.push(listCond('community-list', name, ctx.communityLists.get(name), r.communities));
  }
  if (m.largeCommunityList !== undefined) {
    const name = m.largeCommunityList;
    const l = ctx.largeCommunityLists.get(name);
    out.push(listCond('large-community-list', name, l, r.largeCommunities));
  }
  if (m.extCommunityList !== undefined) {
    const name = m.extCommunityList;
    const l = ctx.extCommunityLists.get(name);
    out.push(listCond('ext-community-list', name, l, r.extCommunities));
  }
  if (m.sourceVrf !== undefined) {
    const ok = r.sourceVrf === m.sourceVrf;
    const from = r.sourceVrf === undefined ? 'the default table' : `VRF ${r.sourceVrf}`;
    out.push({
      match: 'source-vrf',
      ok,
      detail: `source ${from} ${ok ? 'is' : 'is not'} VRF ${m.sourceVrf}`,
    });
  }
  if (m.sourceProtocol !== undefined) {
    const ok = r.source === m.sourceProtocol;
    out.push({
      match: 'source-protocol',
      ok,
      detail: `source protocol ${r.source} ${ok ? 'is' : 'is not'} ${m.sourceProtocol}`,
    });
  }
  return out;
}

/** The fast path: short-circuits, allocates nothing. */
function matches(m: CompiledMatch, r: PolicyRoute, ctx: PolicyLists): boolean {
  if (m.sourceProtocol !== undefined && r.source !== m.sourceProtocol) return false;
  if (m.sourceVrf !== undefined && r.sourceVrf !== m.sourceVrf) return false;
  if (m.prefixList !== undefined) {
    const l = ctx.prefixLists.get(m.prefixList);
    if (l === undefined || !prefixListPermits(l, r.prefix)) return false;
  }
  if (m.communityList !== undefined) {
    const l = ctx.communityLists.get(m.communityList);
    if (l === undefined || !valueListPermits(l, r.communities)) return false;
  }
  if (m.largeCommunityList !== undefined) {
    const l = ctx.largeCommunityLists.get(m.largeCommunityList);
    if (l === undefined || !valueListPermits(l, r.largeCommunities)) return false;
  }
  if (m.extCommunityList !== undefined) {
    const l = ctx.extCommunityLists.get(m.extCommunityList);
    if (l === undefined || !valueListPermits(l, r.extCommunities)) return false;
  }
  return true;
}

export function evaluateRouteMap(
  map: CompiledRouteMap,
  input: PolicyRoute,
  ctx: PolicyLists,
  opts?: EvaluateOptions,
): RouteMapResult {
  const tracing = opts?.trace === true;
  const trace: TraceStep[] | undefined = tracing ? [] : undefined;
  const clauses = map.clauses;
  let route = input;
  let permittedBy: number | undefined;
  let i = 0;
  while (i < clauses.length) {
    const c = clauses[i] as CompiledClause;
    let ok: boolean;
    let conditions: TraceCondition[] | undefined;
    if (trace !== undefined) {
      conditions = traceConditions(c.match, route, ctx);
      ok = conditions.every((x) => x.ok);
    } else {
      ok = matches(c.match, route, ctx);
    }
    if (!ok) {
      trace?.push(step(c, false, conditions, [], { kind: 'no-match' }));
      i++;
      continue;
    }
    if (c.action === 'deny') {
      trace?.push(step(c, true, conditions, [], { kind: 'deny' }));
      return { result: 'deny', route: input, trace: trace ?? NO_TRACE, decidedBy: c.seq };
    }
    const applied: string[] | undefined = trace !== undefined ? [] : undefined;
    if (c.sets !== undefined) route = applySets(c.sets, route, ctx, applied);
    permittedBy = c.seq;
    if (c.next === -1) {
      trace?.push(step(c, true, conditions, applied ?? [], { kind: 'permit' }));
      return { result: 'permit', route, trace: trace ?? NO_TRACE, decidedBy: c.seq };
    }
    if (trace !== undefined) {
      const to = clauses[c.next]?.seq;
      trace.push(step(c, true, conditions, applied ?? [], { kind: 'continue', seq: to }));
    }
    i = c.next;
  }
  if (permittedBy !== undefined) {
    return { result: 'permit', route, trace: trace ?? NO_TRACE, decidedBy: permittedBy };
  }
  return { result: 'deny', route: input, trace: trace ?? NO_TRACE, decidedBy: undefined };
}

function step(
  c: CompiledClause,
  matched: boolean,
  conditions: TraceCondition[] | undefined,
  sets: string[],
  outcome: TraceOutcome,
): TraceStep {
  return { seq: c.seq, action: c.action, matched, conditions: conditions ?? [], sets, outcome };
}

/** A one-line-per-clause rendering of a trace, for logs and the CLI. */
export function formatTrace(mapName: string, r: RouteMapResult): string[] {
  const lines = r.trace.map((s) => {
    const conds = s.conditions.map((c) => `${c.ok ? '+' : '-'} ${c.detail}`).join('; ');
    const sets = s.sets.length > 0 ? ` set: ${s.sets.join(', ')}` : '';
    const o = s.outcome;
    const what =
      o.kind === 'continue'
        ? `continue at ${o.seq === undefined ? 'end' : `seq ${o.seq}`}`
        : o.kind;
    return `route-map ${mapName} ${s.action} ${s.seq}: ${conds || 'no match conditions'}${sets} -> ${what}`;
  });
  const by = r.decidedBy === undefined ? 'implicit deny' : `seq ${r.decidedBy}`;
  lines.push(`route-map ${mapName}: ${r.result} (${by})`);
  return lines;
}
