// `npm run lab`: builds the lab, prints the ping matrix and the router's tables, and cleans up.
// Needs root (network namespaces). The same checks, as assertions, are interop/lab/lab.test.ts.

import { eventually, fibReady, labUnavailable, startLab } from './lab.js';
import { MATRIX } from './matrix.js';

const why = labUnavailable();
if (why) {
  process.stderr.write(`lab: ${why}\n`);
  process.exit(1);
}
const lab = startLab();
try {
  // The FIB is ready once the first leak answers.
  const up = await eventually(() => fibReady(lab), 30_000);
  if (!up)
    process.stdout.write('lab: CUSTOMER-A never reached SHARED; the router log:\n' + lab.log());
  process.stdout.write('from      to               expected  seen\n');
  let bad = 0;
  for (const m of MATRIX) {
    const seen = lab.ping(m.from, m.to, m.fromLoopback);
    if (seen !== m.reach) bad++;
    process.stdout.write(
      `${m.from.padEnd(9)} ${m.to.padEnd(16)} ${(m.reach ? 'reply' : 'none').padEnd(9)} ${seen ? 'reply' : 'none'}${seen !== m.reach ? '  <-- WRONG' : ''}\n`,
    );
  }
  for (const t of [1100, 1110, 1120, 1199, 1301, 1302]) {
    process.stdout.write(`\ntable ${t}:\n${lab.table(t)}`);
  }
  process.exitCode = bad ? 1 : 0;
} finally {
  await lab.stop();
}
