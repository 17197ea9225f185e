// A configuration load committed in parts (the propagation loop commits between VRFs once
// `loadBatch` paths wait; the daemon's is LOAD_BATCH_PATHS) must end exactly where one commit of the
// whole load ends, and a reconfigure must not commit while a changed VRF waits to be added back (its
// tables would be reaped and made anew: withdrawals and announcements instead of exact differences).

import { describe, expect, it } from 'vitest';
import { compilePolicies } from '../../src/policy/compile.js';
import { Propagation } from '../../src/daemon/propagate.js';
import { keyText } from '../../src/rib/keys.js';
import { Rib } from '../../src/rib/rib.js';
import type { VrfDef } from '../../src/vrf/defs.js';
import { LeakEngine, type LoadStep } from '../../src/vrf/engine.js';
import { checkLeakInvariants } from '../../src/vrf/invariants.js';
import { vrfDef, type VrfSpec } from './helpers.js';

/**
 * The engine and the propagation loop as the daemon makes them (a commit also drops the views of
 * removed VRFs). Without `loadBatch` the load is settled in one commit at the end.
 */
function load(defs: VrfDef[], loadBatch?: number, afterCommit?: (rib: Rib) => void) {
  const compiled = compilePolicies({});
  if (!compiled.ok) throw new Error('policies');
  const rib = new Rib();
  let commits = 0;
  const engine = new LeakEngine(rib, {
    asn: 65000,
    vrfs: defs,
    policies: compiled.policies,
    denyInterVrfStatic: false,
  });
  const propagation = new Propagation(rib, engine, loadBatch ?? Infinity);
  const run = (steps: Iterable<LoadStep>): void => {
    for (const _ of propagation.load(steps)) {
      commits++;
      afterCommit?.(rib);
    }
  };
  run(engine.load());
  propagation.commit();
  return { rib, engine, propagation, run, commits: () => commits };
}

/** What a table holds, without source ids (those of imported paths follow the order of arrival). */
function tableText(rib: Rib, family: 'ipv4' | 'vpnv4', view?: string): string[] {
  const t = view === undefined ? rib.table(family) : rib.table(family, view);
  return [...t.dests.values()]
    .map((d) => {
      const b = d.best;
      const from = b?.origin.kind === 'leaked' ? b.origin.fromVrf : '';
      const rts = b?.attrs.extCommunities.length ?? 0;
      return `${keyText(d.key, 1, family === 'vpnv4')} paths=${d.count} best=${b?.origin.kind}:${from} rts=${rts}`;
    })
    .sort();
}

function customers(n: number, routes: number): Record<string, VrfSpec> {
  const out: Record<string, VrfSpec> = {
    SHARED: {
      rd: '65000:1',
      export: ['65000:1'],
      import: ['65000:2'],
      networks: ['10.100.0.0/16', '10.100.1.0/24'],
    },
  };
  for (let i = 0; i < n; i++) {
    out[`C${i}`] = {
      rd: `65000:${i + 10}`,
      import: ['65000:1'],
      // Every other customer also exports to SHARED; the first one's own 10.100.1.0/24 conflicts.
      export: i % 2 === 0 ? [`65000:${i + 10}`, '65000:2'] : [`65000:${i + 10}`],
      networks: [
        ...Array.from({ length: routes }, (_, j) => `10.${i}.${j}.0/24`),
        ...(i === 0 ? ['10.100.1.0/24'] : []),
      ],
      // A static route whose next hop resolves in SHARED, and one in the next customer (added
      // later in the load for all but the last).
      statics: [
        { prefix: `192.0.2.${i}/32`, nextHop: '10.100.0.1', nextHopVrf: 'SHARED' },
        {
          prefix: `198.51.100.${i}/32`,
          nextHop: `10.${(i + 1) % n}.0.1`,
          nextHopVrf: `C${(i + 1) % n}`,
        },
      ],
    };
  }
  return out;
}

describe('a configuration load committed in parts', () => {
  const spec = customers(12, 50);
  const defs = Object.entries(spec).map(([name, s]) => vrfDef(name, s));

  it('ends with the same VPN and VRF tables as one commit, invariants holding', () => {
    const whole = load(defs);
    // A small batch, so the load really is committed in several parts (a customer puts ~55 paths).
    const parts = load(defs, 100);
    expect(parts.commits()).toBeGreaterThan(2);
    expect(parts.commits()).toBeLessThan(defs.length);
    expect(tableText(parts.rib, 'vpnv4')).toEqual(tableText(whole.rib, 'vpnv4'));
    expect(tableText(whole.rib, 'vpnv4').length).toBeGreaterThan(12 * 50);
    for (const d of defs) {
      expect(tableText(parts.rib, 'ipv4', d.name)).toEqual(tableText(whole.rib, 'ipv4', d.name));
    }
    // The static route toward the next customer resolved in both, whatever the order.
    expect(tableText(parts.rib, 'ipv4', 'C3').join('\n')).toMatch(/198\.51\.100\.3\/32 paths=1/);
    expect(parts.engine.conflicts.size).toBe(whole.engine.conflicts.size);
    expect(parts.engine.conflicts.size).toBeGreaterThan(0);
    expect(checkLeakInvariants(parts.rib, parts.engine)).toEqual([]);
  });

  it('reconfigure: no commit while a changed VRF waits to be added back', () => {
    const small = customers(2, 3);
    const start = Object.entries(small).map(([name, s]) => vrfDef(name, s));
    let reaped: string[] = [];
    // A batch of one path: every VRF added may commit.
    const w = load(start, 1, (rib) => {
      reaped = rib.viewNames();
    });
    const c0Table = w.rib.table('ipv4', 'C0');
    const before = w.commits();
    // C0 changes (one more network); NEW-1 and NEW-2 are added, one before C0 and one after it.
    const next = [
      vrfDef('NEW-1', { rd: '65000:901', import: ['65000:1'], networks: ['10.201.0.0/24'] }),
      start[0]!,
      vrfDef('C0', { ...small['C0']!, networks: [...small['C0']!.networks!, '10.50.0.0/24'] }),
      start[2]!,
      vrfDef('NEW-2', { rd: '65000:902', import: ['65000:1'], networks: ['10.202.0.0/24'] }),
    ];
    w.run(w.engine.reconfigure({ ...w.engine.config, vrfs: next }).steps);
    // NEW-1 came while C0 waited to be added back: no commit; C0 and NEW-2: one each.
    expect(w.commits() - before).toBe(2);
    expect(reaped).toContain('C0');
    w.propagation.commit();
    // C0 kept its tables (the same object): its peers get exact differences.
    expect(w.rib.table('ipv4', 'C0')).toBe(c0Table);
    expect(tableText(w.rib, 'ipv4', 'C0').join('\n')).toMatch(/10\.50\.0\.0\/24 paths=1/);
    expect(tableText(w.rib, 'ipv4', 'NEW-2').join('\n')).toMatch(
      /10\.100\.0\.0\/16 paths=1 best=leaked:SHARED/,
    );
    expect(checkLeakInvariants(w.rib, w.engine)).toEqual([]);
  });
});
