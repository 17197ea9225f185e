// The `bmp` section: the BMP collectors vrfleak exports to (RFC 7854; src/daemon/bmp.ts).
//
//   bmp:
//     - address: 127.0.0.1
//       port: 1790
//       local-address: 127.0.0.10    # our source address (collectors name routers by it)
//       route-monitoring: [pre-policy, post-policy, adj-rib-out-post, loc-rib]
//       statistics-interval: 60      # seconds; 0: no Statistics Reports
//       initial-delay: 0             # seconds before the first connection
//       backoff: [1, 60]             # seconds between attempts: doubled from the first to the second
//       max-queue: 16777216          # octets a collector may leave unread before it is dropped
//       sys-name: pe1                # Initiation sysName (default: the host name)

import { z } from 'zod';
import { int, ip } from './schema-values.js';

/**
 * Route Monitoring streams: Adj-RIB-In before and after inbound policy (RFC 7854 §2), Adj-RIB-Out
 * before and after outbound policy (RFC 8671), the Loc-RIB of every table (RFC 9069).
 */
export const BMP_STREAMS = [
  'pre-policy',
  'post-policy',
  'adj-rib-out-pre',
  'adj-rib-out-post',
  'loc-rib',
] as const;

export const bmpCollectorSchema = z.strictObject({
  address: ip,
  port: int(1, 65535),
  'local-address': ip.optional(),
  'route-monitoring': z
    .array(z.enum(BMP_STREAMS))
    .min(1)
    .refine((l) => new Set(l).size === l.length, { message: 'a stream is listed twice' })
    .default(['pre-policy', 'post-policy', 'adj-rib-out-post', 'loc-rib']),
  'statistics-interval': int(0, 86400).default(60),
  'initial-delay': int(0, 3600).default(0),
  backoff: z
    .tuple([int(1, 3600), int(1, 3600)])
    .refine(([lo, hi]) => lo <= hi, { message: 'backoff must be [min, max] with min <= max' })
    .default([1, 60]),
  'max-queue': int(65536, 2 ** 31 - 1).default(16 * 1024 * 1024),
  'sys-name': z.string().min(1).max(255).optional(),
});

export const bmpSchema = z
  .array(bmpCollectorSchema)
  .default([])
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((c, i) => {
      const k = `${c.address}:${c.port}`;
      if (seen.has(k))
        ctx.addIssue({
          code: 'custom',
          path: [i, 'port'],
          message: `collector ${k} is listed twice`,
        });
      seen.add(k);
    });
  });

export type BmpCollectorConfig = z.output<typeof bmpCollectorSchema>;
