// One line of text per config change, for reload answers, dry-run reports and logs.

import type { ConfigChange } from '../config/diff.js';

export function describeChange(c: ConfigChange): string {
  switch (c.kind) {
    case 'global-changed':
      return `${c.key}: ${JSON.stringify(c.old)} -> ${JSON.stringify(c.next)}${c.resetsAllSessions ? ' (resets every session)' : ''}`;
    case 'policy-added':
    case 'policy-removed':
    case 'policy-changed':
      return `${c.kind.slice(7)} ${c.section} ${c.name}`;
    case 'vrf-added':
    case 'vrf-removed':
      return `${c.kind === 'vrf-added' ? 'add' : 'remove'} VRF ${c.name} (rd ${c.vrf.rd})`;
    case 'rd-changed':
      return `VRF ${c.vrf}: rd ${c.old} -> ${c.next}`;
    case 'import-rt-added':
    case 'import-rt-removed':
    case 'export-rt-added':
    case 'export-rt-removed':
    case 'import-tag-added':
    case 'import-tag-removed':
      return `VRF ${c.vrf}: ${c.kind.replace(/-(added|removed)$/, '')} ${c.kind.endsWith('added') ? '+' : '-'}${c.rt}`;
    case 'vrf-setting-changed':
      return `VRF ${c.vrf}: ${c.key} ${JSON.stringify(c.old)} -> ${JSON.stringify(c.next)}`;
    case 'interface-added':
    case 'interface-removed':
      return `VRF ${c.vrf}: ${c.kind === 'interface-added' ? '+' : '-'}interface ${c.iface.name} ${c.iface.address}`;
    case 'network-added':
    case 'network-removed':
      return `${c.vrf === 'default' ? 'default table' : `VRF ${c.vrf}`}: ${c.kind === 'network-added' ? '+' : '-'}network ${c.network.prefix}`;
    case 'network-changed':
      return `${c.vrf === 'default' ? 'default table' : `VRF ${c.vrf}`}: network ${c.next.prefix} changed`;
    case 'static-route-added':
    case 'static-route-removed':
      return `${c.vrf === 'default' ? 'default table' : `VRF ${c.vrf}`}: ${c.kind === 'static-route-added' ? '+' : '-'}static ${c.route.prefix} via ${c.route['next-hop']}`;
    case 'neighbor-added':
      return `add neighbor ${c.address} (AS ${c.neighbor.asn})`;
    case 'neighbor-removed':
      return `remove neighbor ${c.address}`;
    case 'neighbor-changed':
      return `neighbor ${c.address}: ${c.keys.join(', ')} changed${c.reset ? ' (session restarts)' : ' (applied without a reset where the peer allows)'}`;
    default: {
      const never: never = c;
      return never;
    }
  }
}
