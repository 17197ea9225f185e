// Reset cases of the header and OPEN (malformed-input.md cases 1-6), see reset-cases.ts.
import { resetSuite } from './reset-cases.js';

resetSuite(
  import.meta.url,
  'malformed header / OPEN resets the session (injector)',
  (c) => /^case [1-6]:/.test(c.name),
  true,
);
