// VyOS `set` commands: `vrf name V table T`, `vrf name V protocols bgp address-family
// ipv4-unicast` (rd, route-target import|export|both, the `vpn` forms, route-map vpn, label, import
// vrf, network), `vrf name V protocols static route P next-hop|interface X [vrf W]`, interfaces'
// `vrf` and `address`, `policy prefix-list|prefix-list6 NAME rule N`, `policy route-map NAME rule N`.

import { ifaceAddressProblem, isIp, prefixProblem, rdProblem, rtProblem } from './addr.js';
import { addStatic } from './cisco.js';
import { routeMapClause } from './cisco-policy.js';
import type { Cx, Dialect } from './context.js';
import {
  interfaceOf,
  prefixEntryOf,
  routeMapEntryOf,
  sourced,
  vrfOf,
  type Afi,
  type DraftVrf,
} from './draft.js';
import type { Match, Rule } from './lines.js';

type R = Rule<Cx>;
const VRF_AF = 'set vrf name $vrf protocols bgp address-family $af:ipv4-unicast|ipv6-unicast';
const afiOf = (m: Match): Afi => (m.args.af === 'ipv6-unicast' ? 'ipv6' : 'ipv4');
/** VyOS takes several values in one quoted word: `route-target import '65000:1 65000:2'`. */
const values = (rest: readonly string[]) =>
  rest.flatMap((w) => w.split(/\s+/)).filter((w) => w !== '');

function addRts(v: DraftVrf, dir: string, rts: readonly string[], line: number): void {
  for (const rt of rts) {
    if (dir !== 'export') v.importRts.push(sourced(rt, line));
    if (dir !== 'import') v.exportRts.push(sourced(rt, line));
  }
}

function rtRule(pattern: string): R {
  return {
    in: ['global'],
    pattern,
    run: (m, cx) => {
      const rts = values(m.rest);
      const bad = rts.find((r) => rtProblem(r));
      if (bad !== undefined || rts.length === 0)
        return cx.leftOut(`"${bad ?? ''}" is not a route target`);
      addRts(vrfOf(cx.d, m.args.vrf!, cx.no), m.args.dir!, rts, cx.no);
      cx.ok(`vrfs.${m.args.vrf}.route-targets (${m.args.dir})`);
    },
  };
}

function vrfValue(
  pattern: string,
  key: 'rd' | 'label' | 'importMap' | 'exportMap',
  check: (t: string) => string | undefined,
  path: string,
): R {
  return {
    in: ['global'],
    pattern,
    run: (m, cx) => {
      const text = m.args.x!;
      const why = check(text);
      if (why) return cx.leftOut(why);
      const v = vrfOf(cx.d, m.args.vrf!, cx.no);
      const value = key === 'label' ? (text === 'auto' ? 'auto' : Number(text)) : text;
      const had = v[key];
      if (had && had.value !== value)
        return cx.leftOut(
          `vrfleak has one ${path} per VRF for both families; line ${had.lines[0]}'s is kept`,
        );
      if (had) had.lines.push(cx.no);
      else (v[key] as unknown) = sourced(value, cx.no);
      cx.ok(`vrfs.${v.name}.${path}`);
    },
  };
}

const labelProblem = (t: string) =>
  t === 'auto' || (/^\d+$/.test(t) && Number(t) >= 16 && Number(t) <= 1048575)
    ? undefined
    : `label ${t} is outside 16..1048575`;

/** `... static route P next-hop NH [vrf W]` / `... interface IF [vrf W]`, in a VRF or not. */
function staticRule(prefixWords: string, vrfOfMatch: (m: Match) => string | undefined): R[] {
  const run = (m: Match, cx: Cx) => {
    const why = prefixProblem(m.args.p!);
    if (why) return cx.leftOut(why);
    const [kw, nhVrf] = m.rest;
    if (m.rest.length && (kw?.toLowerCase() !== 'vrf' || nhVrf === undefined || m.rest.length > 2))
      return cx.leftOut(`"${m.rest.join(' ')}" (distance, bfd...) is not translated`);
    const via = m.args.via!;
    if (m.args.kind === 'next-hop' && !isIp(via)) return cx.leftOut(`"${via}" is not an address`);
    const route = {
      prefix: m.args.p!,
      ...(m.args.kind === 'next-hop' ? { nextHop: via } : { iface: via }),
      ...(nhVrf !== undefined ? { nextHopVrf: nhVrf } : {}),
    };
    addStatic(cx, vrfOfMatch(m), route, []);
  };
  return [
    {
      in: ['global'],
      pattern: `${prefixWords} $r:route|route6 $p $kind:next-hop|interface $via ...`,
      run,
    },
    {
      in: ['global'],
      pattern: `${prefixWords} $r:route|route6 $p $kind:blackhole|reject ...`,
      run: (_m, cx) => cx.leftOut('vrfleak has no discard routes'),
    },
  ];
}

const RULES: readonly R[] = [
  ...['configure', 'commit', 'save', 'exit', 'compare', 'exit discard', 'commit-confirm ...'].map(
    (pattern): R => ({
      in: ['global'],
      pattern,
      run: (_m, cx) => cx.ignore('a session command; no effect'),
    }),
  ),
  ...['show ...', 'ping ...', 'traceroute ...', 'run ...', 'monitor ...'].map((pattern): R => ({
    in: ['global'],
    pattern,
    run: (_m, cx) => cx.leftOut('an operational command, not configuration'),
  })),
  {
    in: ['global'],
    pattern: 'set vrf name $vrf table $t',
    run: (m, cx) => {
      const t = Number(m.args.t);
      if (!Number.isInteger(t) || t < 1) return cx.leftOut(`"${m.args.t}" is not a table number`);
      vrfOf(cx.d, m.args.vrf!, cx.no).table = sourced(t, cx.no);
      cx.ok(`vrfs.${m.args.vrf} (the kernel table number is not needed by vrfleak)`);
    },
  },
  {
    in: ['global'],
    pattern: 'set vrf name $vrf description ...',
    run: (_m, cx) => cx.ignore('a description'),
  },
  ...[
    'set vrf name $vrf protocols bgp system-as $asn',
    'set protocols bgp system-as $asn',
    'set protocols bgp local-as $asn',
  ].map((pattern): R => ({
    in: ['global'],
    pattern,
    run: (m, cx) => {
      const asn = Number(m.args.asn);
      if (!Number.isInteger(asn) || asn < 1)
        return cx.leftOut(`"${m.args.asn}" is not an AS number`);
      if (cx.d.asn && cx.d.asn.value !== asn)
        return cx.leftOut(`vrfleak has one AS (${cx.d.asn.value}, line ${cx.d.asn.lines[0]})`);
      if (cx.d.asn) cx.d.asn.lines.push(cx.no);
      else cx.d.asn = sourced(asn, cx.no);
      if (m.args.vrf !== undefined) vrfOf(cx.d, m.args.vrf, cx.no);
      cx.ok('asn');
    },
  })),
  {
    in: ['global'],
    pattern: 'set protocols bgp parameters router-id $id',
    run: (m, cx) => {
      cx.d.routerId = sourced(m.args.id!, cx.no);
      cx.ok('router-id');
    },
  },
  vrfValue(`${VRF_AF} rd $x`, 'rd', rdProblem, 'rd'),
  vrfValue(`${VRF_AF} rd vpn export $x`, 'rd', rdProblem, 'rd'),
  vrfValue(`${VRF_AF} label vpn export $x`, 'label', labelProblem, 'label'),
  vrfValue(`${VRF_AF} route-map vpn import $x`, 'importMap', () => undefined, 'import-map'),
  vrfValue(`${VRF_AF} route-map vpn export $x`, 'exportMap', () => undefined, 'export-map'),
  rtRule(`${VRF_AF} route-target $dir:import|export|both ...`),
  rtRule(`${VRF_AF} route-target vpn $dir:import|export|both ...`),
  {
    in: ['global'],
    pattern: `${VRF_AF} import vrf $from`,
    run: (m, cx) => {
      vrfOf(cx.d, m.args.vrf!, cx.no).importVrfs.push(sourced({ from: m.args.from! }, cx.no));
      cx.ok(`vrfs.${m.args.vrf}: imports from ${m.args.from} (route targets made up as FRR does)`);
    },
  },
  {
    in: ['global'],
    pattern: `${VRF_AF} $dir:import|export vpn`,
    run: (m, cx) => {
      const v = vrfOf(cx.d, m.args.vrf!, cx.no);
      v.vpnGate ??= { import: new Set(), export: new Set() };
      v.vpnGate[m.args.dir as 'import' | 'export'].add(afiOf(m));
      cx.ok(`vrfs.${v.name}: ${m.args.dir} through the VPN table`);
    },
  },
  {
    in: ['global'],
    pattern: `${VRF_AF} network $p`,
    run: (m, cx) => {
      const why = prefixProblem(m.args.p!);
      if (why) return cx.leftOut(why);
      vrfOf(cx.d, m.args.vrf!, cx.no).networks.push(sourced(m.args.p!, cx.no));
      cx.ok(`vrfs.${m.args.vrf}.networks`);
    },
  },
  {
    in: ['global'],
    pattern: `${VRF_AF} redistribute $what:connected|static ...`,
    run: (_m, cx) =>
      cx.ignore("vrfleak exports a VRF's connected and static routes without redistribution"),
  },
  {
    in: ['global'],
    pattern: 'set protocols bgp address-family ipv4-unicast import vrf $from',
    run: (m, cx) => {
      cx.d.intoDefault.push(sourced({ from: m.args.from! }, cx.no));
      cx.ok(`vrfs.${m.args.from}.leak-to-default`);
    },
  },
  ...staticRule('set vrf name $vrf protocols static', (m) => m.args.vrf),
  ...staticRule('set protocols static', () => undefined),
  ...['set vrf name $vrf protocols bgp ...', 'set protocols bgp ...'].map((pattern): R => ({
    in: ['global'],
    pattern,
    run: (_m, cx) =>
      cx.leftOut(
        'BGP sessions and settings are not translated (the VRF and leaking configuration is)',
      ),
  })),
  {
    in: ['global'],
    pattern: 'set interfaces $type $if vrf $vrf',
    run: (m, cx) => {
      interfaceOf(cx.d, m.args.if!, cx.no).vrf = sourced(m.args.vrf!, cx.no);
      cx.ok(`interface ${m.args.if} in vrf ${m.args.vrf}`);
    },
  },
  {
    in: ['global'],
    pattern: 'set interfaces $type $if address $a',
    run: (m, cx) => {
      const why = ifaceAddressProblem(m.args.a!);
      if (why) return cx.leftOut(`${why} (dhcp addresses are not translated)`);
      const i = interfaceOf(cx.d, m.args.if!, cx.no);
      if (i.address)
        return cx.leftOut(`vrfleak takes one address per interface (line ${i.address.lines[0]})`);
      i.address = sourced(m.args.a!, cx.no);
      cx.ok(`interface ${m.args.if} address ${m.args.a}`);
    },
  },
  {
    in: ['global'],
    pattern: 'set interfaces ...',
    run: (_m, cx) => cx.ignore('no effect on routing tables'),
  },
  {
    in: ['global'],
    pattern: 'set policy $kind:prefix-list|prefix-list6 $name rule $seq $k:prefix|action|le|ge $v',
    run: (m, cx) => {
      const seq = Number(m.args.seq);
      if (!Number.isInteger(seq) || seq < 1)
        return cx.leftOut('the rule number is not a positive number');
      const e = prefixEntryOf(cx.d, m.args.name!, seq, cx.no);
      const v = m.args.v!;
      if (m.args.kind === 'prefix-list6') e.value.v6 = true;
      if (m.args.k === 'prefix') {
        const why = prefixProblem(v);
        if (why) return cx.leftOut(why);
        e.value.prefix = v;
      } else if (m.args.k === 'action') {
        if (v !== 'permit' && v !== 'deny') return cx.leftOut('expected permit or deny');
        e.value.action = v;
      } else {
        const n = Number(v);
        if (!Number.isInteger(n)) return cx.leftOut(`"${v}" is not a length`);
        e.value[m.args.k as 'ge' | 'le'] = n;
      }
      cx.ok(`policy.prefix-lists.${m.args.name} seq ${seq}`);
    },
  },
  {
    in: ['global'],
    pattern: 'set policy $kind:prefix-list|prefix-list6 $name ...',
    run: (_m, cx) => cx.ignore('a description'),
  },
  {
    in: ['global'],
    pattern: 'set policy route-map $name rule $seq ...',
    run: (m, cx) => {
      const seq = Number(m.args.seq);
      if (!Number.isInteger(seq) || seq < 1)
        return cx.leftOut('the rule number is not a positive number');
      const [k, v] = m.rest;
      if (
        k?.toLowerCase() === 'action' &&
        (v === 'permit' || v === 'deny') &&
        m.rest.length === 2
      ) {
        routeMapEntryOf(cx.d, m.args.name!, seq, cx.no).value.action = v;
        return cx.ok(`policy.route-maps.${m.args.name} seq ${seq}`);
      }
      routeMapEntryOf(cx.d, m.args.name!, seq, cx.no);
      // VyOS spells prepend `set as-path prepend '65000 65000'` and the community list match longer.
      const words = values(m.rest).map((w) => w);
      if (words[0] === 'match' && words[1] === 'community' && words[2] === 'community-list')
        words.splice(2, 1);
      if (!routeMapClause(words, cx, m.args.name!, seq))
        cx.leftOut(`vrfleak route maps have no "${m.rest.join(' ')}"`);
    },
  },
  {
    in: ['global'],
    pattern: 'set firewall ...',
    run: (_m, cx) =>
      cx.leftOut(
        'firewall rules filter traffic, not routes: vrfleak has none (keep them on the router)',
      ),
  },
  ...['set system ...', 'set service ...'].map((pattern): R => ({
    in: ['global'],
    pattern,
    run: (_m, cx) => cx.ignore('not routing policy: vrfleak has no equivalent'),
  })),
];

export const vyos: Dialect = {
  name: 'vyos',
  syntax: { comment: ['#'], prompt: /^\s*[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+#\s?/ },
  rules: RULES,
};
