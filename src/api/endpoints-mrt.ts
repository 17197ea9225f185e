// The API's MRT endpoints (RFC 6396; README "MRT"): table dumps, replay of a dump into a neighbor
// or a VRF, and clearing what was replayed. The CLI's `dump`, `replay` and `clear replay` call these.

import { isAbsolute } from 'node:path';
import type { Daemon } from '../daemon/daemon.js';
import { MrtUnavailable, type DumpResult } from '../daemon/mrt.js';
import { ReplayError, type ReplayInto, type ReplayResult } from '../daemon/replay.js';
import { objectBody, type Endpoint, type Req } from './endpoint.js';
import { ApiError, type ApiService } from './service.js';

/** `{neighbor: ADDR}` or `{vrf: NAME}` from a body or query; undefined when neither is there. */
export function replayInto(o: Record<string, unknown>): ReplayInto | undefined {
  const n = o['neighbor'];
  const v = o['vrf'];
  if (n !== undefined && v !== undefined) throw new ApiError(400, 'give neighbor or vrf, not both');
  if (typeof n === 'string' && n) return { neighbor: n };
  if (typeof v === 'string' && v) return { vrf: v };
  if (n !== undefined || v !== undefined) throw new ApiError(400, 'neighbor and vrf are names');
  return undefined;
}

/** A dump of every table (or `table`) into `directory` (default: mrt.directory). */
export function dumpTables(d: Daemon, directory?: string, table?: string): DumpResult {
  if (directory !== undefined && !isAbsolute(directory)) {
    throw new ApiError(400, `directory must be an absolute path, not ${directory}`);
  }
  try {
    return d.mrt.dump(directory, table);
  } catch (e) {
    if (e instanceof MrtUnavailable) throw new ApiError(409, e.message);
    throw new ApiError(500, `dump failed: ${(e as Error).message}`);
  }
}

/** Replays a table dump; a bad file or target is a 400 and changes nothing. */
export function replayFile(d: Daemon, file: string, into: ReplayInto): ReplayResult {
  if (!isAbsolute(file)) throw new ApiError(400, `file must be an absolute path, not ${file}`);
  try {
    return d.mrt.replays.replay(file, into);
  } catch (e) {
    if (e instanceof ReplayError) throw new ApiError(400, e.message);
    throw e;
  }
}

function optionalText(r: Req, key: string): string | undefined {
  const b = r.body === undefined || r.body === null ? {} : objectBody(r);
  const v = b[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ApiError(400, `${key} must be a string`);
  return v;
}

export function mrtEndpoints(s: ApiService): Endpoint[] {
  const d = s.daemon;
  return [
    [
      {
        method: 'POST',
        url: '/api/v1/mrt/dump',
        summary:
          'Write the default table, the VPN tables and each VRF as MRT TABLE_DUMP_V2 files (one per table) into a new directory',
        body: {
          directory: 'absolute path; default: mrt.directory',
          table: 'default | vpn | a VRF name; default: every table',
        },
      },
      (r) => dumpTables(d, optionalText(r, 'directory'), optionalText(r, 'table')),
    ],
    [
      {
        method: 'POST',
        url: '/api/v1/mrt/replay',
        summary:
          "Load an MRT table dump's routes as if a neighbor (or a VRF's PE-CE peers) had sent them",
        body: { file: 'absolute path of the file', neighbor: 'address', vrf: 'or a VRF name' },
      },
      (r) => {
        const b = objectBody(r);
        const file = b['file'];
        if (typeof file !== 'string' || !file) throw new ApiError(400, 'file is required');
        const into = replayInto(b);
        if (!into) throw new ApiError(400, 'say where the routes go: neighbor or vrf');
        return replayFile(d, file, into);
      },
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/mrt/replay',
        summary: 'The targets routes were replayed into, with their source id',
      },
      () => ({ targets: d.mrt.replays.targets() }),
    ],
    [
      {
        method: 'DELETE',
        url: '/api/v1/mrt/replay',
        summary: 'Withdraw replayed routes: of one target (?neighbor= or ?vrf=), or all',
      },
      (r) => ({ removed: d.mrt.replays.clear(replayInto({ ...r.query })) }),
    ],
    [
      {
        method: 'GET',
        url: '/api/v1/mrt',
        summary: 'MRT settings and the message log files being written',
      },
      () => ({
        directory: d.mrt.options?.directory ?? null,
        dumpInterval: d.mrt.options?.dumpInterval ?? 0,
        messageFiles: Object.fromEntries(d.mrt.messageFiles()),
      }),
    ],
  ];
}
