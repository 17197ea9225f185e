// Dry-run runs the reload path on a shadow daemon: on generated edit sequences, what it predicts
// (the route changes of every table and what each neighbor is sent, after its route-map-out, or
// that its session restarts) equals what applying the config to the running daemon then does.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { predictConfig } from '../../src/api/apply.js';
import { daemonOptionsFromConfig } from '../../src/daemon/from-config.js';
import {
  ribChanges,
  Shadow,
  type NeighborUpdates,
  type RouteChange,
} from '../../src/daemon/simulate.js';
import { anEdit, asInput, baseConfig, CE1, PE2, PEERS, type Cfg, type Edit } from './model.js';
import { parse, reload, tryParse, World } from './world.js';

const RUNS = Math.max(5, Math.floor(Number(process.env['RELOAD_PROPERTY_RUNS'] ?? 25) / 3));

const byAddress = (xs: readonly NeighborUpdates[]) =>
  [...xs].sort((a, b) => (a.address < b.address ? -1 : 1));
const routeLines = (xs: readonly RouteChange[]) =>
  xs.map((c) => `${c.change} ${c.table} ${c.rd ?? ''} ${c.prefix}`).sort();

async function check(edits: readonly Edit[]): Promise<void> {
  let cfg: Cfg = baseConfig();
  let running = parse(asInput(cfg));
  const live = await World.start(running, PEERS);
  try {
    for (const e of edits) {
      const draft: Cfg = structuredClone(cfg);
      e.apply(draft);
      const next = tryParse(asInput(draft));
      if (!next) continue;
      const predicted = await predictConfig(live.daemon, running, next);
      // The running daemon as it was, to measure the apply's route changes against.
      const before = await Shadow.of(live.daemon, daemonOptionsFromConfig(running));
      let routes: RouteChange[] = [];
      const sent = await reload(live, running, next, () => {
        routes = ribChanges(before.daemon.rib, live.daemon.rib);
      });
      await before.stop();
      expect(byAddress(predicted.sent), e.what).toEqual(byAddress(sent));
      expect(routeLines(predicted.routes), e.what).toEqual(routeLines(routes));
      cfg = draft;
      running = next;
    }
  } finally {
    await live.stop();
  }
}

describe('dry-run predicts what the reload then does', () => {
  it('a route-map-out edit: the CE neighbor is told exactly the prefixes it now gets or loses', async () => {
    const c: Cfg = baseConfig();
    const running = parse(asInput(c));
    // RM-C (CE1's route-map-out) now denies what PL-C permits, 10.100.0.0/16 exactly, and no
    // longer what LL-1 permits (10.100.1.7/32 carries 65000:1:1).
    c['policy']['prefix-lists']['PL-C'] = [{ seq: 10, action: 'permit', prefix: '10.100.0.0/16' }];
    c['policy']['route-maps']['RM-C'][0] = {
      seq: 10,
      action: 'deny',
      match: { 'prefix-list': 'PL-C' },
    };
    const next = parse(asInput(c));
    const live = await World.start(running, PEERS);
    try {
      const p = await predictConfig(live.daemon, running, next);
      const ce = p.sent.find((u) => u.address === CE1);
      expect(ce?.withdrawn).toContain('ipv4 10.100.0.0/16');
      expect(ce?.announced).toContain('ipv4 10.100.1.7/32');
      // Nothing changed in the running daemon: the peer still holds the /16.
      expect(live.peers.get(CE1)!.ribIn.has('ipv4 10.100.0.0/16')).toBe(true);
      const sent = await reload(live, running, next);
      expect(byAddress(p.sent)).toEqual(byAddress(sent));
    } finally {
      await live.stop();
    }
  });

  it('a route-map-in edit towards a peer whose routes are kept as received', async () => {
    const c: Cfg = baseConfig();
    const pe2 = (c['neighbors'] as Cfg[]).find((n) => n['address'] === PE2)!;
    pe2['soft-reconfiguration'] = 'inbound';
    const running = parse(asInput(c));
    // RM-D (PE2's route-map-in) stops denying 65000:2: 10.100.2.0/24 is accepted from what was kept.
    c['policy']['route-maps']['RM-D'][0] = { seq: 10, action: 'permit' };
    const next = parse(asInput(c));
    const live = await World.start(running, PEERS);
    try {
      const p = await predictConfig(live.daemon, running, next);
      expect(routeLines(p.routes)).toContain('added vpnv4 65200:1 10.100.2.0/24');
      const before = await Shadow.of(live.daemon, daemonOptionsFromConfig(running));
      let routes: RouteChange[] = [];
      const sent = await reload(live, running, next, () => {
        routes = ribChanges(before.daemon.rib, live.daemon.rib);
      });
      await before.stop();
      expect(byAddress(p.sent)).toEqual(byAddress(sent));
      expect(routeLines(p.routes)).toEqual(routeLines(routes));
    } finally {
      await live.stop();
    }
  });

  it('on generated edit sequences', async () => {
    await fc.assert(fc.asyncProperty(fc.array(anEdit, { minLength: 1, maxLength: 6 }), check), {
      numRuns: RUNS,
    });
  }, 600_000);
});
