// vrfleak's MRT files read by an independent reader, mrtparse (Debian python3-mrtparse, through
// Debian's /usr/bin/python3): a table dump (default table, VPN tables, a VRF) and a BGP4MP message
// log, field by field against vrfleak's own tables. Two speakers on loopback: P (AS 65001) sends
// routes to A (AS 65000), which dumps and logs.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker, type DumpResult } from '../../src/api/library.js';

const PY = '/usr/bin/python3';
const READER = join(import.meta.dirname, 'read-mrt.py');
const A = '127.0.16.1';
const P = '127.0.16.2';
const PORT = 1796;

type Rec = Record<string, unknown> & {
  type: number;
  subtype: number;
  err: number | null;
  entries?: Entry[];
};
interface Entry {
  peer_index: number;
  org_time: number;
  path_id: number | null;
  attrs: Record<string, unknown>;
}

function mrtparse(...files: string[]): Rec[] {
  const out = execFileSync(PY, [READER, ...files], { encoding: 'utf8' });
  return out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Rec);
}

const haveMrtparse =
  existsSync(PY) &&
  (() => {
    try {
      execFileSync(PY, ['-c', 'import mrtparse']);
      return true;
    } catch {
      return false;
    }
  })();

let a: Speaker;
let p: Speaker;
let dir: string;
let dump: DumpResult;
const t0 = Math.floor(Date.now() / 1000);

beforeAll(async () => {
  if (!haveMrtparse && process.env['CI'] === 'true') {
    throw new Error('mrtparse is missing: .ci/run installs python3-mrtparse');
  }
  dir = mkdtempSync(join(tmpdir(), 'vrfleak-mrt-'));
  p = await Speaker.start({
    asn: 65001,
    'router-id': '10.0.0.2',
    listen: { address: P, port: PORT },
    neighbors: [
      { address: A, asn: 65000, port: PORT, families: ['vpnv4', 'ipv4'], 'local-address': P },
    ],
  });
  a = await Speaker.start({
    asn: 65000,
    'router-id': '10.0.0.1',
    listen: { address: A, port: PORT },
    neighbors: [
      { address: P, asn: 65001, families: ['vpnv4', 'ipv4'], passive: true, 'local-address': A },
    ],
    vrfs: {
      CUST: {
        rd: '65000:1',
        label: 110,
        'route-targets': { import: ['65000:77'], export: ['65000:100'] },
        networks: ['10.1.5.0/24'],
      },
    },
    mrt: { directory: dir, messages: { neighbors: [P] } },
  });
  await a.waitFor((s) => s.neighbor(P)?.state === 'Established', { what: 'the session' });
  p.announce('ipv4', { prefix: '10.20.0.0/16', communities: ['65001:20'], med: 5 });
  p.announce('vpnv4', {
    prefix: '10.77.0.0/24',
    rd: '65001:7',
    label: 700,
    routeTargets: ['65000:77'],
    communities: ['65001:77'],
  });
  await a.waitFor((s) => s.vrfRoutes('CUST').some((r) => r.prefix === '10.77.0.0/24'), {
    what: 'the VPN route imported into CUST',
  });
  await a.waitFor((s) => s.routes('ipv4').some((r) => r.prefix === '10.20.0.0/16'), {
    what: 'the IPv4 route',
  });
  dump = a.dump();
}, 30_000);

afterAll(async () => {
  await a?.stop();
  await p?.stop();
});

const file = (table: string) => dump.tables.find((t) => t.table === table)!.file;

describe.runIf(haveMrtparse || process.env['CI'] === 'true')('mrtparse reads', () => {
  it('one file per table, each with a peer index table naming it', () => {
    expect(dump.tables.map((t) => [t.table, t.viewName])).toEqual([
      ['default', 'default'],
      ['vpn', 'vpn'],
      ['CUST', 'vrf:CUST'],
    ]);
    const tables = mrtparse(...dump.tables.map((t) => t.file)).filter((r) => r.subtype === 1);
    expect(tables.map((r) => r['view'])).toEqual(['default', 'vpn', 'vrf:CUST']);
    for (const t of tables) {
      expect(t['collector']).toBe('10.0.0.1');
      // Entry 0 is vrfleak itself; P is the peer its routes came from.
      expect((t['peers'] as unknown[])[0]).toEqual({
        bgp_id: '10.0.0.1',
        ip: '0.0.0.0',
        asn: '65000',
      });
    }
  });

  it('the default table: RIB_IPV4_UNICAST with prefix, peer, time, AS path, next hop, MED, communities', () => {
    const recs = mrtparse(file('default'));
    expect(recs.every((r) => r.err === null)).toBe(true);
    const [table, rib] = recs;
    expect(table!['peers']).toEqual([
      { bgp_id: '10.0.0.1', ip: '0.0.0.0', asn: '65000' },
      { bgp_id: '10.0.0.2', ip: P, asn: '65001' },
    ]);
    expect(rib).toMatchObject({ type: 13, subtype: 2, seq: 0, prefix: '10.20.0.0', plen: 16 });
    const e = rib!.entries![0]!;
    expect(e.peer_index).toBe(1);
    expect(e.org_time).toBeGreaterThanOrEqual(t0);
    expect(e.org_time).toBeLessThanOrEqual(dump.time);
    expect(e.path_id).toBeNull();
    expect(e.attrs).toMatchObject({
      origin: 0,
      as_path: [[2, ['65001']]],
      next_hop: P,
      med: 5,
      communities: ['65001:20'],
    });
  });

  it('the VPN tables: RIB_GENERIC 1/128 with RD, label, next hop, route targets', () => {
    const recs = mrtparse(file('vpn'));
    expect(recs.every((r) => r.err === null)).toBe(true);
    const ribs = recs.filter((r) => r.subtype === 6);
    const byRd = new Map(ribs.map((r) => [(r['nlri'] as { rd: string }[])[0]!.rd, r]));
    // P's route, as received: RD 65001:7, label 700 (raw entry 700 << 4 | BoS).
    const fromP = byRd.get('65001:7')!;
    expect(fromP).toMatchObject({ afi: 1, safi: 128 });
    expect(fromP['nlri']).toEqual([
      {
        prefix: '10.77.0.0',
        plen: 24 + 64 + 24,
        rd: '65001:7',
        labels: [(700 << 4) | 1],
        path_id: null,
      },
    ]);
    const e = fromP.entries![0]!;
    expect(e.peer_index).toBe(1);
    expect(e.attrs).toMatchObject({
      as_path: [[2, ['65001']]],
      communities: ['65001:77'],
      // RT 65000:77: type 0x00 (2-octet AS), subtype 0x02, 65000, 77.
      ext_communities: ['0002fde80000004d'],
      mp_reach: { nlen: 12, rd: '0:0', next_hop: [P] },
    });
    // CUST's own network exported: RD 65000:1, label 110, RT 65000:100, from vrfleak (peer 0).
    const own = byRd.get('65000:1')!;
    expect(own['nlri']).toEqual([
      { prefix: '10.1.5.0', plen: 112, rd: '65000:1', labels: [(110 << 4) | 1], path_id: null },
    ]);
    expect(own.entries![0]).toMatchObject({
      peer_index: 0,
      attrs: { as_path: [], ext_communities: ['0002fde800000064'] },
    });
  });

  it('a VRF: RIB_IPV4_UNICAST of its own and imported routes', () => {
    const recs = mrtparse(file('CUST'));
    const prefixes = recs.filter((r) => r.subtype === 2).map((r) => `${r['prefix']}/${r['plen']}`);
    expect(prefixes.sort()).toEqual(['10.1.5.0/24', '10.77.0.0/24']);
    const imported = recs.find((r) => r['prefix'] === '10.77.0.0')!;
    expect(imported.entries![0]).toMatchObject({
      peer_index: 1,
      attrs: { as_path: [[2, ['65001']]], next_hop: P, ext_communities: ['0002fde80000004d'] },
    });
  });

  it('the BGP4MP message log: BGP4MP_MESSAGE_AS4 received from P, _AS4_LOCAL sent to it', () => {
    const logDir = join(dir, 'messages', P);
    const files = readdirSync(logDir).map((f) => join(logDir, f));
    expect(files).toHaveLength(1);
    const recs = mrtparse(...files);
    expect(recs.every((r) => r.err === null)).toBe(true);
    const received = recs.filter((r) => r.subtype === 4);
    const sent = recs.filter((r) => r.subtype === 7);
    expect(received[0]).toMatchObject({
      type: 16,
      peer_as: '65001',
      local_as: '65000',
      peer_ip: P,
      local_ip: A,
      msg_type: 1,
    });
    expect(sent[0]).toMatchObject({
      peer_as: '65001',
      local_as: '65000',
      peer_ip: P,
      local_ip: A,
      msg_type: 1,
    });
    // P's VPN UPDATE as received: the full MP_REACH_NLRI, next hop RD 0 + P, label and RD.
    const vpn = received.find(
      (r) => (r['attrs'] as { mp_reach?: { safi: number } } | undefined)?.mp_reach?.safi === 128,
    )!;
    expect(vpn['attrs']).toMatchObject({
      mp_reach: {
        afi: 1,
        safi: 128,
        rd: '0:0',
        next_hop: [P],
        nlri: [{ prefix: '10.77.0.0', rd: '65001:7', labels: [(700 << 4) | 1] }],
      },
      ext_communities: ['0002fde80000004d'],
    });
    const v4 = received.find((r) => (r['nlri'] as unknown[] | undefined)?.length)!;
    expect(v4['nlri']).toEqual([
      { prefix: '10.20.0.0', plen: 16, rd: null, labels: null, path_id: null },
    ]);
  });
});
