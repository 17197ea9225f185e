// `vrfleak import`: router config text in a dialect -> vrfleak YAML, the findings for every source
// line and the values the translation had to assume. A pure function of its input. The YAML is
// loaded as `vrfleak check` loads it before it is returned: a piece check refuses is left out (and
// listed with check's message), so a translation never produces YAML that check refuses.

import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { problem } from './addr.js';
import { assemble, type Assembled, type Piece } from './assemble.js';
import { parse, type Dialect } from './context.js';
import { dell } from './dell.js';
import { leaveOut, sourced, type Draft } from './draft.js';
import { findingText, lineRanges, type Assumption, type Finding } from './findings.js';
import { frr } from './frr.js';
import { ios } from './ios.js';
import { resolveDraft } from './resolve.js';
import { vyos } from './vyos.js';
import { toYaml } from './yaml-out.js';
import { checkIpv4 } from '../config/values.js';

export const DIALECTS: Readonly<Record<string, Dialect>> = { ios, vyos, dell, frr };
export const DIALECT_NAMES = Object.keys(DIALECTS);

export interface Translation {
  readonly yaml: string;
  readonly config: Config;
  /** One per non-blank, non-comment source line, in line order. */
  readonly findings: readonly Finding[];
  readonly assumptions: readonly Assumption[];
}

const ASSUMED_ASN = 65000;
const ASSUMED_ROUTER_ID = '192.0.2.1';

/** ASN, router-id and each VRF's RD when the source has none (vrfleak requires them). */
function assumeMissing(d: Draft, notes: Assumption[]): void {
  if (d.routerId && problem(checkIpv4, d.routerId.value)) {
    leaveOut(d, d.routerId.lines, `"${d.routerId.value}" is not an IPv4 router-id`);
    d.routerId = undefined;
  }
  if (!d.asn) {
    d.asn = sourced(ASSUMED_ASN, 0);
    d.asn.lines.length = 0;
    notes.push({ path: 'asn', lines: [], message: `not in the source: ${ASSUMED_ASN} assumed` });
  }
  if (!d.routerId) {
    d.routerId = { value: ASSUMED_ROUTER_ID, lines: [] };
    notes.push({
      path: 'router-id',
      lines: [],
      message: `not in the source: ${ASSUMED_ROUTER_ID} assumed`,
    });
  }
  const used = new Set([...d.vrfs.values()].flatMap((v) => (v.rd ? [v.rd.value] : [])));
  const admin = d.asn.value <= 0xffff ? String(d.asn.value) : d.routerId.value;
  let n = 0;
  for (const v of d.vrfs.values()) {
    n++;
    if (v.rd) continue;
    let k = v.table?.value ?? n;
    while (used.has(`${admin}:${k}`)) k++;
    const rd = `${admin}:${k}`;
    used.add(rd);
    v.rd = { value: rd, lines: [] };
    notes.push({
      path: `vrfs.${v.name}.rd`,
      lines: v.lines.slice(0, 1),
      message: `the source gives VRF ${v.name} no RD (vrfleak needs one to export): ${rd} assumed${v.table ? ' from its table number' : ''}`,
    });
  }
}

const under = (k: string, path: string) => k.startsWith(`${path}.`) || k.startsWith(`${path}[`);

/**
 * The draft pieces a check error's key path names: the one recorded at the longest path the error's
 * starts with, else (an error about a whole list or map) every piece beneath it.
 */
function piecesAt(a: Assembled, keyPath: string): Piece[] {
  let best: string | undefined;
  for (const k of a.pieces.keys()) {
    if ((keyPath === k || under(keyPath, k)) && (best === undefined || k.length > best.length))
      best = k;
  }
  if (best !== undefined) return [a.pieces.get(best)!];
  return [...a.pieces].filter(([k]) => under(k, keyPath)).map(([, p]) => p);
}

function header(
  file: string,
  dialect: string,
  findings: readonly Finding[],
  notes: readonly Assumption[],
): string[] {
  const count = (k: Finding['kind']) => findings.filter((f) => f.kind === k).length;
  const out = [
    `vrfleak import --from ${dialect} ${file}`,
    `${count('translated')} line(s) translated, ${count('ignored')} ignored, ${count('left-out')} left out, ${count('unknown')} parse as nothing`,
  ];
  if (notes.length) {
    out.push('', 'Assumed (not in the source, or not as vrfleak needs it):');
    for (const n of notes)
      out.push(
        `  ${n.path}: ${n.message}${n.lines.length ? ` (${file}:${lineRanges(n.lines)})` : ''}`,
      );
  }
  const missing = findings.filter((f) => f.kind === 'left-out' || f.kind === 'unknown');
  if (missing.length) {
    out.push('', 'Not translated:');
    for (const f of missing) out.push(`  ${findingText(file, f)}`);
  }
  const ignored = new Map<string, number[]>();
  for (const f of findings.filter((x) => x.kind === 'ignored'))
    ignored.set(f.message, [...(ignored.get(f.message) ?? []), f.line]);
  if (ignored.size) {
    out.push('', 'Ignored (no effect in vrfleak):');
    for (const [why, lines] of ignored) out.push(`  ${file}:${lineRanges(lines)}: ${why}`);
  }
  out.push('');
  return out;
}

export class UnknownDialect extends Error {}

export function translate(text: string, file: string, dialect: string): Translation {
  const dia = DIALECTS[dialect];
  if (!dia)
    throw new UnknownDialect(
      `${file}:1: unknown dialect "${dialect}" (use one of ${DIALECT_NAMES.join(', ')})`,
    );
  const d = parse(text, dia);
  const notes: Assumption[] = [];
  assumeMissing(d, notes);
  resolveDraft(d, (v) => v.rd!.value, notes);
  // Each round leaves out at least one piece, so this ends; the bound only guards a mistake.
  for (let round = 0; round < 1000; round++) {
    const a = assemble(d);
    const body = toYaml(a.config, a.origins, file, []);
    const loaded = loadConfig(body, file);
    if (loaded.ok) {
      const findings = [...d.findings.values()].sort((x, y) => x.line - y.line);
      const assumed = new Set(notes.map((n) => n.path));
      const yaml = toYaml(
        a.config,
        a.origins,
        file,
        header(file, dia.name, findings, notes),
        assumed,
      );
      return { yaml, config: loaded.config, findings, assumptions: notes };
    }
    for (const e of loaded.errors) {
      const ps = piecesAt(a, e.keyPath);
      if (!ps.length)
        throw new Error(`translation produced a config vrfleak check refuses: ${e.toString()}`);
      const why = `vrfleak check refuses it: ${e.keyPath}: ${e.message}`;
      for (const p of ps.filter((x) => !x.dropped)) {
        p.dropped = why;
        leaveOut(d, p.lines, why);
        // A VRF or list refused whole takes the lines of everything in it along.
        const at = [...a.pieces].find(([, q]) => q === p)?.[0] ?? e.keyPath;
        for (const [k, q] of a.pieces) if (under(k, at)) leaveOut(d, q.lines, why);
      }
    }
  }
  throw new Error('translation did not settle');
}
