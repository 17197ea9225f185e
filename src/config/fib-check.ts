// What the `fib` block names must exist: its tables' VRFs in the config (here, pure), and, when a
// daemon is about to use it (`vrfleak check`, run, reload), the interfaces and free tables on this
// host (fibHostProblems, read-only probes of the kernel).

import { interfaceExists, otherProtocols } from '../kernel/ip.js';
import type { ConfigProblem } from './errors.js';
import { DEFAULT_TABLE, type Config } from './schema.js';

/** The names in fib.tables are VRFs (or `default`), each with a table of its own. */
export function fibProblems(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const byTable = new Map<number, string>();
  for (const [name, table] of Object.entries(cfg.fib.tables)) {
    const path = ['fib', 'tables', name];
    if (name !== DEFAULT_TABLE && !(name in cfg.vrfs)) {
      out.push({ path, atKey: true, severity: 'error', message: `no VRF named "${name}"` });
    }
    if (table === 254 && name !== DEFAULT_TABLE) {
      out.push({
        path,
        severity: 'error',
        message: 'table 254 is main: only the default table may use it',
      });
    }
    const other = byTable.get(table);
    if (other !== undefined) {
      out.push({ path, severity: 'error', message: `table ${table} is already ${other}'s` });
    } else byTable.set(table, name);
  }
  return out;
}

/**
 * With fib enabled: every interface of a VRF in the FIB exists on this host, and no other
 * protocol has routes in a table we would own (main, shared by design, is not asked).
 */
export function fibHostProblems(cfg: Config): ConfigProblem[] {
  if (!cfg.fib.enabled) return [];
  const out: ConfigProblem[] = [];
  for (const [name, table] of Object.entries(cfg.fib.tables)) {
    const v = cfg.vrfs[name];
    v?.interfaces.forEach((i, j) => {
      if (!interfaceExists(i.name)) {
        out.push({
          path: ['vrfs', name, 'interfaces', j, 'name'],
          severity: 'error',
          message: `interface ${i.name} does not exist on this host (fib is enabled)`,
        });
      }
    });
    if (table === 254) continue;
    const others = otherProtocols(table);
    if (others.length) {
      out.push({
        path: ['fib', 'tables', name],
        severity: 'error',
        message: `table ${table} has routes of another protocol (${others.join(', ')}); pick a free table`,
      });
    }
  }
  return out;
}
