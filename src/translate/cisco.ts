// Commands IOS, Dell OS9 and FRR spell alike: interface addresses and VRF membership, static
// routes, block ends. Each dialect adds its own VRF and BGP rules (policy: cisco-policy.ts).

import { isIp, ifaceAddressProblem, prefixProblem, withLength } from './addr.js';
import { opaqueBlock, type Cx } from './context.js';
import { interfaceOf, sourced, vrfOf, type DraftStatic } from './draft.js';
import type { Rule } from './lines.js';

type R = Rule<Cx>;

const NOT_ROUTING = 'not routing policy: vrfleak has no equivalent';
const ACL = 'access lists filter packets, not routes: vrfleak has none';

/** Interfaces: VRF membership and addresses (the connected routes of a VRF). */
export const INTERFACE_RULES: readonly R[] = [
  {
    in: ['global'],
    pattern: 'interface ...',
    run: (m, cx) => {
      // `interface eth0 vrf RED` (FRR 7) names the VRF on the header line.
      const w = [...m.rest];
      let vrf: string | undefined;
      if (w.length >= 3 && w[w.length - 2]!.toLowerCase() === 'vrf') {
        vrf = w.pop();
        w.pop();
      }
      const name = w.join(' ');
      if (name === '') return cx.leftOut('no interface name');
      const i = interfaceOf(cx.d, name, cx.no);
      if (vrf !== undefined) i.vrf = sourced(vrf, cx.no);
      cx.ok(`interface ${name}`);
      cx.enter('interface', { iface: name });
    },
  },
  ...['ip vrf forwarding $vrf', 'vrf forwarding $vrf', 'vrf member $vrf'].map((pattern): R => ({
    in: ['interface'],
    pattern,
    run: (m, cx) => {
      interfaceOf(cx.d, cx.mode.at.iface!, cx.no).vrf = sourced(m.args.vrf!, cx.no);
      cx.ok(`interface ${cx.mode.at.iface} in vrf ${m.args.vrf}`);
    },
  })),
  {
    in: ['interface'],
    pattern: '$afi:ip|ipv6 address $a ...',
    run: (m, cx) => {
      const r = withLength(m.args.a!, m.rest[0]);
      if (!r.ok) return cx.leftOut(r.why);
      const why = ifaceAddressProblem(r.text);
      if (why) return cx.leftOut(why);
      if (m.rest.slice(r.used - 1).some((w) => w.toLowerCase() === 'secondary'))
        return cx.leftOut(
          'vrfleak takes one address per interface; a secondary address is left out',
        );
      interfaceOf(cx.d, cx.mode.at.iface!, cx.no).address = sourced(r.text, cx.no);
      cx.ok(`interface ${cx.mode.at.iface} address ${r.text}`);
    },
  },
  ...[
    'description ...',
    'shutdown',
    'no shutdown',
    'mtu ...',
    'speed ...',
    'duplex ...',
    'switchport ...',
    'no switchport',
  ].map((pattern): R => ({
    in: ['interface'],
    pattern,
    run: (_m, cx) => cx.ignore('no effect on routing tables'),
  })),
];

/**
 * `ip route` / `ipv6 route` in the IOS family: `[vrf V] P M|P/L [IFNAME] [NH] [global | vrf NHV]
 * [DISTANCE] [name X] [tag T] [permanent]`; `nexthopVrfWord` says what a trailing `vrf X` means.
 */
export function parseStatic(
  words: readonly string[],
  leadingVrf: boolean,
): { ok: true; vrf?: string; route: DraftStatic; notes: string[] } | { ok: false; why: string } {
  let w = [...words];
  let vrf: string | undefined;
  if (leadingVrf && w[0]?.toLowerCase() === 'vrf') {
    vrf = w[1];
    w = w.slice(2);
  }
  const p = w[0];
  if (p === undefined) return { ok: false, why: 'no prefix' };
  const r = withLength(p, w[1]);
  if (!r.ok) return r;
  const bad = prefixProblem(r.text);
  if (bad) return { ok: false, why: bad };
  w = w.slice(r.used);
  const route: DraftStatic = { prefix: r.text };
  const notes: string[] = [];
  for (let i = 0; i < w.length; i++) {
    const t = w[i]!;
    const k = t.toLowerCase();
    if (isIp(t) && route.nextHop === undefined) route.nextHop = t;
    else if (k === 'global') route.nextHopVrf = 'default';
    else if ((k === 'vrf' || k === 'nexthop-vrf') && w[i + 1] !== undefined) {
      route.nextHopVrf = w[++i]!;
    } else if (k === 'name' || k === 'tag' || k === 'track' || k === 'label') {
      notes.push(`${t} ${w[++i] ?? ''} not translated`);
    } else if (k === 'permanent' || /^\d+$/.test(t)) notes.push(`${t} not translated`);
    else if (k === 'null0' || k === 'blackhole' || k === 'reject')
      return { ok: false, why: 'vrfleak has no discard routes' };
    else if (route.iface === undefined && route.nextHop === undefined) route.iface = t;
    else return { ok: false, why: `"${t}" is not understood here` };
  }
  if (route.nextHop === undefined && route.iface === undefined)
    return { ok: false, why: 'no next hop' };
  return { ok: true, ...(vrf !== undefined ? { vrf } : {}), route, notes };
}

/** Puts a parsed static route where it belongs (a VRF's, or the default table's). */
export function addStatic(
  cx: Cx,
  vrf: string | undefined,
  route: DraftStatic,
  notes: string[],
): void {
  const s = sourced(route, cx.no);
  if (vrf === undefined || vrf === 'default') cx.d.statics.push(s);
  else vrfOf(cx.d, vrf, cx.no).statics.push(s);
  const where = vrf === undefined ? 'static-routes' : `vrfs.${vrf}.static-routes`;
  cx.ok(`${where} ${route.prefix}${notes.length ? ` (${notes.join('; ')})` : ''}`);
}

/** Lines every IOS-family dialect ignores or cannot use. */
export const COMMON_RULES: readonly R[] = [
  ...[
    'exit',
    'end',
    'exit-vrf',
    'exit-address-family',
    'configure',
    'configure terminal',
    'conf t',
    'write',
    'write memory',
    'copy running-config startup-config',
  ].map((pattern): R => ({
    in: [
      'global',
      'interface',
      'route-map',
      'vrf',
      'vrf-af',
      'bgp',
      'bgp-af',
      'bgp-vrf',
      'bgp-vrf-af',
      'static-vrf',
    ],
    pattern,
    run: (_m, cx) => {
      cx.ignore('ends a block or session; no effect');
      if (pattern.startsWith('exit') || pattern === 'end') cx.exit();
    },
  })),
  ...[
    'hostname ...',
    'service ...',
    'line ...',
    'logging ...',
    'username ...',
    'enable ...',
    'banner ...',
    'ntp ...',
    'snmp-server ...',
    'password ...',
    'log ...',
    'frr ...',
    'version ...',
  ].map((pattern): R => ({ in: ['global'], pattern, run: (_m, cx) => cx.ignore(NOT_ROUTING) })),
  ...opaqueBlock(['global'], '$kind:ip|ipv6 access-list ...', ACL),
  { in: ['global'], pattern: 'access-list ...', run: (_m, cx) => cx.leftOut(ACL) },
];
