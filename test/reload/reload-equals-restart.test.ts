// Reload equals restart (issue 12): after any sequence of accepted config edits applied live, the
// default and VPN tables, every VRF table, the leak conflicts and violations, and what every peer holds (its
// Adj-RIB-In, rebuilt from every UPDATE it was sent, withdrawals included) equal those of a daemon
// started fresh on the final config, with the same peers sending the same routes.
//
// RELOAD_PROPERTY_RUNS=500 npx vitest run test/reload   runs the long mode;
// RELOAD_PROPERTY_SEED / RELOAD_PROPERTY_PATH replay a reported failure.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { anEdit, asInput, baseConfig, PEERS, type Cfg, type Edit } from './model.js';
import { parse, reload, tryParse, World, type Snapshot } from './world.js';

const RUNS = Number(process.env['RELOAD_PROPERTY_RUNS'] ?? 25);
/** Replays a failure: RELOAD_PROPERTY_SEED=<seed> [RELOAD_PROPERTY_PATH=<path>]. */
const SEED = process.env['RELOAD_PROPERTY_SEED'];
const PATH = process.env['RELOAD_PROPERTY_PATH'];

async function fresh(c: Config): Promise<Snapshot> {
  const w = await World.start(c, PEERS);
  try {
    return w.snapshot();
  } finally {
    await w.stop();
  }
}

/** Applies each edit that yields an accepted config, checking the invariant after each. */
async function check(edits: readonly Edit[]): Promise<void> {
  let cfg: Cfg = baseConfig();
  let running = parse(asInput(cfg));
  const live = await World.start(running, PEERS);
  try {
    const done: string[] = [];
    for (const e of edits) {
      const draft: Cfg = structuredClone(cfg);
      e.apply(draft);
      const next = tryParse(asInput(draft));
      if (!next) continue; // refused: the running config stays (not a reload)
      done.push(e.what);
      await reload(live, running, next);
      cfg = draft;
      running = next;
      const want = await fresh(next);
      const got = live.snapshot();
      expect(got, `after: ${done.join('; ')}`).toEqual(want);
    }
  } finally {
    await live.stop();
  }
}

describe('reload equals restart', () => {
  it('the base config: a fresh start equals itself', async () => {
    const c = parse(asInput(baseConfig()));
    const a = await fresh(c);
    expect(a).toEqual(await fresh(c));
    // The world is not empty: every peer holds routes, every kind of table has some.
    for (const p of Object.values(a.peers)) expect(p.length).toBeGreaterThan(0);
    // The leak monitor finds something to say (A requires a prefix nobody sends, for one).
    expect(a.violations.join('\n')).toMatch(/"vrf":"A","kind":"missing","prefix":"10.100.9.0\/24"/);
    expect(Object.keys(a.tables)).toEqual(
      expect.arrayContaining(['ipv4', 'vpnv4', 'vpnv6', 'vrf A ipv4', 'vrf D ipv4']),
    );
  });

  it('ISSUE-12: narrowing a prefix list an import map uses removes the now-denied routes', async () => {
    const narrowed: Cfg = baseConfig();
    narrowed['policy']['prefix-lists']['SHARED-SERVICES'][0].le = 16;
    const running = parse(asInput(baseConfig()));
    const next = parse(asInput(narrowed));
    const live = await World.start(running, PEERS);
    try {
      const before = live.snapshot().tables['vrf A ipv4']!.join('\n');
      expect(before).toMatch(/10\.100\.1\.7\/32/);
      expect(before).toMatch(/10\.100\.1\.0\/24 \[\] peer 127\.0\.0\.11/);
      await reload(live, running, next);
      const after = live.snapshot();
      const a = after.tables['vrf A ipv4']!.join('\n');
      expect(a).not.toMatch(/10\.100\.1\.7\/32/);
      expect(a).not.toMatch(/10\.100\.1\.0\/24 \[\] peer 127\.0\.0\.11/);
      expect(a).toMatch(/10\.100\.0\.0\/16/);
      expect(after).toEqual(await fresh(next));
    } finally {
      await live.stop();
    }
  });

  it('after every accepted edit of a generated sequence', async () => {
    await fc.assert(fc.asyncProperty(fc.array(anEdit, { minLength: 1, maxLength: 8 }), check), {
      numRuns: RUNS,
      ...(SEED !== undefined ? { seed: Number(SEED) } : {}),
      ...(PATH !== undefined ? { path: PATH } : {}),
    });
  }, 600_000);
});
