// The leak monitor (issue 16 point 3): violations of a VRF's `expect` raised from the changes the
// propagation loop produces, cleared when the route goes, the same after a reload as after a fresh
// start, and an `expect` naming what does not exist refused with its position.

import { describe, expect, it } from 'vitest';
import { applyConfig } from '../../src/api/apply.js';
import { createMetrics } from '../../src/api/metrics.js';
import type { Config, ConfigInput } from '../../src/config/schema.js';
import { load, world, type World } from '../config/keys-world.js';

const SHARED_NETS = ['10.100.0.0/24', '10.200.0.0/24'];

/** SHARED offers two prefixes on RT 65000:100; CUST imports them and says what it expects. */
function cfg(expectSection: Record<string, unknown> | undefined): ConfigInput {
  return {
    asn: 65000,
    'router-id': '10.0.0.1',
    policy: {
      'prefix-lists': {
        SERVICES: [
          { seq: 10, action: 'permit', prefix: '10.100.0.0/16', le: 32 },
          { seq: 20, action: 'permit', prefix: '10.50.0.0/16', le: 24 },
        ],
      },
    },
    vrfs: {
      SHARED: {
        rd: '65000:100',
        label: 100,
        'route-targets': { export: ['65000:100'] },
        networks: SHARED_NETS,
      },
      CUST: {
        rd: '65000:10',
        label: 110,
        'route-targets': { import: ['65000:100'] },
        ...(expectSection ? { expect: expectSection } : {}),
      },
    },
  } as ConfigInput;
}

const EXPECT = {
  from: [{ vrf: 'SHARED', 'prefix-list': 'SERVICES' }],
  'max-routes': 2,
  require: ['10.100.0.0/24', '10.50.0.0/24'],
};

const now = (w: World) =>
  w.service.vrf
    .violations()
    .map((v) => `${v.vrf} ${v.kind} ${v.prefix ?? '-'}`)
    .sort();

const logged = (w: World) =>
  w.events.flatMap((e) =>
    e.event === 'leak-violation' || e.event === 'leak-violation-cleared'
      ? [`${e.event} ${e.kind} ${e.prefix ?? '-'}`]
      : [],
  );

function parsed(c: ConfigInput): Config {
  const r = load(c);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.config;
}

/** A route put into SHARED (or taken out) as `POST /api/v1/vrfs/SHARED/routes` does. */
function sharedRoute(w: World, prefix: string, on: boolean): void {
  if (on) w.service.addVrfRoute('SHARED', { prefix });
  else w.service.deleteVrfRoute('SHARED', { prefix });
  w.settle();
}

describe('leak monitor', () => {
  it('raises an unexpected leak, a missing required route and a count over the bound, and clears each when the route changes', async () => {
    const w = await world(cfg(EXPECT));
    try {
      // 10.200.0.0/24 comes from SHARED but outside SERVICES; 10.50.0.0/24 is required, absent.
      expect(now(w)).toEqual(['CUST missing 10.50.0.0/24', 'CUST unexpected 10.200.0.0/24']);
      const v = w.service.vrf.violations().find((x) => x.kind === 'unexpected')!;
      expect(v).toMatchObject({ fromVrf: 'SHARED', routeTargets: ['65000:100'] });
      expect(v.reason).toMatch(/outside prefix list SERVICES/);
      expect(logged(w)).toEqual([
        'leak-violation unexpected 10.200.0.0/24',
        'leak-violation missing 10.50.0.0/24',
      ]);

      // The required route arrives: missing clears, and three leaked routes exceed the bound of 2.
      sharedRoute(w, '10.50.0.0/24', true);
      expect(now(w)).toEqual(['CUST over-limit -', 'CUST unexpected 10.200.0.0/24']);
      expect(logged(w).slice(2)).toEqual([
        'leak-violation-cleared missing 10.50.0.0/24',
        'leak-violation over-limit -',
      ]);
      expect(w.d.monitor?.counts().get('CUST')).toEqual({ current: 2, raised: 3 });
      const m = createMetrics(w.service);
      try {
        const text = await m.registry.metrics();
        expect(text).toContain('vrfleak_leak_violations{vrf="CUST",kind="over-limit"} 1');
        expect(text).toContain('vrfleak_leak_violations{vrf="CUST",kind="unexpected"} 1');
        expect(text).toContain('vrfleak_leak_violations_raised_total{vrf="CUST"} 3');
      } finally {
        m.close();
      }

      // It goes again: back to where the start was, each change reported once.
      sharedRoute(w, '10.50.0.0/24', false);
      expect(now(w)).toEqual(['CUST missing 10.50.0.0/24', 'CUST unexpected 10.200.0.0/24']);
      expect(logged(w).slice(4).sort()).toEqual([
        'leak-violation missing 10.50.0.0/24',
        'leak-violation-cleared over-limit -',
      ]);
    } finally {
      await w.stop();
    }
  });

  it('without from, any source is expected; from naming a route target admits what carries it', async () => {
    for (const e of [{ 'max-routes': 5 }, { from: [{ 'route-target': '65000:100' }] }]) {
      const w = await world(cfg(e));
      try {
        expect(now(w)).toEqual([]);
      } finally {
        await w.stop();
      }
    }
    const w = await world(cfg({ from: [{ 'route-target': '65000:999' }] }));
    try {
      expect(now(w)).toEqual(['CUST unexpected 10.100.0.0/24', 'CUST unexpected 10.200.0.0/24']);
      expect(w.service.vrf.violations()[0]?.reason).toMatch(/which expect.from does not name/);
    } finally {
      await w.stop();
    }
  });

  it('a reload that changes expect or its prefix list ends where a fresh start on the new config does', async () => {
    const steps: ConfigInput[] = [
      cfg(EXPECT),
      cfg({ ...EXPECT, 'max-routes': 1 }),
      cfg(undefined),
      cfg({ from: [{ vrf: 'SHARED' }] }),
      (() => {
        const c = cfg(EXPECT) as { policy: { 'prefix-lists': Record<string, unknown[]> } };
        c.policy['prefix-lists']['SERVICES'] = [
          { seq: 10, action: 'permit', prefix: '10.0.0.0/8', le: 32 },
        ];
        return c as ConfigInput;
      })(),
      cfg(EXPECT),
    ];
    const live = await world(steps[0]!);
    try {
      let running = parsed(steps[0]!);
      for (const step of steps.slice(1)) {
        const next = parsed(step);
        applyConfig(live.d, running, next);
        live.service.setRunning(next);
        running = next;
        const fresh = await world(step);
        try {
          expect(now(live)).toEqual(now(fresh));
        } finally {
          await fresh.stop();
        }
      }
      // Clearing by reload is reported too: the step without expect cleared everything.
      expect(logged(live)).toContain('leak-violation-cleared missing 10.50.0.0/24');
    } finally {
      await live.stop();
    }
  });

  it('refuses an expect naming a VRF or a prefix list that does not exist, with its position', () => {
    const r = load(
      cfg({ from: [{ vrf: 'SHARD' }, { vrf: 'SHARED', 'prefix-list': 'NOPE' }, { vrf: 'CUST' }] }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.errors.map(String);
    expect(lines).toEqual([
      expect.stringMatching(
        /^k\.yaml:\d+:\d+: vrfs\.CUST\.expect\.from\[0\]\.vrf: VRF "SHARD" is not defined; did you mean "SHARED"\?$/,
      ),
      expect.stringMatching(
        /^k\.yaml:\d+:\d+: vrfs\.CUST\.expect\.from\[1\]\.prefix-list: prefix list "NOPE" is not defined$/,
      ),
      expect.stringMatching(
        /^k\.yaml:\d+:\d+: vrfs\.CUST\.expect\.from\[2\]\.vrf: a VRF does not leak into itself/,
      ),
    ]);
    const both = load(cfg({ from: [{ vrf: 'SHARED', 'route-target': '65000:1' }] }));
    expect(both.ok).toBe(false);
    if (!both.ok)
      expect(String(both.errors[0])).toMatch(
        /vrfs\.CUST\.expect\.from\[0\]: a source names a vrf or a route-target/,
      );
  });
});
