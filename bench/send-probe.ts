// Every octet one eBGP update group sends, in one process (issue 13, send10): the realistic or
// transit UPDATEs decoded, ingested and committed per 2048 NLRI (as the daemon does) to the
// bench's monitor group, then every route withdrawn the same way; prints the SHA-256 of the
// messages sent in order, their count and octets. A change to the send side that must not change
// the output shows the same hash before and after. Under `node --predictable` and `valgrind
// --tool=cachegrind --cache-sim=no` it counts the instructions of the whole path.
// `node --import ./bench/register.mjs bench/send-probe.ts realistic|transit [routes] [rds]`

import { createHash } from 'node:crypto';
import type { Outbound } from '../src/daemon/propagate.js';
import { Rib } from '../src/rib/rib.js';
import { engineOn, ingestFrame, injectorIngest, joinEbgpMonitor } from './probe-rib.js';
import { encodeRealistic } from './realistic.js';
import { encodeAnnouncements, encodeWithdrawals } from './routes.js';

const workload = process.argv[2] ?? 'realistic';
const routes = Number(process.argv[3] ?? 200_000);
const rds = Number(process.argv[4] ?? (workload === 'transit' ? 10 : 100));
const shape = { routes, rds };
const announce =
  workload === 'transit' ? encodeAnnouncements(shape) : encodeRealistic(shape).announce;
const withdraw = encodeWithdrawals(shape);

const rib = new Rib();
const { propagation } = engineOn(rib, []);
joinEbgpMonitor(rib);
const injector = injectorIngest();

const hash = createHash('sha256');
let updates = 0;
let octets = 0;
function sent(out: Outbound): void {
  for (const [peer, msgs] of out) {
    hash.update(`peer ${peer}:`);
    for (const m of msgs) {
      hash.update(m);
      updates++;
      octets += m.length;
    }
  }
}

sent(propagation.commit());
const t0 = performance.now();
for (const frames of [announce, withdraw]) {
  let since = 0;
  for (let i = 0; i < frames.length; i++) {
    since += ingestFrame(rib, frames[i]!, injector);
    if (since >= 2048 || i === frames.length - 1) {
      sent(propagation.commit());
      since = 0;
    }
  }
}
console.log(
  JSON.stringify({
    workload,
    routes,
    rds,
    updates,
    octets,
    sha256: hash.digest('hex'),
    ms: Math.round(performance.now() - t0),
    rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
  }),
);
