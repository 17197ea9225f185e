// The FIB against a fake kernel: what goes into which table (leaks resolve in their source VRF),
// reconcile at start, removal at stop, failures shown and counted, live changes of `fib`.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runDaemon, type RunningDaemon } from '../../src/cli/run.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createEventLog } from '../../src/log/events.js';
import { FakeKernel } from './fake-kernel.js';

const TABLES = { SHARED: 100, A: 110, B: 120 };

export function fibConfig(
  fib: ConfigInput['fib'] = { enabled: true, tables: TABLES },
): ConfigInput {
  return {
    asn: 65000,
    'router-id': '10.0.0.1',
    api: { port: 0 },
    vrfs: {
      SHARED: {
        rd: '65000:100',
        'route-targets': { import: ['65000:10', '65000:20'], export: ['65000:100'] },
        interfaces: [{ name: 'eth0', address: '10.100.0.1/24' }],
        networks: ['10.100.0.0/16'],
        'static-routes': [{ prefix: '10.101.0.0/24', 'next-hop': '10.100.0.9' }],
      },
      A: {
        rd: '65000:10',
        'route-targets': { import: ['65000:100'], export: ['65000:10'] },
        interfaces: [{ name: 'eth1', address: '10.1.0.1/24' }],
        'static-routes': [{ prefix: '10.9.0.0/24', 'next-hop': '10.2.0.7', 'next-hop-vrf': 'B' }],
      },
      B: {
        rd: '65000:20',
        'route-targets': { import: ['65000:100'], export: ['65000:20'] },
        interfaces: [{ name: 'eth2', address: '10.2.0.1/24' }],
      },
    },
    ...(fib ? { fib } : {}),
  };
}

const running: RunningDaemon[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

function file(c: ConfigInput): string {
  const f = join(mkdtempSync(join(tmpdir(), 'vrfleak-fib-')), 'c.yaml');
  writeFileSync(f, stringify(c));
  return f;
}

async function start(c: ConfigInput, k: FakeKernel): Promise<{ r: RunningDaemon; f: string }> {
  const f = file(c);
  const r = await runDaemon(f, { kernel: k.port, log: createEventLog({ level: 'silent' }) });
  running.push(r);
  await r.daemon.fibSync?.idle();
  return { r, f };
}

describe('FIB', () => {
  it('installs each VRF table, leaks through the source VRF interface or gateway', async () => {
    const k = new FakeKernel();
    await start(fibConfig(), k);
    expect(k.table(110)).toEqual({
      '10.1.0.0/24': 'dev eth1',
      // Leaked from SHARED: SHARED's interface and SHARED's gateway.
      '10.100.0.0/24': 'dev eth0',
      '10.101.0.0/24': 'via 10.100.0.9 dev eth0',
      // Static with next-hop-vrf B: B's interface.
      '10.9.0.0/24': 'via 10.2.0.7 dev eth2',
    });
    expect(k.table(100)['10.1.0.0/24']).toBe('dev eth1');
    // A network statement is an announcement, not a path: not installed (and not a failure).
    expect(k.table(100)['10.100.0.0/16']).toBeUndefined();
    expect(k.bindings.map((b) => [b.vrf, b.table, b.interfaces])).toEqual([
      ['SHARED', 100, ['eth0']],
      ['A', 110, ['eth1']],
      ['B', 120, ['eth2']],
    ]);
  });

  it('marks `*` only for installed routes and shows and counts a failure', async () => {
    const k = new FakeKernel();
    k.interfaces.delete('eth2');
    const { r } = await start(fibConfig(), k);
    const a = r.service.vrfRoutes('A', 'ipv4');
    expect(a.find((x) => x.prefix === '10.1.0.0/24')?.fib).toBe(true);
    const broken = a.find((x) => x.prefix === '10.9.0.0/24');
    expect(broken?.best).toBe(true);
    expect(broken?.fib).toBe(false);
    expect(broken?.fibError).toMatch(/ENODEV/);
    expect(r.daemon.fibSync?.counters.failures.get('kernel-refused')).toBeGreaterThan(0);
    const metrics = await (await r.api.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/vrfleak_fib_failures_total\{reason="kernel-refused"\} [1-9]/);
    expect(metrics).toMatch(/vrfleak_fib_routes [1-9]/);
  });

  it('reconciles at start: our stale routes in our tables go, what the RIB selects stays', async () => {
    const k = new FakeKernel();
    k.tables.set(110, new Map([['10.77.0.0/16', 'via 10.1.0.9 dev eth1']]));
    await start(fibConfig(), k);
    expect(k.table(110)['10.77.0.0/16']).toBeUndefined();
    expect(k.table(110)['10.1.0.0/24']).toBe('dev eth1');
  });

  it('removes its routes and bindings at stop', async () => {
    const k = new FakeKernel();
    const { r } = await start(fibConfig(), k);
    running.splice(0);
    await r.stop();
    expect([...k.tables.values()].every((t) => t.size === 0)).toBe(true);
    expect(k.bindings).toEqual([]);
    expect(k.closed).toBe(true);
  });

  it('ends live changes where a fresh start would (table renumbered, VRF dropped, disabled)', async () => {
    const k = new FakeKernel();
    const { r, f } = await start(fibConfig(), k);
    writeFileSync(f, stringify(fibConfig({ enabled: true, tables: { SHARED: 100, A: 111 } })));
    await r.reload();
    await r.daemon.fibSync?.idle();
    const fresh = new FakeKernel();
    await start(fibConfig({ enabled: true, tables: { SHARED: 100, A: 111 } }), fresh);
    const nonEmpty = (x: FakeKernel) => [...x.tables].filter(([, t]) => t.size > 0);
    expect(nonEmpty(k)).toEqual(nonEmpty(fresh));
    expect(k.bindings).toEqual(fresh.bindings);
    expect(k.table(110)).toEqual({});
    writeFileSync(f, stringify(fibConfig({ enabled: false, tables: TABLES })));
    await r.reload();
    await r.daemon.fibSync?.idle();
    expect([...k.tables.values()].every((t) => t.size === 0)).toBe(true);
    expect(k.bindings).toEqual([]);
  });

  it('follows best-path changes: a leak removed by reload leaves the table', async () => {
    const k = new FakeKernel();
    const { r, f } = await start(fibConfig(), k);
    const c = fibConfig();
    c.vrfs!.A!['route-targets'] = { import: [], export: ['65000:10'] };
    writeFileSync(f, stringify(c));
    await r.reload();
    await r.daemon.fibSync?.idle();
    expect(k.table(110)['10.100.0.0/24']).toBeUndefined();
  });
});
