// Heap per route of the transit path: N VPNv4 routes decoded by the real NLRI decoder, announced into
// the RIB by one peer in batches of one UPDATE's worth, committed to one update group (another peer).
// With `withdraw`, the routes are then withdrawn the same way, and the probe reports what each
// phase added to the old generation without a full GC in between (what the DUT's peak RSS is made
// of when no mark-compact runs during the withdrawals): the garbage promoted on top of the table.
// (--trace-gc shows whether a mark-compact ran meanwhile: then the figure is not all garbage.)
// PROBE_PROFILE=FILE writes a sampling heap profile of the withdrawals that keeps what only a
// mark-compact would free: by allocation site, what the withdrawals promoted (a .heapprofile for
// DevTools).
// `node --expose-gc --import ./bench/register.mjs bench/mem-probe.ts [N] [RDs] [withdraw]`

import { getHeapSpaceStatistics } from 'node:v8';
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import { Rib } from '../src/rib/rib.js';
import { Reader } from '../src/wire/reader.js';
import { decodeVpnList } from '../src/wire/nlri/vpn.js';
import { EMPTY_ATTR_VALUES } from '../src/model/attrset.js';
import type { RouteOrigin } from '../src/model/route-origin.js';
import { rtFromText } from '../src/wire/ext-community.js';
import { engineOn, joinEbgpMonitor } from './probe-rib.js';
import { findGc } from './harness-gc.js';

const N = Number(process.argv[2] ?? 1_000_000);
const RDS = Number(process.argv[3] ?? 10);
const WITHDRAW = process.argv[4] === 'withdraw';
const per = Math.ceil(N / RDS);
const gc = findGc();
if (!gc) throw new Error('V8 did not give its gc (run with --expose-gc)');
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const PER_MSG = 270;
/** Old-generation bytes in use (old space and large objects), garbage included. */
function oldGen(): number {
  let n = 0;
  for (const s of getHeapSpaceStatistics())
    if (s.space_name === 'old_space' || s.space_name === 'large_object_space')
      n += s.space_used_size;
  return n;
}
/** Commit after this many NLRI, as the daemon does (receive.ts). */
const COMMIT_EVERY = 2048;

function batch(from: number, n: number): Buffer {
  const b = Buffer.alloc(n * 15);
  for (let k = 0; k < n; k++) {
    const i = from + k;
    const at = k * 15;
    const r = Math.floor(i / per);
    const p = i % per;
    b[at] = 112;
    const label = (((16 + r) << 4) | 1) >>> 0;
    b[at + 1] = (label >>> 16) & 0xff;
    b[at + 2] = (label >>> 8) & 0xff;
    b[at + 3] = label & 0xff;
    b.writeUInt16BE(0, at + 4);
    b.writeUInt16BE(65001, at + 6);
    b.writeUInt32BE(r, at + 8);
    const addr = 0x0a000000 + p * 256;
    b[at + 12] = (addr >>> 24) & 0xff;
    b[at + 13] = (addr >>> 16) & 0xff;
    b[at + 14] = (addr >>> 8) & 0xff;
  }
  return b;
}

const rib = new Rib();
// The daemon always runs the leak engine (no VRFs here): it indexes the VPN best routes by RT.
const { propagation } = engineOn(rib, []);
const peer = (id: number, asn: number): RouteOrigin => ({
  kind: 'peer',
  peer: {
    id,
    address: `127.0.0.${id}`,
    addrKey: `7f00000${id}`,
    asn,
    bgpId: id,
    ibgp: false,
    rrClient: false,
  },
});
const origin = peer(1, 65001);
joinEbgpMonitor(rib);
propagation.commit();
const values = {
  ...EMPTY_ATTR_VALUES,
  asPath: [{ type: 2 as const, asns: [65001] }],
  nextHop: { afi: 1 as const, addr: 0x7f000001 },
  extCommunities: [rtFromText('65001:1')], // as the bench's injector sends
};
const h0 = heap();
const t0 = performance.now();
let peakHeap = 0;
let sent = 0;
let since = 0;
const o0 = oldGen();
for (let i = 0; i < N; i += PER_MSG) {
  const n = Math.min(PER_MSG, N - i);
  const buf = batch(i, n);
  const nlri = decodeVpnList(1, new Reader(buf), false, false, 10);
  rib.announce('vpnv4', 1, origin, values, nlri);
  since += n;
  if (since >= COMMIT_EVERY || i + n >= N) {
    since = 0;
    const out = propagation.commit();
    for (const l of out.values()) sent += l.length;
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }
}
const t1 = performance.now();
const o1 = oldGen();
const h1 = heap();
console.log(
  `routes ${N} rds ${RDS}: ${((h1 - h0) / N).toFixed(0)} B/route retained heap, ` +
    `${((peakHeap - h0) / N).toFixed(0)} B/route peak heap seen, ${(t1 - t0).toFixed(0)} ms, ` +
    `${sent} UPDATEs, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
);

if (WITHDRAW) {
  const live = oldGen();
  const sess = process.env.PROBE_PROFILE ? new Session() : undefined;
  sess?.connect();
  // Objects a scavenge freed leave the profile; those only a mark-compact frees stay.
  sess?.post('HeapProfiler.startSampling', {
    samplingInterval: 4096,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  const t2 = performance.now();
  for (let i = 0; i < N; i += PER_MSG) {
    const n = Math.min(PER_MSG, N - i);
    const nlri = decodeVpnList(1, new Reader(batch(i, n)), false, true, 10);
    rib.withdraw('vpnv4', 1, nlri);
    since += n;
    if (since >= COMMIT_EVERY || i + n >= N) {
      since = 0;
      propagation.commit();
    }
  }
  const t3 = performance.now();
  sess?.post('HeapProfiler.stopSampling', (err, r) => {
    if (!err) writeFileSync(process.env.PROBE_PROFILE!, JSON.stringify(r.profile));
  });
  const o3 = oldGen();
  const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
  console.log(
    `load: old generation +${mib(o1 - o0)} MiB (${((o1 - o0) / N).toFixed(0)} B/route); ` +
      `live after it ${mib(live)} MiB; withdraw: old generation +${mib(o3 - live)} MiB ` +
      `(${((o3 - live) / N).toFixed(0)} B/route promoted), ${(t3 - t2).toFixed(0)} ms; ` +
      `heap after a full GC ` +
      `${mib(heap())} MiB`,
  );
}
