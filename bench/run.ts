// `npm run bench`: times vrfleak, BIRD, FRR bgpd and gobgpd one after the other, cell by cell, and
// writes bench/RESULTS.md, bench/results.svg, bench/scaling.svg and bench/results.json. With no
// flags it runs every cell of issue 13 (bench/README.md: the full run, its command and duration).
//
//   --workloads transit,realistic,rr   which workloads (cell.ts, realistic.ts, rr-cell.ts)
//   --routes 10000,100000,1000000,3000000   --rds 10   --duts vrfleak,bird,frr,gobgp
//   --realistic-routes 10000,...,3000000  --realistic-rds 100   sizes of the realistic cells
//   --rr-routes 100000        --clients 10,50         the route-reflector cells (10 RDs)
//   --quick                   10k routes, 10 RDs (one transit cell)
//   --skip gobgp@1000000      leave out a DUT at a route count (repeatable, comma-separated)
//   --hold 9                  hold time of both sessions (s)
//   --timeout-s N             per phase (default 60 + routes/2000, rr: routes x clients / 2000;
//                             GoBGP needs ~280 s at 1M): a DUT not done by then is reported with
//                             what it reached
//   --rss-limit-gib 12        the RSS guard: a DUT past it is killed and reported "stopped at X GiB"
//   --cpu-prof                afterwards, profile vrfleak (--cpu-prof) at the largest cell run
//   --merge                   keep cells of bench/results.json that this run did not measure
//   --no-build                do not run `tsc -p tsconfig.build.json` first (vrfleak runs from dist/)
//   --no-vrf                  leave out the VRF workloads (bench/vrf.ts; vrfleak only, not in --quick)
//   --settle-s 60             before each device's cell, wait at most this long for the memory and
//                             the CPUs to be back as the run found them (bench/settle.ts; 0: no
//                             wait; --quick does not wait)
//   --out DIR                 write RESULTS.md, results.svg, scaling.svg and results.json there
//                             instead of bench/ (exploratory runs that must not replace the
//                             published results)

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { memAvailableKiB, settle, SETTLE_RULE, type Settle } from './settle.js';
import { allocateBlock, FRR_BGPD, makeStateDir, peerAvailable } from '../interop/harness/index.js';
import { emptyResult, runCell, type CellResult, type Workload } from './cell.js';
import { runRrCell } from './rr-cell.js';
import { DUT_KINDS, type DutKind } from './duts.js';
import { topSelfTime } from './profile.js';
import { cellKey } from './cells.js';
import { renderMarkdown, renderSvg } from './report.js';
import { renderScalingSvg } from './scaling-svg.js';
import type { VrfWorkloadResult } from './vrf.js';

/** Issue 13's scaling curve: every device, transit and realistic. */
const SCALING_SIZES = '10000,100000,1000000,3000000';
const BENCH = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(BENCH, '..');

const { values: a } = parseArgs({
  options: {
    workloads: { type: 'string', default: 'transit,realistic,rr' },
    routes: { type: 'string', default: SCALING_SIZES },
    'realistic-routes': { type: 'string', default: SCALING_SIZES },
    'realistic-rds': { type: 'string', default: '100' },
    'rr-routes': { type: 'string', default: '100000' },
    clients: { type: 'string', default: '10,50' },
    rds: { type: 'string', default: '10' },
    duts: { type: 'string', default: DUT_KINDS.join(',') },
    quick: { type: 'boolean', default: false },
    skip: { type: 'string', multiple: true, default: [] },
    hold: { type: 'string', default: '9' },
    'timeout-s': { type: 'string' },
    'rss-limit-gib': { type: 'string', default: '12' },
    'cpu-prof': { type: 'boolean', default: false },
    merge: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    'no-vrf': { type: 'boolean', default: false },
    out: { type: 'string' },
    'settle-s': { type: 'string', default: '60' },
  },
});

const list = (t: string): number[] => t.split(',').map((x) => Number(x.trim()));
const routeCounts = a.quick ? [10_000] : list(a.routes);
const rdCounts = a.quick ? [10] : list(a.rds);
const duts = a.duts.split(',').map((d) => d.trim()) as DutKind[];
const workloads = new Set(a.quick ? ['transit'] : a.workloads.split(',').map((w) => w.trim()));
const skips = new Set(a.skip.flatMap((x) => x.split(',')));
const holdTime = Number(a.hold);
const log = (line: string): void => console.log(`[bench ${new Date().toISOString()}] ${line}`);

for (const d of duts) if (!DUT_KINDS.includes(d)) throw new Error(`unknown DUT ${d}`);

/** A peer's version from `--version`; BIRD prints it on stderr. */
function version(cmd: string, args: string[], re: RegExp): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error !== undefined) return 'not installed';
  return re.exec(`${r.stdout}\n${r.stderr}`)?.[1] ?? 'unknown';
}

if (duts.includes('vrfleak') && !a['no-build']) {
  log('building dist/ (tsc -p tsconfig.build.json)');
  try {
    execFileSync(join(REPO, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], {
      cwd: REPO,
      stdio: 'pipe',
    });
  } catch (err) {
    // tsc still emits when other files have type errors; the DUT start fails loudly if not.
    const out = String((err as { stdout?: Buffer }).stdout ?? '').split('\n');
    log(`tsc reported errors (emitted anyway): ${out.slice(0, 3).join(' | ')}`);
  }
}

const settleDeadlineMs = a.quick ? 0 : Number(a['settle-s']) * 1000;
const startAvailableKiB = memAvailableKiB();
const block = allocateBlock('bench');
const dir = makeStateDir('bench');
log(`state and logs in ${dir}; addresses 127.${block.block}.0.0/16`);
const results: CellResult[] = [];
const timeoutFor = (routes: number): number =>
  (a['timeout-s'] !== undefined ? Number(a['timeout-s']) : 60 + routes / 2000) * 1000;

const PEER_BINARY: Record<DutKind, 'bgpd' | 'gobgpd' | 'bird' | undefined> = {
  vrfleak: undefined,
  bird: 'bird',
  frr: 'bgpd',
  gobgp: 'gobgpd',
};

/** Every DUT on one cell, one after the other; a DUT not installed is reported as such. */
async function eachDut(
  what: { workload: Workload; routes: number; rds: number; clients?: number },
  cell: (dut: DutKind) => Promise<CellResult>,
): Promise<void> {
  for (const dut of duts) {
    if (skips.has(`${dut}@${what.routes}`)) continue;
    const need = PEER_BINARY[dut];
    if (need !== undefined && !peerAvailable(need)) {
      log(`${dut}: not installed`);
      const r = emptyResult(dut, what.workload, what, what.clients);
      results.push({ ...r, error: `${need} is not installed` });
      continue;
    }
    let waited: Settle | undefined;
    if (settleDeadlineMs > 0) {
      waited = await settle(startAvailableKiB, { ...SETTLE_RULE, deadlineMs: settleDeadlineMs });
      log(`settle: ${JSON.stringify(waited)}`);
    }
    log(`cell ${cellKey(what)}: ${dut}`);
    const r = await cell(dut);
    if (waited !== undefined) r.settle = waited;
    results.push(r);
    log(JSON.stringify(r));
  }
}

const rssLimitKiB = Number(a['rss-limit-gib']) * 2 ** 20;
const common = { parentDir: dir, block, holdTime, log, rssLimitKiB };
log(`RSS guard: a DUT past ${a['rss-limit-gib']} GiB is stopped`);
for (const workload of ['transit', 'realistic'] as const) {
  if (!workloads.has(workload)) continue;
  const sizes = workload === 'transit' ? routeCounts : list(a['realistic-routes']);
  const rdsOf = workload === 'transit' ? rdCounts : list(a['realistic-rds']);
  for (const routes of sizes) {
    for (const rds of rdsOf) {
      await eachDut({ workload, routes, rds }, (dut) =>
        runCell(dut, { routes, rds }, { ...common, workload, timeoutMs: timeoutFor(routes) }),
      );
    }
  }
}
if (workloads.has('rr')) {
  for (const routes of list(a['rr-routes'])) {
    for (const clients of list(a.clients)) {
      await eachDut({ workload: 'rr', routes, rds: 10, clients }, (dut) =>
        runRrCell(dut, { routes, rds: 10 }, clients, {
          ...common,
          timeoutMs: timeoutFor(routes * clients),
        }),
      );
    }
  }
}

let profile: { cell: string; top: ReturnType<typeof topSelfTime> } | undefined;
if (a['cpu-prof'] && duts.includes('vrfleak')) {
  const routes = Math.max(...routeCounts);
  const rds = Math.max(...rdCounts);
  const profDir = join(dir, 'cpu-prof');
  mkdirSync(profDir, { recursive: true });
  log(`profiling vrfleak at ${cellKey({ routes, rds })}`);
  const r = await runCell(
    'vrfleak',
    { routes, rds },
    {
      parentDir: dir,
      block,
      holdTime,
      timeoutMs: timeoutFor(routes) * 2,
      cpuProfDir: profDir,
      log,
    },
  );
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (file !== undefined) {
    const top = topSelfTime(join(profDir, file), 10);
    profile = {
      cell: `${cellKey({ routes, rds })}, converge ${r.convergeMs?.toFixed(0)} ms under the profiler`,
      top,
    };
    log(
      `profile ${join(profDir, file)}:\n${top.map((t) => `  ${t.ms} ms ${t.pct}% ${t.fn} ${t.where}`).join('\n')}`,
    );
  }
}

// The VRF workloads: one fresh process each (its peak RSS is the workload's), GC exposed for the
// retained-heap figure.
const vrf: VrfWorkloadResult[] = [];
let vrfFailed = false;
if (duts.includes('vrfleak') && !a.quick && !a['no-vrf']) {
  for (const w of ['fanout', 'rt-change']) {
    // As before a device's cell: the run of 801257e had the fan-out at 2.12 s right after GoBGP's
    // reflector cell, against 1.65-1.70 s in three runs alone.
    const waited = await settle(startAvailableKiB, {
      ...SETTLE_RULE,
      deadlineMs: settleDeadlineMs,
    });
    log(`VRF workload ${w} (settle: ${JSON.stringify(waited)})`);
    try {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', '--import', './bench/register.mjs', 'bench/vrf.ts', w, '--json'],
        { cwd: REPO, encoding: 'utf8', maxBuffer: 1 << 20 },
      );
      for (const line of out.split('\n')) if (line.startsWith('{')) vrf.push(JSON.parse(line));
      log(out.trim());
    } catch (err) {
      // The cells above must still be written; the Targets section shows this one as not measured.
      log(`VRF workload ${w} FAILED: ${String((err as { stderr?: string }).stderr ?? err)}`);
      vrfFailed = true;
    }
  }
}

const OUT = a.out ?? BENCH;
mkdirSync(OUT, { recursive: true });
const jsonPath = join(OUT, 'results.json');
let all = results;
let earlier: { command: string } | undefined;
if (a.merge && existsSync(jsonPath)) {
  const old = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
    meta: { command: string };
    results: CellResult[];
    profile?: typeof profile;
    vrf?: VrfWorkloadResult[];
  };
  const id = (r: CellResult): string => `${r.dut}/${cellKey(r)}`;
  const measured = new Set(results.map(id));
  all = [...old.results.filter((r) => !measured.has(id(r))), ...results];
  profile ??= old.profile;
  const ran = new Set(vrf.map((w) => w.name));
  vrf.unshift(...(old.vrf ?? []).filter((w) => !ran.has(w.name)));
  earlier = old.meta;
}
const meta = {
  date: new Date().toISOString(),
  machine: `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
  node: process.version,
  versions: {
    BIRD: version('bird', ['--version'], /BIRD version\s+(\S+)/i),
    'FRR bgpd': version(FRR_BGPD, ['--version'], /version\s+(\S+)/i),
    gobgpd: version('gobgpd', ['--version'], /version\s+(\S+)/i),
  },
  rssLimitGiB: Number(a['rss-limit-gib']),
  command:
    (earlier ? `${earlier.command}\` merged with \`` : '') +
    `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  holdTime,
};
writeFileSync(jsonPath, JSON.stringify({ meta, results: all, profile, vrf }, null, 2) + '\n');
writeFileSync(join(OUT, 'RESULTS.md'), renderMarkdown(all, meta, profile, vrf));
writeFileSync(join(OUT, 'results.svg'), renderSvg(all));
writeFileSync(join(OUT, 'scaling.svg'), renderScalingSvg(all));
log(`wrote RESULTS.md, results.svg, results.json in ${OUT}`);
const failed = results.filter((r) => r.error !== undefined || r.sessionProblems.length > 0);
process.exit(failed.length > 0 || vrfFailed ? 1 : 0);
