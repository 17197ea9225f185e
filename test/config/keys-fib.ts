// keys.test.ts entries for the `fib` block: observed in a fake kernel (test/fib/fake-kernel.ts).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { stringify } from 'yaml';
import { runDaemon } from '../../src/cli/run.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createEventLog } from '../../src/log/events.js';
import { FakeKernel } from '../fib/fake-kernel.js';
import { base, refusedOnlyWith, type KeyCheck } from './keys-scenarios.js';

const withFib = (fib: ConfigInput['fib']) =>
  base({
    api: { port: 0 },
    vrfs: { A: { rd: '65000:1', interfaces: [{ name: 'eth1', address: '10.1.0.1/24' }] } },
    fib,
  });

/** The fake kernel's tables after `c` started (and before it stopped). */
async function kernelAfter(c: ConfigInput): Promise<Record<number, Record<string, string>>> {
  const k = new FakeKernel();
  const file = join(mkdtempSync(join(tmpdir(), 'vrfleak-keys-')), 'k.yaml');
  writeFileSync(file, stringify(c));
  const r = await runDaemon(file, { kernel: k.port, log: createEventLog({ level: 'silent' }) });
  try {
    await r.daemon.fibSync?.idle();
    return Object.fromEntries([...k.tables.keys()].map((t) => [t, k.table(t)]));
  } finally {
    await r.stop();
  }
}

export const FIB_KEYS: Record<string, KeyCheck> = {
  fib: 'container',
  'fib.enabled': async () => {
    expect(await kernelAfter(withFib({ enabled: false, tables: { A: 1001 } }))).toEqual({});
    expect(await kernelAfter(withFib({ enabled: true, tables: { A: 1001 } }))).toEqual({
      1001: { '10.1.0.0/24': 'dev eth1' },
    });
  },
  'fib.tables': async () => {
    expect(Object.keys(await kernelAfter(withFib({ enabled: true, tables: { A: 1002 } })))).toEqual(
      ['1002'],
    );
    refusedOnlyWith(
      withFib({ enabled: true, tables: { A: 1002 } }),
      withFib({ enabled: true, tables: { NOPE: 1002 } }),
      /k\.yaml:\d+:\d+: fib\.tables\.NOPE: no VRF named "NOPE"/,
    );
  },
};
