// One interop test file's world: its loopback block, its state dir
// (<interop tmp root>/<id>/run-XXXXXX/), and the teardown that stops every
// process the harness started and removes the dir on success or keeps it (and says where) on
// failure. Free of vitest so the benchmark runner can use it too.

import { rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { allocateBlock, type AddressBlock } from './addresses.js';
import { interopTmpRoot, makeStateDir, removeDir, stopAll } from './procs.js';

export interface Scenario {
  readonly id: string;
  /** The scenario's state dir; pass it as `parentDir` to the start functions. */
  readonly dir: string;
  /** Allocated on first use, so a skipped file claims nothing. */
  readonly addresses: AddressBlock;
  /** The next free address of the scenario's block. */
  nextAddress(): string;
  /** A fresh subdirectory for anything else the test writes (captures, configs). */
  subdir(name: string): string;
  readonly failed: boolean;
  markFailed(): void;
  /** Stops every started process, releases the block, removes or keeps the dir. */
  finish(): Promise<{ kept: boolean; dir: string }>;
}

export function createScenario(id: string, opts: { root?: string } = {}): Scenario {
  const safeId = id.replace(/[^A-Za-z0-9_.-]/g, '_');
  let dir: string | undefined;
  let block: AddressBlock | undefined;
  let failed = false;
  const getDir = (): string => {
    // A run dir of its own: two runs of the same file (two developers, or a rerun while a
    // kept failure is being read) never touch each other's files.
    dir ??= makeStateDir('run', join(opts.root ?? interopTmpRoot(), safeId));
    return dir;
  };
  const getBlock = (): AddressBlock => (block ??= allocateBlock(safeId));
  return {
    id: safeId,
    get dir() {
      return getDir();
    },
    get addresses() {
      return getBlock();
    },
    nextAddress: () => getBlock().next(),
    subdir: (name) => makeStateDir(name, getDir()),
    get failed() {
      return failed;
    },
    markFailed: () => {
      failed = true;
    },
    finish: async () => {
      await stopAll();
      block?.release();
      if (dir === undefined) return { kept: false, dir: '' };
      if (failed) {
        process.stderr.write(`interop: ${safeId} failed; state and logs kept in ${dir}\n`);
        return { kept: true, dir };
      }
      removeDir(dir);
      try {
        // The file's dir goes too once no run dir is left in it.
        rmdirSync(dirname(dir));
      } catch {
        // other runs' dirs (kept failures) are still there
      }
      return { kept: false, dir };
    },
  };
}
