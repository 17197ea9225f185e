// MRT output (RFC 6396): table dumps on demand and on a timer, and the BGP4MP message logs. One
// directory per dump, one file per table (README "MRT"): `default.mrt` (the default table's
// IPv4/IPv6 unicast), `vpn.mrt` (VPNv4/VPNv6, RIB_GENERIC) and `vrf-NAME.mrt` per VRF, each with
// its own peer index table whose View Name says which table it is. Files appear whole (written
// under a temporary name, then renamed).

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GLOBAL_VIEW } from '../rib/rib.js';
import type { FamilyName } from '../wire/afi.js';
import { encodeMrtRecord } from '../wire/mrt/file.js';
import { fileStamp, uniquePath } from './mrt-files.js';
import type { MessageLink } from '../session/shell.js';
import { MessageLog, type Direction } from './mrt-messages.js';
import { tableDumpRecords } from './mrt-tables.js';
import type { MrtOptions, NeighborOptions } from './options.js';
import { Replays, type ReplayHost } from './replay.js';

/** What the MRT output and replay read of the daemon. */
export type MrtHost = ReplayHost;

/** One table of a dump. */
export interface DumpedTable {
  /** `default`, `vpn`, or the VRF's name. */
  readonly table: string;
  /** The View Name of its peer index table: `default`, `vpn`, `vrf:NAME`. */
  readonly viewName: string;
  readonly file: string;
  /** RIB entries (paths) written. */
  readonly routes: number;
}

export interface DumpResult {
  readonly directory: string;
  readonly time: number;
  readonly tables: readonly DumpedTable[];
}

/** A dump asked for with nowhere to write it. */
export class MrtUnavailable extends Error {}

interface TableSpec {
  readonly table: string;
  readonly viewName: string;
  readonly file: string;
  readonly parts: readonly { readonly view: string; readonly family: FamilyName }[];
}

export class MrtService {
  private o: MrtOptions | undefined;
  private timer: NodeJS.Timeout | undefined;
  private messages: MessageLog | undefined;
  /** Routes replayed from table dumps (daemon/replay.ts). */
  readonly replays: Replays;

  constructor(private readonly h: MrtHost) {
    this.replays = new Replays(h);
  }

  /** Takes the `mrt` block (at start and on every reload that changed it). */
  configure(o: MrtOptions | undefined): void {
    this.o = o;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.messages?.close();
    this.messages = undefined;
    if (!o) return;
    if (o.dumpInterval > 0) {
      this.timer = setInterval(() => this.timedDump(), o.dumpInterval * 1000);
      this.timer.unref();
    }
    if (o.messages)
      this.messages = new MessageLog(o.messages, o.directory, this.h.opts.asn, this.h.log);
  }

  get options(): MrtOptions | undefined {
    return this.o;
  }

  /** The message log files being written, by neighbor address. */
  messageFiles(): Map<string, string> {
    return this.messages?.current() ?? new Map();
  }

  /** A message of a neighbor's session (the socket shell's tap, daemon/shells.ts). */
  message(n: NeighborOptions, dir: Direction, frame: Buffer, link: MessageLink): void {
    this.messages?.message(n, dir, frame, link);
  }

  private timedDump(): void {
    try {
      this.dump();
    } catch (e) {
      this.h.log.emit({ event: 'mrt-error', what: 'timed table dump', error: String(e) });
    }
  }

  private specs(): TableSpec[] {
    const v4v6 = (view: string) => [
      { view, family: 'ipv4' as const },
      { view, family: 'ipv6' as const },
    ];
    return [
      { table: 'default', viewName: 'default', file: 'default.mrt', parts: v4v6(GLOBAL_VIEW) },
      {
        table: 'vpn',
        viewName: 'vpn',
        file: 'vpn.mrt',
        parts: [
          { view: GLOBAL_VIEW, family: 'vpnv4' },
          { view: GLOBAL_VIEW, family: 'vpnv6' },
        ],
      },
      ...this.h.opts.vrfs.map((v) => ({
        table: v.name,
        viewName: `vrf:${v.name}`,
        file: `vrf-${v.name}.mrt`,
        parts: v4v6(v.name),
      })),
    ];
  }

  /**
   * Writes every table (or the one named) into a new directory under `directory` (default: the
   * configured one). Throws MrtUnavailable without a directory, or an fs error.
   */
  dump(directory = this.o?.directory, only?: string): DumpResult {
    if (directory === undefined) {
      throw new MrtUnavailable('no directory to dump into: set mrt.directory or give one');
    }
    const specs = this.specs().filter((s) => only === undefined || s.table === only);
    if (specs.length === 0) throw new MrtUnavailable(`no table ${only}`);
    const time = Math.floor(Date.now() / 1000);
    mkdirSync(directory, { recursive: true });
    const dir = uniquePath(join(directory, `tables-${fileStamp(time)}`));
    mkdirSync(dir);
    const self = { routerId: this.h.routerIdNum, asn: this.h.opts.asn };
    const tables: DumpedTable[] = [];
    for (const s of specs) {
      const { records, routes } = tableDumpRecords(this.h.rib, s.viewName, s.parts, self, time);
      const file = join(dir, s.file);
      writeFileSync(`${file}.tmp`, Buffer.concat(records.map(encodeMrtRecord)));
      renameSync(`${file}.tmp`, file);
      tables.push({ table: s.table, viewName: s.viewName, file, routes });
    }
    const routes = tables.reduce((n, t) => n + t.routes, 0);
    this.h.log.emit({ event: 'mrt-dump', directory: dir, files: tables.length, routes });
    return { directory: dir, time, tables };
  }

  stop(): void {
    this.configure(undefined);
  }
}
