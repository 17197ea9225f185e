// Issue 16 point 1: vrfleak's BMP export read by two independent decoders. GoBGP feeds vrfleak
// real routes: a PE (VPNv4 from its VRF RED) and a CE (IPv4, bound to vrfleak's VRF CUST). pmacct's
// pmbmpd collects on a loopback address and logs JSON; dumpcap captures the same TCP stream and
// tshark's BMP dissector reads it field by field. Both must show the peers with their types and
// distinguishers, the routes with RDs and labels in each stream, the statistics, Peer Down and
// the Termination.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import {
  assertPeersOrFail,
  spawnManaged,
  startGobgp,
  waitFor,
  type GobgpHandle,
  type ManagedProcess,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd', 'pmbmpd', 'tshark']);
const run = promisify(execFile);
const BMP_PORT = 1790;

type Json = Record<string, unknown>;

describe.skipIf(peers.skip)(peers.title('BMP to pmbmpd and tshark, GoBGP feeding vrfleak'), () => {
  const sc = useScenario(import.meta.url);
  let ip: { vrfleak: string; pe: string; ce: string; collector: string };
  let pe: GobgpHandle;
  let ce: GobgpHandle;
  let speaker: Speaker;
  let pmbmpd: ManagedProcess;
  let capture: ManagedProcess;
  let dir: string;

  /** pmbmpd's msglog, one JSON object per line. */
  const msglog = (): Json[] => {
    const file = join(dir, 'msglog.json');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Json);
  };
  const logged = (what: string, probe: (l: Json[]) => Json | undefined) =>
    waitFor(async () => probe(msglog()), { what: `pmbmpd logged ${what}`, timeoutMs: 20_000 });

  beforeAll(async () => {
    ip = {
      vrfleak: sc.nextAddress(),
      pe: sc.nextAddress(),
      ce: sc.nextAddress(),
      collector: sc.nextAddress(),
    };
    dir = sc.subdir('bmp');
    const pcap = join(dir, 'bmp.pcapng');
    capture = spawnManaged({
      name: 'dumpcap',
      command: 'dumpcap',
      args: ['-i', 'lo', '-f', `host ${ip.collector} and tcp port ${BMP_PORT}`, '-w', pcap],
      logPath: join(dir, 'dumpcap.log'),
    });
    writeFileSync(
      join(dir, 'pmbmpd.conf'),
      [
        `bmp_daemon_ip: ${ip.collector}`,
        `bmp_daemon_port: ${BMP_PORT}`,
        `bmp_daemon_msglog_file: ${join(dir, 'msglog.json')}`,
        'bmp_daemon_msglog_output: json',
        `logfile: ${join(dir, 'pmbmpd.log')}`,
        `pidfile: ${join(dir, 'pmbmpd.pid')}`,
        '',
      ].join('\n'),
    );
    pmbmpd = spawnManaged({
      name: 'pmbmpd',
      command: 'pmbmpd',
      args: ['-f', join(dir, 'pmbmpd.conf')],
      logPath: join(dir, 'pmbmpd.out'),
    });
    await waitFor(
      async () => {
        const log = (f: string) =>
          existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '';
        return (
          log('pmbmpd.log').includes('waiting for BMP data') &&
          log('dumpcap.log').includes('Capturing on')
        );
      },
      { what: 'pmbmpd listening and dumpcap capturing', timeoutMs: 10_000 },
    );
    [pe, ce] = await Promise.all([
      startGobgp({
        name: 'gobgp-pe',
        parentDir: sc.dir,
        asn: 65001,
        routerId: ip.pe,
        address: ip.pe,
        neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['vpnv4'] }],
      }),
      startGobgp({
        name: 'gobgp-ce',
        parentDir: sc.dir,
        asn: 65003,
        routerId: ip.ce,
        address: ip.ce,
        neighbors: [{ address: ip.vrfleak, asn: 65000, families: ['ipv4'] }],
      }),
    ]);
    await pe.vrfAdd({
      name: 'RED',
      rd: '65001:10',
      importRts: ['65001:10'],
      exportRts: ['65001:10'],
    });
    await pe.vrfRibAdd('RED', '10.66.1.0/24', ['nexthop', '192.0.2.1']);
    await ce.globalRibAdd('ipv4', '10.43.0.0/24', ['nexthop', '192.0.2.43']);
    speaker = await Speaker.start({
      asn: 65000,
      'router-id': ip.vrfleak,
      listen: { address: ip.vrfleak, port: 179 },
      neighbors: [
        {
          address: ip.pe,
          asn: 65001,
          families: ['vpnv4'],
          'connect-retry': 1,
          'soft-reconfiguration': 'inbound',
          'route-map-in': 'LP',
          'next-hop-address': '192.0.2.50',
        },
        { address: ip.ce, asn: 65003, families: ['ipv4'], 'connect-retry': 1, vrf: 'CUST' },
      ],
      policy: {
        'route-maps': { LP: [{ seq: 10, action: 'permit', set: { 'local-preference': 200 } }] },
      },
      vrfs: {
        CUST: {
          rd: '65000:10',
          label: 1000,
          'route-targets': { import: ['65001:10'], export: ['65000:10'] },
        },
      },
      bmp: [
        {
          address: ip.collector,
          port: BMP_PORT,
          'statistics-interval': 2,
          'sys-name': 'vrfleak-pe',
        },
      ],
    });
    await Promise.all([pe.waitEstablished(ip.vrfleak), ce.waitEstablished(ip.vrfleak)]);
  }, 60_000);

  afterAll(async () => {
    await speaker?.stop();
    await Promise.all([pe?.stop(), ce?.stop(), pmbmpd?.stop()]);
    await capture?.stop();
  });

  it('pmbmpd shows the Initiation and each peer with its type and distinguisher', async () => {
    await logged('the Initiation', (l) =>
      l.find((m) => m['bmp_msg_type'] === 'init' && m['bmp_init_info_sysname'] === 'vrfleak-pe'),
    );
    const up = (pred: (m: Json) => boolean) =>
      logged('a Peer Up', (l) => l.find((m) => m['bmp_msg_type'] === 'peer_up' && pred(m)));
    expect(await up((m) => m['peer_ip'] === ip.pe)).toMatchObject({
      peer_type: 0,
      peer_asn: 65001,
      local_ip: ip.vrfleak,
    });
    expect(await up((m) => m['peer_ip'] === ip.ce)).toMatchObject({
      peer_type: 1,
      peer_type_str: 'RD Instance Peer',
      rd: '0:65000:10',
    });
    expect(await up((m) => m['is_loc'] === 1 && m['rd'] === '0:65000:10')).toMatchObject({
      peer_type: 3,
      peer_ip: '0.0.0.0',
    });
    expect(await up((m) => m['is_loc'] === 1 && m['rd'] === undefined)).toMatchObject({
      peer_type: 3,
      bgp_id: ip.vrfleak,
    });
  });

  it('pmbmpd shows the routes in every stream with their RDs and labels', async () => {
    const route = (what: string, pred: (m: Json) => boolean) =>
      logged(what, (l) =>
        l.find(
          (m) => m['bmp_msg_type'] === 'route_monitor' && m['log_type'] === 'update' && pred(m),
        ),
      );
    const fromPe = (m: Json) => m['peer_ip'] === ip.pe && m['ip_prefix'] === '10.66.1.0/24';
    const pre = await route('pre-policy', (m) => fromPe(m) && m['is_post'] === 0);
    expect(pre).toMatchObject({ afi: 1, safi: 128, rd: '0:65001:10', is_in: 1 });
    expect(pre['label']).toMatch(/^\d+$/);
    expect(pre['local_pref']).toBeUndefined();
    const post = await route(
      'post-policy',
      (m) => fromPe(m) && m['is_post'] === 1 && m['is_out'] === undefined,
    );
    expect(post).toMatchObject({ rd: '0:65001:10', local_pref: 200, label: pre['label'] });
    // Leaked into CUST, sent to the CE (Adj-RIB-Out of an RD instance peer) and in CUST's Loc-RIB.
    expect(
      await route(
        'Adj-RIB-Out to the CE',
        (m) => m['peer_ip'] === ip.ce && m['is_out'] === 1 && m['ip_prefix'] === '10.66.1.0/24',
      ),
    ).toMatchObject({ rd: '0:65000:10', safi: 1 });
    expect(
      await route(
        'CUST Loc-RIB',
        (m) => m['is_loc'] === 1 && m['rd'] === '0:65000:10' && m['ip_prefix'] === '10.66.1.0/24',
      ),
    ).toMatchObject({ local_pref: 200 });
    // The CE's route, exported with CUST's RD and label, in the default Loc-RIB and sent to the PE.
    expect(
      await route(
        'the exported route',
        (m) => m['is_loc'] === 1 && m['ip_prefix'] === '10.43.0.0/24' && m['safi'] === 128,
      ),
    ).toMatchObject({ rd: '0:65000:10', label: '1000' });
    expect(
      await route(
        'Adj-RIB-Out to the PE',
        (m) => m['peer_ip'] === ip.pe && m['is_out'] === 1 && m['ip_prefix'] === '10.43.0.0/24',
      ),
    ).toMatchObject({ rd: '0:65000:10', label: '1000' });
  });

  it('pmbmpd shows Statistics Reports, then Peer Down and the Termination', async () => {
    await logged('Adj-RIB-In statistics', (l) =>
      l.find(
        (m) =>
          m['bmp_msg_type'] === 'stats' &&
          m['peer_ip'] === ip.pe &&
          m['counter_type'] === 7 &&
          m['counter_value'] === 1,
      ),
    );
    await ce.stop();
    const down = await logged('Peer Down', (l) =>
      l.find((m) => m['bmp_msg_type'] === 'peer_down' && m['peer_ip'] === ip.ce),
    );
    // GoBGP stopping sends a Cease: reason 3, the remote system closed with a NOTIFICATION.
    expect(down).toMatchObject({ peer_type: 1, rd: '0:65000:10', reason_type: 3 });
    await speaker.stop();
    await logged('the Termination', (l) => l.find((m) => m['bmp_msg_type'] === 'term'));
  });

  it('tshark decodes the captured stream field by field', async () => {
    // The capture delivers packets in blocks: stop it once the Termination is in the file.
    const pcap = join(dir, 'bmp.pcapng');
    await waitFor(
      async () => {
        const args = ['-r', pcap, '-d', `tcp.port==${BMP_PORT},bmp`, '-Y', 'bmp.type == 5'];
        const r = await run('tshark', args).catch(() => ({ stdout: '' }));
        return r.stdout.trim() !== '' ? true : undefined;
      },
      { what: 'the Termination in the capture', timeoutMs: 20_000 },
    );
    await capture.stop();
    const { stdout } = await run(
      'tshark',
      // Repeated keys (one per path attribute) as arrays, not the last one only.
      [
        '-r',
        pcap,
        '-d',
        `tcp.port==${BMP_PORT},bmp`,
        '-Y',
        'bmp',
        '-T',
        'json',
        '--no-duplicate-keys',
      ],
      { maxBuffer: 64 << 20 },
    );
    writeFileSync(join(dir, 'tshark.json'), stdout);
    // One row per BMP message (a TCP segment may carry several): its fields and those of the BGP
    // PDU inside it, first value of each.
    type Row = Record<string, string>;
    const flatten = (o: unknown, out: Row): Row => {
      if (Array.isArray(o)) for (const x of o) flatten(x, out);
      else if (o && typeof o === 'object')
        for (const [k, v] of Object.entries(o)) {
          if (typeof v === 'string') out[k] ??= v;
          else flatten(v, out);
        }
      return out;
    };
    const packets = JSON.parse(stdout) as { _source: { layers: { bmp: unknown } } }[];
    const rows = packets.flatMap((p) => {
      const b = p._source.layers.bmp;
      return (Array.isArray(b) ? b : [b]).map((m) => flatten(m, {}));
    });
    const find = (want: Row) =>
      rows.find((r) => Object.entries(want).every(([k, v]) => r[k] === v));
    const CUST_RD = '00:00:fd:e8:00:00:00:0a'; // type 0, 65000:10
    // Initiation (4) first; Peer Up (3) of each kind of peer with its distinguisher.
    expect(rows[0]?.['bmp.type']).toBe('4');
    expect(
      find({ 'bmp.type': '3', 'bmp.peer.type': '0', 'bmp.peer.ip.addr': ip.pe }),
    ).toMatchObject({
      'bmp.peer.distinguisher': '00:00:00:00:00:00:00:00',
    });
    expect(
      find({ 'bmp.type': '3', 'bmp.peer.type': '1', 'bmp.peer.ip.addr': ip.ce }),
    ).toMatchObject({
      'bmp.peer.distinguisher': CUST_RD,
    });
    expect(
      find({ 'bmp.type': '3', 'bmp.peer.type': '3', 'bmp.peer.distinguisher': CUST_RD }),
    ).toBeDefined();
    // Route Monitoring (0): PE's VPN route pre-policy (L clear), post-policy with LOCAL_PREF 200.
    const vpn = {
      'bmp.type': '0',
      'bmp.peer.ip.addr': ip.pe,
      'bgp.rd': '65001:10',
      'bgp.mp_reach_nlri_ipv4_prefix': '10.66.1.0',
    };
    const pre = find({ ...vpn, 'bmp.peer.flags.post_policy': '0' });
    expect(pre).toBeDefined();
    expect(pre?.['bgp.update.path_attribute.local_pref']).toBeUndefined();
    expect(
      find({ ...vpn, 'bmp.peer.flags.post_policy': '1', 'bmp.peer.flags.adj_rib_out': '0' }),
    ).toMatchObject({
      'bgp.update.path_attribute.local_pref': '200',
    });
    // The CE's route: post-policy of the RD instance peer; exported with CUST's RD in the Loc-RIB.
    expect(
      find({ 'bmp.type': '0', 'bmp.peer.type': '1', 'bgp.nlri_prefix': '10.43.0.0' }),
    ).toMatchObject({
      'bmp.peer.distinguisher': CUST_RD,
      'bmp.peer.flags.post_policy': '1',
    });
    expect(
      find({
        'bmp.type': '0',
        'bmp.peer.type': '3',
        'bgp.rd': '65000:10',
        'bgp.mp_reach_nlri_ipv4_prefix': '10.43.0.0',
      }),
    ).toMatchObject({
      'bgp.label_stack': '1000 (bottom)',
      'bgp.update.path_attribute.local_pref': '100',
    });
    // Statistics (1), Peer Down (2) of the CE with reason 3, Termination (5) last.
    expect(find({ 'bmp.type': '1', 'bmp.peer.ip.addr': ip.pe })).toBeDefined();
    expect(find({ 'bmp.type': '2', 'bmp.peer.ip.addr': ip.ce })?.['bmp.peer.down.reason']).toBe(
      '3',
    );
    expect(rows[rows.length - 1]?.['bmp.type']).toBe('5');
  });
});
