// Issue: sessions with real peers, "Bad input": a peer that sends garbage. Raw TCP clients of our
// own, each on its own loopback address and configured as a (passive) vrfleak neighbor, complete
// OPEN/KEEPALIVE by hand with the codec, then write one malformed message. Each must receive the
// NOTIFICATION the codec names for those bytes (read back from its own socket), its session must
// reset, and a GoBGP peer's session and routes (both ways) must be untouched. Malformed traffic
// goes only to vrfleak, never to gobgpd.

import { beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { WireError, type Notify } from '../../src/wire/errors.js';
import { Framer } from '../../src/wire/framer.js';
import { decodeMessage } from '../../src/wire/message.js';
import {
  assertPeersOrFail,
  startGobgp,
  waitFor,
  waitUntil,
  type GobgpHandle,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';
import { RawPeer } from './raw-peer.js';

const peers = assertPeersOrFail(['gobgpd']);

const RAW_AS = 65010;
const MARKER = 'ff'.repeat(16);

/** What the codec says about `bytes` on an established session: the NOTIFICATION it names. */
function codecVerdict(bytes: Buffer): Notify | undefined {
  try {
    const frames = new Framer().push(bytes);
    const d = decodeMessage(frames[0]!, DEFAULT_CONTEXT);
    return d.action === 'session-reset' ? d.notify : undefined;
  } catch (e) {
    return e instanceof WireError ? e.notify : undefined;
  }
}

/** Code, subcode and data as hex: Buffer and Uint8Array data compare alike. */
const plain = (n: Notify | undefined) =>
  n && { code: n.code, subcode: n.subcode, data: Buffer.from(n.data).toString('hex') };

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

const CASES: ReadonlyArray<{ name: string; bytes: Buffer; expected: Notify }> = [
  {
    // malformed-input case 1, RFC 4271 §6.1: Connection Not Synchronized (1/1), no data.
    name: 'a marker that is not all ones',
    bytes: hex(`${'ff'.repeat(15)}fe 0013 04`), // marker with one bit clear, length 19, KEEPALIVE
    expected: { code: 1, subcode: 1, data: new Uint8Array(0) },
  },
  {
    // malformed-input case 7, RFC 7606 §4: Malformed Attribute List (3/1), no data.
    name: 'an UPDATE whose withdrawn-routes length runs past the message',
    bytes: hex(
      `${MARKER} 0017 02` + // marker, length 23, UPDATE
        ' 0010' + // Withdrawn Routes Length 16 (none follow)
        ' 0000', // Total Path Attribute Length 0
    ),
    expected: { code: 3, subcode: 1, data: new Uint8Array(0) },
  },
  {
    // malformed-input case 3, RFC 4271 §6.1: Bad Message Type (1/3), data = the type octet.
    name: 'an unknown message type',
    bytes: hex(`${MARKER} 0013 09`), // marker, length 19, type 9
    expected: { code: 1, subcode: 3, data: Uint8Array.of(9) },
  },
];

describe.skipIf(peers.skip)(peers.title('a peer that sends garbage'), () => {
  const sc = useScenario(import.meta.url);
  let gobgp: GobgpHandle;
  let speaker: Speaker;
  let ip: { vrfleak: string; gobgp: string; raw: string[] };
  let gobgpUptime: unknown;

  const gobgpView = async () => {
    const n = (await gobgp.neighbors()).find((x) => x.conf.neighbor_address === ip.vrfleak);
    return { state: await gobgp.neighborState(ip.vrfleak), timers: n?.['timers'] };
  };

  beforeAll(async () => {
    ip = {
      vrfleak: sc.nextAddress(),
      gobgp: sc.nextAddress(),
      raw: CASES.map(() => sc.nextAddress()),
    };
    gobgp = await startGobgp({
      name: 'gobgp',
      parentDir: sc.dir,
      asn: 65001,
      routerId: ip.gobgp,
      address: ip.gobgp,
      neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
      vrfs: [{ name: 'V', rd: '65001:10', importRts: [], exportRts: ['65001:10'] }],
    });
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        { address: ip.gobgp, asn: 65001, 'connect-retry': 1 },
        ...ip.raw.map((a) => ({ address: a, asn: RAW_AS, passive: true, 'connect-retry': 1 })),
      ],
      vrfs: {
        A: {
          rd: '65000:1',
          'route-targets': { export: ['65000:1'] },
          label: 100,
          networks: [{ prefix: '10.0.1.0/24', 'next-hop': '192.0.2.10' }],
        },
      },
    });
    await gobgp.waitEstablished(ip.vrfleak);
    await gobgp.vrfRibAdd('V', '10.1.0.0/24', ['nexthop', '192.0.2.1']);
    await speaker.waitFor((s) => s.routes('vpnv4').some((r) => r.rd === '65001:10'), {
      what: 'vrfleak has the GoBGP route',
    });
    await waitUntil(
      () => gobgp.globalRib('vpnv4'),
      (r) => r['65000:1:10.0.1.0/24'] !== undefined,
      { what: 'GoBGP has the vrfleak route' },
    );
    gobgpUptime = (await gobgpView()).timers;
  });

  CASES.forEach((c, i) => {
    it(`garbage: ${c.name} gets NOTIFICATION ${c.expected.code}/${c.expected.subcode}`, async () => {
      // The codec agrees with the hand-written expectation for these bytes.
      expect(plain(codecVerdict(c.bytes))).toEqual(plain(c.expected));
      const addr = ip.raw[i]!;
      const raw = await RawPeer.establish(addr, ip.vrfleak, {
        asn: RAW_AS,
        bgpId: 0x0a000000 + i + 1,
        capabilities: [
          { kind: 'multiprotocol', afi: 1, safi: 128 },
          { kind: 'four-octet-as', asn: RAW_AS },
        ],
      });
      await speaker.waitFor((s) => s.neighbor(addr)?.state === 'Established', {
        what: `vrfleak sees the raw peer ${addr} Established`,
      });
      raw.write(c.bytes);
      const got = await waitFor(() => raw.notification(), {
        what: `a NOTIFICATION on the raw peer's socket (${c.name})`,
        timeoutMs: 5_000,
      });
      expect(plain(got)).toEqual(plain(c.expected));
      await waitFor(() => raw.closed, { what: 'vrfleak closes the connection', timeoutMs: 5_000 });
      const n = await speaker.waitFor(
        (s) => s.neighbor(addr)?.state !== 'Established' && s.neighbor(addr),
        {
          what: 'the raw session is no longer Established in vrfleak',
        },
      );
      expect(n.lastDown).toBeTruthy();
    });
  });

  it('the GoBGP session and routes are untouched, both ways', async () => {
    expect(speaker.neighbor(ip.gobgp)?.state).toBe('Established');
    expect(speaker.routes('vpnv4').filter((r) => r.rd === '65001:10')).toHaveLength(1);
    const v = await gobgpView();
    expect(v.state).toBe('established');
    // Same uptime/downtime stamps: the session never flapped.
    expect(v.timers).toMatchObject({ state: { uptime: expect.anything() } });
    expect(v.timers).toEqual(gobgpUptime);
    const rib = await gobgp.globalRib('vpnv4');
    expect(rib['65000:1:10.0.1.0/24']).toHaveLength(1);
    // vrfleak itself still works: a new GoBGP route gets through.
    await gobgp.vrfRibAdd('V', '10.1.1.0/24', ['nexthop', '192.0.2.1']);
    await speaker.waitFor((s) => s.routes('vpnv4').some((r) => r.prefix === '10.1.1.0/24'), {
      what: 'vrfleak still takes new routes from GoBGP',
    });
    await speaker.stop();
  });
});
