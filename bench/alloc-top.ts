// Where the bytes a process allocated came from: a sampling heap profile (the DUT's ALLOC_PROF, or
// Chrome's `.heapprofile`) summed by allocating function, and by its two callers.
// `node --import ./bench/register.mjs bench/alloc-top.ts FILE [N]`

import { readFileSync } from 'node:fs';

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: HeapNode[];
}

const [file, count] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: alloc-top.ts FILE [N]');
const n = Number(count ?? 25);
const head = (JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode }).head;
const byFn = new Map<string, number>();
const byPath = new Map<string, number>();
let total = 0;
const name = (f: HeapNode['callFrame']): string =>
  `${f.functionName || '(anonymous)'}@${f.url.replace(/^.*\//, '')}:${f.lineNumber + 1}`;
const walk = (x: HeapNode, stack: string[]): void => {
  const here = [...stack.slice(-2), name(x.callFrame)];
  if (x.selfSize > 0) {
    total += x.selfSize;
    const fn = here[here.length - 1]!;
    byFn.set(fn, (byFn.get(fn) ?? 0) + x.selfSize);
    const path = here.join(' < ');
    byPath.set(path, (byPath.get(path) ?? 0) + x.selfSize);
  }
  for (const c of x.children ?? []) walk(c, here);
};
walk(head, []);
const mb = (b: number): string => (b / 1e6).toFixed(1).padStart(8);
console.log(`${mb(total)} MB allocated (sampled)`);
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(mb(v), k);
console.log('by caller:');
for (const [k, v] of [...byPath].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(mb(v), k);
