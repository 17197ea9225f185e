// What both session-fuzz files start: a Speaker with one passive neighbor (the injector at `peer`)
// and one local route, whose ROUTE-REFRESH answer proves an input was processed.

import type { ConfigInput } from '../../src/config/schema.js';

export function laneConfig(me: string, peer: string): ConfigInput {
  return {
    asn: 65000,
    'router-id': me,
    listen: { address: me, port: 179 },
    neighbors: [
      {
        address: peer,
        asn: 65002,
        families: ['ipv4', 'vpnv4'],
        passive: true,
        'connect-retry': 1,
      },
    ],
    networks: [{ prefix: '198.51.100.0/24', 'next-hop': '192.0.2.10' }],
  };
}
