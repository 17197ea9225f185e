// The dataplane lab in CI: vrfleak's FIB in a router namespace, hosts in SHARED, CUSTOMER-A,
// CUSTOMER-B, INTERNET, VRF1 and VRF2, and pings that follow the leaks (interop/lab/lab.ts; a
// user runs the same with `npm run lab`). Needs root; under CI=true a machine without network
// namespaces fails the run instead of skipping it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, eventually, fibReady, labUnavailable, startLab, type Lab } from './lab.js';
import { MATRIX } from './matrix.js';

const why = labUnavailable();
if (why && process.env.CI === 'true') throw new Error(`the dataplane lab cannot run: ${why}`);

describe.runIf(!why)(`dataplane lab${why ? ` [skipped: ${why}]` : ''}`, () => {
  let lab: Lab;

  beforeAll(async () => {
    lab = startLab();
    // Ready once the FIB installed the first leak (the daemon starts in a few seconds).
    const up = await eventually(() => fibReady(lab), 40_000);
    if (!up) throw new Error(`CUSTOMER-A never reached SHARED; router log:\n${lab.log()}`);
  }, 60_000);

  afterAll(async () => {
    await lab?.stop();
    cleanup();
  });

  it('answers the ping matrix as the leaks say', () => {
    const seen = MATRIX.map((m) => ({ ...m, seen: lab.ping(m.from, m.to, m.fromLoopback) }));
    expect(
      seen.filter((m) => m.seen !== m.reach).map((m) => `${m.from} -> ${m.to}: ${m.why}`),
    ).toEqual([]);
  }, 30_000);

  it('follows a live change: the leak removed, then restored', async () => {
    // CUSTOMER-A stops importing SHARED's route target.
    lab.reload((t) =>
      t.replace(
        'import: [65000:100, 65000:999], export: [65000:10]',
        'import: [65000:999], export: [65000:10]',
      ),
    );
    expect(await eventually(() => !lab.ping('a', '10.100.0.2'))).toBe(true);
    expect(lab.table(1110)).not.toContain('10.100.0.0/24');
    // B keeps its leak.
    expect(lab.ping('b', '10.100.0.2')).toBe(true);
    lab.reload((t) =>
      t.replace(
        'import: [65000:999], export: [65000:10]',
        'import: [65000:100, 65000:999], export: [65000:10]',
      ),
    );
    expect(await eventually(() => lab.ping('a', '10.100.0.2'))).toBe(true);
  }, 30_000);
});
