// Policy commands IOS, Dell OS9 and FRR spell alike (VyOS reuses the clauses): prefix lists,
// community and ext-community lists, route-map clauses. A clause whose match vrfleak lacks is left
// out whole; a set vrfleak lacks is left out alone.

import { isIp, prefixProblem, rtProblem } from './addr.js';
import type { Cx } from './context.js';
import { prefixEntryOf, routeMapEntryOf, sourced } from './draft.js';
import { matchWords, type Rule } from './lines.js';

type R = Rule<Cx>;

/** `ip|ipv6 prefix-list NAME [seq N] permit|deny P [ge N] [le N]` */
function prefixList(m: { args: Record<string, string>; rest: readonly string[] }, cx: Cx): void {
  const name = m.args.name!;
  let w = [...m.rest];
  if (w[0]?.toLowerCase() === 'description') return cx.ignore('a description');
  let seq: number | undefined;
  if (w[0]?.toLowerCase() === 'seq') {
    seq = Number(w[1]);
    w = w.slice(2);
  }
  const action = w[0]?.toLowerCase();
  if (action !== 'permit' && action !== 'deny') return cx.leftOut('expected permit or deny');
  let prefix = w[1] ?? '';
  if (prefix.toLowerCase() === 'any') prefix = m.args.afi === 'ipv6' ? '::/0' : '0.0.0.0/0';
  const why = prefixProblem(prefix);
  if (why) return cx.leftOut(why);
  const entry: { ge?: number; le?: number } = {};
  for (let i = 2; i < w.length; i += 2) {
    const k = w[i]?.toLowerCase();
    const v = Number(w[i + 1]);
    if ((k !== 'ge' && k !== 'le') || !Number.isInteger(v))
      return cx.leftOut(`"${w[i]}" is not ge/le`);
    entry[k] = v;
  }
  // IOS and FRR number an entry without seq 5 past the last one.
  const list = cx.d.prefixLists.get(name);
  seq ??= Math.max(0, ...(list ? [...list.keys()] : [])) + 5;
  if (!Number.isInteger(seq) || seq < 1) return cx.leftOut('seq is not a positive number');
  const e = prefixEntryOf(cx.d, name, seq, cx.no);
  e.value = { action, prefix, ...entry };
  cx.ok(`policy.prefix-lists.${name} seq ${seq}`);
}

function communityList(key: 'communityLists' | 'extCommunityLists') {
  return (m: { args: Record<string, string>; rest: readonly string[] }, cx: Cx): void => {
    const action = m.args.action as 'permit' | 'deny';
    let values = [...m.rest];
    if (key === 'extCommunityLists') {
      // Only route targets: `rt X Y` (soo likewise) -> rt:X, rt:Y.
      const out: string[] = [];
      for (let i = 0; i < values.length; i += 2) {
        const kind = values[i]?.toLowerCase();
        const v = values[i + 1];
        if ((kind !== 'rt' && kind !== 'soo') || v === undefined || rtProblem(v))
          return cx.leftOut(`only "rt VALUE" and "soo VALUE" entries are translated`);
        out.push(`${kind}:${v}`);
      }
      values = out;
    }
    if (values.length === 0) return cx.leftOut('no values');
    const lists = cx.d[key];
    const list = lists.get(m.args.name!) ?? [];
    lists.set(m.args.name!, list);
    list.push(sourced({ action, values }, cx.no));
    cx.ok(
      `policy.${key === 'communityLists' ? 'community' : 'ext-community'}-lists.${m.args.name}`,
    );
  };
}

/** `match ...` clauses vrfleak route maps have (FRR's spelling; IOS shares the common ones). */
const MATCHES: ReadonlyArray<{ pattern: string; key: string; arg: string }> = [
  { pattern: 'match ip address prefix-list $v', key: 'prefix-list', arg: 'v' },
  { pattern: 'match ipv6 address prefix-list $v', key: 'prefix-list', arg: 'v' },
  { pattern: 'match community $v', key: 'community-list', arg: 'v' },
  { pattern: 'match extcommunity $v', key: 'ext-community-list', arg: 'v' },
  { pattern: 'match large-community $v', key: 'large-community-list', arg: 'v' },
  { pattern: 'match source-vrf $v', key: 'source-vrf', arg: 'v' },
];

const PROTOCOLS: Record<string, string> = { connected: 'connected', static: 'static', bgp: 'bgp' };

function entry(cx: Cx & { mode: { at: Record<string, string> } }) {
  return routeMapEntryOf(cx.d, cx.mode.at.rm!, Number(cx.mode.at.seq), cx.no);
}

function numberSet(key: string) {
  return (
    m: { args: Record<string, string> },
    cx: Cx & { mode: { at: Record<string, string> } },
  ) => {
    const v = Number(m.args.v);
    if (!Number.isInteger(v) || v < 0)
      return cx.leftOut(`"${m.args.v}" is not a number vrfleak can set`);
    entry(cx).value.set[key] = v;
    cx.ok(`route map clause: set ${key}`);
  };
}

/** Rules of route-map clauses, prefix lists, community lists: `global` and `route-map` modes. */
export const POLICY_RULES: readonly R[] = [
  { in: ['global'], pattern: '$afi:ip|ipv6 prefix-list $name ...', run: prefixList },
  ...[
    'ip community-list standard $name $action:permit|deny ...',
    'ip community-list $name $action:permit|deny ...',
    'bgp community-list standard $name $action:permit|deny ...',
    'bgp community-list $name $action:permit|deny ...',
  ].map((pattern): R => ({ in: ['global'], pattern, run: communityList('communityLists') })),
  ...[
    'ip extcommunity-list standard $name $action:permit|deny ...',
    'bgp extcommunity-list standard $name $action:permit|deny ...',
    'bgp extcommunity-list $name $action:permit|deny ...',
  ].map((pattern): R => ({ in: ['global'], pattern, run: communityList('extCommunityLists') })),
  {
    in: ['global'],
    pattern: 'route-map $rm ...',
    run: (m, cx) => {
      const [a, s] = m.rest;
      const action = (a ?? 'permit').toLowerCase();
      const seq = Number(s ?? 10);
      if ((action !== 'permit' && action !== 'deny') || !Number.isInteger(seq) || seq < 1)
        return cx.leftOut('expected route-map NAME permit|deny SEQ');
      const e = routeMapEntryOf(cx.d, m.args.rm!, seq, cx.no);
      e.value.action = action;
      cx.ok(`policy.route-maps.${m.args.rm} seq ${seq}`);
      cx.enter('route-map', { rm: m.args.rm!, seq: String(seq) });
    },
  },
  ...MATCHES.map((x): R => ({
    in: ['route-map'],
    pattern: x.pattern,
    run: (m, cx) => {
      entry(cx).value.match[x.key] = m.args[x.arg]!;
      cx.ok(`route map clause: match ${x.key}`);
    },
  })),
  {
    in: ['route-map'],
    pattern: 'match source-protocol $p',
    run: (m, cx) => {
      const p = PROTOCOLS[m.args.p!.toLowerCase()];
      if (!p) return unmatchable(cx, `match source-protocol ${m.args.p}`);
      entry(cx).value.match['source-protocol'] = p;
      cx.ok('route map clause: match source-protocol');
    },
  },
  {
    in: ['route-map'],
    pattern: 'match ...',
    run: (m, cx) => unmatchable(cx, `match ${m.rest.join(' ')}`),
  },
  { in: ['route-map'], pattern: 'set local-preference $v', run: numberSet('local-preference') },
  { in: ['route-map'], pattern: 'set metric $v', run: numberSet('med') },
  { in: ['route-map'], pattern: 'set weight $v', run: numberSet('weight') },
  {
    in: ['route-map'],
    pattern: 'set as-path prepend ...',
    run: (m, cx) => {
      const asns = m.rest.map(Number);
      if (asns.length === 0 || !asns.every((a) => Number.isInteger(a) && a > 0))
        return cx.leftOut('vrfleak prepends AS numbers only (not last-as)');
      entry(cx).value.set['as-path-prepend'] = asns;
      cx.ok('route map clause: set as-path-prepend');
    },
  },
  {
    in: ['route-map'],
    pattern: 'set $v:ip|ipv6 next-hop $nh',
    run: (m, cx) => {
      if (!isIp(m.args.nh!))
        return cx.leftOut(`vrfleak sets a next hop address only, not "${m.args.nh}"`);
      entry(cx).value.set['next-hop'] = m.args.nh!;
      cx.ok('route map clause: set next-hop');
    },
  },
  {
    in: ['route-map'],
    pattern: 'set extcommunity rt ...',
    run: (m, cx) => {
      const additive = m.rest.some((w) => w.toLowerCase() === 'additive');
      const rts = m.rest.filter((w) => w.toLowerCase() !== 'additive');
      const bad = rts.find((r) => rtProblem(r));
      if (bad !== undefined || rts.length === 0)
        return cx.leftOut(`"${bad ?? ''}" is not a route target`);
      entry(cx).value.set['route-target'] = additive ? { add: rts } : { replace: rts };
      cx.ok(`route map clause: set route-target ${additive ? 'add' : 'replace'}`);
    },
  },
  {
    in: ['route-map'],
    pattern: 'set community ...',
    run: (m, cx) => {
      const additive = m.rest.some((w) => w.toLowerCase() === 'additive');
      const cs = m.rest.filter((w) => w.toLowerCase() !== 'additive');
      if (cs.length === 1 && cs[0]!.toLowerCase() === 'none') {
        entry(cx).value.set.community = { replace: [] };
      } else entry(cx).value.set.community = additive ? { add: cs } : { replace: cs };
      cx.ok('route map clause: set community');
    },
  },
  {
    in: ['route-map'],
    pattern: 'continue ...',
    run: (m, cx) => {
      const n = m.rest[0] === undefined ? true : Number(m.rest[0]);
      if (n !== true && !Number.isInteger(n)) return cx.leftOut('continue takes a seq');
      entry(cx).value.continue = n;
      cx.ok('route map clause: continue');
    },
  },
  {
    in: ['route-map'],
    pattern: 'on-match next',
    run: (_m, cx) => {
      entry(cx).value.onMatchNext = true;
      cx.ok('route map clause: on-match next');
    },
  },
  { in: ['route-map'], pattern: 'description ...', run: (_m, cx) => cx.ignore('a description') },
  {
    in: ['route-map'],
    pattern: 'set ...',
    run: (m, cx) =>
      cx.leftOut(
        `vrfleak route maps have no "set ${m.rest.join(' ')}"; the clause is kept without it`,
      ),
  },
];

/** A match vrfleak lacks: without it the clause would match more, so the whole clause goes. */
function unmatchable(cx: Cx & { mode: { at: Record<string, string> } }, what: string): void {
  const e = entry(cx);
  e.dropped = `vrfleak route maps have no "${what}"; the clause is left out whole (without the match it would match more)`;
  cx.leftOut(e.dropped);
}

/**
 * Runs one route-map clause (`match ...`, `set ...`, `continue`, ...) in clause `seq` of `rm`, for
 * dialects that spell the clause as IOS does but address it another way (VyOS `rule N`).
 */
export function routeMapClause(words: readonly string[], cx: Cx, rm: string, seq: number): boolean {
  const mode = { name: 'route-map', at: { rm, seq: String(seq) }, indent: -1 };
  for (const rule of POLICY_RULES) {
    if (!rule.in.includes('route-map')) continue;
    const m = matchWords(rule.pattern, words);
    if (!m) continue;
    rule.run(
      m,
      Object.assign({}, cx, {
        mode,
        line: { no: cx.no, indent: 0, text: words.join(' '), words },
        enter: () => undefined,
        exit: () => undefined,
      }),
    );
    return true;
  }
  return false;
}
