// One BMP collector connection on loopback: a collector that refuses is tried again with backoff,
// one that sends data is logged and kept, one that stops reading is dropped (vrfleak never
// waits for it), and stop() sends the last message before closing.

import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  BmpCollector,
  type CollectorDown,
  type CollectorOptions,
} from '../../src/session/bmp-collector.js';

const HOST = '127.0.0.1';

async function until<T>(probe: () => T, what: string, ms = 8000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Station {
  server: Server;
  port: number;
  sockets: Socket[];
  received: Buffer[];
}

async function station(port = 0, onConn?: (s: Socket) => void): Promise<Station> {
  const st: Station = { server: createServer(), port: 0, sockets: [], received: [] };
  st.server.on('connection', (s) => {
    st.sockets.push(s);
    s.on('error', () => {});
    s.on('data', (d) => st.received.push(d));
    onConn?.(s);
  });
  await new Promise<void>((r) => st.server.listen(port, HOST, r));
  st.port = (st.server.address() as { port: number }).port;
  return st;
}

async function close(st: Station): Promise<void> {
  for (const s of st.sockets) s.destroy();
  await new Promise((r) => st.server.close(r));
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function collector(opts: Partial<CollectorOptions> & { port: number }, first: Buffer[] = []) {
  const log = {
    downs: [] as { why: CollectorDown; retryIn: number | undefined }[],
    data: [] as number[],
    ups: 0,
  };
  const c = new BmpCollector(
    { address: HOST, initialDelay: 0, backoff: [1, 4], maxQueue: 65536, ...opts },
    {
      connected: () => {
        log.ups++;
        return first;
      },
      down: (why, retryIn) => log.downs.push({ why, retryIn }),
      unexpectedData: (n) => log.data.push(n),
    },
  );
  cleanups.push(() => c.stop());
  c.start();
  return { c, log };
}

describe('BmpCollector', () => {
  it('tries a collector that refuses again after the backoff, and sends the initial messages once it listens', async () => {
    const probe = await station();
    const port = probe.port;
    await close(probe);
    const { log } = collector({ port }, [Buffer.from('hello')]);
    const d = await until(() => log.downs[0], 'the refused connection');
    expect(d.why.kind).toBe('connect-failed');
    expect(d.retryIn).toBe(1);
    const st = await station(port);
    cleanups.push(() => close(st));
    await until(() => Buffer.concat(st.received).toString() === 'hello', 'the initial messages');
    expect(log.ups).toBe(1);
  });

  it('logs a collector that sends data once, discards it, and keeps sending to it', async () => {
    const st = await station(0, (s) => {
      s.write('abc');
      s.write('defg');
    });
    cleanups.push(() => close(st));
    const { c, log } = collector({ port: st.port });
    await until(() => c.connected, 'connected');
    await until(() => log.data.length > 0, 'the data noticed');
    c.send(Buffer.from('live'));
    await until(() => Buffer.concat(st.received).toString() === 'live', 'the live message');
    expect(log.data.length).toBe(1);
    expect(log.downs).toEqual([]);
  });

  it('drops a collector that stops reading once the queue passes the bound, and connects again', async () => {
    const st = await station(0, (s) => s.pause());
    cleanups.push(() => close(st));
    const { c, log } = collector({ port: st.port, maxQueue: 65536 });
    await until(() => c.connected, 'connected');
    const chunk = Buffer.alloc(64 * 1024);
    // Loopback buffers take a few MB before the socket's own queue grows: send up to 16 MB.
    for (let i = 0; i < 256 && c.connected; i++) c.send(chunk);
    expect(c.connected).toBe(false);
    const d = log.downs[0]!;
    expect(d.why).toMatchObject({ kind: 'not-reading', limit: 65536 });
    expect(d.why.kind === 'not-reading' && d.why.queued).toBeGreaterThan(65536);
    expect(d.retryIn).toBe(1);
    await until(() => st.sockets.length === 2, 'the next connection');
  });

  it('sends the last message on stop, closes, and does not connect again', async () => {
    let ended = false;
    const st = await station(0, (s) => s.on('end', () => (ended = true)));
    cleanups.push(() => close(st));
    const { c, log } = collector({ port: st.port });
    await until(() => c.connected, 'connected');
    c.stop(Buffer.from('bye'));
    await until(() => ended, 'the end of the connection');
    expect(Buffer.concat(st.received).toString()).toBe('bye');
    expect(log.downs).toEqual([{ why: { kind: 'stopped' }, retryIn: undefined }]);
  });
});
