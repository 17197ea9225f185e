// The route-reflector fan-out cell (issue 13): the device under test is an iBGP route reflector
// (AS 65000) with one client injecting N VPNv4 routes and C receiving clients, all of them the
// bench's own light sessions. Converge is the time from the first UPDATE written to the last new
// route counted at the last client; withdraw likewise (cell.ts's measureCell). What a reflector
// pays for here is its update groups: every route goes out C times.

import { emptyResult, measureCell, type CellOptions, type CellResult } from './cell.js';
import { DUT_AS, type DutKind } from './duts.js';
import { encodeAnnouncements, encodeWithdrawals, type LoadShape } from './routes.js';

export type RrCellOptions = Omit<CellOptions, 'workload' | 'cpuProfDir'>;

export async function runRrCell(
  kind: DutKind,
  shape: LoadShape,
  clients: number,
  o: RrCellOptions,
): Promise<CellResult> {
  const address = o.block.next();
  const injector = { address: o.block.next(), asn: DUT_AS };
  const receivers = Array.from({ length: clients }, (_, i) => ({
    name: `client ${i}`,
    address: o.block.next(),
    asn: DUT_AS,
  }));
  return measureCell(
    emptyResult(kind, 'rr', shape, clients),
    address,
    {
      injector,
      receivers,
      dutPeers: [injector, ...receivers].map((p) => ({ ...p, rrClient: true })),
    },
    // LOCAL_PREF in the injected routes: iBGP (routes.ts says why FRR needs it).
    { announce: encodeAnnouncements(shape, undefined, true), withdraw: encodeWithdrawals(shape) },
    o,
  );
}
