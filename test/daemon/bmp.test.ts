// The BMP exporter end to end on loopback: vrfleak (A) with a VPN neighbor (B) and a PE-CE
// neighbor (C) in VRF CUST, three real sessions, and a collector that decodes what A sends: Peer
// Up with both OPENs, the peer types and distinguishers, pre-policy and post-policy Adj-RIB-In,
// Adj-RIB-Out, per-table Loc-RIB with the table name, End-of-RIB, statistics, Peer Down with the
// NOTIFICATION; and a collector added and removed by reload (initial dump, Termination).

import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { BmpMessage } from '../../src/wire/bmp.js';
import { decodeBmp, splitBmp } from '../../src/wire/bmp-decode.js';
import { DEFAULT_CONTEXT } from '../../src/wire/context.js';
import { decodeMessage } from '../../src/wire/message.js';
import { prefixToText, vpnNlriToText } from '../../src/wire/nlri/text.js';
import { rdToText } from '../../src/wire/rd.js';
import type { Nlri } from '../../src/wire/types.js';
import { labelValue } from '../../src/wire/nlri/labeled.js';

const A = '127.0.0.41';
const B = '127.0.0.42';
const C = '127.0.0.43';

async function until<T>(probe: () => T, what: string, ms = 15000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A collector: every BMP message decoded, in order. */
class Collector {
  readonly server: Server = createServer((s) => this.take(s));
  readonly messages: BmpMessage[] = [];
  readonly sockets: Socket[] = [];
  ended = false;
  port = 0;

  async listen(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  private take(s: Socket): void {
    this.sockets.push(s);
    let rest = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      const r = splitBmp(Buffer.concat([rest, d]));
      rest = Buffer.from(r.rest);
      for (const m of r.messages) this.messages.push(decodeBmp(m));
    });
    s.on('end', () => (this.ended = true));
    s.on('error', () => {});
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

function text(n: Nlri): string {
  if (n.kind === 'vpn') return `${vpnNlriToText(n)} label ${n.labels.map(labelValue).join('/')}`;
  if (n.kind === 'prefix') return prefixToText(n.prefix);
  return n.kind;
}

/** What one Route Monitoring message says: announced and withdrawn routes, LOCAL_PREF, End-of-RIB. */
function routes(m: BmpMessage) {
  if (m.type !== 'route-monitoring') return undefined;
  const u = decodeMessage(Buffer.from(m.update), DEFAULT_CONTEXT).message;
  if (u.type !== 'update') throw new Error('not an UPDATE');
  const reach = u.attributes.find((a) => a.kind === 'mp-reach');
  const unreach = u.attributes.find((a) => a.kind === 'mp-unreach');
  const lp = u.attributes.find((a) => a.kind === 'local-pref');
  const announced = [...u.nlri, ...(reach?.kind === 'mp-reach' ? reach.nlri : [])].map(text);
  const withdrawn = [...u.withdrawn, ...(unreach?.kind === 'mp-unreach' ? unreach.nlri : [])].map(
    text,
  );
  const eor = announced.length === 0 && withdrawn.length === 0 && u.attributes.length <= 1;
  return {
    peer: m.peer,
    announced,
    withdrawn,
    eor,
    localPref: lp?.kind === 'local-pref' ? lp.value : undefined,
  };
}

const peerTag = (m: { peer: { type: string; address: string; flags: object } }) =>
  `${m.peer.type} ${m.peer.address} ${JSON.stringify(m.peer.flags)}`;

let a: Speaker;
let b: Speaker;
let c: Speaker;
const col = new Collector();
const late = new Collector();

function configA(collectors: number[]) {
  return {
    asn: 65000,
    'router-id': '10.0.0.41',
    listen: { address: A, port: 0 },
    neighbors: [
      {
        address: B,
        asn: 65001,
        families: ['vpnv4' as const],
        passive: true,
        'soft-reconfiguration': 'inbound' as const,
        'route-map-in': 'LP',
      },
      { address: C, asn: 65003, families: ['ipv4' as const], passive: true, vrf: 'CUST' },
    ],
    policy: {
      'route-maps': {
        LP: [{ seq: 10, action: 'permit' as const, set: { 'local-preference': 200 } }],
      },
    },
    vrfs: {
      CUST: {
        rd: '65000:10',
        label: 1000,
        'route-targets': { import: ['65001:1'], export: ['65000:10'] },
      },
    },
    bmp: collectors.map((port) => ({
      address: '127.0.0.1',
      port,
      'statistics-interval': 1,
      'sys-name': 'pe-a',
    })),
  };
}

beforeAll(async () => {
  await col.listen();
  await late.listen();
  a = await Speaker.start(configA([col.port]));
  const port = a.daemon.listenPort!;
  b = await Speaker.start({
    asn: 65001,
    'router-id': '10.0.0.42',
    neighbors: [{ address: A, port, asn: 65000, families: ['vpnv4'], 'local-address': B }],
    vrfs: {
      V1: {
        rd: '65001:1',
        label: 2001,
        'route-targets': { import: ['65001:9'], export: ['65001:1'] },
        networks: ['10.9.0.0/24'],
      },
    },
  });
  c = await Speaker.start({
    asn: 65003,
    'router-id': '10.0.0.43',
    neighbors: [{ address: A, port, asn: 65000, families: ['ipv4'], 'local-address': C }],
    networks: ['10.43.0.0/24'],
  });
}, 30000);

afterAll(async () => {
  await Promise.all([b?.stop(), c?.stop()]);
  await a?.stop();
  await col.close();
  await late.close();
});

describe('BMP exporter', () => {
  it('starts with an Initiation naming the system', async () => {
    await until(() => col.messages.length > 0, 'the first message');
    const m = col.messages[0]!;
    expect(m.type).toBe('initiation');
    if (m.type !== 'initiation') return;
    const byType = new Map(m.tlvs.map((t) => [t.type, Buffer.from(t.value).toString()]));
    expect(byType.get(2)).toBe('pe-a');
    expect(byType.get(1)).toMatch(/vrfleak/);
  });

  it('sends Peer Up with both OPENs as on the wire: a global instance peer and an RD instance peer', async () => {
    const ups = await until(() => {
      const l = col.messages.filter((m) => m.type === 'peer-up' && m.peer.type !== 'loc-rib');
      return l.length >= 2 ? l : undefined;
    }, 'two Peer Ups');
    const byAddr = new Map(ups.map((m) => [m.type === 'peer-up' ? m.peer.address : '', m]));
    const upB = byAddr.get(B)!;
    const upC = byAddr.get(C)!;
    if (upB.type !== 'peer-up' || upC.type !== 'peer-up') throw new Error('not peer-up');
    expect(upB.peer).toMatchObject({ type: 'global', asn: 65001, bgpId: 0x0a00002a });
    expect(rdToText(upB.peer.distinguisher)).toBe('0:0');
    expect(upB.localAddress).toBe(A);
    expect(upB.localPort).toBe(a.daemon.listenPort);
    const sent = decodeMessage(Buffer.from(upB.sentOpen), DEFAULT_CONTEXT).message;
    const received = decodeMessage(Buffer.from(upB.receivedOpen), DEFAULT_CONTEXT).message;
    expect(sent).toMatchObject({ type: 'open', myAs: 65000, bgpId: 0x0a000029 });
    expect(received).toMatchObject({ type: 'open', myAs: 65001, bgpId: 0x0a00002a });
    expect(upC.peer.type).toBe('rd');
    expect(rdToText(upC.peer.distinguisher)).toBe('65000:10');
    expect(upC.tlvs.map((t) => Buffer.from(t.value).toString())).toEqual(['CUST']);
  });

  it('monitors B pre-policy (as received) and post-policy (route-map-in set LOCAL_PREF 200)', async () => {
    const vpn = '65001:1:10.9.0.0/24 label 2001';
    const pre = await until(
      () =>
        col.messages
          .map(routes)
          .find(
            (r) => r?.peer.address === B && !r.peer.flags.postPolicy && r.announced.includes(vpn),
          ),
      'pre-policy',
    );
    expect(pre.localPref).toBeUndefined();
    const post = await until(
      () =>
        col.messages
          .map(routes)
          .find(
            (r) =>
              r?.peer.address === B &&
              r.peer.flags.postPolicy &&
              !r.peer.flags.adjRibOut &&
              r.announced.includes(vpn),
          ),
      'post-policy',
    );
    expect(post.localPref).toBe(200);
  });

  it('monitors what C was sent (Adj-RIB-Out, RFC 8671) and each Loc-RIB with its table name (RFC 9069)', async () => {
    await until(
      () =>
        col.messages
          .map(routes)
          .find(
            (r) =>
              r?.peer.address === C &&
              r.peer.flags.adjRibOut &&
              r.announced.includes('10.9.0.0/24'),
          ),
      'Adj-RIB-Out of C',
    );
    const locUps = await until(() => {
      const l = col.messages.filter((m) => m.type === 'peer-up' && m.peer.type === 'loc-rib');
      return l.length >= 2 ? l : undefined;
    }, 'Loc-RIB Peer Ups');
    const names = locUps.map((m) =>
      m.type === 'peer-up' ? Buffer.from(m.tlvs[0]!.value).toString() : '',
    );
    expect(names.sort()).toEqual(['CUST', 'default']);
    const cust = locUps.find(
      (m) => m.type === 'peer-up' && Buffer.from(m.tlvs[0]!.value).toString() === 'CUST',
    )!;
    expect(rdToText(cust.type === 'peer-up' ? cust.peer.distinguisher : { hi: 0, lo: 0 })).toBe(
      '65000:10',
    );
    const inCust = () =>
      col.messages
        .map(routes)
        .filter((r) => r?.peer.type === 'loc-rib' && rdToText(r.peer.distinguisher) === '65000:10')
        .flatMap((r) => r!.announced);
    await until(
      () => inCust().includes('10.9.0.0/24') && inCust().includes('10.43.0.0/24'),
      'CUST Loc-RIB',
    );
    await until(
      () =>
        col.messages
          .map(routes)
          .some(
            (r) =>
              r?.peer.type === 'loc-rib' &&
              r.announced.includes('65000:10:10.43.0.0/24 label 1000'),
          ),
      'the exported route in the default Loc-RIB',
    );
  });

  it('reports statistics on the interval', async () => {
    const s = await until(
      () => col.messages.find((m) => m.type === 'statistics' && m.peer.address === B),
      'a Statistics Report',
    );
    if (s.type !== 'statistics') return;
    expect(s.stats.find((x) => x.type === 7)).toMatchObject({ kind: 'gauge', value: 1n });
  });

  it('gives a collector added by reload the whole state, with End-of-RIB, and a removed one a Termination', async () => {
    a.reconfigure(configA([late.port]));
    await until(() => col.ended, 'the first collector closed');
    const last = col.messages[col.messages.length - 1]!;
    expect(last.type).toBe('termination');
    const eors = () =>
      late.messages
        .map(routes)
        .filter((r) => r?.eor)
        .map((r) => peerTag(r!));
    await until(() => eors().length >= 6, 'End-of-RIB markers');
    expect(eors()).toEqual(
      expect.arrayContaining([
        `global ${B} {"postPolicy":false,"legacyAsPath":false,"adjRibOut":false}`,
        `global ${B} {"postPolicy":true,"legacyAsPath":false,"adjRibOut":false}`,
        `rd ${C} {"postPolicy":true,"legacyAsPath":false,"adjRibOut":true}`,
        'loc-rib 0.0.0.0 {"filtered":false}',
      ]),
    );
    const types = late.messages.map((m) => m.type);
    expect(types[0]).toBe('initiation');
    expect(types.lastIndexOf('peer-up')).toBeLessThan(types.indexOf('route-monitoring'));
  });

  it('sends Peer Down with the NOTIFICATION the peer sent (reason 3) when C stops', async () => {
    await c.stop();
    const down = await until(
      () => late.messages.find((m) => m.type === 'peer-down' && m.peer.address === C),
      'Peer Down',
    );
    if (down.type !== 'peer-down') return;
    expect(down.reason.kind).toBe('remote-notification');
    if (down.reason.kind !== 'remote-notification') return;
    const n = decodeMessage(Buffer.from(down.reason.notification), DEFAULT_CONTEXT).message;
    expect(n).toMatchObject({ type: 'notification', code: 6, subcode: 2 });
  });
});
