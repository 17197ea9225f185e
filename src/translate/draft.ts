// The translation's model of a router config while its lines are read: VRFs, interfaces, policies
// and static routes, each piece with the source lines it came from. assemble.ts turns a draft into
// a vrfleak config; a piece that cannot be expressed there is marked dropped with the reason.

import type { Finding, FindingKind } from './findings.js';
import type { SourceLine } from './lines.js';

/** A value and the lines that gave it; `dropped` says why it is not in the output. */
export interface Sourced<T> {
  value: T;
  readonly lines: number[];
  dropped?: string;
}

export function sourced<T>(value: T, line: number): Sourced<T> {
  return { value, lines: [line] };
}

export interface DraftStatic {
  prefix: string;
  nextHop?: string;
  /** An interface route: the next hop is found on this interface (its own address is used). */
  iface?: string;
  /** The table the next hop is in (`default`: the global table); omitted: the route's own table. */
  nextHopVrf?: string;
}

export interface DraftInterface {
  readonly name: string;
  readonly lines: number[];
  vrf?: Sourced<string>;
  address?: Sourced<string>;
}

export type Afi = 'ipv4' | 'ipv6';

export interface DraftVrf {
  readonly name: string;
  readonly lines: number[];
  dropped?: string;
  table?: Sourced<number>;
  rd?: Sourced<string>;
  importRts: Sourced<string>[];
  exportRts: Sourced<string>[];
  importTags: Sourced<string>[];
  exportTag?: Sourced<string>;
  importMap?: Sourced<string>;
  exportMap?: Sourced<string>;
  label?: Sourced<number | 'auto'>;
  exportNextHop?: Sourced<string>;
  /** The policy of a leak from / into the default table (FRR `import vrf` with its route-map). */
  leakFromDefault?: Sourced<string>;
  leakToDefault?: Sourced<string>;
  networks: Sourced<string>[];
  statics: Sourced<DraftStatic>[];
  /** FRR `import vrf NAME`: the VRFs this one imports from. */
  importVrfs: Sourced<{ from: string; policy?: string }>[];
  /** FRR: `import vpn` / `export vpn` lines per address family (FRR leaks nothing without). */
  vpnGate?: { import: Set<Afi>; export: Set<Afi> };
}

export interface DraftPrefixEntry {
  action?: 'permit' | 'deny';
  prefix?: string;
  ge?: number;
  le?: number;
  /** IPv6 list (VyOS prefix-list6): the any-prefix default differs. */
  v6?: boolean;
}

export interface DraftRouteMapEntry {
  action?: 'permit' | 'deny';
  match: Record<string, string>;
  set: Record<string, unknown>;
  continue?: number | true;
  onMatchNext?: boolean;
}

export interface DraftCommunityEntry {
  action: 'permit' | 'deny';
  values: string[];
}

export interface Draft {
  asn?: Sourced<number>;
  routerId?: Sourced<string>;
  denyInterVrfStatic?: Sourced<boolean>;
  readonly vrfs: Map<string, DraftVrf>;
  readonly interfaces: Map<string, DraftInterface>;
  /** Default-table static routes. */
  readonly statics: Sourced<DraftStatic>[];
  readonly prefixLists: Map<string, Map<number, Sourced<DraftPrefixEntry>>>;
  readonly routeMaps: Map<string, Map<number, Sourced<DraftRouteMapEntry>>>;
  readonly communityLists: Map<string, Sourced<DraftCommunityEntry>[]>;
  readonly extCommunityLists: Map<string, Sourced<DraftCommunityEntry>[]>;
  /** FRR `import vrf NAME` in the default instance: VRFs leaking into the default table. */
  readonly intoDefault: Sourced<{ from: string; policy?: string }>[];
  /** FRR `import vrf route-map RM` per importing instance (`default` for the global one). */
  readonly importVrfMaps: Map<string, Sourced<string>>;
  /** One finding per source line (the last word about a line wins). */
  readonly findings: Map<number, Finding>;
}

export function newDraft(): Draft {
  return {
    vrfs: new Map(),
    interfaces: new Map(),
    statics: [],
    prefixLists: new Map(),
    routeMaps: new Map(),
    communityLists: new Map(),
    extCommunityLists: new Map(),
    intoDefault: [],
    importVrfMaps: new Map(),
    findings: new Map(),
  };
}

export function vrfOf(d: Draft, name: string, line: number): DraftVrf {
  let v = d.vrfs.get(name);
  if (!v) {
    v = {
      name,
      lines: [],
      importRts: [],
      exportRts: [],
      importTags: [],
      networks: [],
      statics: [],
      importVrfs: [],
    };
    d.vrfs.set(name, v);
  }
  v.lines.push(line);
  return v;
}

/** IOS reads `Serial 1/0` and `Serial1/0` as one interface, and ignores case. */
export const interfaceKey = (name: string): string => name.replace(/\s+/g, '').toLowerCase();

export function interfaceOf(d: Draft, name: string, line: number): DraftInterface {
  let i = d.interfaces.get(interfaceKey(name));
  if (!i) {
    i = { name, lines: [] };
    d.interfaces.set(interfaceKey(name), i);
  }
  i.lines.push(line);
  return i;
}

export function prefixEntryOf(
  d: Draft,
  list: string,
  seq: number,
  line: number,
): Sourced<DraftPrefixEntry> {
  const entries = d.prefixLists.get(list) ?? new Map<number, Sourced<DraftPrefixEntry>>();
  d.prefixLists.set(list, entries);
  let e = entries.get(seq);
  if (!e) {
    e = { value: {}, lines: [] };
    entries.set(seq, e);
  }
  e.lines.push(line);
  return e;
}

export function routeMapEntryOf(
  d: Draft,
  map: string,
  seq: number,
  line: number,
): Sourced<DraftRouteMapEntry> {
  const entries = d.routeMaps.get(map) ?? new Map<number, Sourced<DraftRouteMapEntry>>();
  d.routeMaps.set(map, entries);
  let e = entries.get(seq);
  if (!e) {
    e = { value: { match: {}, set: {} }, lines: [] };
    entries.set(seq, e);
  }
  if (!e.lines.includes(line)) e.lines.push(line);
  return e;
}

/** Records what became of a line (a later word about the same line replaces an earlier one). */
export function note(d: Draft, line: SourceLine, kind: FindingKind, message: string): void {
  d.findings.set(line.no, { line: line.no, kind, message, text: line.text });
}

/** Re-marks lines already read (a piece dropped at assembly): their findings become left-out. */
export function leaveOut(d: Draft, lines: readonly number[], reason: string): void {
  for (const no of lines) {
    const f = d.findings.get(no);
    if (f && f.kind !== 'unknown') d.findings.set(no, { ...f, kind: 'left-out', message: reason });
  }
}
