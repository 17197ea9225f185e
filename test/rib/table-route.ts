// The route the Table tests (table-born, table-withdrawn) put and remove: one interned set, a
// local origin, the key and source given.

import { EMPTY_ATTR_VALUES } from '../../src/model/attrset.js';
import type { Route } from '../../src/model/route.js';
import { AttrInterner } from '../../src/rib/intern.js';

const attrs = new AttrInterner().intern({
  ...EMPTY_ATTR_VALUES,
  asPath: [{ type: 2, asns: [65001] }],
  nextHop: { afi: 1, addr: 0xc0000201 },
});

export const route = (key: string, src: number, seq = src): Route => ({
  key,
  nlri: { kind: 'prefix', prefix: { afi: 1, len: 8, addr: 0x0a000000 } },
  attrs,
  origin: { kind: 'local', source: 'local' },
  src,
  pathId: 0,
  seq,
  stale: false,
});
