// The daemon's normalized options: what the config layer (or the library API) hands the daemon.
// Addresses and route targets are already parsed; names follow the config file in camelCase.

import type { Policies } from '../policy/compile.js';
import type { CollectorOptions } from '../session/bmp-collector.js';
import type { AddPathSendMode } from '../rib/add-path.js';
import type { VrfDef } from '../vrf/defs.js';
import type { FibOptions } from './fib.js';
import type { AllowAsIn } from './validate.js';
import type { VrfExpect } from '../vrf/monitor.js';
import type { FamilyName } from '../wire/afi.js';
import type { ExtCommunity, IpPrefix, LargeCommunity } from '../wire/types.js';

export interface RouteAttrsOptions {
  readonly communities?: readonly number[];
  readonly largeCommunities?: readonly LargeCommunity[];
  readonly extCommunities?: readonly ExtCommunity[];
  readonly med?: number;
  readonly localPref?: number;
  /** Next hop to announce instead of next-hop-self (IPv4 as a number, or 16 octets). */
  readonly nextHop?: number | Uint8Array;
}

export interface NetworkOptions extends RouteAttrsOptions {
  readonly prefix: IpPrefix;
}

export interface NeighborOptions {
  readonly address: string;
  readonly asn: number;
  readonly families: readonly FamilyName[];
  readonly passive: boolean;
  /** TCP port of the peer (active connections). */
  readonly port: number;
  readonly localAddress?: string;
  readonly holdTime: number;
  /**
   * Seconds between our KEEPALIVEs; capped at a third of the negotiated hold time (RFC 4271 §4.4,
   * src/session/negotiate.ts). Omitted: a third of the negotiated hold time.
   */
  readonly keepalive?: number;
  readonly connectRetry: number;
  readonly routeReflectorClient: boolean;
  /**
   * The CLUSTER_ID of this client's cluster (RFC 4456 §7), dotted quad: prepended when we reflect
   * a route to or from it, and the one its routes' CLUSTER_LIST is checked against (GoBGP's
   * per-neighbor route-reflector-cluster-id). Omitted: the global cluster-id, else the router-id.
   */
  readonly clusterId?: string;
  readonly nextHopSelf: boolean;
  /** The IPv4 next hop to announce as "self" instead of the session's local address. */
  readonly nextHopAddress?: string;
  /** RFC 4271 §9.1.2 loop detection relaxed: our AS up to N times, or only as the origin AS. */
  readonly allowasIn: AllowAsIn;
  /** FRR `as-override`: the neighbor's AS in the AS_PATH sent to it becomes ours (rib/pe-ce.ts). */
  readonly asOverride?: boolean;
  /** Site of origin (RFC 4360 §5): tags the neighbor's routes; routes carrying it are not sent to it. */
  readonly soo?: ExtCommunity;
  readonly gracefulRestart?: {
    readonly restartTime: number;
    /** Seconds stale routes may wait for End-of-RIB once the session is back (RFC 4724 §4.2). */
    readonly staleTime?: number;
  };
  /**
   * Long-lived graceful restart (RFC 9494) per family: the stale time advertised, and the bound on
   * the neighbor's own when we keep its routes (src/daemon/llgr.ts).
   */
  readonly longLivedGracefulRestart?: readonly {
    readonly family: FamilyName;
    readonly staleTime: number;
  }[];
  readonly maxPrefix?: {
    readonly limit: number;
    readonly warningPct: number;
    readonly restartAfter?: number;
  };
  readonly description?: string;
  readonly shutdown: boolean;
  /** A PE-CE neighbor bound to this VRF: its routes enter the VRF, it receives the VRF's best routes. */
  readonly vrf?: string;
  /** Route maps run on every route received from / sent to this neighbor (src/policy). */
  readonly routeMapIn?: string;
  readonly routeMapOut?: string;
  /** Keep the routes received, before inbound policy (Adj-RIB-In, src/rib/adj-in.ts). */
  readonly softReconfigurationInbound?: boolean;
  /** Unsent octets before the session is reset (src/session/peer.ts; default 64 MiB). */
  readonly maxOutputQueue?: number;
  /** The TCP-MD5 key (RFC 2385), read from where the config said. Never logged or shown. */
  readonly password?: Uint8Array;
  /** GTSM (RFC 5082): the peer is at most `hops` hops away. */
  readonly ttlSecurity?: { readonly hops: number };
  /** ADD-PATH (RFC 7911) per family: accept path identifiers, and/or send more than the best. */
  readonly addPath?: readonly AddPathOption[];
}

export interface AddPathOption {
  readonly family: FamilyName;
  readonly receive: boolean;
  readonly send?: AddPathSendMode;
}

export interface DaemonOptions {
  readonly asn: number;
  /** BGP identifier, dotted quad. */
  readonly routerId: string;
  readonly clusterId?: string;
  /** RFC 4456 §5: reflect routes between clients (default true). */
  readonly clientToClient?: boolean;
  readonly listen?: { readonly address: string; readonly port: number };
  readonly neighbors: readonly NeighborOptions[];
  /** Default-table networks. */
  readonly networks: readonly NetworkOptions[];
  /** VRFs, as the leak engine takes them (src/vrf/defs.ts). */
  readonly vrfs: readonly VrfDef[];
  /** Compiled route maps and lists (src/policy). */
  readonly policies: Policies;
  /** What may be leaked into each VRF that says (its `expect`): the leak monitor, issue 16. */
  readonly expects?: readonly VrfExpect[];
  /** `deny-inter-vrf-static: true`: static routes with a next hop in another VRF are refused. */
  readonly denyInterVrfStatic: boolean;
  /**
   * DESIGN.md "Retention": `all` keeps and passes on every VPN route; `imported-only` drops those no
   * local VRF imports, and asks the peers again (route refresh) when an import RT is added.
   */
  readonly retain?: 'all' | 'imported-only';
  /** The kernel tables the selected routes go into (src/daemon/fib.ts); omitted: none. */
  readonly fib?: FibOptions;
  /** Our own graceful restart (RFC 4724): restart time advertised; R bit set after a restart. */
  readonly gracefulRestart?: {
    readonly restartTime: number;
    /** We are coming back from a restart: the R bit is set and selection is deferred (RFC 4724). */
    readonly restarting?: boolean;
    /** Upper bound of the selection deferral, seconds (default: the restart time). */
    readonly deferralTime?: number;
  };
  /** BMP collectors to export to (src/daemon/bmp.ts); none when absent. */
  readonly bmp?: readonly BmpOptions[];
  readonly mrt?: MrtOptions;
}

/** MRT output (RFC 6396): table dumps and BGP4MP message logs (src/daemon/mrt.ts). */
export interface MrtOptions {
  readonly directory: string;
  /** Seconds between table dumps; 0: on demand only. */
  readonly dumpInterval: number;
  readonly messages?: {
    /** Neighbor addresses whose messages are logged, or every neighbor. */
    readonly neighbors: 'all' | readonly string[];
    readonly rotateInterval: number;
    readonly rotateSize: number;
  };
}

export const NEIGHBOR_DEFAULTS = {
  families: ['vpnv4'] as readonly FamilyName[],
  passive: false,
  port: 179,
  holdTime: 90,
  connectRetry: 5,
  routeReflectorClient: false,
  nextHopSelf: false,
  allowasIn: 0,
  shutdown: false,
} as const;

/**
 * The Route Monitoring streams a collector may take: Adj-RIB-In before and after inbound policy
 * (RFC 7854 §2), Adj-RIB-Out after outbound policy (RFC 8671), each table's Loc-RIB (RFC 9069).
 */
export type BmpStream = 'pre-policy' | 'post-policy' | 'adj-rib-out-post' | 'loc-rib';

export interface BmpOptions extends CollectorOptions {
  readonly streams: readonly BmpStream[];
  /** Seconds between Statistics Reports (RFC 7854 §4.8); 0: none. */
  readonly statisticsInterval: number;
  /** The Initiation message's sysName (RFC 7854 §4.4). */
  readonly sysName: string;
}
