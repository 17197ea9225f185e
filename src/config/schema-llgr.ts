// The neighbor key `long-lived-graceful-restart` (RFC 9494):
//
//   long-lived-graceful-restart:
//     stale-time: 3600             # seconds, for every family of the neighbor
//     families: { ipv4: 60 }       # a family's own stale time; 0 leaves the family out
//
// The stale time is advertised in the LLGR capability (what the neighbor should keep of our routes
// when we restart) and, as helper, bounds the neighbor's own (RFC 9494 §4.2: the received "Long-
// lived Stale Time" MAY be reduced by local configuration), as FRR's `bgp long-lived-graceful-
// restart stale-time` does both. The capability goes with the GR one (RFC 9494 §4.1); a neighbor
// without graceful-restart advertises GR with a Restart Time of 0, which RFC 9494 §4.2 names as the
// way to use the LLGR procedures only.

import { z } from 'zod';
import { ADD_PATH_FAMILIES } from './schema-add-path.js';
import { int } from './schema-values.js';

/** The families LLGR may be configured for: those the RIB keeps per peer (not rtc). */
export const LLGR_FAMILIES = ADD_PATH_FAMILIES;

/** RFC 9494 §3: the Long-lived Stale Time is 24 bits, seconds. */
const staleTime = int(0, 0xffffff);

export const llgrSchema = z.strictObject({
  'stale-time': int(1, 0xffffff),
  families: z
    .strictObject(
      Object.fromEntries(LLGR_FAMILIES.map((f) => [f, staleTime.optional()])) as Record<
        (typeof LLGR_FAMILIES)[number],
        z.ZodOptional<typeof staleTime>
      >,
    )
    .optional(),
});

export type LlgrConfig = z.output<typeof llgrSchema>;

/** Refuses a family stale time for a family the neighbor does not carry (it would never be used). */
export function checkLlgrFamilies(
  n: {
    readonly 'long-lived-graceful-restart'?: LlgrConfig | undefined;
    readonly families: readonly string[];
  },
  ctx: z.core.$RefinementCtx,
): void {
  for (const [f, v] of Object.entries(n['long-lived-graceful-restart']?.families ?? {})) {
    if (v === undefined || n.families.includes(f)) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['long-lived-graceful-restart', 'families', f],
      params: { atKey: true },
      message: `long-lived-graceful-restart for ${f}, a family this neighbor does not carry (families: ${n.families.join(', ')})`,
    });
  }
}
