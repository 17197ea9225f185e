// The kernel as the FIB sees it: one narrow interface (tests put a fake behind it; vrfleak run puts
// Linux), like the session's socket shell.

import { syncBindings, detectVrfDevice, type BindFailure, type BindMode } from './bind.js';
import { ourRoutes, type TableEntry } from './ip.js';
import { RouteSocket } from './netlink.js';
import type { KernelOp, KernelResult, TableBinding } from './types.js';

export interface KernelPort {
  /** Applies a slice of operations at once; one answer per operation, in order. */
  apply(ops: readonly KernelOp[]): KernelResult[];
  /** Our routes already in these tables (start, reload), or why they cannot be read. */
  routes(tables: ReadonlySet<number>): Promise<TableEntry[] | string>;
  /** How this kernel binds interfaces to tables (asked once, with a table number to probe with). */
  mode(probeTable: number): Promise<BindMode>;
  /** Makes the bindings exactly these (an empty list removes ours). */
  bind(mode: BindMode, bindings: readonly TableBinding[]): Promise<BindFailure[]>;
  close(): void;
}

/** Linux through a netlink socket (routes) and iproute2 (rules, devices, reading back). */
export function linuxKernel(): KernelPort | string {
  const sock = RouteSocket.open();
  if (typeof sock === 'string') return sock;
  return {
    apply: (ops) => sock.apply(ops),
    routes: ourRoutes,
    mode: async (t) => ((await detectVrfDevice(t)) ? 'vrf-device' : 'policy-rules'),
    bind: syncBindings,
    close: () => sock.close(),
  };
}
