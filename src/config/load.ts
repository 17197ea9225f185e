// Loading a config file: YAML (with positions) -> schema -> cross-references, every problem
// reported as FILE:LINE:COL: key.path: message.

import { readFile } from 'node:fs/promises';
import { crossCheck } from './crossref.js';
import { fibHostProblems, fibProblems } from './fib-check.js';
import type { ConfigProblem } from './errors.js';
import { ConfigError, formatKeyPath } from './errors.js';
import { problemsFromIssues } from './issues.js';
import { passwordProblems } from './secrets.js';
import { Locator } from './locate.js';
import { waitingProblems } from './waiting.js';
import { yamlLib } from './yaml-lib.js';
import type { Config } from './schema.js';
import { configSchema } from './schema.js';

export type LoadResult =
  | { readonly ok: true; readonly config: Config; readonly warnings: ConfigError[] }
  | { readonly ok: false; readonly errors: ConfigError[]; readonly warnings: ConfigError[] };

function byPosition(a: ConfigError, b: ConfigError): number {
  return a.line - b.line || a.column - b.column;
}

function split(problems: readonly ConfigProblem[], file: string, loc: Locator) {
  const all = problems.map((p) => {
    const at = loc.locate(p.path, p.atKey);
    return new ConfigError(file, at.line, at.column, formatKeyPath(at.path), p.message, p.severity);
  });
  return {
    errors: all.filter((e) => e.severity === 'error').sort(byPosition),
    warnings: all.filter((e) => e.severity === 'warning').sort(byPosition),
  };
}

/** `host`: also check what the config names on this host (the FIB's interfaces and tables). */
export interface LoadOptions {
  readonly host?: boolean;
}

export function loadConfig(text: string, file: string, opts: LoadOptions = {}): LoadResult {
  const { LineCounter, parseDocument } = yamlLib();
  const lines = new LineCounter();
  // prettyErrors off: we print our own position and keep the message to one line.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    const errors = doc.errors.map((e) => {
      const p = lines.linePos(e.pos[0]);
      return new ConfigError(file, p.line, p.col, '', `YAML: ${e.message}`);
    });
    return { ok: false, errors, warnings: [] };
  }
  const loc = new Locator(doc, lines);
  const data: unknown = doc.toJS({ maxAliasCount: 100 }) ?? {};
  const checked = check(data, opts);
  const { errors, warnings } = split(checked.problems, file, loc);
  if (!checked.ok || errors.length) return { ok: false, errors, warnings };
  return { ok: true, config: checked.config, warnings };
}

/** The schema, then (when it passes) the cross-checks: every problem, unlocated. */
function check(
  data: unknown,
  opts: LoadOptions,
):
  | { ok: true; config: Config; problems: ConfigProblem[] }
  | { ok: false; problems: ConfigProblem[] } {
  const parsed = configSchema.safeParse(data, { reportInput: true });
  if (!parsed.success)
    return { ok: false, problems: problemsFromIssues(configSchema, parsed.error.issues) };
  const problems = [
    ...crossCheck(parsed.data),
    ...waitingProblems(parsed.data),
    ...passwordProblems(parsed.data),
    ...fibProblems(parsed.data),
    ...(opts.host ? fibHostProblems(parsed.data) : []),
  ];
  return { ok: true, config: parsed.data, problems };
}

/**
 * A config given as an object (the library API): checked as it is, without YAML. Only when it has
 * a problem is it written as YAML and loaded as text, so that its errors and warnings carry the
 * same lines and columns as before; a clean config never loads the YAML library.
 */
export function loadConfigObject(data: object, file: string, opts: LoadOptions = {}): LoadResult {
  const checked = check(data, opts);
  if (checked.ok && checked.problems.length === 0)
    return { ok: true, config: checked.config, warnings: [] };
  return loadConfig(yamlLib().stringify(data), file, opts);
}

export async function loadConfigFile(path: string, opts: LoadOptions = {}): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    return {
      ok: false,
      errors: [new ConfigError(path, 1, 1, '', `cannot read the file (${reason})`)],
      warnings: [],
    };
  }
  return loadConfig(text, path, opts);
}
