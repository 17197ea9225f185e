// Where the bytes of a loaded table go: N routes (the bench's transit or realistic UPDATEs) decoded,
// ingested and committed as the daemon does it (decodeMessage -> ingest -> Rib.announce, a commit
// per 2048 NLRI through the propagation loop with the leak engine, one eBGP update group sending
// the VPN table), without sockets. Then a V8 heap snapshot, and per table: the bytes it retains
// (what would be freed without it) per route, and by type; the whole heap by type.
//
// node --expose-gc --import ./bench/register.mjs bench/heap-by-type.ts \
//   [--workload transit|realistic] [--routes N] [--rds K] [--vrf] [--keep-received] [--out FILE.md]
//
// --vrf adds a VRF importing the routes' RT 65001:1 (a per-VRF table and the RT index);
// --keep-received keeps the peer's Adj-RIB-In as received (soft-reconfiguration inbound).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { createAdjRibIn } from '../src/rib/adj-in.js';
import { Rib } from '../src/rib/rib.js';
import { rtFromText } from '../src/wire/ext-community.js';
import { rdFromText } from '../src/wire/rd.js';
import type { VrfDef } from '../src/vrf/defs.js';
import { encodeAnnouncements } from './routes.js';
import { encodeRealistic } from './realistic.js';
import { findGc } from './harness-gc.js';
import { byType, bytesOf, nodeByProperty, reachable, readSnapshot } from './heap-snapshot.js';
import { engineOn, ingestFrame, injectorIngest, joinEbgpMonitor } from './probe-rib.js';

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(name);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : dflt;
};

/** The objects whose retained bytes are reported, parked on globalThis under these names. */
const ROOTS: readonly [string, string][] = [
  ['__probeLocRib', 'VPN table (Loc-RIB; Adj-RIB-In is these paths)'],
  ['__probeVrfTable', 'VRF table (ipv4 of one importing VRF)'],
  ['__probeAdjOut', 'Adj-RIB-Out (one update group)'],
  ['__probeInterner', 'attribute intern table'],
  ['__probeEngine', 'leak engine (RT index, VRF state)'],
  ['__probeAdjIn', 'Adj-RIB-In as received (soft-reconfiguration)'],
];

function load(): void {
  const gc = findGc();
  if (!gc) throw new Error('V8 did not give its gc (run with --expose-gc)');
  const workload = opt('--workload', 'transit');
  const routes = Number(opt('--routes', '1000000'));
  const rds = Number(opt('--rds', workload === 'transit' ? '10' : '100'));
  const shape = { routes, rds };
  const msgs =
    workload === 'transit' ? encodeAnnouncements(shape) : encodeRealistic(shape).announce;
  const vrfs: VrfDef[] = flag('--vrf')
    ? [
        {
          name: 'V',
          rd: rdFromText('65000:1'),
          importRts: [rtFromText('65001:1')],
          exportRts: [rtFromText('65000:1')],
          exportMode: 'add',
          label: 100,
          allowReexport: false,
          conflict: 'prefer-local',
          allowasIn: 0,
          connected: [],
          networks: [],
          statics: [],
        },
      ]
    : [];
  const rib = new Rib();
  const { engine, propagation } = engineOn(rib, vrfs);
  joinEbgpMonitor(rib);
  propagation.commit();
  const adjIn = flag('--keep-received') ? createAdjRibIn(rib.interner) : undefined;
  const injector = injectorIngest(adjIn !== undefined);
  gc();
  gc();
  const h0 = process.memoryUsage().heapUsed;
  const c0 = process.cpuUsage();
  let since = 0;
  for (let i = 0; i < msgs.length; i++) {
    const frame = msgs[i]!;
    msgs[i] = Buffer.alloc(0);
    since += ingestFrame(rib, frame, injector, adjIn);
    if (since >= 2048 || i === msgs.length - 1) {
      propagation.commit();
      since = 0;
    }
  }
  const cpu = process.cpuUsage(c0);
  msgs.length = 0;
  gc();
  gc();
  const h1 = process.memoryUsage().heapUsed;
  const g = globalThis as Record<string, unknown>;
  g.__probeLocRib = rib.table('vpnv4');
  if (vrfs.length) g.__probeVrfTable = rib.table('ipv4', 'V');
  g.__probeAdjOut = rib.groupOf(2);
  g.__probeInterner = rib.interner;
  g.__probeEngine = engine;
  if (adjIn) g.__probeAdjIn = adjIn;
  g.__probeAll = { rib, engine, propagation, adjIn };
  const summary = {
    workload,
    routes,
    rds,
    vrf: vrfs.length > 0,
    keepReceived: adjIn !== undefined,
    paths: rib.table('vpnv4').paths,
    attrSets: rib.interner.size,
    cpuS: (cpu.user + cpu.system) / 1e6,
    heapPerRoute: (h1 - h0) / routes,
    rssMiB: process.memoryUsage().rss / 2 ** 20,
  };
  const snap = opt('--snapshot', 'probe.heapsnapshot');
  // `--snapshot none`: the load alone (for a CPU profile of it).
  if (snap !== 'none') writeHeapSnapshot(snap);
  console.log(JSON.stringify(summary));
}

const kib = (b: number): string => (b / 1024).toFixed(0);

function analyze(summaryJson: string): string {
  const summary = JSON.parse(summaryJson) as {
    workload: string;
    routes: number;
    rds: number;
    paths: number;
    attrSets: number;
    cpuS: number;
    heapPerRoute: number;
    vrf: boolean;
    keepReceived: boolean;
  };
  const N = summary.routes;
  const s = readSnapshot(opt('--snapshot', 'probe.heapsnapshot'));
  const all = reachable(s, new Set());
  const total = bytesOf(s, (n) => all[n] === 1);
  const lines: string[] = [];
  lines.push(
    `### ${summary.workload}, ${N} routes, ${summary.rds} RDs` +
      `${summary.vrf ? ', one importing VRF' : ''}${summary.keepReceived ? ', Adj-RIB-In kept' : ''}`,
    '',
    `${summary.paths} paths, ${summary.attrSets} attribute sets; load ${summary.cpuS.toFixed(2)} CPU s ` +
      `(${((summary.cpuS * 1e6) / N).toFixed(1)} µs/route, in-process, no sockets); ` +
      `heap retained ${summary.heapPerRoute.toFixed(0)} B/route (heapUsed after full GCs); ` +
      `snapshot: ${(total / 2 ** 20).toFixed(0)} MiB reachable.`,
    '',
    '| table | retained MiB | B/route | largest parts (type: B/route) |',
    '| ----- | -----------: | ------: | ----------------------------- |',
  );
  let sum = 0;
  const roots = new Set<number>();
  for (const [prop, label] of ROOTS) {
    const node = nodeByProperty(s, prop);
    if (node === undefined) continue;
    roots.add(node);
    const without = reachable(s, new Set([node]));
    const mine = (n: number): boolean => all[n] === 1 && without[n] === 0;
    const bytes = bytesOf(s, mine);
    sum += bytes;
    const parts = byType(s, mine)
      .slice(0, 6)
      .map((r) => `${r.type}: ${(r.bytes / N).toFixed(1)}`)
      .join('; ');
    lines.push(
      `| ${label} | ${(bytes / 2 ** 20).toFixed(1)} | ${(bytes / N).toFixed(1)} | ${parts} |`,
    );
  }
  const allNode = nodeByProperty(s, '__probeAll');
  if (allNode !== undefined) {
    const without = reachable(s, new Set([allNode, ...roots]));
    const mine = (n: number): boolean => all[n] === 1 && without[n] === 0;
    const bytes = bytesOf(s, mine);
    const parts = byType(s, mine)
      .slice(0, 6)
      .map((r) => `${r.type}: ${(r.bytes / N).toFixed(1)}`)
      .join('; ');
    lines.push(
      `| shared between tables (attribute sets, keys held by two) | ${((bytes - sum) / 2 ** 20).toFixed(1)} | ${((bytes - sum) / N).toFixed(1)} | |`,
      `| **all of the above** | ${(bytes / 2 ** 20).toFixed(1)} | ${(bytes / N).toFixed(1)} | ${parts} |`,
    );
  }
  lines.push(
    '',
    'The whole heap by type (self size), top 20:',
    '',
    '| type | count | KiB | B/route |',
    '| ---- | ----: | --: | ------: |',
  );
  for (const r of byType(s, (n) => all[n] === 1).slice(0, 20))
    lines.push(`| ${r.type} | ${r.count} | ${kib(r.bytes)} | ${(r.bytes / N).toFixed(1)} |`);
  return lines.join('\n') + '\n';
}

function main(): void {
  const mode = args[0];
  if (mode === '--load') return load();
  if (mode === '--analyze') {
    process.stdout.write(analyze(opt('--summary', '{}')));
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'heap-'));
  const snap = join(dir, 'probe.heapsnapshot');
  const rest = [...args, '--snapshot', snap];
  const base = ['--import', './bench/register.mjs', 'bench/heap-by-type.ts'];
  try {
    const l = spawnSync(process.execPath, ['--expose-gc', ...base, '--load', ...rest], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 20,
    });
    if (l.status !== 0) throw new Error(`load failed (${l.status})`);
    const summary = l.stdout.trim().split('\n').pop()!;
    const a = spawnSync(
      process.execPath,
      ['--max-old-space-size=12000', ...base, '--analyze', ...rest, '--summary', summary],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 },
    );
    if (a.status !== 0) throw new Error(`analyze failed (${a.status})`);
    process.stdout.write(a.stdout);
    const out = opt('--out', '');
    if (out) writeFileSync(out, a.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
