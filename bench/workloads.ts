// The bench's workloads. `transit` (VPNv4 eBGP in, eBGP out; cell.ts) runs on every DUT. The VRF
// workloads of issue 6 run on vrfleak only (bench/vrf.ts, in-process); they are listed here so
// RESULTS.md names them when a run leaves them out (--no-vrf, --quick).

export interface PendingWorkload {
  readonly name: string;
  readonly what: string;
  readonly target: string;
}

export const PENDING_VRF_WORKLOADS: readonly PendingWorkload[] = [
  {
    name: 'vrf-fanout',
    what: '1000 VRFs of 1000 routes each, plus a SHARED VRF leaked into all 1000',
    target: 'converged in under 5 s',
  },
  {
    name: 'rt-change',
    what: 'an import-RT change on a VRF of 100k routes',
    target: 'converged in under 1 s',
  },
];
