// A seeded PRNG and the mutations the fuzz test applies to valid messages. Mutations aim at what
// decoders trust: length fields (header, withdrawn, attribute list, attribute, NLRI bits), and
// boundaries (truncation, splices, insertions), besides plain bit flips and random bytes.

export interface Rng {
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** mulberry32: small, fast and good enough to drive mutations reproducibly. */
export function rng(seed: number): Rng {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { int: (n) => Math.floor(next() * n) };
}

const MARKER = Buffer.alloc(16, 0xff);

/** Sets the header length field to the buffer's length (so the body is what gets parsed). */
function fixLength(b: Buffer): Buffer {
  if (b.length >= 18) b.writeUInt16BE(b.length & 0xffff, 16);
  return b;
}

/** Values that sit on the edges of length checks. */
function edgy(r: Rng, max: number): number {
  const picks = [
    0, 1, 2, 3, 4, 5, 8, 12, 16, 19, 23, 24, 32, 48, 64, 88, 96, 127, 128, 255, 256, 4096, 65535,
  ];
  const v = r.int(3) === 0 ? r.int(max + 1) : picks[r.int(picks.length)]!;
  return Math.min(v, max);
}

function randomBytes(r: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = r.int(256);
  return b;
}

type Mutation = (b: Buffer, other: Buffer, r: Rng) => Buffer;

const MUTATIONS: readonly Mutation[] = [
  // Bit flips anywhere after the marker.
  (b, _o, r) => {
    const out = Buffer.from(b);
    for (let k = 1 + r.int(8); k > 0; k--) {
      const at = out.length > 16 ? 16 + r.int(out.length - 16) : r.int(out.length);
      out[at]! ^= 1 << r.int(8);
    }
    return out;
  },
  // Truncation, with or without the header length following it.
  (b, _o, r) => {
    const out = Buffer.from(b.subarray(0, r.int(b.length + 1)));
    return r.int(2) === 0 ? fixLength(out) : out;
  },
  // A one- or two-octet length-looking field in the body set to an edge value.
  (b, _o, r) => {
    const out = Buffer.from(b);
    if (out.length < 20) return out;
    const at = 19 + r.int(out.length - 19);
    if (r.int(2) === 0 || at + 1 >= out.length) out[at] = edgy(r, 255);
    else out.writeUInt16BE(edgy(r, 65535), at);
    return out;
  },
  // The header length field itself.
  (b, _o, r) => {
    const out = Buffer.from(b);
    if (out.length >= 18) out.writeUInt16BE(edgy(r, 65535), 16);
    return out;
  },
  // Withdrawn Routes Length / Total Path Attribute Length of an UPDATE.
  (b, _o, r) => {
    const out = Buffer.from(b);
    if (out.length < 23) return out;
    const wd = out.readUInt16BE(19);
    const at = r.int(2) === 0 || 21 + wd + 2 > out.length ? 19 : 21 + wd;
    out.writeUInt16BE(edgy(r, 65535), at);
    return out;
  },
  // Splice: the head of one message and the tail of another.
  (b, o, r) =>
    fixLength(Buffer.concat([b.subarray(0, r.int(b.length + 1)), o.subarray(r.int(o.length + 1))])),
  // Insert or delete a few octets in the body.
  (b, _o, r) => {
    if (b.length <= 19) return Buffer.from(b);
    const at = 19 + r.int(b.length - 19);
    const out =
      r.int(2) === 0
        ? Buffer.concat([b.subarray(0, at), randomBytes(r, 1 + r.int(8)), b.subarray(at)])
        : Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + r.int(8)))]);
    return fixLength(out);
  },
  // Random body behind a valid marker and a random type.
  (_b, _o, r) => {
    const body = randomBytes(r, r.int(200));
    const head = Buffer.alloc(19);
    MARKER.copy(head);
    head[18] = 1 + r.int(5);
    return fixLength(Buffer.concat([head, body]));
  },
  // Pure random bytes.
  (_b, _o, r) => randomBytes(r, r.int(120)),
];

/**
 * One to three mutations of b (other is a second valid message, for splices). Most results get a
 * header length that matches, so the body decoders (not the header check) see the damage.
 */
export function mutate(b: Buffer, other: Buffer, r: Rng): Buffer {
  let out = b;
  for (let k = 1 + r.int(3); k > 0; k--) out = MUTATIONS[r.int(MUTATIONS.length)]!(out, other, r);
  return r.int(10) < 7 ? fixLength(Buffer.from(out)) : out;
}
