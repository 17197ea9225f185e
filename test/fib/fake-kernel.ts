// A kernel for the FIB's tests: tables as maps, answers as Linux gives them (ENODEV for a missing
// interface, ESRCH for a remove of nothing), and a record of every operation.

import type { KernelPort } from '../../src/kernel/port.js';
import type { BindMode } from '../../src/kernel/bind.js';
import type { KernelOp, KernelResult, TableBinding } from '../../src/kernel/types.js';
import { prefixToText } from '../../src/wire/nlri/text.js';
import { nextHopText } from '../../src/daemon/fib-resolve.js';

export class FakeKernel {
  /** table -> prefix text -> next hop text. */
  readonly tables = new Map<number, Map<string, string>>();
  readonly ops: KernelOp[] = [];
  bindings: readonly TableBinding[] = [];
  interfaces = new Set(['eth0', 'eth1', 'eth2', 'eth3']);
  closed = false;

  table(n: number): Record<string, string> {
    return Object.fromEntries(this.tables.get(n) ?? []);
  }

  port = (): KernelPort => ({
    apply: (ops) => ops.map((op) => this.apply(op)),
    routes: async (tables) => {
      const out = [];
      for (const [t, m] of this.tables) {
        if (!tables.has(t)) continue;
        for (const p of m.keys()) {
          const { prefixFromText } = await import('../../src/wire/nlri/text.js');
          out.push({ table: t, prefix: prefixFromText(p) });
        }
      }
      return out;
    },
    mode: async (): Promise<BindMode> => 'policy-rules',
    bind: async (_m, b) => {
      this.bindings = b;
      return [];
    },
    close: () => {
      this.closed = true;
    },
  });

  private apply(op: KernelOp): KernelResult {
    this.ops.push(op);
    if (op.op === 'put') {
      const nh = op.route.nh;
      if (nh.ifname !== undefined && !this.interfaces.has(nh.ifname)) {
        return { ok: false, error: 'ENODEV' };
      }
      let t = this.tables.get(op.route.table);
      if (!t) this.tables.set(op.route.table, (t = new Map()));
      t.set(prefixToText(op.route.prefix), nextHopText(nh));
      return { ok: true };
    }
    const t = this.tables.get(op.table);
    if (!t?.delete(prefixToText(op.prefix))) return { ok: false, error: 'ESRCH' };
    return { ok: true };
  }
}
