// Loopback addresses and TCP ports for one test file. Every address in 127.0.0.0/8 is local, so
// each router gets its own address and binds port 179 on it. Parallel vitest workers must never
// pick the same addresses: each file claims a whole 127.<block>.0.0/16 with a lock file named
// after the block (created with O_EXCL, holding the owner's pid), starting from a hash of the
// file's id so a file usually gets the same block from run to run.

import { createHash } from 'node:crypto';
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

// 127.0.x.x and 127.1.x.x are left alone (127.0.0.1 carries the gRPC and other API ports).
const FIRST_BLOCK = 16;
const LAST_BLOCK = 254;
const LOCK_DIR = join(tmpdir(), 'vrfleak-interop-blocks');

export interface AddressBlock {
  readonly id: string;
  readonly block: number;
  /** The n-th address of the block (n >= 1): 127.<block>.<n div 250>.<n mod 250 + 1>. */
  address(n: number): string;
  /** The next unused address of the block. */
  next(): string;
  /** Gives the block back (also done at process exit). */
  release(): void;
}

const held = new Set<string>();
process.once('exit', () => {
  for (const path of held) rmSync(path, { force: true });
});

/** Derives a stable id from a test file path or URL (`import.meta.url` works). */
export function idFromFile(fileOrUrl: string): string {
  return basename(fileOrUrl.replace(/^file:\/\//, '')).replace(/\.(test|spec)\.[cm]?[jt]s$/, '');
}

export function allocateBlock(id: string): AddressBlock {
  mkdirSync(LOCK_DIR, { recursive: true });
  const span = LAST_BLOCK - FIRST_BLOCK + 1;
  const start = createHash('sha256').update(id).digest().readUInt32BE(0) % span;
  for (let i = 0; i < span; i++) {
    const block = FIRST_BLOCK + ((start + i) % span);
    const lock = join(LOCK_DIR, String(block));
    if (tryLock(lock)) return makeBlock(id, block, lock);
  }
  throw new Error(`no free loopback block left in ${LOCK_DIR} (is something leaking lock files?)`);
}

function tryLock(path: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      held.add(path);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (ownerAlive(path)) return false;
      // The owner died without cleaning up: take the block over.
      rmSync(path, { force: true });
    }
  }
  return false;
}

function ownerAlive(path: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function makeBlock(id: string, block: number, lock: string): AddressBlock {
  let counter = 0;
  const address = (n: number): string => {
    if (!Number.isInteger(n) || n < 1 || n > 250 * 250) throw new RangeError(`address index ${n}`);
    const k = n - 1;
    return `127.${block}.${Math.floor(k / 250)}.${(k % 250) + 1}`;
  };
  return {
    id,
    block,
    address,
    next: () => address(++counter),
    release: () => {
      if (held.delete(lock)) rmSync(lock, { force: true });
    },
  };
}

/**
 * A TCP port that was free a moment ago on `host`: binds port 0 and reads back what the kernel
 * chose. Someone else may take it before the caller binds it; starters retry on a bind failure.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr !== null && typeof addr === 'object') resolve(addr.port);
        else reject(new Error(`could not read back a free port on ${host}`));
      });
    });
  });
}
