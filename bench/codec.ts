// The codec benchmark: 1M VPNv4 NLRI in packed 4096-octet UPDATEs (ORIGIN, AS_PATH, MED, two
// route targets, MP_REACH_NLRI with a VPNv4 next hop; one label each; RDs over 16 values), timed
// through decodeMessage and encodeMessage on one core; heap growth per NLRI during decode
// (retained by the results vs transient garbage); and our Writer against smart-buffer building
// the same UPDATEs byte for byte (DESIGN.md: smart-buffer only if it costs nothing measurable).
//
//   npm run bench:codec            (node --expose-gc --import ./bench/register.mjs bench/codec.ts)
//   BENCH_NLRI=200000 npm run bench:codec

import { cpus } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { SmartBuffer } from 'smart-buffer';
import { DEFAULT_CONTEXT } from '../src/wire/context.js';
import { decodeMessage, encodeMessage } from '../src/wire/message.js';
import type { Ipv4Prefix, PathAttribute, UpdateMessage, VpnNlri } from '../src/wire/types.js';
import { Writer } from '../src/wire/writer.js';
import { findGc } from './harness-gc.js';

const TOTAL = Number(process.env['BENCH_NLRI'] ?? 1_000_000);
const ctx = DEFAULT_CONTEXT;
const gc = findGc();

// A deterministic spread of prefixes: /16../32 under 10/8, RD 65000:0..15, labels 16+.
let seed = 12345;
function rand(n: number): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
}

function makeNlri(i: number): VpnNlri {
  const len = 16 + rand(17);
  const addr = ((10 << 24) | ((i * 2654435761) >>> 8)) >>> 0;
  return {
    kind: 'vpn',
    labels: [((16 + (i % 1000)) << 4) | 1],
    rd: { hi: 65000, lo: i % 16 },
    prefix: { afi: 1, len, addr: (addr & (0xffffffff << (32 - len))) >>> 0 },
  };
}

const RT = (n: number) =>
  ({ kind: 'route-target', form: 'as2', transitive: true, global: 65000, local: n }) as const;

function attributes(nlri: VpnNlri[]): PathAttribute[] {
  return [
    // Extended Length set up front, so the empty message measures the real overhead.
    {
      kind: 'mp-reach',
      flags: 0x90,
      afi: 1,
      safi: 128,
      nextHop: { kind: 'vpn-ipv4', rd: { hi: 0, lo: 0 }, addr: 0x0a000001 },
      nlri,
    },
    { kind: 'origin', flags: 0x40, value: 0 },
    { kind: 'as-path', flags: 0x40, segments: [{ type: 2, asns: [65001, 65002, 4200000001] }] },
    { kind: 'med', flags: 0x80, value: 100 },
    { kind: 'ext-communities', flags: 0xc0, values: [RT(10), RT(20)] },
  ];
}

const update = (nlri: VpnNlri[]): UpdateMessage => ({
  type: 'update',
  withdrawn: [],
  nlri: [],
  attributes: attributes(nlri),
});

/** RFC 4364 §4.3.4 size of one NLRI: length octet, one label, RD, prefix octets. */
const nlriSize = (n: VpnNlri): number => 1 + 3 * n.labels.length + 8 + ((n.prefix.len + 7) >> 3);

function buildLists(): VpnNlri[][] {
  const budget = 4096 - encodeMessage(update([]), ctx).length;
  const out: VpnNlri[][] = [];
  let cur: VpnNlri[] = [];
  let used = 0;
  for (let i = 0; i < TOTAL; i++) {
    const n = makeNlri(i);
    const s = nlriSize(n);
    if (used + s > budget) {
      out.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(n);
    used += s;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

function mpNlri(u: UpdateMessage): number {
  return u.attributes.reduce((k, a) => k + (a.kind === 'mp-reach' ? a.nlri.length : 0), 0);
}

function heapUsed(): number {
  return getHeapStatistics().used_heap_size;
}

function rate(n: number, ms: number): string {
  return `${(((n / ms) * 1000) / 1e6).toFixed(2)}M NLRI/s`;
}

/** Hand-built UPDATE bytes (the same layout encodeMessage writes) through a sink API. */
interface Sink {
  u8(v: number): void;
  u16(v: number): void;
  u32(v: number): void;
  pos(): number;
  patch16(at: number, v: number): void;
  done(): Buffer;
}

function buildBytes(s: Sink, nlri: readonly VpnNlri[]): Buffer {
  for (let i = 0; i < 16; i++) s.u8(0xff);
  const lenAt = s.pos();
  s.u16(0);
  s.u8(2);
  s.u16(0); // withdrawn routes length
  const attrLenAt = s.pos();
  s.u16(0);
  const a0 = s.pos();
  s.u8(0x90);
  s.u8(14); // MP_REACH_NLRI, extended length
  const mpAt = s.pos();
  s.u16(0);
  s.u16(1);
  s.u8(128);
  s.u8(12);
  s.u32(0);
  s.u32(0);
  s.u32(0x0a000001);
  s.u8(0);
  for (const n of nlri) {
    s.u8(24 + 64 + n.prefix.len);
    const l = n.labels[0]!;
    s.u8(l >>> 16);
    s.u8((l >>> 8) & 0xff);
    s.u8(l & 0xff);
    s.u32(n.rd.hi);
    s.u32(n.rd.lo);
    const a = (n.prefix as Ipv4Prefix).addr;
    for (let i = 0; i < (n.prefix.len + 7) >> 3; i++) s.u8((a >>> (24 - 8 * i)) & 0xff);
  }
  s.patch16(mpAt, s.pos() - mpAt - 2);
  s.u8(0x40);
  s.u8(1);
  s.u8(1);
  s.u8(0);
  s.u8(0x40);
  s.u8(2);
  s.u8(14);
  s.u8(2);
  s.u8(3);
  s.u32(65001);
  s.u32(65002);
  s.u32(4200000001);
  s.u8(0x80);
  s.u8(4);
  s.u8(4);
  s.u32(100);
  s.u8(0xc0);
  s.u8(16);
  s.u8(16);
  for (const local of [10, 20]) {
    s.u8(0);
    s.u8(2);
    s.u16(65000);
    s.u32(local);
  }
  s.patch16(attrLenAt, s.pos() - a0);
  s.patch16(lenAt, s.pos());
  return s.done();
}

function writerSink(): Sink {
  const w = new Writer(4096);
  return {
    u8: (v) => void w.u8(v),
    u16: (v) => void w.u16(v),
    u32: (v) => void w.u32(v),
    pos: () => w.pos,
    patch16: (at, v) => w.patchU16(at, v),
    done: () => w.finish(),
  };
}

function smartSink(): Sink {
  const b = SmartBuffer.fromSize(4096);
  return {
    u8: (v) => void b.writeUInt8(v),
    u16: (v) => void b.writeUInt16BE(v),
    u32: (v) => void b.writeUInt32BE(v >>> 0),
    pos: () => b.writeOffset,
    // With an offset, smart-buffer's write* overwrites in place (insert* would shift).
    patch16: (at, v) => {
      const back = b.writeOffset;
      b.writeUInt16BE(v, at);
      b.writeOffset = back;
    },
    done: () => b.toBuffer(),
  };
}

function timeIt(f: () => void): number {
  const t = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

function main(): void {
  console.log(
    `node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, gc exposed: ${gc !== undefined}`,
  );
  const lists = buildLists();
  const updates = lists.map(update);
  const n = lists.reduce((k, l) => k + l.length, 0);
  console.log(
    `${n} VPNv4 NLRI in ${updates.length} UPDATEs (${(n / updates.length).toFixed(1)} per UPDATE)`,
  );

  // Encode: warm up on a slice, then all of them.
  for (let i = 0; i < 200 && i < updates.length; i++) encodeMessage(updates[i]!, ctx);
  let frames: Buffer[] = [];
  const encRuns: number[] = [];
  for (let r = 0; r < 3; r++) {
    gc?.();
    encRuns.push(
      timeIt(() => {
        frames = updates.map((u) => encodeMessage(u, ctx));
      }),
    );
  }
  const encMs = Math.min(...encRuns);
  const bytes = frames.reduce((k, f) => k + f.length, 0);
  if (frames.some((f) => f.length > 4096)) throw new Error('an UPDATE exceeds 4096 octets');
  console.log(
    `encode: best of 3 ${encMs.toFixed(0)} ms, ${rate(n, encMs)} (${(bytes / 1e6).toFixed(1)} MB, ${(bytes / updates.length).toFixed(0)} octets per UPDATE)`,
  );

  // Decode: warm up, check the first frame decodes cleanly, then time all frames (results dropped).
  for (let i = 0; i < 200 && i < frames.length; i++) decodeMessage(frames[i]!, ctx);
  const first = decodeMessage(frames[0]!, ctx);
  if (first.problems.length > 0) throw new Error(`problems decoding: ${first.problems[0]!.reason}`);
  const runs: number[] = [];
  for (let r = 0; r < 3; r++) {
    gc?.();
    runs.push(
      timeIt(() => {
        for (const f of frames) decodeMessage(f, ctx);
      }),
    );
  }
  const best = Math.min(...runs);
  console.log(
    `decode: best of 3 ${best.toFixed(0)} ms, ${rate(n, best)} (runs: ${runs.map((x) => x.toFixed(0)).join(', ')} ms; target >= 2M NLRI/s)`,
  );

  // Heap: retained = growth while every result is held, after a full GC; allocated = the sum of
  // heap growth across single decodes that ran without a GC in between (sampled per message).
  if (gc) {
    gc();
    const h0 = heapUsed();
    const kept = frames.map((f) => decodeMessage(f, ctx));
    gc();
    const retained = (heapUsed() - h0) / n;
    const decoded = kept.reduce((k, d) => k + mpNlri(d.message as UpdateMessage), 0);
    if (decoded !== n) throw new Error(`decoded ${decoded} NLRI, expected ${n}`);
    let alloc = 0;
    let counted = 0;
    for (const f of frames) {
      const before = heapUsed();
      const d = decodeMessage(f, ctx);
      const grew = heapUsed() - before;
      if (grew >= 0) {
        alloc += grew;
        counted += (d.message as UpdateMessage).attributes.reduce(
          (k, a) => k + (a.kind === 'mp-reach' ? a.nlri.length : 0),
          0,
        );
      }
    }
    const perNlri = alloc / counted;
    console.log(
      `decode heap: retained ${retained.toFixed(0)} B/NLRI (results held), allocated ${perNlri.toFixed(0)} B/NLRI, transient ${(perNlri - retained).toFixed(0)} B/NLRI (${kept.length} results held)`,
    );
  } else {
    console.log('decode heap: skipped (run node with --expose-gc)');
  }

  // Writer vs smart-buffer over the same UPDATEs; both must produce encodeMessage's bytes.
  for (const [name, make] of [
    ['Writer', writerSink],
    ['smart-buffer', smartSink],
  ] as const) {
    const check = buildBytes(make(), lists[0]!);
    if (!check.equals(frames[0]!))
      throw new Error(`${name} built different bytes than encodeMessage`);
  }
  const times: Record<string, number[]> = { Writer: [], 'smart-buffer': [] };
  for (let r = 0; r < 3; r++) {
    for (const [name, make] of [
      ['Writer', writerSink],
      ['smart-buffer', smartSink],
    ] as const) {
      gc?.();
      times[name]!.push(
        timeIt(() => {
          for (const l of lists) buildBytes(make(), l);
        }),
      );
    }
  }
  for (const [name, ts] of Object.entries(times)) {
    const b = Math.min(...ts);
    console.log(`build UPDATE bytes with ${name}: best of 3 ${b.toFixed(0)} ms, ${rate(n, b)}`);
  }
}

main();
