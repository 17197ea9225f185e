// The `vrfleak` command line (commander). `run` and `check` work on a config file; every other
// command is one request to a running daemon's API (--api HOST:PORT, default 127.0.0.1:8179).

import { readFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { ADJ_RIB_WORDS, type AdjRibAnswer } from '../api/adj-rib.js';
import type { NeighborView, SummaryView } from '../api/service.js';
import type { ReloadResult } from '../api/reload.js';
import type {
  ConflictView,
  ExplainView,
  LeakGraphView,
  ViolationView,
  VrfView,
} from '../api/vrf-source.js';
import type { RouteView } from '../daemon/views.js';
import { ApiClient, CliError, query } from './client.js';
import * as fmt from './format.js';
import { formatAdjRib } from './format-adj.js';
import { formatRtc, formatRtcWhy } from './format-rtc.js';
import type { RtcAnswer, RtcWhy } from '../api/endpoints-rtc.js';
import { addMrtCommands } from './commands-mrt.js';
import { checkConfig, ConfigRefused, runDaemon } from './run.js';
import { tuneV8 } from '../daemon/v8-tuning.js';
import { addTranslateCommands } from './translate.js';

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

interface Globals {
  json?: boolean;
  api: string;
  token?: string;
}

export const DEFAULT_API = '127.0.0.1:8179';

function reloadText(r: ReloadResult): string {
  const out = [`${r.dryRun ? 'dry run of' : 'reloaded'} ${r.file}: ${r.changes.length} change(s)`];
  for (const w of r.warnings) out.push(`  ${w}`);
  if (r.dryRun) {
    for (const c of r.changes) out.push(`  ${c}`);
    for (const u of r.updates ?? []) {
      out.push(`  UPDATEs ${u.family}: ${u.announce} announced, ${u.withdraw} withdrawn`);
    }
    // What each neighbor would be sent (after its route-map-out), or that its session restarts.
    for (const n of r.neighbors ?? []) {
      const extra = [
        ...(n.refresh.length ? [`asked to send ${n.refresh.join(', ')} again`] : []),
        ...(n.reset !== undefined ? [`session restarts (${n.reset})`] : []),
      ];
      out.push(
        `  neighbor ${n.address}: ${n.announce} announced, ${n.withdraw} withdrawn${extra.length ? `; ${extra.join('; ')}` : ''}`,
      );
      for (const p of n.announced) out.push(`    + ${p}`);
      for (const p of n.withdrawn) out.push(`    - ${p}`);
    }
    for (const c of r.routeChanges ?? []) {
      out.push(
        `  ${c.change === 'added' ? '+' : c.change === 'removed' ? '-' : '~'} ${c.table} ${c.rd ? `${c.rd} ` : ''}${c.prefix}`,
      );
    }
  } else {
    for (const c of r.applied) out.push(`  applied: ${c}`);
    for (const c of r.pending) out.push(`  pending (needs a restart of the daemon): ${c}`);
  }
  return out.join('\n') + '\n';
}

export function buildProgram(
  io: Io,
  signals: { keepRunning?: (stop: () => Promise<void>) => void } = {},
): Command {
  const program = new Command('vrfleak')
    .description('A BGP speaker for MP-BGP VPNv4/VPNv6 with per-VRF RIBs and route-target leaking')
    .option('--json', 'print the API answer as JSON')
    .option('--api <host:port>', 'the daemon API', process.env.VRFLEAK_API ?? DEFAULT_API)
    .option('--token <token>', 'bearer token (or VRFLEAK_TOKEN)', process.env.VRFLEAK_TOKEN)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError();

  const g = (cmd: Command) => cmd.optsWithGlobals<Globals>();
  const client = (cmd: Command) => new ApiClient(g(cmd).api, g(cmd).token);
  /** One GET, printed as JSON or through the formatter. */
  const show = async <T>(cmd: Command, path: string, text: (x: T) => string) => {
    const data = await client(cmd).get<T>(path);
    io.out(g(cmd).json ? JSON.stringify(data, null, 2) + '\n' : text(data));
  };

  program
    .command('run')
    .description('start the daemon (BGP sessions and the HTTP API)')
    .requiredOption('-c, --config <file>', 'config file (YAML)')
    .option('--api-port <port>', 'override api.port', (v) => Number(v))
    .action(async (o: { config: string; apiPort?: number }) => {
      // This process runs the daemon and nothing else: V8 tuned for it (daemon/v8-tuning.ts).
      tuneV8();
      const d = await runDaemon(o.config, {
        signals: true,
        ...(o.apiPort !== undefined ? { apiPort: o.apiPort } : {}),
      });
      const api = `${d.api.address}:${d.api.port}`;
      const listen = d.config.listen
        ? `${d.config.listen.address}:${d.config.listen.port}`
        : 'not listening';
      io.err(
        `vrfleak: AS ${d.config.asn}, router-id ${d.config['router-id']}, BGP ${listen}, API http://${api}\n` +
          `  look at it:  vrfleak show bgp summary | vrfleak show vrf | vrfleak show bgp ipv4 vpn | vrfleak show ip route vrf NAME${api === DEFAULT_API ? '' : `  (add --api ${api})`}\n` +
          `  reload: kill -HUP ${process.pid} or vrfleak reload; stop: Ctrl-C\n`,
      );
      signals.keepRunning?.(() => d.stop());
    });

  program
    .command('check')
    .description('validate a config file (FILE:LINE:COL: key.path: message)')
    .requiredOption('-c, --config <file>', 'config file (YAML)')
    .action(async (o: { config: string }) => {
      const r = await checkConfig(o.config);
      for (const l of r.lines) (r.code ? io.err : io.out)(l + '\n');
      if (r.code) throw new CliError('', [], -1);
    });

  addTranslateCommands(program, io);

  program
    .command('dry-run')
    .description(
      'print the changes a new config would make to the running daemon, applying nothing',
    )
    .requiredOption('-c, --config <file>', 'the new config file')
    .action(async (o: { config: string }, cmd: Command) => {
      const text = await readFile(o.config, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw new CliError(`${o.config}: cannot read the file (${e.code ?? e.message})`);
      });
      const r = await client(cmd).post<ReloadResult>('/api/v1/dry-run', {
        config: text,
        file: o.config,
      });
      io.out(g(cmd).json ? JSON.stringify(r, null, 2) + '\n' : reloadText(r));
    });

  program
    .command('reload')
    .description('make the daemon re-read its config file (refused whole on any error)')
    .action(async (_o: unknown, cmd: Command) => {
      const r = await client(cmd).post<ReloadResult>('/api/v1/reload');
      io.out(g(cmd).json ? JSON.stringify(r, null, 2) + '\n' : reloadText(r));
    });

  program
    .command('clear')
    .description('clear bgp ADDR [soft] [in|out]: reset a session, or refresh it softly (as FRR)')
    .argument('<bgp-keyword>', '"bgp"')
    .argument('<address>')
    .argument('[how...]', 'soft | soft in | soft out | in | out (none: hard reset)')
    .action(async (kw: string, address: string, how: string[], _o: unknown, cmd: Command) => {
      const usage = 'usage: vrfleak clear bgp ADDR [soft] [in|out]';
      if (kw !== 'bgp') throw new CliError(usage);
      const words = how[0] === 'soft' ? how.slice(1) : how;
      if (words.length > 1 || (words[0] !== undefined && words[0] !== 'in' && words[0] !== 'out'))
        throw new CliError(usage);
      // FRR: `clear bgp X` is hard, `clear bgp X soft` is both directions, `in`/`out` are soft.
      const soft = words[0] ?? (how[0] === 'soft' ? 'both' : undefined);
      const r = await client(cmd).post<{ address: string; cleared: string }>(
        `/api/v1/neighbors/${encodeURIComponent(address)}/clear`,
        soft ? { soft } : {},
      );
      io.out(
        g(cmd).json ? JSON.stringify(r, null, 2) + '\n' : `${r.address}: cleared (${r.cleared})\n`,
      );
    });

  addMrtCommands(program, io, client, (cmd) => g(cmd).json === true);

  program
    .command('explain')
    .description('why a prefix is or is not in a VRF: explain vrf NAME PREFIX')
    .argument('<vrf-keyword>', '"vrf"')
    .argument('<name>')
    .argument('<prefix>')
    .action(async (kw: string, name: string, prefix: string, _o: unknown, cmd: Command) => {
      if (kw !== 'vrf') throw new CliError('usage: vrfleak explain vrf NAME PREFIX');
      await show<ExplainView>(
        cmd,
        `/api/v1/explain/${encodeURIComponent(name)}${query({ prefix })}`,
        fmt.formatExplain,
      );
    });

  const showCmd = program.command('show').description('show state, like a router');

  /** `show bgp neighbors ADDR received-routes | routes | advertised-routes [FAMILY]`. */
  const showAdjRib = async (cmd: Command, address: string, words: string[]) => {
    const [which, family, ...more] = words;
    if (!which || !(which in ADJ_RIB_WORDS) || more.length) {
      throw new CliError(
        'usage: vrfleak show bgp neighbors ADDR received-routes|routes|advertised-routes [vpnv4|vpnv6|ipv4|ipv6]',
      );
    }
    const s = await client(cmd).get<SummaryView>('/api/v1/summary');
    await show<AdjRibAnswer>(
      cmd,
      `/api/v1/neighbors/${encodeURIComponent(address)}/${which}${query({ family })}`,
      (a) => formatAdjRib(a, s.routerId, s.asn),
    );
  };

  showCmd
    .command('bgp')
    .description(
      'summary | neighbors [ADDR [received-routes|routes|advertised-routes [FAMILY]]] | ipv4|ipv6 vpn [rd RD] [PREFIX] | ipv4|ipv6 unicast|labeled-unicast [PREFIX] | ipv4 rtc [why ADDR RD PREFIX]',
    )
    .argument('<what...>')
    .action(async (words: string[], _o: unknown, cmd: Command) => {
      const [w0, w1, ...rest] = words;
      if (w0 === 'summary') return show<SummaryView>(cmd, '/api/v1/summary', fmt.formatSummary);
      if ((w0 === 'neighbors' || w0 === 'neighbor') && w1 && rest[0] !== undefined) {
        return showAdjRib(cmd, w1, rest);
      }
      if (w0 === 'neighbors' || w0 === 'neighbor') {
        const s = await client(cmd).get<SummaryView>('/api/v1/summary');
        const list = w1
          ? [await client(cmd).get<NeighborView>(`/api/v1/neighbors/${encodeURIComponent(w1)}`)]
          : s.neighbors;
        io.out(
          g(cmd).json
            ? JSON.stringify(w1 ? list[0] : list, null, 2) + '\n'
            : list.map((n) => fmt.formatNeighbor(n, s.asn)).join('\n'),
        );
        return;
      }
      if (
        (w0 === 'ipv4' || w0 === 'ipv6') &&
        (w1 === 'vpn' || w1 === 'unicast' || w1 === 'labeled-unicast')
      ) {
        let rd: string | undefined;
        let prefix: string | undefined;
        for (let i = 0; i < rest.length; i++) {
          if (rest[i] === 'rd') rd = rest[++i];
          else prefix = rest[i];
        }
        if (rest.includes('rd') && rd === undefined)
          throw new CliError('rd needs a value: rd 65000:10');
        const family =
          w1 === 'vpn'
            ? w0 === 'ipv4'
              ? 'vpnv4'
              : 'vpnv6'
            : w1 === 'labeled-unicast'
              ? `${w0}-labeled`
              : w0;
        const s = await client(cmd).get<SummaryView>('/api/v1/summary');
        return show<RouteView[]>(cmd, `/api/v1/routes/${family}${query({ rd, prefix })}`, (r) =>
          fmt.formatBgpTable(
            r,
            s.routerId,
            w1 === 'vpn',
            new Set(s.neighbors.filter((n) => n.asn === s.asn).map((n) => n.address)),
          ),
        );
      }
      // RT-constrain (RFC 4684): the membership table, or why a VPN route is (not) sent.
      if (w0 === 'ipv4' && w1 === 'rtc' && rest[0] === 'why') {
        const [, addr, rd, prefix] = rest;
        if (!addr || !rd || !prefix)
          throw new CliError('usage: show bgp ipv4 rtc why ADDR RD PREFIX');
        return show<RtcWhy>(
          cmd,
          `/api/v1/rtc/why${query({ neighbor: addr, rd, prefix })}`,
          formatRtcWhy,
        );
      }
      if (w0 === 'ipv4' && w1 === 'rtc') return show<RtcAnswer>(cmd, '/api/v1/rtc', formatRtc);
      throw new CliError(
        `unknown: show bgp ${words.join(' ')}; try show bgp summary | neighbors | ipv4 vpn | ipv6 vpn | ipv4 rtc`,
      );
    });

  const routeVrf =
    (family: 'ipv4' | 'ipv6') => async (words: string[], _o: unknown, cmd: Command) => {
      const [w0, w1, vrf, prefix] = words;
      if (w0 !== 'route' || w1 !== 'vrf' || !vrf)
        throw new CliError(
          `usage: vrfleak show ${family === 'ipv4' ? 'ip' : 'ipv6'} route vrf NAME [PREFIX]`,
        );
      await show<RouteView[]>(
        cmd,
        `/api/v1/vrfs/${encodeURIComponent(vrf)}/routes${query({ family, prefix })}`,
        (r) => fmt.formatVrfRoutes(vrf, r),
      );
    };
  showCmd
    .command('ip')
    .description('route vrf NAME [PREFIX]')
    .argument('<what...>')
    .action(routeVrf('ipv4'));
  showCmd
    .command('ipv6')
    .description('route vrf NAME [PREFIX]')
    .argument('<what...>')
    .action(routeVrf('ipv6'));

  showCmd
    .command('vrf')
    .description('VRFs: RD, import/export RTs and tags, policies, counts')
    .argument('[name]')
    .action(async (name: string | undefined, _o: unknown, cmd: Command) => {
      if (name) await show<VrfView>(cmd, `/api/v1/vrfs/${encodeURIComponent(name)}`, fmt.formatVrf);
      else await show<VrfView[]>(cmd, '/api/v1/vrfs', fmt.formatVrfs);
    });

  showCmd
    .command('policy')
    .description('prefix-list [NAME] | route-map [NAME]')
    .argument('<kind>')
    .argument('[name]')
    .action(async (kind: string, name: string | undefined, _o: unknown, cmd: Command) => {
      const suffix = name ? `/${encodeURIComponent(name)}` : '';
      if (kind === 'prefix-list')
        await show(cmd, `/api/v1/policy/prefix-lists${suffix}`, fmt.formatPrefixLists);
      else if (kind === 'route-map')
        await show(cmd, `/api/v1/policy/route-maps${suffix}`, fmt.formatRouteMaps);
      else throw new CliError(`unknown policy kind "${kind}"; use prefix-list or route-map`);
    });

  showCmd
    .command('leak')
    .description('conflicts | violations | graph [--dot | --svg]')
    .argument('<what>')
    .option('--dot', 'the graph as Graphviz DOT')
    .option('--svg', 'the graph as an SVG picture (the hub in the middle)')
    .action(async (what: string, o: { dot?: boolean; svg?: boolean }, cmd: Command) => {
      if (what === 'conflicts')
        return show<ConflictView[]>(cmd, '/api/v1/leak/conflicts', fmt.formatConflicts);
      if (what === 'violations')
        return show<ViolationView[]>(cmd, '/api/v1/leak/violations', fmt.formatViolations);
      if (what !== 'graph')
        throw new CliError(`unknown: show leak ${what}; use conflicts, violations or graph`);
      if (o.dot) io.out(await client(cmd).get<string>('/api/v1/leak/graph?format=dot'));
      else if (o.svg) io.out(await client(cmd).get<string>('/api/v1/leak/graph?format=svg'));
      else await show<LeakGraphView>(cmd, '/api/v1/leak/graph', fmt.formatGraph);
    });

  return program;
}

/** Runs one command line; returns the exit code. */
export async function runCli(
  argv: readonly string[],
  io: Io,
  signals: Parameters<typeof buildProgram>[1] = {},
): Promise<number> {
  const program = buildProgram(io, signals);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof CliError) {
      if (e.message) io.err(`vrfleak: ${e.message}\n`);
      for (const x of e.errors) io.err(`${x}\n`);
      return 1;
    }
    if (e instanceof ConfigRefused) {
      for (const x of e.errors) io.err(`${x}\n`);
      return 1;
    }
    io.err(`vrfleak: ${(e as Error).message}\n`);
    return 1;
  }
}
