// GoBGP's bgp_malformed_msg_handling scenarios, sent the way GoBGP's own suite sends them: by a real
// ExaBGP with raw `attribute [ code flags value ]` (the injector in this folder covers the cases
// ExaBGP cannot craft). vrfleak is the receiver; a GoBGP peer of vrfleak shows what is propagated.
// - attribute discard: AGGREGATOR with 5 octets -> the route stays, the attribute is gone everywhere;
// - treat-as-withdraw: a MED of 5 octets on a re-announcement withdraws the earlier valid route.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import {
  assertPeersOrFail,
  startExabgp,
  startGobgp,
  waitUntil,
  type ExabgpHandle,
  type GobgpHandle,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd', 'exabgp']);

describe.skipIf(peers.skip)(peers.title('malformed attributes from ExaBGP (raw)'), () => {
  const sc = useScenario(import.meta.url);
  let exa: ExabgpHandle;
  let g: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; exa: string; g: string };
  const events: LogEvent[] = [];
  const prefixes = (s: Speaker): string[] =>
    s
      .routes('ipv4')
      .map((r) => r.prefix)
      .sort();

  beforeAll(async () => {
    ip = { vrfleak: sc.nextAddress(), exa: sc.nextAddress(), g: sc.nextAddress() };
    g = await startGobgp({
      name: 'gobgp',
      parentDir: sc.dir,
      asn: 65001,
      routerId: ip.g,
      address: ip.g,
      neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['ipv4'] }],
    });
    const log = createEventLog({ level: 'silent' });
    const emit = log.emit.bind(log);
    log.emit = (e) => {
      events.push(e);
      emit(e);
    };
    speaker = await Speaker.start(
      {
        asn: 65000,
        'router-id': ip.vrfleak,
        listen: { address: ip.vrfleak, port: 179 },
        neighbors: [
          { address: ip.exa, asn: 65003, families: ['ipv4'], passive: true },
          {
            address: ip.g,
            asn: 65001,
            families: ['ipv4'],
            'connect-retry': 1,
            'next-hop-address': '192.0.2.50',
          },
        ],
      },
      { log },
    );
    exa = await startExabgp({
      name: 'exabgp',
      parentDir: sc.dir,
      address: ip.exa,
      neighbors: [{ address: ip.vrfleak, peerAs: 65000, localAs: 65003, families: ['ipv4'] }],
    });
    await speaker.waitFor((s) => s.neighbor(ip.exa)?.state === 'Established', {
      what: 'ExaBGP session up',
      timeoutMs: 20_000,
    });
  });

  it('AGGREGATOR of 5 octets: attribute discard, the route is kept and passed on without it', async () => {
    exa.announce('10.0.0.0/24 next-hop 192.0.2.31 attribute [ 0x07 0xc0 0x0000006400 ]');
    const r = await speaker.waitFor(
      (s) => s.routes('ipv4').find((v) => v.prefix === '10.0.0.0/24'),
      {
        what: 'vrfleak keeps 10.0.0.0/24',
      },
    );
    expect(r.aggregator).toBeUndefined();
    // vrfleak saw the bad AGGREGATOR and discarded it (RFC 7606 §7.7), not a route without one.
    expect(events).toContainEqual(
      expect.objectContaining({
        event: 'malformed-update',
        peer: ip.exa,
        problems: [expect.objectContaining({ typeCode: 7, action: 'attribute-discard' })],
      }),
    );
    const rib = await waitUntil(
      () => g.globalRib('ipv4'),
      (t) => t['10.0.0.0/24'] !== undefined,
      { what: 'GoBGP receives 10.0.0.0/24 from vrfleak' },
    );
    expect(rib['10.0.0.0/24']?.[0]?.attrs.some((a) => a.type === 7)).toBe(false);
    expect(speaker.neighbor(ip.exa)?.state).toBe('Established');
  });

  it('MED of 5 octets on a re-announcement withdraws the earlier valid route (treat-as-withdraw)', async () => {
    exa.announce('20.0.0.0/24 next-hop 192.0.2.31 med 100');
    exa.announce('30.0.0.0/24 next-hop 192.0.2.31 med 100');
    await speaker.waitFor(
      (s) => ['20.0.0.0/24', '30.0.0.0/24'].every((p) => prefixes(s).includes(p)),
      {
        what: 'both valid routes in',
      },
    );
    exa.announce('30.0.0.0/24 next-hop 192.0.2.31 attribute [ 0x04 0x80 0x0000000064 ]');
    await speaker.waitFor((s) => !prefixes(s).includes('30.0.0.0/24'), {
      what: '30.0.0.0/24 withdrawn by the malformed re-announcement',
    });
    expect(prefixes(speaker)).toContain('20.0.0.0/24');
    expect(speaker.neighbor(ip.exa)?.state).toBe('Established');
    await waitUntil(
      () => g.globalRib('ipv4'),
      (t) => t['30.0.0.0/24'] === undefined && t['20.0.0.0/24'] !== undefined,
      { what: 'GoBGP follows: 30.0.0.0/24 gone, 20.0.0.0/24 kept' },
    );
    await speaker.stop();
  });
});
