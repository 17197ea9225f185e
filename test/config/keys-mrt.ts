// keys.test.ts entries for the `mrt` block (src/config/schema-mrt.ts): each key shown by what a
// daemon started with it writes (a table dump, a message log and its rotation).

import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import { Speaker } from '../../src/api/library.js';
import type { ConfigInput } from '../../src/config/schema.js';
import { base, PEER, type KeyCheck } from './keys-scenarios.js';

type Mrt = NonNullable<ConfigInput['mrt']>;

const tmp = () => mkdtempSync(join(tmpdir(), 'vrfleak-keys-mrt-'));

/** A daemon with `mrt` (no sessions: the neighbor is shut down), observed, stopped. */
async function withMrt<T>(mrt: Mrt, observe: (s: Speaker) => T | Promise<T>): Promise<T> {
  const s = await Speaker.start(
    base({ neighbors: [{ address: PEER, asn: 65001, shutdown: true }], mrt }),
  );
  try {
    return await observe(s);
  } finally {
    await s.stop();
  }
}

/** A KEEPALIVE of `len` octets' worth (a message is what the log records, whatever it is). */
const frame = (len = 19) => {
  const b = Buffer.alloc(len, 0);
  b.fill(0xff, 0, 16);
  b.writeUInt16BE(len, 16);
  b[18] = 4;
  return b;
};

/** The message log files of PEER after `n` messages the session's tap reported. */
function logged(s: Speaker, dir: string, n = 1, len = 19): string[] {
  const p = s.daemon.peers.get(PEER)!;
  for (let i = 0; i < n; i++) {
    s.daemon.mrt.message(p.opts, 'received', frame(len), { localAddress: '', addPath: false });
  }
  const d = join(dir, 'messages', PEER);
  return existsSync(d) ? readdirSync(d) : [];
}

const tableDirs = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('tables-'));

export const MRT_KEYS: Record<string, KeyCheck> = {
  mrt: 'container',
  'mrt.directory': async () => {
    const [a, b] = [tmp(), tmp()];
    expect(await withMrt({ directory: a }, (s) => s.dump().directory.startsWith(a))).toBe(true);
    expect(await withMrt({ directory: b }, (s) => s.dump().directory.startsWith(b))).toBe(true);
  },
  'mrt.dump-interval': async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const dumps = (interval: number) => {
      const dir = tmp();
      return withMrt({ directory: dir, 'dump-interval': interval }, () => {
        vi.advanceTimersByTime(2500);
        return tableDirs(dir).length;
      });
    };
    expect([await dumps(0), await dumps(1)]).toEqual([0, 2]);
  },
  'mrt.messages': async () => {
    const [a, b] = [tmp(), tmp()];
    expect(await withMrt({ directory: a }, (s) => logged(s, a))).toHaveLength(0);
    expect(
      await withMrt({ directory: b, messages: { neighbors: 'all' } }, (s) => logged(s, b)),
    ).toHaveLength(1);
  },
  'mrt.messages.neighbors': async () => {
    const [a, b] = [tmp(), tmp()];
    const other = { directory: a, messages: { neighbors: ['127.0.0.99'] } };
    expect(await withMrt(other, (s) => logged(s, a))).toHaveLength(0);
    const peer = { directory: b, messages: { neighbors: [PEER] } };
    expect(await withMrt(peer, (s) => logged(s, b))).toHaveLength(1);
  },
  'mrt.messages.rotate-interval': async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const files = (interval: number) => {
      const dir = tmp();
      const m = { directory: dir, messages: { neighbors: [PEER], 'rotate-interval': interval } };
      return withMrt(m, (s) => {
        logged(s, dir);
        vi.setSystemTime(Date.now() + 5000);
        return logged(s, dir).length;
      });
    };
    expect([await files(900), await files(2)]).toEqual([1, 2]);
  },
  'mrt.messages.rotate-size': async () => {
    const files = (size: number | undefined) => {
      const dir = tmp();
      const messages = { neighbors: [PEER], ...(size ? { 'rotate-size': size } : {}) };
      // Three records of 4096 + 31 octets (BGP4MP header and body around the message).
      return withMrt({ directory: dir, messages }, (s) => logged(s, dir, 3, 4096).length);
    };
    expect([await files(undefined), await files(9000)]).toEqual([1, 2]);
  },
};
