// What the leak engine needs to know about each VRF, already parsed (the daemon builds it from the
// config file). DESIGN.md "Semantics (decided)" is the contract these fields implement.

import type { NextHopAddr } from '../model/attrset.js';
import type { Policies } from '../policy/compile.js';
import type { ExtCommunity, IpPrefix, LargeCommunity, Rd } from '../wire/types.js';

export interface VrfNetwork {
  readonly prefix: IpPrefix;
  readonly communities?: readonly number[];
  readonly largeCommunities?: readonly LargeCommunity[];
  readonly extCommunities?: readonly ExtCommunity[];
  readonly med?: number;
  readonly localPref?: number;
  readonly nextHop?: NextHopAddr;
}

export interface VrfStatic {
  readonly prefix: IpPrefix;
  readonly nextHop: NextHopAddr;
  /** The VRF the next hop resolves in; `default` is the global table; undefined: this VRF. */
  readonly nextHopVrf?: string;
}

export interface VrfDef {
  readonly name: string;
  readonly rd: Rd;
  /** Import route targets; import tags are route targets under another name and are merged in. */
  readonly importRts: readonly ExtCommunity[];
  /** Export route targets, the export tag included. */
  readonly exportRts: readonly ExtCommunity[];
  /** `replace` strips the route's existing route targets before adding ours. */
  readonly exportMode: 'add' | 'replace';
  readonly importMap?: string;
  readonly exportMap?: string;
  /** MPLS label (20 bits) of the VRF's exported routes. */
  readonly label: number;
  readonly exportNextHop?: NextHopAddr;
  readonly allowReexport: boolean;
  readonly conflict: 'prefer-local' | 'best-path';
  /** How many times our own AS may appear in a leaked route's AS path. */
  readonly allowasIn: number;
  readonly leakFromDefault?: { readonly policy: string };
  readonly leakToDefault?: { readonly policy: string };
  /** Connected routes (the networks of the interface addresses). */
  readonly connected: readonly IpPrefix[];
  readonly networks: readonly VrfNetwork[];
  readonly statics: readonly VrfStatic[];
}

export interface LeakConfig {
  readonly asn: number;
  readonly vrfs: readonly VrfDef[];
  readonly policies: Policies;
  /** Refuse static routes whose next hop lives in another VRF (config-level; kept for explain). */
  readonly denyInterVrfStatic: boolean;
}

/** The name of the global table wherever a VRF name is expected. */
export const DEFAULT_VRF = 'default';
