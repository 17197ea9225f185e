// DESIGN.md "Retention" with `retain: imported-only` (FRR's bgp_vpnv4_noretain): VPN routes no
// local VRF imports are dropped on arrival; adding an import RT asks the peer again (route refresh)
// and the newly wanted routes arrive. Against a real GoBGP.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { assertPeersOrFail, startGobgp, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

describe.skipIf(peers.skip)(peers.title('retain imported-only (GoBGP)'), () => {
  const sc = useScenario(import.meta.url);
  let g: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; g: string };
  const config = (imports: string[]) => ({
    asn: 65000,
    'router-id': ip.vrfleak,
    listen: { address: ip.vrfleak, port: 179 },
    retain: 'imported-only' as const,
    neighbors: [{ address: ip.g, asn: 65001, 'connect-retry': 1 }],
    vrfs: { A: { rd: '65000:100', 'route-targets': { import: imports } } },
  });

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), g: sc.nextAddress() };
    g = await startGobgp({
      name: 'gobgp',
      parentDir: sc.dir,
      asn: 65001,
      routerId: ip.g,
      address: ip.g,
      neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
    });
    await g.vrfAdd({
      name: 'RED',
      rd: '65001:10',
      importRts: ['65001:10'],
      exportRts: ['65001:10'],
    });
    await g.vrfAdd({
      name: 'BLUE',
      rd: '65001:20',
      importRts: ['65001:20'],
      exportRts: ['65001:20'],
    });
    await g.vrfRibAdd('BLUE', '10.2.0.0/24', ['nexthop', '192.0.2.1']);
    await g.vrfRibAdd('RED', '10.1.0.0/24', ['nexthop', '192.0.2.1']);
    speaker = await Speaker.start(config(['65001:10']));
  });

  it('keeps only imported VPN routes, and a new import RT brings the others through a refresh', async () => {
    await speaker.waitFor((s) => s.routes('vpnv4').some((r) => r.rd === '65001:10'), {
      what: 'the imported RED route is kept',
    });
    // GoBGP sends one prefix per UPDATE: once two UPDATEs are in, BLUE's route came and was dropped.
    await speaker.waitFor((s) => (s.neighbor(ip.g)?.updatesIn ?? 0) >= 2, {
      what: "both of GoBGP's UPDATEs processed",
    });
    expect(speaker.routes('vpnv4').some((r) => r.rd === '65001:20')).toBe(false);
    expect(speaker.vrfRoutes('A').map((r) => r.prefix)).toEqual(['10.1.0.0/24']);
    speaker.reconfigure(config(['65001:10', '65001:20']));
    await speaker.waitFor((s) => s.routes('vpnv4').some((r) => r.rd === '65001:20'), {
      what: 'BLUE arrives after the route refresh',
    });
    await speaker.waitFor((s) => s.vrfRoutes('A').length === 2, { what: 'A imports both' });
    expect(speaker.leakInvariants()).toEqual([]);
    await speaker.stop();
  });
});
