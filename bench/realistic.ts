// The realistic table (issue 13): N VPNv4 routes whose attributes look like a real table, seeded
// so that every device in a run and every run on any machine gets the same bytes.
//
// - Attribute sets: about one distinct set per four routes. A real table transfer packs the
//   routes of one set into one UPDATE, so set sizes are UPDATE sizes: drawn from a skewed
//   distribution (about 60% of sets hold one route, 25% two to four, 12% five to fifteen, 2%
//   16-100 and 0.25% 101-400; mean about 4.3), an UPDATE carrying from one to a few hundred NLRI.
//   A set larger than one 4096-octet UPDATE holds continues in the next UPDATE.
// - AS_PATH: the injector's AS first (peers enforce the first AS on eBGP), then 0-7 more hops
//   (1-8 in all) drawn with weights 5, 15, 25, 22, 15, 9, 6, 3 % for 1..8 hops, from a pool of
//   5000 ASNs with Zipf-like popularity (a few transit ASes appear in most paths).
// - COMMUNITIES: 0-6 (RFC 1997), half of the sets have none; EXTENDED_COMMUNITIES: 1-3 route
//   targets 65001:1..64 (RFC 4360); MULTI_EXIT_DISC on 60% of the sets (0..1000); ORIGIN
//   IGP (80%), INCOMPLETE (15%), EGP (5%).
// - Routes, RDs and labels as in routes.ts (route i: RD 65001:(i div perRd), 10.0.0.0/24 + (i mod
//   perRd)), so the monitor counts them the same way; the withdrawals are routes.ts's.

import { bgpMessage } from './session.js';
import { INJECTOR_AS, perRd, type LoadShape } from './routes.js';

export const REALISTIC_SEED = 0x13c0ffee;
const MAX_MESSAGE = 4096; // RFC 4271 §4.1
const NLRI_OCTETS = 1 + 3 + 8 + 3; // length, one label, RD, a /24 (RFC 8277, RFC 4364 §4.3.4)
const PREFIX_BASE = 0x0a000000;
const ASN_POOL = 5000;
/** MP_REACH_NLRI before its NLRI: 4-octet header, AFI/SAFI 3, next hop length 1 + 12, reserved 1. */
const MP_REACH_OCTETS = 4 + 3 + 1 + 12 + 1;

/** mulberry32: a small seeded generator; the same seed gives the same table everywhere. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks an index by cumulative weights. */
function pick(r: number, cumulative: readonly number[]): number {
  for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]!) return i;
  return cumulative.length - 1;
}

const cum = (w: readonly number[]): number[] => {
  const total = w.reduce((x, y) => x + y, 0);
  let acc = 0;
  return w.map((x) => (acc += x / total));
};

const HOPS = cum([5, 15, 25, 22, 15, 9, 6, 3]);
const SET_SIZE = cum([60.75, 25, 12, 2, 0.25]);
const SET_RANGE: readonly (readonly [number, number])[] = [
  [1, 1],
  [2, 4],
  [5, 15],
  [16, 100],
  [101, 400],
];

export interface RealisticStats {
  readonly routes: number;
  readonly updates: number;
  readonly attributeSets: number;
  readonly routesPerSet: number;
  readonly maxNlriPerUpdate: number;
  readonly meanHops: number;
}

export interface RealisticLoad {
  readonly announce: Buffer[];
  readonly stats: RealisticStats;
}

/** The path attributes of one set, MP_REACH_NLRI last with its length left for the UPDATE. */
function setAttributes(rand: () => number, nextHop: number): { attrs: Buffer; hops: number } {
  const parts: Buffer[] = [];
  // ORIGIN (RFC 4271 §5.1.1)
  const origin = pick(rand(), cum([80, 5, 15]));
  parts.push(Buffer.from([0x40, 1, 1, origin]));
  // AS_PATH: one AS_SEQUENCE of 4-octet ASNs (RFC 6793), the injector's AS first.
  const hops = pick(rand(), HOPS) + 1;
  const path = Buffer.alloc(3 + 2 + 4 * hops);
  path[0] = 0x40;
  path[1] = 2;
  path[2] = 2 + 4 * hops;
  path[3] = 2; // AS_SEQUENCE
  path[4] = hops;
  path.writeUInt32BE(INJECTOR_AS, 5);
  for (let h = 1; h < hops; h++) {
    // Zipf-like: rank = pool^u - 1 puts most draws on the lowest ranks.
    const rank = Math.floor(Math.pow(ASN_POOL, rand())) - 1;
    path.writeUInt32BE(1000 + rank * 7, 5 + 4 * h);
  }
  parts.push(path);
  // MULTI_EXIT_DISC (optional non-transitive, RFC 4271 §5.1.4)
  if (rand() < 0.6) {
    const med = Buffer.from([0x80, 4, 4, 0, 0, 0, 0]);
    med.writeUInt32BE(Math.floor(rand() * 1001), 3);
    parts.push(med);
  }
  // COMMUNITIES (optional transitive, RFC 1997): half the sets carry none.
  const communities = rand() < 0.5 ? 0 : 1 + Math.floor(rand() * 6);
  if (communities > 0) {
    const c = Buffer.alloc(3 + 4 * communities);
    c[0] = 0xc0;
    c[1] = 8;
    c[2] = 4 * communities;
    for (let k = 0; k < communities; k++) {
      c.writeUInt16BE(1000 + Math.floor(Math.pow(ASN_POOL, rand())) - 1, 3 + 4 * k);
      c.writeUInt16BE(Math.floor(rand() * 1000), 5 + 4 * k);
    }
    parts.push(c);
  }
  // EXTENDED_COMMUNITIES: 1-3 route targets 65001:n (RFC 4360 §4, type 0x00 subtype 0x02).
  const rts = 1 + Math.floor(rand() * 3);
  const e = Buffer.alloc(3 + 8 * rts);
  e[0] = 0xc0;
  e[1] = 16;
  e[2] = 8 * rts;
  for (let k = 0; k < rts; k++) {
    e.writeUInt16BE(0x0002, 3 + 8 * k);
    e.writeUInt16BE(INJECTOR_AS, 5 + 8 * k);
    e.writeUInt32BE(1 + Math.floor(rand() * 64), 7 + 8 * k);
  }
  parts.push(e);
  // MP_REACH_NLRI (RFC 4760 §3; extended length): AFI 1, SAFI 128, a 12-octet next hop of RD 0
  // and the IPv4 address (RFC 4364 §4.3.2), reserved; its length is patched per UPDATE.
  const mp = Buffer.from(
    '900e0000' + '000180' + '0c' + '0000000000000000' + '00000000' + '00',
    'hex',
  );
  mp.writeUInt32BE(nextHop >>> 0, 4 + 3 + 1 + 8); // after header, AFI/SAFI, length, RD
  parts.push(mp);
  return { attrs: Buffer.concat(parts), hops };
}

function writeNlri(buf: Buffer, at: number, i: number, per: number): void {
  const r = Math.floor(i / per);
  const p = i % per;
  buf[at] = 24 + 64 + 24;
  const label = (((16 + r) << 4) | 1) >>> 0; // bottom of stack (RFC 3032)
  buf[at + 1] = (label >>> 16) & 0xff;
  buf[at + 2] = (label >>> 8) & 0xff;
  buf[at + 3] = label & 0xff;
  buf.writeUInt16BE(0, at + 4); // RD type 0 (RFC 4364 §4.2)
  buf.writeUInt16BE(INJECTOR_AS, at + 6);
  buf.writeUInt32BE(r, at + 8);
  const addr = PREFIX_BASE + p * 256;
  buf[at + 12] = (addr >>> 24) & 0xff;
  buf[at + 13] = (addr >>> 16) & 0xff;
  buf[at + 14] = (addr >>> 8) & 0xff;
}

/** Every route announced once, set by set, in RD order; deterministic for a shape and seed. */
export function encodeRealistic(
  s: LoadShape,
  seed = REALISTIC_SEED,
  nextHop = 0xc0000201,
): RealisticLoad {
  const rand = rng(seed);
  const per = perRd(s);
  const announce: Buffer[] = [];
  let sets = 0;
  let hopsTotal = 0;
  let maxNlri = 0;
  for (let first = 0; first < s.routes;) {
    const [lo, hi] = SET_RANGE[pick(rand(), SET_SIZE)]!;
    const size = Math.min(lo + Math.floor(rand() * (hi - lo + 1)), s.routes - first);
    const { attrs, hops } = setAttributes(rand, nextHop);
    sets++;
    hopsTotal += hops;
    const perMsg = Math.floor((MAX_MESSAGE - 19 - 4 - attrs.length) / NLRI_OCTETS);
    for (let done = 0; done < size;) {
      const n = Math.min(perMsg, size - done);
      const body = Buffer.alloc(4 + attrs.length + n * NLRI_OCTETS);
      body.writeUInt16BE(0, 0); // no withdrawn routes
      body.writeUInt16BE(attrs.length + n * NLRI_OCTETS, 2);
      attrs.copy(body, 4);
      // MP_REACH_NLRI is last: its length is everything after its 4-octet header.
      const mpAt = 4 + attrs.length - MP_REACH_OCTETS;
      body.writeUInt16BE(MP_REACH_OCTETS - 4 + n * NLRI_OCTETS, mpAt + 2);
      let at = 4 + attrs.length;
      for (let k = 0; k < n; k++, at += NLRI_OCTETS) writeNlri(body, at, first + done + k, per);
      announce.push(bgpMessage(2, body));
      maxNlri = Math.max(maxNlri, n);
      done += n;
    }
    first += size;
  }
  return {
    announce,
    stats: {
      routes: s.routes,
      updates: announce.length,
      attributeSets: sets,
      routesPerSet: s.routes / sets,
      maxNlriPerUpdate: maxNlri,
      meanHops: hopsTotal / sets,
    },
  };
}
