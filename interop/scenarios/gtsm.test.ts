// Issue 15, GTSM (RFC 5082) against FRR's `neighbor X ttl-security hops N`, over a path of network
// namespaces where each router hop costs one TTL (gtsm-topology.ts): FRR one hop away comes up
// with `hops: 1` (both sides send with TTL 255 and require 255); FRR two hops away never does with
// `hops: 1` (vrfleak refuses its SYNs, TTL 254, and says so; its answers to our SYNs are dropped),
// and comes up once a reload allows `hops: 2`, while the near session stays up.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import { assertPeersOrFail, startFrr, waitFor, type FrrHandle } from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import { buildTwoHops, type TwoHops } from './gtsm-topology.js';

const peers = assertPeersOrFail(['bgpd']);

describe.skipIf(peers.skip)(peers.title('GTSM with FRR over network namespaces'), () => {
  const sc = useScenario(import.meta.url);
  const events: LogEvent[] = [];
  let net: TwoHops | undefined;
  let speaker: Speaker | undefined;
  let near: FrrHandle;
  let far: FrrHandle;

  const config = (farHops: number) => ({
    asn: 65000,
    'router-id': net!.local,
    listen: { address: net!.local, port: 179 },
    neighbors: [
      {
        address: net!.near,
        asn: 65001,
        families: ['ipv4' as const],
        'connect-retry': 1,
        'ttl-security': { hops: 1 },
      },
      {
        address: net!.farAddress,
        asn: 65002,
        families: ['ipv4' as const],
        'connect-retry': 1,
        'ttl-security': { hops: farHops },
      },
    ],
  });

  const frrIn = (name: string, netns: string, address: string, asn: number, hops: number) =>
    startFrr({
      name,
      parentDir: sc.dir,
      address,
      netns,
      bgp: {
        asn,
        routerId: address,
        neighbors: [
          {
            address: net!.local,
            asn: 65000,
            families: ['ipv4'],
            extra: [`neighbor ${net!.local} ttl-security hops ${hops}`],
          },
        ],
      },
    });

  const downs = (peer: string) =>
    events.filter((e) => e.event === 'session-down' && e.peer === peer).length;

  beforeAll(async () => {
    net = buildTwoHops();
    const log = createEventLog({ level: 'silent' });
    log.subscribe((e) => events.push(e));
    speaker = await Speaker.start(config(1), { log });
    [near, far] = await Promise.all([
      frrIn('near', net.router, net.near, 65001, 1),
      frrIn('far', net.far, net.farAddress, 65002, 2),
    ]);
  }, 60_000);

  afterAll(async () => {
    await speaker?.stop();
    // The FRR instances are stopped by the scenario's own afterAll; the namespaces go after them
    // at the latest at process exit (the trap in gtsm-topology.ts), here if they are down already.
    await Promise.all([near?.stop(), far?.stop()]);
    net?.remove();
  });

  it('a peer one hop away comes up with ttl-security hops 1 on both sides', async () => {
    await near.waitEstablished(net!.local, 20_000);
    expect(speaker!.neighbor(net!.near)?.state).toBe('Established');
  });

  it('a peer two hops away never gets a session with hops 1, and vrfleak says why', async () => {
    const refused = await waitFor(
      () => events.find((e) => e.event === 'connection-refused' && e.remote === net!.farAddress),
      { what: `vrfleak refusing ${net!.farAddress}'s connection`, timeoutMs: 15_000 },
    );
    expect(refused).toMatchObject({
      reason: expect.stringMatching(/ttl-security hops 1 needs TTL at least 255.*arrived with 254/),
    });
    const unanswered = await waitFor(
      () => events.find((e) => e.event === 'connect-unanswered' && e.peer === net!.farAddress),
      { what: `our connects to ${net!.farAddress} given up`, timeoutMs: 15_000 },
    );
    expect(unanswered).toMatchObject({ reason: expect.stringMatching(/ttl-security hops 1/) });
    expect(await far.neighborState(net!.local)).not.toBe('Established');
    expect(speaker!.neighbor(net!.farAddress)?.state).not.toBe('Established');
  });

  it('allowed two hops by a reload, it comes up; the near session stays up', async () => {
    speaker!.reconfigure(config(2));
    await far.waitEstablished(net!.local, 20_000);
    expect(speaker!.neighbor(net!.farAddress)?.state).toBe('Established');
    expect(speaker!.neighbor(net!.near)?.state).toBe('Established');
    expect(downs(net!.near)).toBe(0);
  });
});
