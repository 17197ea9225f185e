// Neighbor `cluster-id` against real peers: vrfleak reflects between two GoBGP clients in AS 65000,
// client b in a cluster of its own (10.255.0.2), the global cluster id being 10.255.0.1. A route
// from a (global cluster) reflected to b carries b's cluster id (RFC 4456 §8, the CLUSTER_ID of
// the cluster the route enters, as GoBGP's per-neighbor route-reflector-cluster-id); one from b to
// a carries b's too (the cluster it leaves).

import { beforeAll, describe, expect, it } from 'vitest';
import type { Speaker } from '../../src/api/library.js';
import { assertPeersOrFail, waitUntil, type GobgpHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import { startRrClients } from './rr-clients.js';

const peers = assertPeersOrFail(['gobgpd']);
const GLOBAL = '10.255.0.1';
const B_CLUSTER = '10.255.0.2';

describe.skipIf(peers.skip)(peers.title('per-neighbor cluster-id, read from GoBGP'), () => {
  const sc = useScenario(import.meta.url);
  let a: GobgpHandle;
  let b: GobgpHandle;
  let speaker: Speaker;

  const clusterList = async (g: GobgpHandle, prefix: string) => {
    const rib = await waitUntil(
      () => g.globalRib('ipv4'),
      (x) => x[prefix] !== undefined,
      { what: `${prefix} reflected by vrfleak` },
    );
    return rib[prefix]?.[0]?.attrs.find((x) => x.type === 10)?.['value'];
  };

  beforeAll(async () => {
    ({ a, b, speaker } = await startRrClients(sc, 'ipv4', {
      config: { 'cluster-id': GLOBAL },
      clientB: { 'cluster-id': B_CLUSTER },
    }));
  });

  it("a route entering b's cluster, and one leaving it, carry b's cluster id", async () => {
    await a.globalRibAdd('ipv4', '10.61.0.0/24', ['nexthop', '192.0.2.61']);
    expect(await clusterList(b, '10.61.0.0/24')).toEqual([B_CLUSTER]);
    await b.globalRibAdd('ipv4', '10.62.0.0/24', ['nexthop', '192.0.2.62']);
    expect(await clusterList(a, '10.62.0.0/24')).toEqual([B_CLUSTER]);
    await speaker.stop();
  });
});
