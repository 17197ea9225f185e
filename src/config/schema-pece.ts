// The neighbor keys of a PE-CE session as operators run it (issue 14, point 4):
//
//   neighbors:
//     - { address: 127.0.0.21, asn: 65100, vrf: CUST, as-override: true, soo: 65100:1 }
//     - { address: 127.0.0.22, asn: 65100, vrf: CUST, allowas-in: origin }
//
// `as-override` (FRR `neighbor X as-override`, Cisco likewise): every occurrence of the neighbor's
// AS in the AS_PATH we send it becomes ours, so two sites of one customer AS accept each other's
// routes. `allowas-in` (FRR `neighbor X allowas-in [N|origin]`): routes with our AS up to N times
// are accepted (RFC 4271 §9.1.2 loop detection relaxed), or, with `origin`, only those whose
// origin AS is ours. `soo`: the site-of-origin extended community (RFC 4360 §5, route origin) this
// neighbor's routes are tagged with on receipt; routes carrying it are not sent back to it (FRR
// `neighbor X soo`). Refusals that need the whole config (as-override on iBGP) are in
// crossref-pece.ts.

import { z } from 'zod';
import { int, textOf } from './schema-values.js';
import { checkSiteOfOrigin } from './values.js';

/** A site of origin in the forms of a route target: 65100:1, 10.0.0.1:5, 4200000000:7. */
const soo = textOf(checkSiteOfOrigin);

export const peCeKeys = {
  'allowas-in': z.union([int(0, 10), z.literal('origin')]).default(0),
  'as-override': z.boolean().default(false),
  soo: soo.optional(),
};
