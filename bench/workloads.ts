// The VRF workloads (vrfleak only; bench/vrf.ts runs them in-process) and their targets, the one
// home of both: vrf.ts stamps its results with them and RESULTS.md names them when a run leaves
// them out (--no-vrf, --quick). Issue 6 set 5 s and 1 s; issue 13 tightened them to these.

export interface VrfWorkload {
  readonly name: 'vrf-fanout' | 'rt-change';
  readonly what: string;
  /** Converged in under this many seconds (issue 13). */
  readonly targetS: number;
}

export const VRF_WORKLOADS = {
  fanout: {
    name: 'vrf-fanout',
    what: '1000 VRFs of 1000 routes each, plus a SHARED VRF leaked into all 1000',
    targetS: 2,
  },
  rtChange: {
    name: 'rt-change',
    what: 'an import-RT change on a VRF of 100k routes',
    targetS: 0.3,
  },
} as const satisfies Record<string, VrfWorkload>;
