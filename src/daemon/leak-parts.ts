// The VRF machinery the daemon owns, made in one place for a start: the leak engine (src/vrf), the
// leak monitor that watches what the engine leaks (issue 16), and the log events of both.

import type { EventLog } from '../log/events.js';
import type { Rib } from '../rib/rib.js';
import type { LeakConfig } from '../vrf/defs.js';
import { LeakEngine } from '../vrf/engine.js';
import { LeakMonitor } from '../vrf/monitor.js';
import { violationView } from '../vrf/violation-view.js';
import { prefixToText } from '../wire/nlri/text.js';
import type { DaemonOptions } from './options.js';

export function leakConfig(o: DaemonOptions): LeakConfig {
  return {
    asn: o.asn,
    vrfs: o.vrfs,
    policies: o.policies,
    denyInterVrfStatic: o.denyInterVrfStatic,
  };
}

export function leakParts(
  rib: Rib,
  opts: DaemonOptions,
  log: EventLog,
): { engine: LeakEngine; monitor: LeakMonitor } {
  const engine = new LeakEngine(rib, leakConfig(opts), {
    onConflict: (c) =>
      log.emit({
        event: 'leak-conflict',
        vrf: c.vrf,
        prefix: prefixToText(c.prefix),
        winner: c.winner.origin.kind,
        loser: c.losers.map((l) => l.origin.kind).join(','),
      }),
  });
  const monitor = new LeakMonitor(
    rib,
    (vrf, r) => !engine.ownRoute(vrf, r),
    (e) => {
      const v = violationView(e.violation);
      if (e.kind === 'raised') {
        log.emit({
          event: 'leak-violation',
          vrf: v.vrf,
          kind: v.kind,
          prefix: v.prefix,
          reason: v.reason,
        });
      } else {
        log.emit({ event: 'leak-violation-cleared', vrf: v.vrf, kind: v.kind, prefix: v.prefix });
      }
    },
  );
  monitor.configure(opts.expects ?? [], opts.policies);
  return { engine, monitor };
}
