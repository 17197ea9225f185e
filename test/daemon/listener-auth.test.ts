// TCP-MD5 and GTSM on real loopback sockets: the listener's per-neighbor keys (src/daemon/listener.ts)
// against connections opened by src/session/transport.ts. A refused connection is proven by the
// kernel's own counter of dropped segments (TcpExt TCPMD5*), then by the listener never accepting.

import { readFileSync } from 'node:fs';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Listener } from '../../src/daemon/listener.js';
import { silentLog, type LogEvent } from '../../src/log/events.js';
import { connectTo, type TransportSecurity } from '../../src/session/transport.js';

/** The kernel's TCP extension counters of this network namespace. */
function tcpExt(name: string): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const i = lines.findIndex((l) => l.startsWith('TcpExt:'));
  const keys = lines[i]!.split(/\s+/);
  const values = lines[i + 1]!.split(/\s+/);
  return Number(values[keys.indexOf(name)]);
}

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const opened: net.Socket[] = [];
const listeners: Listener[] = [];

afterEach(async () => {
  for (const s of opened.splice(0)) s.destroy();
  for (const l of listeners.splice(0)) await l.close();
});

/** A listener on `address` whose only neighbor is `peer`; the connections it handed over. */
async function listenFor(address: string, peer: string, sec: TransportSecurity | undefined) {
  const accepted: net.Socket[] = [];
  const events: LogEvent[] = [];
  const log = silentLog();
  log.subscribe((e) => events.push(e));
  const acceptor = {
    accept: (s: net.Socket) => {
      accepted.push(s);
      opened.push(s);
      return true;
    },
  };
  const l = new Listener((remote) => (remote === peer ? acceptor : undefined), log);
  listeners.push(l);
  l.setSecurity(peer, sec);
  await l.listen(address, 0);
  return { l, port: l.port!, accepted, events };
}

function dial(host: string, port: number, localAddress: string, sec?: TransportSecurity) {
  const s = connectTo({ peerAddress: host, port, localAddress, ...(sec ? { security: sec } : {}) });
  if (s instanceof Error) throw s;
  s.on('error', () => undefined);
  opened.push(s);
  return s;
}

const key = (text: string) => ({ md5Key: Buffer.from(text) });

describe('TCP-MD5 on the listener and on our connections', () => {
  it('connects with the same key on both sides (IPv4)', async () => {
    const srv = await listenFor('127.61.0.1', '127.61.0.2', key('s3cret'));
    dial('127.61.0.1', srv.port, '127.61.0.2', key('s3cret'));
    await until('the accept', () => srv.accepted.length === 1);
  });

  it('connects with the same key over IPv6', async () => {
    const srv = await listenFor('::1', '::1', key('v6-key'));
    dial('::1', srv.port, '::1', key('v6-key'));
    await until('the accept', () => srv.accepted.length === 1);
  });

  it('drops a SYN signed with another key (TCPMD5Failure) and accepts nothing', async () => {
    const srv = await listenFor('127.61.0.3', '127.61.0.4', key('right'));
    const before = tcpExt('TCPMD5Failure');
    dial('127.61.0.3', srv.port, '127.61.0.4', key('wrong'));
    await until('the kernel to drop the SYN', () => tcpExt('TCPMD5Failure') > before);
    expect(srv.accepted).toEqual([]);
  });

  it('drops an unsigned SYN when a key is set (TCPMD5NotFound)', async () => {
    const srv = await listenFor('127.61.0.5', '127.61.0.6', key('right'));
    const before = tcpExt('TCPMD5NotFound');
    dial('127.61.0.5', srv.port, '127.61.0.6');
    await until('the kernel to drop the SYN', () => tcpExt('TCPMD5NotFound') > before);
    expect(srv.accepted).toEqual([]);
  });

  it('forgets a removed key: a signed SYN is then unexpected, an unsigned one accepted', async () => {
    const srv = await listenFor('127.61.0.7', '127.61.0.8', key('old'));
    srv.l.setSecurity('127.61.0.8', undefined);
    const before = tcpExt('TCPMD5Unexpected');
    dial('127.61.0.7', srv.port, '127.61.0.8', key('old'));
    await until('the kernel to drop the SYN', () => tcpExt('TCPMD5Unexpected') > before);
    dial('127.61.0.7', srv.port, '127.61.0.8');
    await until('the accept', () => srv.accepted.length === 1);
  });

  it('takes a changed key at once', async () => {
    const srv = await listenFor('127.61.0.9', '127.61.0.10', key('one'));
    srv.l.setSecurity('127.61.0.10', key('two'));
    dial('127.61.0.9', srv.port, '127.61.0.10', key('two'));
    await until('the accept', () => srv.accepted.length === 1);
  });
});

describe('GTSM on the listener', () => {
  it('accepts a peer that sends with TTL 255 and refuses one that does not, saying why', async () => {
    const srv = await listenFor('127.61.0.11', '127.61.0.12', { gtsmHops: 1 });
    dial('127.61.0.11', srv.port, '127.61.0.12', { gtsmHops: 1 });
    await until('the accept', () => srv.accepted.length === 1);
    // Without GTSM the SYN leaves with the default TTL (64): on loopback that is "further away".
    dial('127.61.0.11', srv.port, '127.61.0.12');
    await until('the refusal', () => srv.events.some((e) => e.event === 'connection-refused'));
    expect(srv.accepted.length).toBe(1);
    const refusal = srv.events.find((e) => e.event === 'connection-refused');
    expect(refusal).toMatchObject({ remote: '127.61.0.12' });
    expect(JSON.stringify(refusal)).toMatch(/ttl-security hops 1 needs TTL at least 255.*with 64/);
  });

  it('over IPv6 likewise: hop limit 255 accepted, the default hop limit refused', async () => {
    const srv = await listenFor('::1', '::1', { gtsmHops: 1 });
    dial('::1', srv.port, '::1', { gtsmHops: 1 });
    await until('the accept', () => srv.accepted.length === 1);
    dial('::1', srv.port, '::1');
    await until('the refusal', () => srv.events.some((e) => e.event === 'connection-refused'));
    expect(srv.accepted.length).toBe(1);
    expect(JSON.stringify(srv.events)).toMatch(/needs TTL at least 255.*with 64/);
  });

  it('our connection requires TTL 255 of the answer: a listener without GTSM is not reached', async () => {
    // Its SYN-ACK leaves with TTL 64, below the IP_MINTTL of 255 on our socket.
    const srv = await listenFor('127.61.0.13', '127.61.0.14', undefined);
    const before = tcpExt('TCPMinTTLDrop');
    const s = dial('127.61.0.13', srv.port, '127.61.0.14', { gtsmHops: 1 });
    let connected = false;
    s.once('connect', () => (connected = true));
    await until('the kernel to drop the SYN-ACK', () => tcpExt('TCPMinTTLDrop') > before);
    expect(connected).toBe(false);
  });
});
