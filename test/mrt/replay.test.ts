// Replay (issue 16): a dump's routes loaded into a fresh daemon as if a peer had sent them give
// the same tables (dump -> replay -> dump again: the same routes and attributes); a truncated or
// corrupt file is refused naming the record and offset, with nothing applied; clearReplay
// withdraws exactly what was replayed.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker, type DumpResult } from '../../src/api/library.js';
import { decodeMrtFile } from '../../src/wire/mrt/file.js';
import type { RibRecord } from '../../src/wire/mrt/types.js';

const N = '127.0.16.5';
const VRF = {
  rd: '65000:1',
  label: 110,
  'route-targets': { import: ['65000:77'], export: ['65000:100'] },
};

let a: Speaker;
let b: Speaker;
let dump: DumpResult;
const dir = mkdtempSync(join(tmpdir(), 'vrfleak-replay-'));

beforeAll(async () => {
  a = await Speaker.start({
    asn: 65000,
    'router-id': '10.0.0.1',
    vrfs: { CUST: { ...VRF, networks: ['10.1.5.0/24', '10.1.6.0/24'] } },
  });
  a.announce('ipv4', {
    prefix: '10.20.0.0/16',
    nextHop: '192.0.2.1',
    communities: ['65001:20'],
    med: 5,
  });
  a.announce('ipv6', { prefix: '2001:db8:20::/48', nextHop: '2001:db8::1', localPref: 200 });
  a.announce('vpnv4', {
    prefix: '10.77.0.0/24',
    rd: '65001:7',
    label: 700,
    nextHop: '192.0.2.7',
    routeTargets: ['65000:77'],
    communities: ['65001:77'],
  });
  a.announce('vpnv6', {
    prefix: '2001:db8:77::/48',
    rd: '65001:8',
    label: 800,
    nextHop: '2001:db8::7',
    routeTargets: ['65000:88'],
  });
  await a.waitFor((s) => s.vrfRoutes('CUST').length === 3, { what: 'the VRF table' });
  dump = a.dump({ directory: dir });
  // B: a VRF CUST that imports nothing (its table comes from the replay of A's CUST alone), and an
  // iBGP neighbor that never connects, to replay the global tables as.
  b = await Speaker.start({
    asn: 65000,
    'router-id': '10.0.0.9',
    neighbors: [
      { address: N, asn: 65000, families: ['ipv4', 'ipv6', 'vpnv4', 'vpnv6'], shutdown: true },
    ],
    vrfs: {
      CUST: { rd: '65000:2', 'route-targets': { import: ['65000:999'], export: ['65000:2'] } },
    },
  });
});

afterAll(async () => {
  await a?.stop();
  await b?.stop();
});

const file = (d: DumpResult, t: string) => d.tables.find((x) => x.table === t)!.file;

/** The routes of a dump file, without what says when and from whom (peer index, time). */
function routesOf(path: string): string[] {
  const r = decodeMrtFile(readFileSync(path));
  if (!r.ok) throw new Error(r.fault.reason);
  return r.records
    .filter((x): x is typeof x & { body: RibRecord } => x.body.kind === 'rib')
    .flatMap((x) =>
      x.body.entries.map((e) =>
        JSON.stringify([x.body.afi, x.body.safi, x.body.nlri, e.attributes]),
      ),
    )
    .sort();
}

describe('replay', () => {
  it('dump -> replay into a fresh daemon -> the same tables', async () => {
    const g = b.replay(file(dump, 'default'), { into: { neighbor: N } });
    expect(g).toMatchObject({ into: `neighbor ${N}`, routes: 2, announced: 2, refused: 0 });
    expect(b.replay(file(dump, 'vpn'), { into: { neighbor: N } })).toMatchObject({
      routes: 4,
      refused: 0,
    });
    const globals = b.dump({ directory: dir });
    expect(routesOf(file(globals, 'default'))).toEqual(routesOf(file(dump, 'default')));
    expect(routesOf(file(globals, 'vpn'))).toEqual(routesOf(file(dump, 'vpn')));
    // A VRF's table: its own networks and what it imported, replayed into B's CUST.
    const v = b.replay(file(dump, 'CUST'), { into: { vrf: 'CUST' } });
    expect(v).toMatchObject({ into: 'vrf CUST', routes: 3, announced: 3, refused: 0 });
    await b.waitFor((s) => s.vrfRoutes('CUST').length === 3, { what: "B's CUST" });
    const cust = b.dump({ directory: dir, table: 'CUST' });
    expect(routesOf(file(cust, 'CUST'))).toEqual(routesOf(file(dump, 'CUST')));
    // They appear as BGP routes from the neighbor they were replayed as.
    expect(b.routes('ipv4')[0]).toMatchObject({
      prefix: '10.20.0.0/16',
      source: 'bgp',
      peer: N,
      med: 5,
    });
  });

  it('clearReplay withdraws what was replayed into a target, and only that', async () => {
    expect(b.clearReplay({ neighbor: N })).toBe(6);
    await b.waitFor((s) => s.routes('ipv4').length === 0, { what: 'the withdrawal' });
    expect(b.routes('vpnv4').filter((r) => r.rd === '65001:7')).toEqual([]);
    // What was replayed into the VRF stays until its own clear.
    const cust = () => b.vrfRoutes('CUST').map((r) => r.prefix);
    expect(cust().sort()).toEqual(['10.1.5.0/24', '10.1.6.0/24', '10.77.0.0/24']);
    expect(b.clearReplay()).toBe(3);
    await b.waitFor(() => cust().length === 0, { what: 'the VRF emptied' });
  });

  it('a truncated file is refused naming the record and offset; nothing is applied', () => {
    const whole = readFileSync(file(dump, 'vpn'));
    const cut = join(dir, 'cut.mrt');
    writeFileSync(cut, whole.subarray(0, whole.length - 7));
    const before = b.routes('vpnv4').length;
    expect(() => b.replay(cut, { into: { neighbor: N } })).toThrow(
      /cut\.mrt: record 4 at offset \d+: truncated record .*; nothing was replayed/,
    );
    expect(b.routes('vpnv4').length).toBe(before);
  });

  it('a corrupt record is refused, though records before it parse; nothing is applied', () => {
    const whole = Buffer.from(readFileSync(file(dump, 'default')));
    const r = decodeMrtFile(whole);
    if (!r.ok) throw new Error('the dump parses');
    // The last record's first attribute gets a length past its entry.
    const table = readFileSync(file(dump, 'default'));
    let at = 0;
    for (let i = 0; i < r.records.length - 1; i++) at += 12 + table.readUInt32BE(at + 8);
    // Header 12, sequence 4, prefix (1 + 6 for a /48), entry count 2, peer 2, time 4, attr len 2, flags, type.
    whole[at + 12 + 4 + 7 + 2 + 8 + 2] = 250;
    const bad = join(dir, 'bad.mrt');
    writeFileSync(bad, whole);
    expect(() => b.replay(bad, { into: { neighbor: N } })).toThrow(
      new RegExp(
        `record ${r.records.length - 1} at offset ${at}: type 13, subtype 4: entry 0: attribute at octet 0: .*nothing was replayed`,
      ),
    );
    expect(b.routes('ipv4')).toEqual([]);
    expect(b.routes('ipv6')).toEqual([]);
  });

  it('routes a target cannot take are refused whole: VPN routes into a VRF', () => {
    expect(() => b.replay(file(dump, 'vpn'), { into: { vrf: 'CUST' } })).toThrow(
      /record 1: vpnv4 routes cannot go into vrf CUST \(it takes ipv4, ipv6\); nothing was replayed/,
    );
    expect(() => b.replay(file(dump, 'vpn'), { into: { vrf: 'NOPE' } })).toThrow(/no VRF NOPE/);
    expect(() => b.replay(join(dir, 'missing.mrt'), { into: { neighbor: N } })).toThrow(/ENOENT/);
  });
});

describe('add-path records', () => {
  it('two paths of one prefix in a file: replayed with path ids 0 and 1, the second dumped as RIB_IPV4_UNICAST_ADDPATH', async () => {
    // The default table file of A, with its 10.20.0.0/16 record holding its entry twice.
    const r = decodeMrtFile(readFileSync(file(dump, 'default')));
    if (!r.ok) throw new Error('the dump parses');
    const { encodeMrtRecord } = await import('../../src/wire/mrt/file.js');
    const doubled = r.records.map((x) =>
      x.body.kind === 'rib' && x.body.afi === 1
        ? { ...x, body: { ...x.body, entries: [x.body.entries[0]!, x.body.entries[0]!] } }
        : x,
    );
    const two = join(dir, 'two-paths.mrt');
    writeFileSync(two, Buffer.concat(doubled.map(encodeMrtRecord)));
    expect(b.replay(two, { into: { neighbor: N } })).toMatchObject({ routes: 3, announced: 3 });
    expect(
      b
        .routes('ipv4')
        .map((x) => x.pathId ?? 0)
        .sort(),
    ).toEqual([0, 1]);
    const again = decodeMrtFile(
      readFileSync(file(b.dump({ directory: dir, table: 'default' }), 'default')),
    );
    if (!again.ok) throw new Error('the dump parses');
    const ribs = again.records.flatMap((x) =>
      x.body.kind === 'rib' && x.body.afi === 1 ? [x.body] : [],
    );
    expect(ribs.map((x) => [x.addPath, x.entries.map((e) => e.pathId)])).toEqual([
      [false, [undefined]],
      [true, [1]],
    ]);
    b.clearReplay();
  });
});
