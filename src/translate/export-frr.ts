// vrfleak's leak model as FRR 8.4 configuration: prefix/community lists and route maps, one
// `router bgp ASN vrf NAME` per VRF with rd/rt/route-map/label/nexthop vpn export and import/export
// vpn, `import vrf default` / the default instance's `import vrf NAME` for the default-table leaks,
// staticd `vrf NAME` blocks with `nexthop-vrf`, zebra interfaces; neighbors with their families.

import type { Config, RouteMapEntry } from '../config/schema.js';
import { commonNotes, isV6Prefix, noteLines, vrfRts, type Rendered } from './export-common.js';

const AF: Record<string, string> = {
  ipv4: 'ipv4 unicast',
  ipv6: 'ipv6 unicast',
  vpnv4: 'ipv4 vpn',
  vpnv6: 'ipv6 vpn',
  'ipv4-labeled': 'ipv4 labeled-unicast',
  'ipv6-labeled': 'ipv6 labeled-unicast',
};

function listFamily(c: Config, name: string): 'ip' | 'ipv6' | 'mixed' {
  const e = c.policy['prefix-lists'][name] ?? [];
  const v6 = e.filter((x) => isV6Prefix(x.prefix)).length;
  return v6 === 0 ? 'ip' : v6 === e.length ? 'ipv6' : 'mixed';
}

function routeMapLines(c: Config, name: string, e: RouteMapEntry, notes: string[]): string[] {
  const out = [`route-map ${name} ${e.action} ${e.seq}`];
  const m = e.match ?? {};
  if (m['prefix-list'] !== undefined) {
    const fam = listFamily(c, m['prefix-list']);
    if (fam === 'mixed')
      notes.push(
        `policy.route-maps.${name} seq ${e.seq}: prefix list ${m['prefix-list']} mixes IPv4 and IPv6; FRR matches one family per clause (IPv4 rendered)`,
      );
    out.push(` match ${fam === 'ipv6' ? 'ipv6' : 'ip'} address prefix-list ${m['prefix-list']}`);
  }
  if (m['community-list'] !== undefined) out.push(` match community ${m['community-list']}`);
  if (m['ext-community-list'] !== undefined)
    out.push(` match extcommunity ${m['ext-community-list']}`);
  if (m['large-community-list'] !== undefined)
    out.push(` match large-community ${m['large-community-list']}`);
  if (m['source-vrf'] !== undefined) out.push(` match source-vrf ${m['source-vrf']}`);
  if (m['source-protocol'] !== undefined) {
    if (['connected', 'static', 'bgp'].includes(m['source-protocol']))
      out.push(` match source-protocol ${m['source-protocol']}`);
    else
      notes.push(
        `policy.route-maps.${name} seq ${e.seq}: match source-protocol ${m['source-protocol']} has no FRR equivalent (clause left without it)`,
      );
  }
  const s = e.set ?? {};
  if (s['local-preference'] !== undefined)
    out.push(` set local-preference ${s['local-preference']}`);
  if (s.med !== undefined) out.push(` set metric ${s.med}`);
  if (s.weight !== undefined) out.push(` set weight ${s.weight}`);
  if (s['as-path-prepend']) out.push(` set as-path prepend ${s['as-path-prepend'].join(' ')}`);
  if (s['next-hop'] !== undefined) {
    if (s['next-hop'] === 'self')
      notes.push(
        `policy.route-maps.${name} seq ${e.seq}: set next-hop self is neighbor next-hop-self in FRR (not rendered)`,
      );
    else out.push(` set ${s['next-hop'].includes(':') ? 'ipv6' : 'ip'} next-hop ${s['next-hop']}`);
  }
  const comm = s.community;
  if (comm?.replace)
    out.push(` set community ${comm.replace.length ? comm.replace.join(' ') : 'none'}`);
  if (comm?.add) out.push(` set community ${comm.add.join(' ')} additive`);
  if (comm?.remove)
    notes.push(
      `policy.route-maps.${name} seq ${e.seq}: community remove needs a community list in FRR (not rendered)`,
    );
  const rt = s['route-target'];
  if (rt?.replace) out.push(` set extcommunity rt ${rt.replace.join(' ')}`);
  if (rt?.add) {
    out.push(` set extcommunity rt ${rt.add.join(' ')}`);
    notes.push(
      `policy.route-maps.${name} seq ${e.seq}: route-target add is rendered as FRR's set extcommunity rt, which replaces the route targets a route carries (on VPN export FRR then adds the VRF's own)`,
    );
  }
  if (rt?.remove || s['large-community'])
    notes.push(
      `policy.route-maps.${name} seq ${e.seq}: route-target remove and large-community sets are not rendered`,
    );
  if (e['on-match'] === 'next') out.push(' on-match next');
  if (e.continue !== undefined) out.push(` continue${e.continue === true ? '' : ` ${e.continue}`}`);
  out.push('exit', '!');
  return out;
}

function policyLines(c: Config, notes: string[]): string[] {
  const out: string[] = [];
  for (const [name, entries] of Object.entries(c.policy['prefix-lists'])) {
    for (const e of entries) {
      const ge = e.ge !== undefined ? ` ge ${e.ge}` : '';
      const le = e.le !== undefined ? ` le ${e.le}` : '';
      out.push(
        `${isV6Prefix(e.prefix) ? 'ipv6' : 'ip'} prefix-list ${name} seq ${e.seq} ${e.action} ${e.prefix}${ge}${le}`,
      );
    }
  }
  for (const [name, entries] of Object.entries(c.policy['community-lists']))
    for (const e of entries)
      out.push(
        `bgp community-list standard ${name} seq ${e.seq} ${e.action} ${e.communities.join(' ')}`,
      );
  for (const [name, entries] of Object.entries(c.policy['large-community-lists']))
    for (const e of entries)
      out.push(
        `bgp large-community-list standard ${name} seq ${e.seq} ${e.action} ${e['large-communities'].join(' ')}`,
      );
  for (const [name, entries] of Object.entries(c.policy['ext-community-lists'])) {
    for (const e of entries) {
      const vals = e['ext-communities'].map((x) => x.replace(/^(rt|soo):/, '$1 ')).join(' ');
      out.push(`bgp extcommunity-list standard ${name} seq ${e.seq} ${e.action} ${vals}`);
    }
  }
  if (out.length) out.push('!');
  for (const [name, entries] of Object.entries(c.policy['route-maps']))
    for (const e of entries) out.push(...routeMapLines(c, name, e, notes));
  return out;
}

export function renderFrr(c: Config): Rendered {
  const notes = commonNotes(c, 'FRR');
  const out: string[] = ['frr defaults traditional', '!'];
  out.push(...policyLines(c, notes));
  for (const [name, v] of Object.entries(c.vrfs)) {
    for (const i of v.interfaces)
      out.push(
        `interface ${i.name} vrf ${name}`,
        ` ${i.address.includes(':') ? 'ipv6' : 'ip'} address ${i.address}`,
        'exit',
        '!',
      );
  }
  for (const [name, v] of Object.entries(c.vrfs)) {
    if (!v['static-routes'].length) continue;
    out.push(`vrf ${name}`);
    for (const s of v['static-routes']) {
      const other =
        s['next-hop-vrf'] !== undefined && s['next-hop-vrf'] !== name
          ? ` nexthop-vrf ${s['next-hop-vrf']}`
          : '';
      out.push(
        ` ${isV6Prefix(s.prefix) ? 'ipv6' : 'ip'} route ${s.prefix} ${s['next-hop']}${other}`,
      );
    }
    out.push('exit-vrf', '!');
  }
  // The default instance: sessions, and the VRFs that leak into the default table.
  out.push(
    `router bgp ${c.asn}`,
    ` bgp router-id ${c['router-id']}`,
    ' no bgp ebgp-requires-policy',
    ' no bgp default ipv4-unicast',
    ' no bgp network import-check',
  );
  for (const n of c.neighbors) {
    out.push(` neighbor ${n.address} remote-as ${n.asn}`);
    if (n.port !== 179) out.push(` neighbor ${n.address} port ${n.port}`);
    if (n['local-address']) out.push(` neighbor ${n.address} update-source ${n['local-address']}`);
    if (n.passive) out.push(` neighbor ${n.address} passive`);
    if (n.vrf !== undefined)
      notes.push(
        `neighbors ${n.address}: a PE-CE neighbor goes under router bgp ${c.asn} vrf ${n.vrf} (not rendered)`,
      );
  }
  const intoDefault = Object.entries(c.vrfs).filter(([, v]) => v['leak-to-default']?.policy);
  const families = new Set(
    c.neighbors.filter((n) => n.vrf === undefined).flatMap((n) => n.families),
  );
  if (intoDefault.length) families.add('ipv4');
  for (const f of families) {
    if (!AF[f]) {
      notes.push(`neighbors: family ${f} is not rendered`);
      continue;
    }
    out.push(` address-family ${AF[f]}`);
    for (const n of c.neighbors.filter((x) => x.vrf === undefined && x.families.includes(f))) {
      out.push(`  neighbor ${n.address} activate`);
      if (n['route-reflector-client']) out.push(`  neighbor ${n.address} route-reflector-client`);
      if (n['route-map-in']) out.push(`  neighbor ${n.address} route-map ${n['route-map-in']} in`);
      if (n['route-map-out'])
        out.push(`  neighbor ${n.address} route-map ${n['route-map-out']} out`);
    }
    if (f === 'ipv4') {
      const policies = new Set(intoDefault.map(([, v]) => v['leak-to-default']!.policy!));
      for (const [name] of intoDefault) out.push(`  import vrf ${name}`);
      const [first, ...more] = policies;
      if (first !== undefined) out.push(`  import vrf route-map ${first}`);
      if (more.length)
        notes.push(
          `leak-to-default: FRR takes one import vrf route-map in the default instance (${first} rendered; ${more.join(', ')} not)`,
        );
    }
    out.push(' exit-address-family');
  }
  out.push('exit', '!');
  for (const [name, v] of Object.entries(c.vrfs)) {
    const rts = vrfRts(v);
    out.push(
      `router bgp ${c.asn} vrf ${name}`,
      ` bgp router-id ${c['router-id']}`,
      ' no bgp ebgp-requires-policy',
      ' no bgp network import-check',
    );
    const v6 = [
      ...v.networks.map((x) => x.prefix),
      ...v['static-routes'].map((x) => x.prefix),
      ...v.interfaces.map((x) => x.address),
    ].some((p) => p.includes(':'));
    for (const afi of v6 ? ['ipv4', 'ipv6'] : ['ipv4']) {
      out.push(` address-family ${afi} unicast`);
      for (const net of v.networks.filter((x) => isV6Prefix(x.prefix) === (afi === 'ipv6')))
        out.push(`  network ${net.prefix}`);
      if (v.interfaces.length) out.push('  redistribute connected');
      if (v['static-routes'].length) out.push('  redistribute static');
      out.push(`  rd vpn export ${v.rd}`);
      if (rts.import.length) out.push(`  rt vpn import ${rts.import.join(' ')}`);
      if (rts.export.length) out.push(`  rt vpn export ${rts.export.join(' ')}`);
      if (v['import-map']) out.push(`  route-map vpn import ${v['import-map']}`);
      if (v['export-map']) out.push(`  route-map vpn export ${v['export-map']}`);
      out.push(`  label vpn export ${v.label}`);
      if (v['export-next-hop']) out.push(`  nexthop vpn export ${v['export-next-hop']}`);
      if (afi === 'ipv4' && v['leak-from-default']?.policy)
        out.push('  import vrf default', `  import vrf route-map ${v['leak-from-default'].policy}`);
      out.push('  export vpn', '  import vpn', ' exit-address-family');
    }
    if (v['allow-reexport'])
      notes.push(
        `vrfs.${name}.allow-reexport: FRR does not re-export imported VPN routes from a VRF (not rendered)`,
      );
    out.push('exit', '!');
  }
  const text = [...noteLines(notes, '!', 'FRR 8.4'), '!', ...out, 'end'].join('\n') + '\n';
  return { text, notes };
}
