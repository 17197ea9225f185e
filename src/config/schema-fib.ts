// The `fib` block: which views go into which kernel routing tables (src/daemon/fib.ts).
//   fib: { enabled: true, tables: { CUSTOMER-A: 1001, SHARED: 1003, default: 254 } }
// A VRF not named in `tables` stays out of the kernel; `default` is the default table's routes.

import { z } from 'zod';

// <linux/rtnetlink.h>: 0 unspec, 253 default, 255 local are the kernel's own. 254 (main) only for
// the default table: a VRF's routes in main would be every interface's.
const RESERVED: ReadonlyMap<number, string> = new Map([
  [0, 'unspec'],
  [253, 'default'],
  [255, 'local'],
]);

const tableNumber = z.number().superRefine((v, ctx) => {
  if (!Number.isInteger(v) || v < 1 || v > 0xffffffff) {
    ctx.addIssue({ code: 'custom', message: `${v} is not a table number (1..4294967295)` });
  } else if (RESERVED.has(v)) {
    ctx.addIssue({
      code: 'custom',
      message: `table ${v} is the kernel's ${RESERVED.get(v)} table`,
    });
  }
});

export const fibSchema = z
  .strictObject({
    /** Off by default: installing routes needs root (CAP_NET_ADMIN) and changes the host. */
    enabled: z.boolean().default(false),
    tables: z.record(z.string(), tableNumber).default({}),
  })
  .prefault({});
