// Gives a daemon its kernel FIB (vrfleak run; a test with a fake kernel): the FibSync reads the
// daemon's RIB and peers through a narrow host, and the daemon calls it after each commit.

import type { KernelPort } from '../kernel/port.js';
import type { Daemon } from './daemon.js';
import { FIB_OFF, FibSync } from './fib.js';

/** Attaches a FIB and applies the daemon's fib options; resolves once the kernel has them. */
export async function attachFib(d: Daemon, makePort: () => KernelPort | string): Promise<FibSync> {
  const fib = new FibSync(
    {
      rib: d.rib,
      log: d.log,
      peerVrf: (id) => [...d.peers.values()].find((p) => p.id === id)?.opts.vrf,
      get deferring() {
        return d.deferring;
      },
      keepOnStop: () => d.opts.gracefulRestart !== undefined,
    },
    makePort,
  );
  d.fibSync = fib;
  await fib.configure(d.opts.fib ?? FIB_OFF);
  return fib;
}
