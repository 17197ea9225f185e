// The `mrt` block (RFC 6396 files; README "MRT"): where table dumps and BGP4MP message logs go,
// how often tables are dumped, and which neighbors' messages are logged with what rotation.

import { z } from 'zod';
import { int } from './schema-values.js';

export const mrtSchema = z.strictObject({
  /** The directory dumps (`tables-STAMP/`) and message logs (`messages/ADDR/`) are written under. */
  directory: z.string().min(1),
  /** Seconds between table dumps; 0: only when asked (`vrfleak dump`, the API). */
  'dump-interval': int(0, 7 * 86400).default(0),
  /** BGP4MP message logging, per neighbor, to rotating files; omitted: none. */
  messages: z
    .strictObject({
      /** The neighbors whose messages are logged: addresses, or `all`. */
      neighbors: z.union([z.literal('all'), z.array(z.string().min(1)).min(1)]),
      /** A new file after this many seconds. */
      'rotate-interval': int(1, 7 * 86400).default(900),
      /** A new file once the current one reaches this many octets. */
      'rotate-size': int(4096, 2 ** 32).default(64 * 1024 * 1024),
    })
    .optional(),
});

export type MrtConfig = z.output<typeof mrtSchema>;
