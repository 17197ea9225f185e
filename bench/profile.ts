// The top self-time functions of a V8 CPU profile (`node --cpu-prof`): each sample is charged to
// the node at the top of the stack, so self time = samples of a node x the mean sample interval,
// summed over nodes of the same function (name, file, line).

import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface SelfTime {
  fn: string;
  where: string;
  ms: number;
  pct: number;
}

export function topSelfTime(path: string, n = 10): SelfTime[] {
  const p = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const counts = new Map<number, number>();
  for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
  const msPerSample = (p.endTime - p.startTime) / 1000 / Math.max(1, p.samples.length);
  const agg = new Map<string, SelfTime>();
  for (const [id, c] of counts) {
    const f = byId.get(id)?.callFrame;
    if (!f) continue;
    const file = f.url.replace(/^.*\/(src|dist|node_modules)\//, '$1/');
    const where = file === '' ? '' : `${file}:${f.lineNumber + 1}`;
    const fn = f.functionName || '(anonymous)';
    const key = `${fn}@${where}`;
    const e = agg.get(key) ?? { fn, where, ms: 0, pct: 0 };
    e.ms += c * msPerSample;
    agg.set(key, e);
  }
  const total = p.samples.length * msPerSample;
  return [...agg.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)
    .map((e) => ({ ...e, ms: Math.round(e.ms), pct: Math.round((e.ms / total) * 1000) / 10 }));
}
