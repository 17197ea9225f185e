// The MRT commands (README "MRT"): `vrfleak dump` writes the tables as MRT files, `vrfleak replay
// FILE` loads a dump's routes into a neighbor or a VRF, `vrfleak replay --clear` withdraws them.
// Each is one request to the API; file paths are made absolute here, as the daemon reads them.

import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { DumpResult } from '../daemon/mrt.js';
import type { ReplayResult } from '../daemon/replay.js';
import { CliError, query, type ApiClient } from './client.js';

interface Out {
  out(s: string): void;
}

export function addMrtCommands(
  program: Command,
  io: Out,
  client: (cmd: Command) => ApiClient,
  json: (cmd: Command) => boolean,
): void {
  const print = (cmd: Command, data: unknown, text: string) =>
    io.out(json(cmd) ? JSON.stringify(data, null, 2) + '\n' : text);

  program
    .command('dump')
    .description(
      'write the default table, the VPN tables and each VRF as MRT files (one per table)',
    )
    .option('--directory <dir>', 'where (default: mrt.directory of the config)')
    .option('--table <name>', 'only this table: default, vpn or a VRF name')
    .action(async (o: { directory?: string; table?: string }, cmd: Command) => {
      const r = await client(cmd).post<DumpResult>('/api/v1/mrt/dump', {
        ...(o.directory ? { directory: resolve(o.directory) } : {}),
        ...(o.table ? { table: o.table } : {}),
      });
      const lines = r.tables.map(
        (t) => `  ${t.table.padEnd(16)} ${String(t.routes).padStart(8)} paths  ${t.file}`,
      );
      print(cmd, r, `dumped into ${r.directory}\n${lines.join('\n')}\n`);
    });

  program
    .command('replay')
    .description(
      "load an MRT table dump's routes as if a neighbor (or a VRF's peers) had sent them",
    )
    .argument('[file]')
    .option('--neighbor <addr>', 'as this neighbor: its tables, receive rules and route-map-in')
    .option('--vrf <name>', 'into this VRF, as PE-CE peers named by the file')
    .option('--clear', 'withdraw what was replayed (into --neighbor or --vrf, else everywhere)')
    .action(
      async (
        file: string | undefined,
        o: { neighbor?: string; vrf?: string; clear?: boolean },
        cmd: Command,
      ) => {
        const into = {
          ...(o.neighbor ? { neighbor: o.neighbor } : {}),
          ...(o.vrf ? { vrf: o.vrf } : {}),
        };
        if (o.clear) {
          const r = (await client(cmd).request('DELETE', `/api/v1/mrt/replay${query(into)}`)) as {
            removed: number;
          };
          print(cmd, r, `${r.removed} replayed path(s) withdrawn\n`);
          return;
        }
        if (!file || (!o.neighbor && !o.vrf)) {
          throw new CliError(
            'usage: vrfleak replay FILE --neighbor ADDR | --vrf NAME (or --clear)',
          );
        }
        const r = await client(cmd).post<ReplayResult>('/api/v1/mrt/replay', {
          file: resolve(file),
          ...into,
        });
        print(
          cmd,
          r,
          `${r.file} into ${r.into}: ${r.records} records, ${r.routes} paths, ${r.announced} announced, ${r.refused} refused\n`,
        );
      },
    );
}
