// What the leak engine's parts share: the per-VRF state, the typed refusal and conflict records,
// source-id numbering and small route helpers (DESIGN.md "Semantics (decided)").

import { ENGINE_SRC_BASE as SRC_BASE } from '../model/sources.js';
import type { AttrSet, NextHopAddr } from '../model/attrset.js';
import type { Route } from '../model/route.js';
import type { RouteOrigin } from '../model/route-origin.js';
import type { FamilyName } from '../wire/afi.js';
import type { ExtCommunity, IpPrefix } from '../wire/types.js';
import type { VrfDef } from './defs.js';

/** Why a candidate did not make it into a VRF (explain, the invariant checker and the counters). */
export type ImportRefusal =
  | { readonly kind: 'no-rt-intersection'; readonly routeRts: string[]; readonly vrfRts: string[] }
  | { readonly kind: 'import-map'; readonly map: string; readonly clause: number | undefined }
  | { readonly kind: 'source-vrf'; readonly vrf: string }
  | {
      readonly kind: 'as-loop';
      readonly asn: number;
      readonly count: number;
      readonly allowed: number;
    }
  | { readonly kind: 'not-best-in-vpn' };

export interface Conflict {
  readonly vrf: string;
  readonly prefix: IpPrefix;
  /** The VRF's own route that won. */
  readonly winner: Route;
  /** The leaked or imported routes it beat. */
  readonly losers: readonly Route[];
}

export interface VrfState {
  readonly def: VrfDef;
  /** Source ids: the VRF's own configured routes, its VPN exports, its leaks to the default table. */
  readonly ownSrc: number;
  readonly exportSrc: number;
  readonly toDefaultSrc: number;
  readonly fromDefaultSrc: number;
  readonly importRtKeys: ReadonlySet<string>;
}

/** The prefix of length `len` that contains a next hop address. */
export function maskTo(nh: NextHopAddr, len: number): IpPrefix {
  if (nh.afi === 1) {
    return { afi: 1, len, addr: len === 0 ? 0 : (nh.addr & (0xffffffff << (32 - len))) >>> 0 };
  }
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) {
    const bits = Math.max(0, Math.min(8, len - i * 8));
    b[i] = nh.addr[i]! & (0xff << (8 - bits)) & 0xff;
  }
  return { afi: 2, len, addr: b };
}

export const V4_VRF: FamilyName = 'ipv4';
export const V6_VRF: FamilyName = 'ipv6';

export function unicastFamily(p: IpPrefix): FamilyName {
  return p.afi === 1 ? V4_VRF : V6_VRF;
}

export function isVpn(f: FamilyName): boolean {
  return f === 'vpnv4' || f === 'vpnv6';
}

export function prefixOf(r: Route): IpPrefix | undefined {
  return r.nlri.kind === 'rtc' ? undefined : r.nlri.prefix;
}

export function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isRt(ec: ExtCommunity): boolean {
  return ec.kind === 'route-target';
}

/** Source ids of the engine start here (model/sources.ts: the ranges of every owner). */
export { SRC_BASE };

/**
 * A VRF's own route: configured in it, or learned from its CE neighbors (below SRC_BASE); every
 * other engine source in its tables is an import or a leak.
 */
export function isOwnRoute(r: Route, st: VrfState): boolean {
  return r.src < SRC_BASE || r.src === st.ownSrc;
}

/**
 * What a VRF's exports share, computed once per VRF (the fan-out exports a million routes): the
 * label stack, the VPN key prefix (RD), and the exported attribute set per source attribute set
 * when no export map decides per prefix (or the refusal).
 */
export interface ExportShared {
  readonly labels: readonly number[];
  readonly rdKey: string;
  readonly bySet: Map<AttrSet, AttrSet | string>;
  /** The last source origin seen and its leaked wrapper (a VRF's own routes share one origin). */
  lastFrom?: RouteOrigin;
  lastLeaked?: RouteOrigin;
}
