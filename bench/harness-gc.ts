// The bench process's own garbage collector: V8's `gc` from `--expose-gc` on the command line, or
// switched on here (a fresh context then sees it).

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function findGc(): (() => void) | undefined {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) return g;
  setFlagsFromString('--expose-gc');
  return runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;
}

let harnessGc: (() => void) | undefined;

/** A full collection of the bench's heap, where the harness can afford its pause. */
export function collectHarnessGarbage(): void {
  harnessGc ??= findGc();
  harnessGc?.();
}
