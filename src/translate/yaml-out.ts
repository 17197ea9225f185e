// Writes a translated config as YAML: block maps, one list item per line, and a comment after
// each piece saying which source lines it came from (`# from FILE:12-14`).

import { parse } from 'yaml';
import { formatKeyPath, type KeyPath } from '../config/errors.js';
import { lineRanges } from './findings.js';

type Value = unknown;

/** A scalar as YAML reads it back unchanged: plain when it can be, else JSON-quoted. */
function scalar(v: Value): string {
  if (typeof v !== 'string') return String(v);
  if (/^[A-Za-z0-9_.:/-]+$/.test(v)) {
    try {
      if (parse(v) === v) return v;
    } catch {
      // not plain-safe
    }
  }
  return JSON.stringify(v);
}

function isPlainObject(v: Value): v is Record<string, Value> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flow(v: Value): string {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (isPlainObject(v)) {
    const inner = Object.entries(v).map(([k, x]) => `${scalar(k)}: ${flow(x)}`);
    return inner.length ? `{ ${inner.join(', ')} }` : '{}';
  }
  return scalar(v);
}

export function toYaml(
  config: Record<string, Value>,
  origins: ReadonlyMap<string, readonly number[]>,
  file: string,
  header: readonly string[],
  assumed: ReadonlySet<string> = new Set(),
): string {
  const out: string[] = header.map((h) => (h === '' ? '#' : `# ${h}`));
  const comment = (path: KeyPath) => {
    const k = formatKeyPath(path);
    const lines = origins.get(k);
    if (lines && lines.length) return `  # from ${file}:${lineRanges(lines)}`;
    return assumed.has(k) ? '  # assumed (see above)' : '';
  };
  const block = (obj: Record<string, Value>, path: KeyPath, ind: string) => {
    for (const [k, v] of Object.entries(obj)) {
      const p = [...path, k];
      const key = `${ind}${scalar(k)}:`;
      if (Array.isArray(v)) {
        out.push(`${key}${comment(p)}`);
        v.forEach((x, i) => out.push(`${ind}  - ${flow(x)}${comment([...p, i])}`));
      } else if (isPlainObject(v)) {
        out.push(`${key}${comment(p)}`);
        block(v, p, `${ind}  `);
      } else out.push(`${key} ${scalar(v)}${comment(p)}`);
    }
  };
  block(config, [], '');
  return out.join('\n') + '\n';
}
