import { describe, expect, it } from 'vitest';
import { collectHarnessGarbage } from '../../bench/harness-gc.js';

describe('collectHarnessGarbage', () => {
  it('frees what nothing holds any more, as the last cell load is when the next cell starts', async () => {
    const ref = ((): WeakRef<object> =>
      new WeakRef({ load: new Array<number>(100_000).fill(1) }))();
    // A WeakRef keeps its target through the job that made it (ECMA-262 §9.10 AddToKeptObjects)
    // (deref keeps it too), so each step waits for a new job.
    const nextJob = (): Promise<unknown> => new Promise((r) => setTimeout(r, 0));
    await nextJob();
    expect(ref.deref()).toBeDefined();
    await nextJob();
    collectHarnessGarbage();
    expect(ref.deref()).toBeUndefined();
  });
});
