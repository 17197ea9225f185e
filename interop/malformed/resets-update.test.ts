// Reset cases of UPDATE and ROUTE-REFRESH (malformed-input.md cases 7-23, BoRR length, GoBGP
// #1 and #5), see reset-cases.ts.
import { resetSuite } from './reset-cases.js';

resetSuite(
  import.meta.url,
  'malformed UPDATE / ROUTE-REFRESH resets the session (injector)',
  (c) => !/^case [1-6]:/.test(c.name),
  false,
);
