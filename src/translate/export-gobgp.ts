// vrfleak's leak model as GoBGP 3 configuration (gobgpd TOML): the global AS and router id, one
// [[vrfs]] per VRF with its RD and import/export route targets (tags included), neighbors with their
// families. GoBGP VRFs import by route target only: no per-VRF import or export policy, no labels
// of our choosing, no static or connected routes from the config file; each is said in the notes.

import type { Config } from '../config/schema.js';
import { commonNotes, noteLines, vrfRts, type Rendered } from './export-common.js';

const AFI_SAFI: Record<string, string> = {
  ipv4: 'ipv4-unicast',
  ipv6: 'ipv6-unicast',
  vpnv4: 'l3vpn-ipv4-unicast',
  vpnv6: 'l3vpn-ipv6-unicast',
  'ipv4-labeled': 'ipv4-labelled-unicast',
  'ipv6-labeled': 'ipv6-labelled-unicast',
  rtc: 'rtc',
};

export function renderGobgp(c: Config): Rendered {
  const notes = commonNotes(c, 'GoBGP');
  const q = (s: string) => JSON.stringify(s);
  const out = ['[global.config]', `  as = ${c.asn}`, `  router-id = ${q(c['router-id'])}`];
  if (c.listen)
    out.push(`  port = ${c.listen.port}`, `  local-address-list = [${q(c.listen.address)}]`);
  else out.push('  port = -1');
  const routes: string[] = [];
  Object.entries(c.vrfs).forEach(([name, v], i) => {
    const rts = vrfRts(v);
    out.push(
      '',
      '[[vrfs]]',
      '  [vrfs.config]',
      `    name = ${q(name)}`,
      `    id = ${i + 1}`,
      `    rd = ${q(v.rd)}`,
    );
    out.push(
      `    import-rt-list = [${rts.import.map(q).join(', ')}]`,
      `    export-rt-list = [${rts.export.map(q).join(', ')}]`,
    );
    const p = `vrfs.${name}`;
    if (v['import-map'])
      notes.push(
        `${p}.import-map ${v['import-map']}: GoBGP has no per-VRF import policy; the VRF imports every route with one of its import route targets`,
      );
    if (v['export-map'])
      notes.push(`${p}.export-map ${v['export-map']}: GoBGP has no per-VRF export policy`);
    if (v.label !== 'auto')
      notes.push(
        `${p}.label ${v.label}: GoBGP chooses the label of a VRF's routes itself (not configurable)`,
      );
    if (v['export-next-hop']) notes.push(`${p}.export-next-hop: not configurable per VRF in GoBGP`);
    if (v['leak-from-default'] || v['leak-to-default'])
      notes.push(`${p}: GoBGP does not leak between the global table and a VRF`);
    if (v['allow-reexport']) notes.push(`${p}.allow-reexport: not rendered`);
    for (const net of v.networks)
      routes.push(
        `gobgp vrf ${name} rib add ${net.prefix}${net['next-hop'] ? ` nexthop ${net['next-hop']}` : ''}`,
      );
    for (const i2 of v.interfaces)
      routes.push(
        `gobgp vrf ${name} rib add ${i2.address} (the connected route of ${i2.name}, as its prefix)`,
      );
    if (v['static-routes'].length)
      notes.push(
        `${p}.static-routes: GoBGP has no static routes nor next hops resolved in another VRF`,
      );
  });
  for (const n of c.neighbors) {
    out.push(
      '',
      '[[neighbors]]',
      '  [neighbors.config]',
      `    neighbor-address = ${q(n.address)}`,
      `    peer-as = ${n.asn}`,
    );
    if (n.vrf !== undefined) out.push(`    vrf = ${q(n.vrf)}`);
    if (n['local-address'] || n.port !== 179 || n.passive) {
      out.push('  [neighbors.transport.config]');
      if (n['local-address']) out.push(`    local-address = ${q(n['local-address'])}`);
      if (n.port !== 179) out.push(`    remote-port = ${n.port}`);
      if (n.passive) out.push('    passive-mode = true');
    }
    if (n['route-reflector-client'])
      out.push('  [neighbors.route-reflector.config]', '    route-reflector-client = true');
    for (const f of n.families)
      out.push(
        '  [[neighbors.afi-safis]]',
        '    [neighbors.afi-safis.config]',
        `      afi-safi-name = ${q(AFI_SAFI[f] ?? f)}`,
      );
    if (n['route-map-in'] || n['route-map-out'])
      notes.push(`neighbors ${n.address}: route maps are not rendered as GoBGP policies`);
  }
  if (Object.keys(c.policy['route-maps']).length)
    notes.push(
      'policy: route maps and lists are not rendered (GoBGP policies apply to the global table and neighbors, not to VRF imports)',
    );
  if (routes.length)
    notes.push(
      "the VRFs' own routes are not config in GoBGP: add them with the gobgp commands listed at the end",
    );
  const text =
    [
      ...noteLines(notes, '#', 'GoBGP 3'),
      '',
      ...out,
      '',
      ...(routes.length
        ? [
            "# The VRFs' own routes (GoBGP takes them through its API):",
            ...routes.map((r) => `#   ${r}`),
          ]
        : []),
    ].join('\n') + '\n';
  return { text, notes };
}
