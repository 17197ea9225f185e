// The BMP exporter as every owner of a daemon starts it (the `run` command and the library's
// Speaker), with the statistics other modules keep: the leak monitor's violations (issue 16) go
// into each VRF's Loc-RIB Statistics Report as a counter of type STAT_LEAK_VIOLATIONS.

import type { EventLog } from '../log/events.js';
import { STAT_LEAK_VIOLATIONS } from '../wire/bmp.js';
import { BmpExporter, type BmpStatsProvider } from './bmp.js';
import type { Daemon } from './daemon.js';

/** Violations raised in a VRF since start (RFC 7854 §4.8: a counter only grows). */
export function leakViolationStats(d: Pick<Daemon, 'monitor'>): BmpStatsProvider {
  return {
    tableStats: (view) => {
      const c = d.monitor?.counts().get(view);
      return c ? [{ kind: 'counter', type: STAT_LEAK_VIOLATIONS, value: c.raised }] : [];
    },
  };
}

export function attachBmp(daemon: Daemon, log: EventLog): BmpExporter {
  const bmp = new BmpExporter(daemon, log);
  bmp.addStatsProvider(leakViolationStats(daemon));
  daemon.bmp = bmp;
  return bmp;
}
