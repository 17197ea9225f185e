// The dataplane lab in CI: vrfleak's FIB in a router namespace, hosts in SHARED, CUSTOMER-A,
// CUSTOMER-B, INTERNET, VRF1 and VRF2, and pings that follow the leaks (interop/lab/lab.ts; a
// user runs the same with `npm run lab`). Needs root; under CI=true a machine without network
// namespaces fails the run instead of skipping it.

import { readFileSync } from 'node:fs';
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

  it('refuses a table another protocol uses and a missing interface, keeping the running state', async () => {
    // A table of this lab's router with a route of another protocol in it.
    lab.ip(['route', 'add', '10.250.0.0/24', 'dev', 'eth0', 'table', '1500', 'proto', 'static']);
    const bad = (t: string) =>
      t
        .replace('CUSTOMER-B: 1120', 'CUSTOMER-B: 1500')
        .replace('{ name: eth2, address: 10.2.0.1/24 }', '{ name: eth9, address: 10.2.0.1/24 }');
    const text = bad(readFileSync(lab.configFile, 'utf8'));
    const r = lab.check(text);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(
      /check\.yaml:\d+:\d+: vrfs\.CUSTOMER-B\.interfaces\[0\]\.name: interface eth9 does not exist/,
    );
    expect(r.out).toMatch(
      /check\.yaml:\d+:\d+: fib\.tables\.CUSTOMER-B: table 1500 has routes of another protocol \(static\)/,
    );
    // The same file as a live change: refused whole, the running FIB as it was.
    lab.reload(bad);
    expect(await eventually(() => lab.log().includes('"config-refused"'))).toBe(true);
    expect(lab.ping('b', '10.100.0.2')).toBe(true);
    expect(lab.ip(['route', 'show', 'table', '1500'])).not.toContain('proto 201');
    expect(lab.ping('a', '10.2.0.2')).toBe(false);
  }, 30_000);
});
