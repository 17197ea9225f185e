// From the validated config file (src/config) to the daemon's options: text values parsed once,
// defaults applied, VRF labels allocated from the configured range.

import type { Config, NetworkConfig } from '../config/schema.js';
import { ipv4FromText } from '../wire/admin-pair.js';
import { communityFromText, largeCommunityFromText } from '../wire/community.js';
import { rtFromText } from '../wire/ext-community.js';
import { ipv6FromText, prefixFromText } from '../wire/nlri/text.js';
import { rdFromText } from '../wire/rd.js';
import type { FamilyName } from '../wire/afi.js';
import type { DaemonOptions, NeighborOptions, NetworkOptions, VrfOptions } from './options.js';

function network(n: NetworkConfig): NetworkOptions {
  const nh = n['next-hop'];
  return {
    prefix: prefixFromText(n.prefix),
    ...(n.communities ? { communities: n.communities.map(communityFromText) } : {}),
    ...(n['large-communities']
      ? { largeCommunities: n['large-communities'].map(largeCommunityFromText) }
      : {}),
    ...(n['route-targets'] ? { extCommunities: n['route-targets'].map(rtFromText) } : {}),
    ...(n.med !== undefined ? { med: n.med } : {}),
    ...(n['local-preference'] !== undefined ? { localPref: n['local-preference'] } : {}),
    ...(nh !== undefined ? { nextHop: ipv4FromText(nh) ?? ipv6FromText(nh) } : {}),
  };
}

export function daemonOptionsFromConfig(c: Config): DaemonOptions {
  const [labelLo] = c.labels.range;
  let nextLabel = labelLo;
  const used = new Set<number>();
  for (const v of Object.values(c.vrfs)) if (typeof v.label === 'number') used.add(v.label);
  const vrfs: VrfOptions[] = Object.entries(c.vrfs).map(([name, v]) => {
    let label: number;
    if (typeof v.label === 'number') label = v.label;
    else {
      while (used.has(nextLabel)) nextLabel++;
      label = nextLabel++;
      used.add(label);
    }
    return {
      name,
      rd: rdFromText(v.rd),
      importRts: v['route-targets'].import.map(rtFromText),
      exportRts: v['route-targets'].export.map(rtFromText),
      label,
      networks: v.networks.map(network),
    };
  });
  const neighbors: NeighborOptions[] = c.neighbors.map((n) => ({
    address: n.address,
    asn: n.asn,
    families: n.families as FamilyName[],
    passive: n.passive,
    port: n.port,
    ...(n['local-address'] ? { localAddress: n['local-address'] } : {}),
    holdTime: n['hold-time'],
    connectRetry: n['connect-retry'],
    routeReflectorClient: n['route-reflector-client'],
    nextHopSelf: n['next-hop-self'],
    allowasIn: n['allowas-in'],
    ...(n['graceful-restart']?.enabled
      ? { gracefulRestart: { restartTime: n['graceful-restart']['restart-time'] } }
      : {}),
    ...(n['max-prefix']
      ? {
          maxPrefix: {
            limit: n['max-prefix'].limit,
            warningPct: n['max-prefix']['warning-threshold-pct'],
            ...(n['max-prefix']['restart-after'] !== undefined
              ? { restartAfter: n['max-prefix']['restart-after'] }
              : {}),
          },
        }
      : {}),
    ...(n.description ? { description: n.description } : {}),
    ...(n.vrf !== undefined && n.vrf !== 'default' ? { vrf: n.vrf } : {}),
    shutdown: n.shutdown,
  }));
  return {
    asn: c.asn,
    routerId: c['router-id'],
    ...(c['cluster-id'] ? { clusterId: c['cluster-id'] } : {}),
    ...(c.listen ? { listen: { address: c.listen.address, port: c.listen.port } } : {}),
    neighbors,
    networks: c.networks.map(network),
    vrfs,
    ...(c['graceful-restart']?.enabled
      ? { gracefulRestart: { restartTime: c['graceful-restart']['restart-time'] } }
      : {}),
  };
}
