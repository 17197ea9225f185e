// What a cycle of the leak graph can carry (DESIGN.md "No re-export"). A route leaks one hop from
// the VRF that owns it; it goes on from the VRF it reached only if that VRF re-exports
// (allow-reexport; the default table always passes on what leaked into it), and it never enters
// a VRF on its own leak chain. So no cycle carries a route all the way round: without a
// re-exporting VRF on it, a cycle is only pairs of one-hop leaks; with some, a route travels as
// far as the run of re-exporting VRFs after its source lets it, and stops before its source.

import { DEFAULT_VRF, type VrfDef } from './defs.js';

export interface CycleCarry {
  /** Whether a route can travel more than one hop along the cycle. */
  readonly carries: boolean;
  /** The VRFs on it that pass on what they imported (allow-reexport, or the default table). */
  readonly reexporters: readonly string[];
  /** The most edges of the cycle one route can travel (never back into its source). */
  readonly maxHops: number;
  readonly reason: string;
}

export function cycleCarry(cycle: readonly string[], vrfs: readonly VrfDef[]): CycleCarry {
  const passes = (n: string) =>
    n === DEFAULT_VRF || vrfs.find((v) => v.name === n)?.allowReexport === true;
  const reexporters = cycle.filter(passes);
  // The longest run of consecutive passing VRFs, going round (a route enters the run after its
  // first hop): hops = 1 + run, at most the cycle's length less one (not back into the source).
  let run = 0;
  let best = 0;
  for (let i = 0; i < cycle.length * 2; i++) {
    run = passes(cycle[i % cycle.length]!) ? run + 1 : 0;
    best = Math.max(best, Math.min(run, cycle.length));
  }
  const maxHops = Math.min(cycle.length - 1, 1 + best);
  if (reexporters.length === 0) {
    return {
      carries: false,
      reexporters,
      maxHops,
      reason:
        'no VRF on it re-exports (allow-reexport off): each route stops after one hop, none goes round',
    };
  }
  return {
    carries: maxHops > 1,
    reexporters,
    maxHops,
    reason:
      maxHops > 1
        ? `${reexporters.join(', ')} re-export${reexporters.length === 1 ? 's' : ''}: a route travels up to ${maxHops} hops along it, never back into its source VRF`
        : `${reexporters.join(', ')} re-export${reexporters.length === 1 ? 's' : ''}, but a route never goes back into its source VRF: one hop only`,
  };
}
