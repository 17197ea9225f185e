// RT-constrain (RFC 4684) against GoBGP, which speaks it (afi-safi `rtc`) and originates a
// membership route for each import RT of its VRFs. vrfleak has VRFs exporting RT 65000:1 and
// 65000:2 (one route each); GoBGP's one VRF imports 65000:1 only, so vrfleak sends it the 65000:1
// route alone. A GoBGP VRF importing 65000:2 added live brings the 65000:2 route; deleting it
// withdraws that route. Checked with GoBGP's CLI (`gobgp ... -j`) and vrfleak's rtc table.

import { beforeAll, describe, expect, it } from 'vitest';
import { rtcAnswer } from '../../src/api/endpoints-rtc.js';
import { Speaker } from '../../src/api/library.js';
import {
  assertPeersOrFail,
  startGobgp,
  waitUntil,
  type GobgpHandle,
  type GobgpRibJson,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd']);

/** The VPNv4 prefixes GoBGP holds from vrfleak, as `RD:prefix`. */
const prefixes = (rib: GobgpRibJson) => Object.keys(rib).sort();

describe.skipIf(peers.skip)(peers.title('RT-constrain: vrfleak -> GoBGP'), () => {
  const sc = useScenario(import.meta.url);
  let g: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; g: string };

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), g: sc.nextAddress() };
    g = await startGobgp({
      name: 'gobgp-pe',
      parentDir: sc.dir,
      asn: 65000,
      routerId: ip.g,
      address: ip.g,
      vrfs: [{ name: 'X', rd: '65000:101', importRts: ['65000:1'], exportRts: ['65000:101'] }],
      neighbors: [
        {
          address: ip.vrfleak,
          asn: 65000,
          families: ['vpnv4'],
          // GoBGP 3.10 sends End-of-RIB markers (the RTC one included) only with graceful restart.
          gracefulRestart: { restartTime: 30 },
          // GoBGP 3.10: the family is `rtc`; its VRFs' import RTs become its memberships.
          extraToml: [
            '  [[neighbors.afi-safis]]',
            '    [neighbors.afi-safis.config]',
            '      afi-safi-name = "rtc"',
            '    [neighbors.afi-safis.mp-graceful-restart.config]',
            '      enabled = true',
          ].join('\n'),
        },
      ],
    });
    const vrf = (n: number) => ({
      rd: `65000:${n}`,
      'route-targets': { import: [`65000:${n}`], export: [`65000:${n}`] },
      networks: [`10.${n}.0.0/24`],
    });
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        {
          address: ip.g,
          asn: 65000,
          families: ['vpnv4', 'rtc'],
          'connect-retry': 1,
          'graceful-restart': { enabled: true, 'restart-time': 30 },
        },
      ],
      vrfs: { RED: vrf(1), BLUE: vrf(2) },
    });
    await g.waitEstablished(ip.vrfleak);
  });

  it('GoBGP importing 65000:1 only gets the 65000:1 route', async () => {
    // vrfleak holds GoBGP's membership (origin AS 65000, RT 65000:1) after GoBGP's RTC
    // End-of-RIB, next to its own two.
    const mine = await speaker.waitFor(
      (sp) => {
        const n = rtcAnswer(sp.daemon).neighbors[0];
        return n && !n.waitingEndOfRib && n.memberships.length > 0 ? n : undefined;
      },
      { what: "vrfleak holds GoBGP's membership and its wait ended" },
    );
    expect(mine.memberships).toEqual(['65000:1']);
    expect(
      rtcAnswer(speaker.daemon)
        .routes.map((r) => `${r.routeTarget} ${r.peer ?? 'local'}`)
        .sort(),
    ).toEqual([`65000:1 ${ip.g}`, '65000:1 local', '65000:2 local']);
    const rib = await waitUntil(
      () => g.globalRib('vpnv4'),
      (r) => prefixes(r).length > 0,
      { what: 'GoBGP receives VPN routes from vrfleak' },
    );
    expect(prefixes(rib)).toEqual(['65000:1:10.1.0.0/24']);
    // And GoBGP's VRF X imported it.
    const x = await waitUntil(
      () => g.vrfRib('X'),
      (r) => Object.keys(r).length > 0,
      { what: 'GoBGP VRF X imports 10.1.0.0/24' },
    );
    expect(Object.keys(x)).toEqual(['65000:1:10.1.0.0/24']);
    // Read again once X imported it: nothing else came in the meantime.
    expect(prefixes(await g.globalRib('vpnv4'))).toEqual(['65000:1:10.1.0.0/24']);
  });

  it('a GoBGP VRF importing 65000:2 brings the 65000:2 route; deleting it withdraws it', async () => {
    await g.vrfAdd({
      name: 'Y',
      rd: '65000:102',
      importRts: ['65000:2'],
      exportRts: ['65000:102'],
    });
    const both = await waitUntil(
      () => g.globalRib('vpnv4'),
      (r) => prefixes(r).length === 2,
      { what: 'GoBGP gets the 65000:2 route after its VRF Y imports 65000:2' },
    );
    expect(prefixes(both)).toEqual(['65000:1:10.1.0.0/24', '65000:2:10.2.0.0/24']);
    await g.vrfDel('Y');
    const one = await waitUntil(
      () => g.globalRib('vpnv4'),
      (r) => prefixes(r).length === 1,
      { what: 'vrfleak withdraws the 65000:2 route when GoBGP VRF Y goes' },
    );
    expect(prefixes(one)).toEqual(['65000:1:10.1.0.0/24']);
  });
});
