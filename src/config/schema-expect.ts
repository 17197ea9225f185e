// A VRF's `expect` section (issue 16, the leak monitor, src/vrf/monitor.ts): what may be leaked
// into the VRF. Sources are VRFs (`default`: the global table) or route targets, each optionally
// within a prefix list; a bound on how many leaked routes the VRF may select; prefixes that must
// be there as leaked routes. Names are checked by crossref-leaks.ts once this schema passes.

import { z } from 'zod';
import { int, prefix, ref, rt } from './schema-values.js';

const source = z
  .strictObject({
    /** A VRF, or `default` for the global table (leak-from-default). */
    vrf: ref.optional(),
    /** Routes carrying this route target (a remote PE's, or a local VRF's export RT). */
    'route-target': rt.optional(),
    /** Only prefixes this list permits; omitted: any prefix from the source. */
    'prefix-list': ref.optional(),
  })
  .superRefine((s, ctx) => {
    if ((s.vrf === undefined) === (s['route-target'] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'a source names a vrf or a route-target (one of the two)',
      });
    }
  });

export const expectSchema = z.strictObject({
  /** Where leaked routes may come from; omitted: any source (only the bound and require apply). */
  from: z.array(source).optional(),
  /** The most leaked routes the VRF may select (per VRF, IPv4 and IPv6 together). */
  'max-routes': int(0, 0xffffffff).optional(),
  /** Prefixes the VRF must hold as leaked routes (its selected route for each is a leak). */
  require: z.array(prefix).default([]),
});

export type ExpectConfig = z.output<typeof expectSchema>;
