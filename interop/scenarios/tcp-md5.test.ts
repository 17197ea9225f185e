// Issue 15, TCP-MD5 (RFC 2385) against FRR (`neighbor X password`) and GoBGP (`auth-password`):
// with the same key a session comes up whichever side connects; with a wrong key, or none on one
// side, the kernel drops the segments silently, there is no session, vrfleak's log says what that
// means, and every other session stays up. A password changed by a reload resets that session
// only, and the listener takes the new key (FRR connects to it with the new key).

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import {
  assertPeersOrFail,
  startFrr,
  startGobgp,
  waitFor,
  type FrrHandle,
  type GobgpHandle,
} from '../harness/index.js';
import { useScenario } from '../harness/vitest.js';

const peers = assertPeersOrFail(['gobgpd', 'bgpd']);
const IPV4: 'ipv4'[] = ['ipv4'];

/** The kernel's TCP extension counter (this network namespace). */
function tcpExt(name: string): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const i = lines.findIndex((l) => l.startsWith('TcpExt:'));
  const keys = lines[i]!.split(/\s+/);
  return Number(lines[i + 1]!.split(/\s+/)[keys.indexOf(name)]);
}

describe.skipIf(peers.skip)(peers.title('TCP-MD5 with FRR and GoBGP'), () => {
  const sc = useScenario(import.meta.url);
  const events: LogEvent[] = [];
  let speaker: Speaker;
  let v: string;
  /** f1/g1: passive, vrfleak connects; f2/g2: they connect; f3: wrong key; g3: no key. */
  const ip: Record<'f1' | 'f2' | 'f3' | 'g1' | 'g2' | 'g3', string> = {
    f1: '',
    f2: '',
    f3: '',
    g1: '',
    g2: '',
    g3: '',
  };
  let frr: Record<'f1' | 'f2' | 'f3', FrrHandle>;
  let gobgp: Record<'g1' | 'g2' | 'g3', GobgpHandle>;
  const good = () => [ip.f1, ip.f2, ip.g1, ip.g2];

  const neighbors = (f2Key: string) => [
    { address: ip.f1, asn: 65001, families: IPV4, password: 'frr-one', 'connect-retry': 1 },
    { address: ip.f2, asn: 65002, families: IPV4, password: f2Key, passive: true },
    { address: ip.f3, asn: 65003, families: IPV4, password: 'right', 'connect-retry': 1 },
    { address: ip.g1, asn: 65011, families: IPV4, password: 'gobgp-one', 'connect-retry': 1 },
    { address: ip.g2, asn: 65012, families: IPV4, password: 'gobgp-two', passive: true },
    { address: ip.g3, asn: 65013, families: IPV4, password: 'unshared', 'connect-retry': 1 },
  ];
  const config = (f2Key: string) => ({
    asn: 65000,
    'router-id': v,
    listen: { address: v, port: 179 },
    neighbors: neighbors(f2Key),
  });

  const frrPeer = (name: 'f1' | 'f2' | 'f3', asn: number, key: string, passive: boolean) =>
    startFrr({
      name,
      parentDir: sc.dir,
      address: ip[name],
      bgp: {
        asn,
        routerId: ip[name],
        neighbors: [
          {
            address: v,
            asn: 65000,
            families: ['ipv4'],
            passive,
            extra: [`neighbor ${v} password ${key}`],
          },
        ],
      },
    });
  const gobgpPeer = (name: 'g1' | 'g2' | 'g3', asn: number, key: string | undefined) =>
    startGobgp({
      name,
      parentDir: sc.dir,
      asn,
      routerId: ip[name],
      address: ip[name],
      neighbors: [
        {
          address: v,
          asn: 65000,
          families: ['ipv4'],
          passive: name === 'g1',
          ...(key !== undefined ? { authPassword: key } : {}),
        },
      ],
    });

  const downs = (peer: string) =>
    events.filter((e) => e.event === 'session-down' && e.peer === peer).length;
  const unanswered = (peer: string) =>
    events.find((e) => e.event === 'connect-unanswered' && e.peer === peer);

  beforeAll(async () => {
    v = sc.nextAddress();
    for (const k of Object.keys(ip) as (keyof typeof ip)[]) ip[k] = sc.nextAddress();
    const log = createEventLog({ level: 'silent' });
    log.subscribe((e) => events.push(e));
    speaker = await Speaker.start(config('frr-two'), { log });
    const [f1, f2, f3, g1, g2, g3] = await Promise.all([
      frrPeer('f1', 65001, 'frr-one', true),
      frrPeer('f2', 65002, 'frr-two', false),
      frrPeer('f3', 65003, 'wrong', false),
      gobgpPeer('g1', 65011, 'gobgp-one'),
      gobgpPeer('g2', 65012, 'gobgp-two'),
      gobgpPeer('g3', 65013, undefined),
    ]);
    frr = { f1: f1!, f2: f2!, f3: f3! };
    gobgp = { g1: g1!, g2: g2!, g3: g3! };
  }, 60_000);

  afterAll(async () => {
    await speaker?.stop();
  });

  it('with the same key, FRR and GoBGP sessions come up whichever side connects', async () => {
    await Promise.all([
      frr.f1.waitEstablished(v, 20_000),
      frr.f2.waitEstablished(v, 20_000),
      gobgp.g1.waitEstablished(v, 20_000),
      gobgp.g2.waitEstablished(v, 20_000),
    ]);
    // Who opened each connection: FRR's own view of its ports (179 is the listening side).
    const f1 = await frr.f1.json<Record<string, { portLocal?: number; portForeign?: number }>>(
      `show bgp neighbors ${v} json`,
    );
    const f2 = await frr.f2.json<Record<string, { portLocal?: number; portForeign?: number }>>(
      `show bgp neighbors ${v} json`,
    );
    expect(f1[v]?.portLocal).toBe(179); // vrfleak connected to FRR
    expect(f2[v]?.portForeign).toBe(179); // FRR connected to vrfleak's listener
    for (const a of good()) expect(speaker.neighbor(a)?.state).toBe('Established');
  });

  it('a wrong key at FRR: no session, and vrfleak says a password is configured', async () => {
    const failures = tcpExt('TCPMD5Failure');
    await waitFor(() => unanswered(ip.f3), {
      what: `a connect-unanswered event for ${ip.f3}`,
      timeoutMs: 15_000,
    });
    expect(unanswered(ip.f3)).toMatchObject({
      reason: expect.stringMatching(/TCP-MD5 password is configured.*same password/),
    });
    // FRR keeps connecting to our listener too: the kernel drops its wrongly signed SYNs.
    await waitFor(() => tcpExt('TCPMD5Failure') > failures, {
      what: 'the kernel to count a segment with a wrong MD5 signature',
      timeoutMs: 15_000,
    });
    expect(await frr.f3.neighborState(v)).not.toBe('Established');
    expect(speaker.neighbor(ip.f3)?.state).not.toBe('Established');
  });

  it('no key at GoBGP: no session, and vrfleak says why', async () => {
    await waitFor(() => unanswered(ip.g3), {
      what: `a connect-unanswered event for ${ip.g3}`,
      timeoutMs: 15_000,
    });
    expect(await gobgp.g3.neighborState(v)).not.toBe('established');
    expect(speaker.neighbor(ip.g3)?.state).not.toBe('Established');
  });

  it('every good session stayed up meanwhile', () => {
    for (const a of good()) {
      expect(speaker.neighbor(a)?.state).toBe('Established');
      expect(downs(a)).toBe(0);
    }
  });

  it('a reload with a new key resets that session only; FRR comes back with the new key', async () => {
    speaker.reconfigure(config('frr-two-rotated'));
    await waitFor(() => downs(ip.f2) > 0, { what: `${ip.f2} reset by the reload` });
    // FRR still signs with the old key: the listener's new key drops its SYNs.
    await frr.f2.configure([`router bgp 65002`, `neighbor ${v} password frr-two-rotated`]);
    await frr.f2.waitEstablished(v, 20_000);
    await speaker.waitFor((s) => s.neighbor(ip.f2)?.state === 'Established', {
      what: `${ip.f2} Established again`,
      timeoutMs: 20_000,
    });
    for (const a of [ip.f1, ip.g1, ip.g2]) {
      expect(speaker.neighbor(a)?.state).toBe('Established');
      expect(downs(a)).toBe(0);
    }
  });
});
