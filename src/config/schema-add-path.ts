// The neighbor key `add-path` (RFC 7911), per family:
//
//   add-path:
//     vpnv4: { receive: true, send: all }        # keep every path the peer sends; send all ours
//     ipv4: { send: { best: 2 } }                # the 2 best paths of each prefix
//     vpnv6: { send: best-per-neighbor-as }      # the best path of each neighboring AS
//
// `receive` advertises that we accept path identifiers, `send` that we send them; each is used
// only where the peer advertised the other side (RFC 7911 §4). RT-constrain (rtc) has no ADD-PATH
// here: its routes are not kept per path.

import { z } from 'zod';
import { int } from './schema-values.js';

/** The families ADD-PATH may be configured for: unicast, labeled unicast and VPN. */
export const ADD_PATH_FAMILIES = [
  'ipv4',
  'ipv6',
  'ipv4-labeled',
  'ipv6-labeled',
  'vpnv4',
  'vpnv6',
] as const;

const count = int(1, 64);

const sendMode = z.union([
  z.literal('all'),
  z.literal('best-per-neighbor-as'),
  z.strictObject({ best: count }),
]);

const perFamily = z
  .strictObject({
    receive: z.boolean().default(false),
    send: sendMode.optional(),
  })
  .refine((e) => e.receive || e.send !== undefined, {
    message:
      'add-path for a family needs receive: true or a send mode (all, { best: N }, best-per-neighbor-as)',
  });

export const addPathSchema = z.strictObject(
  Object.fromEntries(ADD_PATH_FAMILIES.map((f) => [f, perFamily.optional()])) as Record<
    (typeof ADD_PATH_FAMILIES)[number],
    z.ZodOptional<typeof perFamily>
  >,
);

export type AddPathConfig = z.output<typeof addPathSchema>;

/** Refuses add-path for a family the neighbor does not carry (it would never be used). */
export function checkAddPathFamilies(
  n: { readonly 'add-path'?: AddPathConfig | undefined; readonly families: readonly string[] },
  ctx: z.core.$RefinementCtx,
): void {
  for (const [f, e] of Object.entries(n['add-path'] ?? {})) {
    if (e === undefined || n.families.includes(f)) continue;
    ctx.addIssue({
      code: 'custom',
      path: ['add-path', f],
      params: { atKey: true },
      message: `add-path for ${f}, a family this neighbor does not carry (families: ${n.families.join(', ')})`,
    });
  }
}
