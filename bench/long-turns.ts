// Which code ran in the long event-loop turns of a run of the vrfleak DUT. Run the bench with
//   ELD_TRACE=/tmp/gaps.jsonl BENCH_VRFLEAK_NODE_FLAGS="--cpu-prof --cpu-prof-dir /tmp/prof"
// (dut-vrfleak.mjs writes each gap of its 10 ms timer above 30 ms), then
//   node --import ./bench/register.mjs bench/long-turns.ts /tmp/prof/X.cpuprofile /tmp/gaps.jsonl
// Both clocks are CLOCK_MONOTONIC (V8's profile timestamps and process.hrtime), so each gap is a
// window of the profile: its samples are grouped by our own frames on their stack, outermost first,
// so "commit > flush > announce" names the code path and its share of the gap.

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Gap {
  /** CLOCK_MONOTONIC ms at the timer firing that ended the gap. */
  end: number;
  ms: number;
  /** The process's CPU ms in the gap (all threads), when the trace has it. */
  cpu?: number;
}

export interface LongTurn extends Gap {
  /** Ms from the first gap of the trace. */
  at: number;
  paths: { path: string; ms: number }[];
}

const OURS = /(^|\/)(src|dist)\//;

function frameName(n: ProfileNode): string {
  const f = n.callFrame;
  const fn = f.functionName || '(anonymous)';
  const file = f.url.replace(/^.*\/(src|dist)\//, '').replace(/\.[jt]s$/, '');
  return f.url === '' ? fn : `${file}.${fn}`;
}

export function longTurns(profilePath: string, gaps: readonly Gap[], depth: number): LongTurn[] {
  const p = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = new Map<number, string>();
  const pathOf = (id: number): string => {
    let k = keyOf.get(id);
    if (k !== undefined) return k;
    const stack: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (n) stack.unshift(n);
    }
    const ours = stack.filter((n) => OURS.test(n.callFrame.url)).map(frameName);
    const top = stack[stack.length - 1];
    const tail = top && !OURS.test(top.callFrame.url) ? ` [${frameName(top)}]` : '';
    k = (ours.slice(0, depth).join(' > ') || '(not ours)') + tail;
    keyOf.set(id, k);
    return k;
  };
  // Sample times in ms on the same clock as the gaps.
  const times: number[] = [];
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    times.push(t / 1000);
  }
  const first = gaps.reduce((m, g) => Math.min(m, g.end - g.ms), Infinity);
  return gaps.map((g) => {
    const by = new Map<string, number>();
    for (let i = 0; i < times.length; i++) {
      const at = times[i]!;
      if (at < g.end - g.ms || at > g.end) continue;
      const next = times[i + 1] ?? at;
      const k = pathOf(p.samples[i]!);
      by.set(k, (by.get(k) ?? 0) + (next - at));
    }
    const paths = [...by]
      .map(([path, ms]) => ({ path, ms: Math.round(ms) }))
      .filter((x) => x.ms >= 2)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 6);
    return { ...g, ms: Math.round(g.ms), at: Math.round(g.end - g.ms - first), paths };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [profile, trace, min, depth] = process.argv.slice(2);
  if (!profile || !trace) {
    console.error('usage: long-turns.ts PROFILE.cpuprofile GAPS.jsonl [MIN_MS] [DEPTH]');
    process.exit(2);
  }
  const gaps = readFileSync(trace, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Gap)
    .filter((g) => g.ms >= Number(min ?? 40));
  for (const turn of longTurns(profile, gaps, Number(depth ?? 8))) {
    const cpu = turn.cpu === undefined ? '' : ` (process CPU ${turn.cpu} ms)`;
    console.log(`@${turn.at} ms: ${turn.ms} ms${cpu}`);
    for (const x of turn.paths) console.log(`   ${String(x.ms).padStart(5)} ${x.path}`);
  }
}
