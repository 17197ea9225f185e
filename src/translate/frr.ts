// FRR 8: `router bgp ASN vrf NAME` with, per address family, `rd vpn export`, `rt vpn
// import|export|both`, `route-map vpn import|export`, `label vpn export`, `nexthop vpn export`,
// `import vrf NAME` (and its route-map), `import vpn` / `export vpn`, `network`; the default
// instance's `import vrf` (a VRF leaking into the global table); staticd's `ip route ... vrf V
// nexthop-vrf W` and `vrf V` blocks; zebra's interfaces; prefix lists and route maps.

import { isIp, prefixProblem, rdProblem, rtProblem } from './addr.js';
import { COMMON_RULES, INTERFACE_RULES, addStatic, parseStatic } from './cisco.js';
import { POLICY_RULES } from './cisco-policy.js';
import { opaqueBlock, type Cx } from './context.js';
import { sourced, vrfOf, type Afi } from './draft.js';
import type { Dialect } from './context.js';
import type { Rule } from './lines.js';

type R = Rule<Cx>;
type MCx = Cx & { mode: { at: Record<string, string> } };

const AF = 'bgp-vrf-af';
const vrf = (cx: MCx) => vrfOf(cx.d, cx.mode.at.vrf!, cx.no);
const afi = (cx: MCx) => cx.mode.at.afi as Afi;

/** `ip route P NH [IF] [vrf V] [nexthop-vrf W] ...`: FRR names the route's VRF after the next hop. */
function staticRoute(words: readonly string[], inVrf: string | undefined, cx: Cx): void {
  const w = [...words];
  let vrfName = inVrf;
  const at = w.findIndex(
    (x, i) => x.toLowerCase() === 'vrf' && w[i - 1]?.toLowerCase() !== 'nexthop-vrf',
  );
  if (at >= 0) {
    if (inVrf !== undefined) return cx.leftOut('a route in a vrf block names no other vrf');
    vrfName = w[at + 1];
    w.splice(at, 2);
  }
  const r = parseStatic(w, false);
  if (!r.ok) return cx.leftOut(r.why);
  addStatic(cx, vrfName, r.route, r.notes);
}

const STATIC_RULES: readonly R[] = [
  ...['ip route ...', 'ipv6 route ...'].map((pattern): R => ({
    in: ['global', 'static-vrf'],
    pattern,
    run: (m, cx) => staticRoute(m.rest, cx.mode.at.vrf, cx),
  })),
  {
    in: ['global'],
    pattern: 'vrf $vrf',
    run: (m, cx) => {
      cx.ignore('a vrf block (its routes follow)');
      cx.enter('static-vrf', { vrf: m.args.vrf! });
    },
  },
  { in: ['static-vrf'], pattern: 'vni ...', run: (_m, cx) => cx.leftOut('EVPN is not translated') },
];

/** A per-family setting vrfleak keeps once per VRF: the first family's value stays. */
function once<K extends 'rd' | 'label' | 'importMap' | 'exportMap'>(
  cx: MCx,
  key: K,
  value: NonNullable<ReturnType<typeof vrfOf>[K]>['value'],
  path: string,
): void {
  const v = vrf(cx);
  const had = v[key];
  if (had && had.value !== value) {
    return cx.leftOut(
      `vrfleak has one ${path} per VRF for both families; line ${had.lines[0]}'s ${String(had.value)} is kept`,
    );
  }
  if (had) had.lines.push(cx.no);
  else (v[key] as unknown) = sourced(value, cx.no);
  cx.ok(`vrfs.${v.name}.${path}`);
}

const VRF_AF_RULES: readonly R[] = [
  {
    in: [AF],
    pattern: 'rd vpn export $rd',
    run: (m, cx) => {
      const why = rdProblem(m.args.rd!);
      if (why) return cx.leftOut(why);
      once(cx, 'rd', m.args.rd!, 'rd');
    },
  },
  {
    in: [AF],
    pattern: 'rt vpn $dir:import|export|both ...',
    run: (m, cx) => {
      const bad = m.rest.find((r) => rtProblem(r));
      if (bad !== undefined || m.rest.length === 0)
        return cx.leftOut(`"${bad ?? ''}" is not a route target`);
      const v = vrf(cx);
      for (const rt of m.rest) {
        const add = (list: typeof v.importRts) => {
          const had = list.find((x) => x.value === rt);
          if (had) had.lines.push(cx.no);
          else list.push(sourced(rt, cx.no));
        };
        if (m.args.dir !== 'export') add(v.importRts);
        if (m.args.dir !== 'import') add(v.exportRts);
      }
      cx.ok(`vrfs.${v.name}.route-targets (${m.args.dir})`);
    },
  },
  {
    in: [AF],
    pattern: 'route-map vpn $dir:import|export $rm',
    run: (m, cx) =>
      once(
        cx,
        m.args.dir === 'import' ? 'importMap' : 'exportMap',
        m.args.rm!,
        `${m.args.dir}-map`,
      ),
  },
  {
    in: [AF],
    pattern: 'label vpn export $l',
    run: (m, cx) => {
      const l = m.args.l === 'auto' ? 'auto' : Number(m.args.l);
      if (l !== 'auto' && (!Number.isInteger(l) || l < 16 || l > 1048575))
        return cx.leftOut(`label ${m.args.l} is outside 16..1048575`);
      once(cx, 'label', l, 'label');
    },
  },
  {
    in: [AF],
    pattern: 'nexthop vpn export $nh',
    run: (m, cx) => {
      if (!isIp(m.args.nh!)) return cx.leftOut(`"${m.args.nh}" is not an address`);
      cx.ok(`vrfs.${cx.mode.at.vrf}.export-next-hop`);
      vrf(cx).exportNextHop = sourced(m.args.nh!, cx.no);
    },
  },
  {
    in: [AF, 'bgp-af'],
    pattern: 'import vrf route-map $rm',
    run: (m, cx) => {
      cx.d.importVrfMaps.set(`${cx.mode.at.vrf}`, sourced(m.args.rm!, cx.no));
      cx.ok(
        `the policy of ${cx.mode.at.vrf === 'default' ? 'leak-to-default' : 'import vrf'} leaks`,
      );
    },
  },
  {
    in: [AF],
    pattern: 'import vrf $from',
    run: (m, cx) => {
      const v = vrf(cx);
      v.importVrfs.push(sourced({ from: m.args.from! }, cx.no));
      cx.ok(`vrfs.${v.name}: imports from ${m.args.from} (route targets made up as FRR does)`);
    },
  },
  {
    in: ['bgp-af'],
    pattern: 'import vrf $from',
    run: (m, cx) => {
      cx.d.intoDefault.push(sourced({ from: m.args.from! }, cx.no));
      cx.ok(`vrfs.${m.args.from}.leak-to-default`);
    },
  },
  {
    in: [AF],
    pattern: '$dir:import|export vpn',
    run: (m, cx) => {
      const v = vrf(cx);
      v.vpnGate ??= { import: new Set(), export: new Set() };
      v.vpnGate[m.args.dir as 'import' | 'export'].add(afi(cx));
      cx.ok(`vrfs.${v.name}: ${m.args.dir} through the VPN table`);
    },
  },
  {
    in: [AF],
    pattern: 'network $p ...',
    run: (m, cx) => {
      const why = prefixProblem(m.args.p!);
      if (why) return cx.leftOut(why);
      if (m.rest.length) return cx.leftOut(`"${m.rest.join(' ')}" on a network is not translated`);
      vrf(cx).networks.push(sourced(m.args.p!, cx.no));
      cx.ok(`vrfs.${cx.mode.at.vrf}.networks`);
    },
  },
  {
    in: [AF, 'bgp-af'],
    pattern: 'redistribute $what:connected|static ...',
    run: (_m, cx) =>
      cx.ignore("vrfleak exports a VRF's connected and static routes without redistribution"),
  },
];

const BGP_RULES: readonly R[] = [
  {
    in: ['global'],
    pattern: 'router bgp $asn ...',
    run: (m, cx) => {
      const asn = Number(m.args.asn);
      const [kw, name] = m.rest;
      if (!Number.isInteger(asn) || asn < 1)
        return cx.leftOut(`"${m.args.asn}" is not an AS number`);
      if (kw === undefined) {
        cx.d.asn = sourced(asn, cx.no);
        cx.ok('asn');
        return cx.enter('bgp', { vrf: 'default' });
      }
      if (kw.toLowerCase() !== 'vrf' || name === undefined)
        return cx.leftOut('expected router bgp ASN [vrf NAME]');
      if (cx.d.asn && cx.d.asn.value !== asn)
        return cx.leftOut(
          `vrfleak has one AS (${cx.d.asn.value}); a VRF instance in AS ${asn} is not translated`,
        );
      cx.d.asn ??= sourced(asn, cx.no);
      // FRR leaks nothing through the VPN table in a direction without `import vpn`/`export vpn`.
      vrfOf(cx.d, name, cx.no).vpnGate ??= { import: new Set(), export: new Set() };
      cx.ok(`vrfs.${name}`);
      cx.enter('bgp-vrf', { vrf: name });
    },
  },
  {
    in: ['bgp'],
    pattern: 'bgp router-id $id',
    run: (m, cx) => {
      cx.d.routerId = sourced(m.args.id!, cx.no);
      cx.ok('router-id');
    },
  },
  {
    in: ['bgp-vrf'],
    pattern: 'bgp router-id $id',
    run: (_m, cx) => cx.ignore("vrfleak uses the router's one router-id"),
  },
  {
    in: ['bgp-vrf'],
    pattern: 'address-family $afi:ipv4|ipv6 unicast',
    run: (m, cx) => {
      vrfOf(cx.d, cx.mode.at.vrf!, cx.no);
      cx.ok(`vrfs.${cx.mode.at.vrf} (${m.args.afi} unicast)`);
      cx.enter(AF, { afi: m.args.afi! });
    },
  },
  {
    in: ['bgp'],
    pattern: 'address-family ...',
    run: (m, cx) => {
      cx.ignore(`the default instance's ${m.rest.join(' ')}: only its leaks are translated`);
      cx.enter('bgp-af', { afi: m.rest[0] ?? '' });
    },
  },
  ...[
    'neighbor ...',
    'bgp ...',
    'no bgp ...',
    'timers ...',
    'maximum-paths ...',
    'distance ...',
    'aggregate-address ...',
    'redistribute ...',
    'network ...',
    'segment-routing ...',
    'sid ...',
  ].map((pattern): R => ({
    in: ['bgp', 'bgp-af', 'bgp-vrf', AF],
    pattern,
    run: (_m, cx) =>
      cx.leftOut(
        'BGP sessions and settings are not translated (the VRF and leaking configuration is)',
      ),
  })),
];

export const frr: Dialect = {
  name: 'frr',
  syntax: { comment: ['!', '#'] },
  rules: [
    ...VRF_AF_RULES,
    ...BGP_RULES,
    ...STATIC_RULES,
    ...INTERFACE_RULES,
    ...POLICY_RULES,
    ...COMMON_RULES,
    ...opaqueBlock(
      ['global'],
      'router $p:ospf|ospf6|isis|rip|ripng|eigrp|babel|openfabric ...',
      'IGP configuration is not translated (vrfleak speaks BGP only)',
    ),
  ],
};
