// DESIGN.md "Retention" after a reload, so that it holds as it would after a start on the new
// config: with `retain: imported-only`, VPN routes no VRF imports any longer (an import RT or a VRF
// removed, or the mode just switched on) are dropped as they would have been on arrival; switched
// back to `all`, the VPN peers are asked for their tables again (RFC 2918 route refresh), since
// what was dropped on arrival is gone. (Import RTs added under imported-only: reconfigureVrfs.)

import { GLOBAL_VIEW } from '../rib/rib.js';
import type { Daemon } from './daemon.js';
import type { DaemonOptions } from './options.js';

const VPN = ['vpnv4', 'vpnv6'] as const;

/** Applies the retention mode of `d.opts` to the routes held; `was` is the mode before. */
export function reapplyRetention(d: Daemon, was: DaemonOptions['retain']): void {
  const now = d.opts.retain ?? 'all';
  if (now === 'imported-only') {
    for (const p of d.peers.values()) {
      if (d.viewOf(p) !== GLOBAL_VIEW) continue;
      for (const f of VPN) {
        if (!d.rib.adjRibIn(p.id, f)?.size) continue;
        const gone = [...d.rib.table(f).pathsOf(p.id)]
          .filter((r) => !(d.leak?.importsAny(r.attrs.extCommunities) ?? false))
          .map((r) => r.nlri);
        if (gone.length) d.rib.withdraw(f, p.id, gone);
      }
    }
    d.commitNow();
  } else if (was === 'imported-only') {
    for (const p of d.peers.values()) {
      for (const f of VPN) if (p.info?.families.includes(f)) d.requestRefresh(p.opts.address, f);
    }
  }
}
