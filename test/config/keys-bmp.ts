// keys.test.ts entries for the `bmp` section: a Speaker with no sessions exports to collectors on
// loopback; each entry compares what a collector got (or the exporter's log) between two configs.

import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { createEventLog, type LogEvent } from '../../src/log/events.js';
import type { BmpMessage } from '../../src/wire/bmp.js';
import { decodeBmp, splitBmp } from '../../src/wire/bmp-decode.js';
import { refusedOnlyWith, type KeyCheck } from './keys-scenarios.js';

type Bmp = NonNullable<ConfigInput['bmp']>[number];

async function until<T>(probe: () => T, ms = 4000): Promise<T | undefined> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) return undefined;
    await new Promise((r) => setTimeout(r, 20));
  }
}

class Station {
  readonly messages: BmpMessage[] = [];
  /** The source address of each connection. */
  readonly sources: string[] = [];
  private readonly sockets: Socket[] = [];
  private readonly server: Server = createServer((s) => {
    this.sockets.push(s);
    this.sources.push(s.remoteAddress ?? '');
    s.on('error', () => {});
    let rest = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      const r = splitBmp(Buffer.concat([rest, d]));
      rest = Buffer.from(r.rest);
      for (const m of r.messages) this.messages.push(decodeBmp(m));
    });
  });
  port = 0;

  async listen(address = '127.0.0.1', port = 0): Promise<this> {
    await new Promise<void>((r) => this.server.listen(port, address, r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  get connections(): number {
    return this.sockets.length;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

const config = (bmp: Bmp[]): ConfigInput => ({
  asn: 65000,
  'router-id': '10.0.0.1',
  networks: ['10.0.0.0/24'],
  bmp,
});

/** Runs a Speaker on `c` with its log events, observes, stops. */
async function observing<T>(
  c: ConfigInput,
  observe: (sp: Speaker, events: LogEvent[]) => Promise<T>,
): Promise<T> {
  const events: LogEvent[] = [];
  const log = createEventLog({ level: 'silent' });
  log.subscribe((e) => events.push(e));
  const sp = await Speaker.start(c, { log });
  try {
    return await observe(sp, events);
  } finally {
    await sp.stop();
  }
}

/** The messages one collector got from a Speaker with `bmp` (the port filled in), up to the Termination a reload removing it sends. */
async function dump(bmp: Omit<Bmp, 'address' | 'port'>): Promise<string[]> {
  const st = await new Station().listen();
  try {
    const c = config([{ address: '127.0.0.1', port: st.port, ...bmp }]);
    return await observing(c, async (sp) => {
      await until(() => st.messages.length > 0);
      sp.reconfigure(config([]));
      await until(() => st.messages.some((m) => m.type === 'termination'));
      return st.messages.map((m) => `${m.type}${'peer' in m ? ` ${m.peer.type}` : ''}`);
    });
  } finally {
    await st.close();
  }
}

/** Which of two stations (`a`, `b`) got the Initiation. */
async function whichGot(a: Station, b: Station, c: ConfigInput): Promise<string> {
  a.messages.length = 0;
  b.messages.length = 0;
  return observing(c, async () => {
    // A Termination from the previous run may still arrive: only an Initiation counts.
    const init = (st: Station) => st.messages.some((m) => m.type === 'initiation');
    const got = await until(() => (init(a) ? 'a' : init(b) ? 'b' : undefined));
    return got ?? 'none';
  });
}

export const BMP_KEYS: Record<string, KeyCheck> = {
  bmp: async () => {
    const st = await new Station().listen();
    try {
      const got = await observing(config([{ address: '127.0.0.1', port: st.port }]), async () =>
        until(() => st.messages[0]?.type),
      );
      expect(got).toBe('initiation');
      const none = await observing(config([]), async (sp) => sp.daemon.bmp?.collectors.length);
      expect(none).toBe(0);
    } finally {
      await st.close();
    }
  },
  'bmp[].address': async () => {
    const a = await new Station().listen('127.0.0.1');
    const b = await new Station().listen('127.0.0.2', a.port);
    try {
      expect(await whichGot(a, b, config([{ address: '127.0.0.1', port: a.port }]))).toBe('a');
      expect(await whichGot(a, b, config([{ address: '127.0.0.2', port: a.port }]))).toBe('b');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  },
  'bmp[].port': async () => {
    const a = await new Station().listen();
    const b = await new Station().listen();
    try {
      expect(await whichGot(a, b, config([{ address: '127.0.0.1', port: a.port }]))).toBe('a');
      expect(await whichGot(a, b, config([{ address: '127.0.0.1', port: b.port }]))).toBe('b');
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  },
  'bmp[].local-address': async () => {
    const st = await new Station().listen();
    const source = (localAddress: string) => {
      st.sources.length = 0;
      return observing(
        config([{ address: '127.0.0.1', port: st.port, 'local-address': localAddress }]),
        async () => until(() => st.sources[0]),
      );
    };
    try {
      expect(await source('127.0.0.3')).toBe('127.0.0.3');
      expect(await source('127.0.0.4')).toBe('127.0.0.4');
    } finally {
      await st.close();
    }
  },
  'bmp[].route-monitoring': async () => {
    const loc = await dump({ 'route-monitoring': ['loc-rib'] });
    const post = await dump({ 'route-monitoring': ['post-policy'] });
    expect(loc).toContain('peer-up loc-rib');
    expect(loc).toContain('route-monitoring loc-rib');
    expect(post).toEqual(['initiation', 'termination']);
    refusedOnlyWith(
      config([{ address: '127.0.0.1', port: 1790, 'route-monitoring': ['loc-rib'] }]),
      config([{ address: '127.0.0.1', port: 1790, 'route-monitoring': ['adj-rib-out-pre'] }]),
      /adj-rib-out-pre is not built/,
    );
  },
  'bmp[].statistics-interval': async () => {
    const st = await new Station().listen();
    const stats = (interval: number) =>
      observing(
        config([{ address: '127.0.0.1', port: st.port, 'statistics-interval': interval }]),
        async () => {
          st.messages.length = 0;
          return (
            (await until(() => st.messages.some((m) => m.type === 'statistics'), 2500)) ?? false
          );
        },
      );
    try {
      expect(await stats(1)).toBe(true);
      expect(await stats(0)).toBe(false);
    } finally {
      await st.close();
    }
  },
  'bmp[].initial-delay': async () => {
    const st = await new Station().listen();
    const connected = (delay: number) =>
      observing(
        config([{ address: '127.0.0.1', port: st.port, 'initial-delay': delay }]),
        async (sp) => (await until(() => sp.daemon.bmp?.collectors[0]?.connected, 1500)) ?? false,
      );
    try {
      expect(await connected(0)).toBe(true);
      expect(await connected(60)).toBe(false);
    } finally {
      await st.close();
    }
  },
  'bmp[].backoff': async () => {
    const probe = await new Station().listen();
    const port = probe.port;
    await probe.close();
    const retry = (backoff: [number, number]) =>
      observing(config([{ address: '127.0.0.1', port, backoff }]), async (_, events) => {
        const e = await until(() => events.find((x) => x.event === 'bmp-down'));
        return e?.event === 'bmp-down' ? [e.reason, e.retryIn] : undefined;
      });
    expect(await retry([1, 60])).toEqual(['connect-failed', 1]);
    expect(await retry([7, 60])).toEqual(['connect-failed', 7]);
  },
  'bmp[].max-queue': async () => {
    // The bound itself is enforced by BmpCollector (test/session/bmp-collector.test.ts): here it
    // reaches the collector's connection as configured.
    const queue = (q: number) =>
      observing(
        config([{ address: '127.0.0.1', port: 1790, 'initial-delay': 60, 'max-queue': q }]),
        async (sp) => sp.daemon.bmp?.collectors[0]?.options.maxQueue,
      );
    expect(await queue(65536)).toBe(65536);
    expect(await queue(1 << 20)).toBe(1 << 20);
  },
  'bmp[].sys-name': async () => {
    const name = async (sysName: string) => {
      const st = await new Station().listen();
      try {
        return await observing(
          config([{ address: '127.0.0.1', port: st.port, 'sys-name': sysName }]),
          async () => {
            const m = await until(() => st.messages[0]);
            return m?.type === 'initiation'
              ? m.tlvs.filter((t) => t.type === 2).map((t) => Buffer.from(t.value).toString())
              : [];
          },
        );
      } finally {
        await st.close();
      }
    };
    expect(await name('pe-1')).toEqual(['pe-1']);
    expect(await name('pe-2')).toEqual(['pe-2']);
  },
};
