// Cisco IOS: `ip vrf` / `vrf definition` with rd, route-target import|export|both and import/export
// maps, `ip route [vrf V]` statics (`global`, an interface, a next hop), `no ip route static
// inter-vrf`, `router bgp ASN` with `address-family ipv4 vrf V` networks, interfaces' VRFs.

import { rdProblem, rtProblem, withLength, prefixProblem } from './addr.js';
import { COMMON_RULES, INTERFACE_RULES, addStatic, parseStatic } from './cisco.js';
import { POLICY_RULES } from './cisco-policy.js';
import { opaqueBlock, type Cx, type Dialect } from './context.js';
import { sourced, vrfOf } from './draft.js';
import type { Rule } from './lines.js';

type R = Rule<Cx>;

const VRF_MODES = ['vrf', 'vrf-af'];
const vrf = (cx: Cx & { mode: { at: Record<string, string> } }) =>
  vrfOf(cx.d, cx.mode.at.vrf!, cx.no);

/** VRF block lines shared with Dell OS9 (the VRF header) and IOS's own (rd, RTs, maps). */
export const IOS_VRF_RULES: readonly R[] = [
  ...['ip vrf $vrf', 'vrf definition $vrf'].map((pattern): R => ({
    in: ['global'],
    pattern,
    run: (m, cx) => {
      vrfOf(cx.d, m.args.vrf!, cx.no);
      cx.ok(`vrfs.${m.args.vrf}`);
      cx.enter('vrf', { vrf: m.args.vrf! });
    },
  })),
  {
    in: VRF_MODES,
    pattern: 'rd $rd',
    run: (m, cx) => {
      const why = rdProblem(m.args.rd!);
      if (why) return cx.leftOut(why);
      vrf(cx).rd = sourced(m.args.rd!, cx.no);
      cx.ok(`vrfs.${cx.mode.at.vrf}.rd`);
    },
  },
  {
    in: VRF_MODES,
    pattern: 'route-target $dir:import|export|both $rt ...',
    run: (m, cx) => {
      if (m.rest.length)
        return cx.leftOut(`"${m.rest.join(' ')}" (stitching, EVPN) is not translated`);
      const why = rtProblem(m.args.rt!);
      if (why) return cx.leftOut(why);
      const v = vrf(cx);
      if (m.args.dir !== 'export') v.importRts.push(sourced(m.args.rt!, cx.no));
      if (m.args.dir !== 'import') v.exportRts.push(sourced(m.args.rt!, cx.no));
      cx.ok(`vrfs.${v.name}.route-targets (${m.args.dir})`);
    },
  },
  {
    in: VRF_MODES,
    pattern: '$dir:import|export map $rm',
    run: (m, cx) => {
      const v = vrf(cx);
      v[m.args.dir === 'import' ? 'importMap' : 'exportMap'] = sourced(m.args.rm!, cx.no);
      cx.ok(`vrfs.${v.name}.${m.args.dir}-map`);
    },
  },
  {
    in: ['vrf'],
    pattern: 'address-family $afi:ipv4|ipv6 ...',
    run: (m, cx) => {
      cx.ok(`route targets of this block apply to the VRF (vrfleak has one set for both families)`);
      cx.enter('vrf-af', { afi: m.args.afi! });
    },
  },
  { in: VRF_MODES, pattern: 'description ...', run: (_m, cx) => cx.ignore('a description') },
];

export const IOS_STATIC_RULES: readonly R[] = [
  ...['ip route ...', 'ipv6 route ...'].map((pattern): R => ({
    in: ['global'],
    pattern,
    run: (m, cx) => {
      const r = parseStatic(m.rest, true);
      if (!r.ok) return cx.leftOut(r.why);
      addStatic(cx, r.vrf, r.route, r.notes);
    },
  })),
  {
    in: ['global'],
    pattern: 'no ip route static inter-vrf',
    run: (_m, cx) => {
      cx.d.denyInterVrfStatic = sourced(true, cx.no);
      cx.ok('deny-inter-vrf-static');
    },
  },
];

const BGP_RULES: readonly R[] = [
  {
    in: ['global'],
    pattern: 'router bgp $asn',
    run: (m, cx) => {
      const asn = Number(m.args.asn);
      if (!Number.isInteger(asn) || asn < 1)
        return cx.leftOut(`"${m.args.asn}" is not an AS number`);
      cx.d.asn = sourced(asn, cx.no);
      cx.ok('asn');
      cx.enter('bgp');
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
    in: ['bgp'],
    pattern: 'address-family $afi:ipv4|ipv6 vrf $vrf',
    run: (m, cx) => {
      vrfOf(cx.d, m.args.vrf!, cx.no);
      cx.ok(`vrfs.${m.args.vrf} (BGP)`);
      cx.enter('bgp-vrf-af', { vrf: m.args.vrf! });
    },
  },
  {
    in: ['bgp-vrf-af'],
    pattern: 'network $p ...',
    run: (m, cx) => {
      const w = m.rest[0]?.toLowerCase() === 'mask' ? m.rest[1] : undefined;
      const r = withLength(m.args.p!, w);
      if (!r.ok) return cx.leftOut(`${r.why} (a classful network is not translated)`);
      const why = prefixProblem(r.text);
      if (why) return cx.leftOut(why);
      vrf(cx).networks.push(sourced(r.text, cx.no));
      cx.ok(`vrfs.${cx.mode.at.vrf}.networks`);
    },
  },
  {
    in: ['bgp-vrf-af', 'bgp-af'],
    pattern: 'redistribute $what:connected|static ...',
    run: (_m, cx) =>
      cx.ignore("vrfleak exports a VRF's connected and static routes without redistribution"),
  },
  {
    in: ['bgp'],
    pattern: 'address-family ...',
    run: (_m, cx) => {
      cx.ignore('an address family of the global BGP instance: only its VRF parts are translated');
      cx.enter('bgp-af');
    },
  },
  ...[
    'neighbor ...',
    'bgp ...',
    'timers ...',
    'redistribute ...',
    'maximum-paths ...',
    'distance ...',
    'aggregate-address ...',
    'synchronization',
    'no ...',
  ].map((pattern): R => ({
    in: ['bgp', 'bgp-af', 'bgp-vrf-af'],
    pattern,
    run: (_m, cx) =>
      cx.leftOut(
        'BGP sessions and settings are not translated (the VRF and leaking configuration is)',
      ),
  })),
];

export const ios: Dialect = {
  name: 'ios',
  syntax: { comment: ['!'], prompt: /^\s*[A-Za-z0-9_.-]+\(config[^)]*\)#\s?/ },
  rules: [
    ...IOS_VRF_RULES,
    ...IOS_STATIC_RULES,
    ...BGP_RULES,
    ...INTERFACE_RULES,
    ...POLICY_RULES,
    ...COMMON_RULES,
    ...opaqueBlock(
      ['global'],
      'router $p:ospf|eigrp|rip|isis|ospfv3 ...',
      'IGP configuration is not translated (vrfleak speaks BGP only)',
    ),
    {
      in: ['interface'],
      pattern: 'encapsulation ...',
      run: (_m, cx) => cx.ignore('no effect on routing tables'),
    },
    {
      in: ['interface'],
      pattern: 'no ip address',
      run: (_m, cx) => cx.ignore('no address'),
    },
  ],
};
