// Routes: a prefix (with its RD and labels for VPN routes), an interned attribute set, where it
// came from, and a few numbers. Kept small: one per path in a table.

import type { AttrSet } from './attrset.js';
import type { FamilyName } from '../wire/afi.js';
import { nlriFromKey, vpnKeyPrefixPart } from '../wire/nlri/key.js';
import { NO_LABELS } from '../wire/nlri/labeled.js';
import type { Nlri } from '../wire/types.js';
import { NO_CODE, v4KeyCode, v4KeyOf, v4PrefixKeyOf } from './v4-key-code.js';
import { protoLiteral } from './proto-literal.js';
import { shareOf, type RouteShare as Share } from './route-share.js';
import type { RouteOrigin } from './route-origin.js';

export interface Route {
  /** The destination key in its table (prefix, or RD + prefix for VPN tables). */
  readonly key: string;
  readonly nlri: Nlri;
  readonly attrs: AttrSet;
  readonly origin: RouteOrigin;
  /**
   * Numeric id of the source that owns this path in its table (a peer's id, or an id the daemon
   * gives each local or leaking source). A table holds at most one path per (src, pathId).
   */
  readonly src: number;
  /** RFC 7911 path id as received (0 when add-path is not in use). */
  readonly pathId: number;
  /** Arrival order, for "prefer the oldest" (RFC 5004) and stable output. */
  readonly seq: number;
  /** RFC 4724: kept while the peer restarts, swept at End-of-RIB or when the restart time runs out. */
  stale: boolean;
}

/**
 * A route as the tables hold it. A received route (receivedRoute) keeps no NLRI object: the
 * key names the prefix and RD, and the labels are a shared array, so its NLRI (an object of the
 * NLRI, one of the prefix and one of the RD: 104 of the 192 octets a transit route cost, see
 * bench/heap/) is built when read, which only the edges do (export, outbound, show).
 */
class StoredRoute implements Route {
  // Fields only declared: every StoredRoute is made by stored() below, not by a constructor.
  declare stale: boolean;
  declare readonly key: string;
  /** The family the key is of (a keyed route), or undefined when `n` is the NLRI itself. */
  declare private readonly fam: FamilyName | undefined;
  /** The labels of a keyed route, or its NLRI. */
  declare private readonly n: Nlri | readonly number[];
  declare readonly attrs: AttrSet;
  declare readonly origin: RouteOrigin;
  declare readonly src: number;
  declare readonly pathId: number;
  declare readonly seq: number;

  get nlri(): Nlri {
    const f = this.fam;
    return f === undefined
      ? (this.n as Nlri)
      : nlriFromKey(f, this.key, this.n as readonly number[], this.pathId);
  }

  /** The labels of a keyed route (its NLRI is the key and these), undefined when it keeps one. */
  keyLabels(): readonly number[] | undefined {
    return this.fam === undefined ? undefined : (this.n as readonly number[]);
  }

  /** The same route as a new object, marked stale or not, with these attributes. */
  copy(stale: boolean, attrs: AttrSet): StoredRoute {
    return stored(
      this.key,
      this.fam,
      this.n,
      attrs,
      this.origin,
      this.src,
      this.pathId,
      this.seq,
      stale,
    );
  }
}

/**
 * A StoredRoute, from one object literal with the class's prototype rather than `new`: V8 tracks
 * an allocation site for a literal and, once it sees the site's objects survive (a table keeps its
 * routes), allocates them in the old generation at once. Objects made by `new` are copied by the
 * scavenger twice before they get there: the fan-out's 2.1M routes cost most of its GC time so.
 */
function stored(
  key: string,
  fam: FamilyName | undefined,
  n: Nlri | readonly number[],
  attrs: AttrSet,
  origin: RouteOrigin,
  src: number,
  pathId: number,
  seq: number,
  stale: boolean,
): StoredRoute {
  const r = {
    __proto__: StoredRoute.prototype,
    key,
    fam,
    n,
    attrs,
    origin,
    src,
    pathId,
    seq,
    stale,
  };
  return r as unknown as StoredRoute;
}

/**
 * A derived route (path id 0, not stale) whose common part is a RouteShare and whose NLRI is its
 * key (nlriFromKey): 48 octets where a StoredRoute is 96. The 1000-VRF fan-out holds 2.1M of them
 * (a million own routes, a million exported), and on this kind of machine every fresh octet of heap
 * costs a page fault and GC work (bench/README.md, "VRF workloads").
 */
class SharedRoute implements Route {
  // Fields only declared: a SharedRoute is made by sharedRoute() below (proto-literal.ts), or by
  // the constructor (codedV4Route).
  /** The key, or the code of a VPNv4 key whose RD part is the share's head (v4-key-code.ts). */
  declare protected readonly k: string | number;
  declare protected readonly s: Share<RouteOrigin>;
  declare readonly seq: number;

  /**
   * For the routes a VPNv4 table keeps packed (rib/packed-route.ts), each alive only until its
   * batch is sent. `new`, not the literal, so no allocation site decides to make them in the old
   * generation: a withdrawal reads a million, and a site tenured on them (V8 does when most of a
   * site's objects survive a scavenge) filled it with ~110 MB of them (transit 1M, MEM_TRACE).
   */
  constructor(k: number, s: Share<RouteOrigin>, seq: number) {
    this.k = k;
    this.s = s;
    this.seq = seq;
  }

  // A VPNv4 route keeps no key string (32 octets a route): the key is made when read.
  get key(): string {
    const k = this.k;
    return typeof k === 'string' ? k : v4KeyOf(this.s.head, k);
  }

  /** vpnKeyPrefixPart(this.key) of a VPN route, without making the VPN key of a code. */
  prefixPart(): string {
    const k = this.k;
    return typeof k === 'string' ? vpnKeyPrefixPart(k) : v4PrefixKeyOf(k);
  }

  /** A string whose first four units are the RD part of a VPN route's key (the key, or its head). */
  rdPart(): string {
    const k = this.k;
    return typeof k === 'string' ? k : this.s.head;
  }

  /** The share of a route whose key is a VPNv4 code (what a table may keep packed), else undefined. */
  v4Share(): Share<RouteOrigin> | undefined {
    return typeof this.k === 'number' ? this.s : undefined;
  }

  get attrs(): AttrSet {
    return this.s.attrs;
  }

  get origin(): RouteOrigin {
    return this.s.origin;
  }

  get src(): number {
    return this.s.src;
  }

  get pathId(): number {
    return 0;
  }

  get stale(): boolean {
    return false;
  }

  get nlri(): Nlri {
    return nlriFromKey(this.s.fam!, this.key, this.s.labels, 0);
  }

  /** The labels of a keyed route (its NLRI is the key and these), undefined when it keeps one. */
  keyLabels(): readonly number[] | undefined {
    return this.s.fam === undefined ? undefined : this.s.labels;
  }

  /** The same route as a new object: a StoredRoute when it is marked stale or its set changes. */
  copy(stale: boolean, attrs: AttrSet): Route {
    const sh = this.s;
    if (!stale && attrs === sh.attrs) return sharedRoute(this.k, sh, this.seq);
    return stored(this.key, sh.fam, sh.labels, attrs, sh.origin, sh.src, 0, this.seq, stale);
  }
}

/** A SharedRoute that keeps the NLRI it was given (makeRoute: its share has no family). */
class SharedNlriRoute extends SharedRoute {
  // Fields only declared: every one is made by sharedNlriRoute() below (see stored()).
  declare private readonly n: Nlri;

  override get nlri(): Nlri {
    return this.n;
  }

  override copy(stale: boolean, attrs: AttrSet): Route {
    const sh = this.s;
    if (!stale && attrs === sh.attrs) return sharedNlriRoute(this.key, sh, this.n, this.seq);
    return stored(this.key, undefined, this.n, attrs, sh.origin, sh.src, 0, this.seq, stale);
  }
}

/**
 * SharedRoutes from one object literal without `__proto__` (proto-literal.ts): pretenured as
 * stored()'s are, without its runtime call per object (a transit makes a million, the fan-out two).
 */
const SHARED = protoLiteral<
  (k: string | number, s: Share<RouteOrigin>, seq: number) => SharedRoute
>(SharedRoute, ['k', 's', 'seq']);
const sharedRoute = SHARED.make;
const sharedProto = SHARED.proto;
const isPrototypeOf = Object.prototype.isPrototypeOf;

/** Whether a route is a SharedRoute (those of sharedRoute are not `instanceof` the class). */
function isShared(r: Route): r is SharedRoute {
  return isPrototypeOf.call(sharedProto, r) || r instanceof SharedRoute;
}

/**
 * A SharedRoute of `family` for `key`: a VPNv4 key with a code is kept as the code, its RD part
 * in the share (v4-key-code.ts); any other as the string.
 */
function keyedShared(
  key: string,
  family: FamilyName,
  labels: readonly number[],
  attrs: AttrSet,
  origin: RouteOrigin,
  src: number,
  seq: number,
): SharedRoute {
  if (family === 'vpnv4') {
    const code = v4KeyCode(key);
    if (code !== NO_CODE) {
      return codedV4Route(shareOf(family, labels, attrs, origin, src, key), code, seq);
    }
  }
  return sharedRoute(key, shareOf(family, labels, attrs, origin, src), seq);
}

/** A SharedNlriRoute from one object literal (see sharedRoute). */
function sharedNlriRoute(k: string, s: Share<RouteOrigin>, n: Nlri, seq: number): SharedNlriRoute {
  const r = { __proto__: SharedNlriRoute.prototype, k, s, n, seq };
  return r as unknown as SharedNlriRoute;
}

/**
 * One of the places Route objects are made (originated, leaked, exported: the NLRI is kept as
 * given). A new route is not stale; see staleCopy.
 */
export function makeRoute(
  key: string,
  nlri: Nlri,
  attrs: AttrSet,
  origin: RouteOrigin,
  src: number,
  pathId: number,
  seq: number,
): Route {
  if (pathId === 0) {
    return sharedNlriRoute(key, shareOf(undefined, NO_LABELS, attrs, origin, src), nlri, seq);
  }
  return stored(key, undefined, nlri, attrs, origin, src, pathId, seq, false);
}

/**
 * A route whose NLRI is rebuilt from its key when read (the bulk of a table: received routes).
 * `key` must be nlriKey(n); the family and labels are taken from n, the rest of n is dropped.
 */
export function receivedRoute(
  key: string,
  n: Nlri,
  attrs: AttrSet,
  origin: RouteOrigin,
  src: number,
  pathId: number,
  seq: number,
): Route {
  let family: FamilyName;
  let labels = NO_LABELS;
  switch (n.kind) {
    case 'vpn':
      family = n.prefix.afi === 1 ? 'vpnv4' : 'vpnv6';
      labels = n.labels;
      break;
    case 'labeled':
      family = n.prefix.afi === 1 ? 'ipv4-labeled' : 'ipv6-labeled';
      labels = n.labels;
      break;
    case 'prefix':
      family = n.prefix.afi === 1 ? 'ipv4' : 'ipv6';
      break;
    case 'rtc':
      family = 'rtc';
      break;
    default: {
      const never: never = n;
      return never;
    }
  }
  // The routes of one UPDATE share all but their key and arrival number (the decoder shares equal
  // label stacks): 48 octets a route, not 96.
  if (pathId === 0) return keyedShared(key, family, labels, attrs, origin, src, seq);
  return stored(key, family, labels, attrs, origin, src, pathId, seq, false);
}

/**
 * receivedRoute() of a VPNv4 NLRI (path id 0) whose prefix has a code (v4-key-code.ts v4CodeOf),
 * `head` its RD part (wire/nlri/key.ts rdKeyPart): no key string is made for it.
 */
export function receivedV4Route(
  head: string,
  code: number,
  labels: readonly number[],
  attrs: AttrSet,
  origin: RouteOrigin,
  src: number,
  seq: number,
): Route {
  // shareOf reads a key's first four units only: the head stands for the key.
  return codedV4Route(shareOf('vpnv4', labels, attrs, origin, src, head), code, seq);
}

/**
 * The share of a VPNv4 route a table may keep packed, the share and the route's seq standing for
 * it (rib/packed-route.ts): a SharedRoute whose key is a code (its RD part in the share, its
 * prefix in the table's key). Undefined for any other route.
 */
export function v4PackedShare(r: Route): Share<RouteOrigin> | undefined {
  return isShared(r) ? r.v4Share() : undefined;
}

/**
 * A VPNv4 route whose key is a code: as received or exported, or read out of a packed slot
 * (v4PackedShare; equal to the one packed in every field). By `new` (see the constructor), where
 * the other SharedRoutes (a VRF's, which live in their tables) are made by the literal.
 */
export function codedV4Route(share: Share<RouteOrigin>, code: number, seq: number): SharedRoute {
  return new SharedRoute(code, share, seq);
}

/**
 * A route of a family's table whose NLRI is its key and labels (nlriFromKey): what a derived route
 * (a VRF route exported into a VPN table) is when its key is already built. No NLRI object per
 * route: the fan-out exports a million.
 */
export function keyedRoute(
  key: string,
  family: FamilyName,
  labels: readonly number[],
  attrs: AttrSet,
  origin: RouteOrigin,
  src: number,
  pathId: number,
  seq: number,
): Route {
  if (pathId === 0) return keyedShared(key, family, labels, attrs, origin, src, seq);
  return stored(key, family, labels, attrs, origin, src, pathId, seq, false);
}

/**
 * The key of a VPN route's copy in a VRF table: the prefix part of its key (wire/nlri/key.ts
 * vpnKeyPrefixPart). A VPNv4 route that keeps a code (v4-key-code.ts) makes it without making
 * its VPN key and a slice of it (an RT change imports 100k routes).
 */
export function vpnPrefixKey(r: Route): string {
  return isShared(r) ? r.prefixPart() : vpnKeyPrefixPart(r.key);
}

/** A string whose first four units are the RD part of a VPN route's key (without making the key). */
export function vpnRdPart(r: Route): string {
  return isShared(r) ? r.rdPart() : r.key;
}

/**
 * RFC 4724 §4.2: the route kept while its peer restarts, marked stale; with `attrs` when the stale
 * route's attributes change (RFC 9494 §4.2: LLGR_STALE attached).
 */
export function staleCopy(r: Route, attrs: AttrSet = r.attrs): Route {
  return isShared(r) || r instanceof StoredRoute
    ? r.copy(true, attrs)
    : { ...r, attrs, stale: true };
}

/** The same path as a new object (a table sees a change where nothing but the object changed). */
export function copyRoute(r: Route): Route {
  // Not a spread: a received route's NLRI is a getter, which a spread would leave behind.
  return isShared(r) || r instanceof StoredRoute ? r.copy(r.stale, r.attrs) : { ...r };
}

/**
 * The labels of a route whose NLRI is rebuilt from its key (the bulk of a table), without building
 * the NLRI; undefined for a route that keeps its NLRI object (read its nlri).
 */
export function keyLabels(r: Route): readonly number[] | undefined {
  return isShared(r) || r instanceof StoredRoute ? r.keyLabels() : undefined;
}
