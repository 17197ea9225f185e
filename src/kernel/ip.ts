// The few and rare kernel requests that are not the route hot path, through iproute2's `ip`: reading
// back what is in the tables (start, reload), the policy rules or vrf devices that bind a VRF's
// interfaces to its table, and the read-only probes `vrfleak check` runs. At most a handful of
// calls per VRF, so a child process each is cheap next to writing a netlink dump parser.

import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { prefixFromText } from '../wire/nlri/text.js';
import type { IpPrefix } from '../wire/types.js';
import { VRFLEAK_PROTO } from './types.js';

export interface IpResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `ip ARGS`; never throws (a failure is an answer with its message). */
export function ip(args: readonly string[]): Promise<IpResult> {
  return new Promise((resolve) => {
    execFile('ip', args, { maxBuffer: 1 << 30 }, (err, stdout, stderr) =>
      resolve({ ok: !err, stdout, stderr: stderr.trim() || (err ? err.message : '') }),
    );
  });
}

function ipSync(args: readonly string[]): IpResult {
  try {
    const stdout = execFileSync('ip', args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { ok: true, stdout, stderr: '' };
  } catch (e) {
    const x = e as { stderr?: Buffer | string; message: string };
    return { ok: false, stdout: '', stderr: String(x.stderr ?? '').trim() || x.message };
  }
}

interface JsonRoute {
  dst?: string;
  table?: string | number;
  protocol?: string | number;
  type?: string;
}

function json<T>(text: string): T[] {
  try {
    const v: unknown = JSON.parse(text || '[]');
    return Array.isArray(v) ? (v as T[]) : [];
  } catch {
    return [];
  }
}

function proto(p: string | number | undefined): number | string | undefined {
  if (p === undefined) return undefined;
  const n = Number(p);
  return Number.isInteger(n) ? n : p;
}

/** A route read back from a table. */
export interface TableEntry {
  readonly table: number;
  readonly prefix: IpPrefix;
}

function entryPrefix(dst: string | undefined, v6: boolean): IpPrefix | undefined {
  if (dst === undefined) return undefined;
  const text =
    dst === 'default'
      ? v6
        ? '::/0'
        : '0.0.0.0/0'
      : dst.includes('/')
        ? dst
        : `${dst}/${v6 ? 128 : 32}`;
  try {
    return prefixFromText(text);
  } catch {
    return undefined;
  }
}

/** Every route of our protocol in these tables (both families): what a start reconciles against. */
export async function ourRoutes(tables: ReadonlySet<number>): Promise<TableEntry[] | string> {
  const out: TableEntry[] = [];
  for (const fam of ['-4', '-6'] as const) {
    const r = await ip([
      '-json',
      fam,
      'route',
      'show',
      'table',
      'all',
      'proto',
      String(VRFLEAK_PROTO),
    ]);
    if (!r.ok) return `ip route show: ${r.stderr}`;
    for (const x of json<JsonRoute>(r.stdout)) {
      const table = x.table === undefined ? 254 : x.table === 'main' ? 254 : Number(x.table);
      if (!tables.has(table)) continue;
      const prefix = entryPrefix(x.dst, fam === '-6');
      if (prefix) out.push({ table, prefix });
    }
  }
  return out;
}

interface JsonRule {
  priority?: number;
  iif?: string;
  table?: string;
  action?: string;
  protocol?: string | number;
}

/** A policy rule of ours, as `ip rule` prints it. */
export interface RuleEntry {
  readonly priority: number;
  readonly iif: string;
  /** The table looked up, or undefined for the rule that stops the lookup (unreachable). */
  readonly table?: number;
}

export async function ourRules(): Promise<RuleEntry[] | string> {
  const out: RuleEntry[] = [];
  for (const fam of ['-4', '-6'] as const) {
    const r = await ip(['-json', fam, 'rule', 'show']);
    if (!r.ok) return `ip rule show: ${r.stderr}`;
    for (const x of json<JsonRule>(r.stdout)) {
      if (proto(x.protocol) !== VRFLEAK_PROTO || x.iif === undefined) continue;
      out.push({
        priority: x.priority ?? 0,
        iif: x.iif,
        ...(x.table !== undefined && x.action !== 'unreachable' ? { table: Number(x.table) } : {}),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Read-only probes (`vrfleak check`, a reload): synchronous, a few per config.

export function interfaceExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

/** The protocols other than ours (and the kernel's own) that have routes in a table. */
export function otherProtocols(table: number): string[] {
  const found = new Set<string>();
  for (const fam of ['-4', '-6']) {
    const r = ipSync(['-json', fam, 'route', 'show', 'table', String(table)]);
    for (const x of json<JsonRoute>(r.stdout)) {
      const p = proto(x.protocol);
      if (p === undefined || p === VRFLEAK_PROTO || p === 'kernel' || p === 2) continue;
      found.add(String(p));
    }
  }
  return [...found];
}
