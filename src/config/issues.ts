// Turns zod issues into operator-facing problems: plain messages, one problem per unknown key
// (with a "did you mean"), and the most plausible branch of a failed union.

import type { z } from 'zod';
import type { ConfigProblem, KeyPath } from './errors.js';
import { suggestion } from './errors.js';

type Issue = z.core.$ZodIssue;

export interface Def {
  readonly type: string;
  readonly innerType?: SchemaLike;
  readonly in?: SchemaLike;
  readonly out?: SchemaLike;
  readonly options?: readonly SchemaLike[];
  readonly shape?: Readonly<Record<string, SchemaLike>>;
  readonly element?: SchemaLike;
  readonly valueType?: SchemaLike;
  readonly items?: readonly SchemaLike[];
}
/** What the config code reads of a zod schema: its definition, down through wrappers and containers. */
export interface SchemaLike {
  readonly _zod: { readonly def: Def };
}

/** Every object schema reachable at `path`, through wrappers, unions and pipes. */
function objectsAt(schema: SchemaLike, path: KeyPath): Def[] {
  const def = schema._zod.def;
  const inner = [def.innerType, def.in, def.out, ...(def.options ?? [])].filter(
    (s): s is SchemaLike => s !== undefined,
  );
  if (inner.length) return inner.flatMap((s) => objectsAt(s, path));
  if (path.length === 0) return def.type === 'object' ? [def] : [];
  const [seg, ...rest] = path;
  const child =
    def.type === 'object'
      ? def.shape?.[String(seg)]
      : def.type === 'array'
        ? def.element
        : def.type === 'record'
          ? def.valueType
          : def.type === 'tuple'
            ? def.items?.[Number(seg)]
            : undefined;
  return child ? objectsAt(child, rest) : [];
}

export function knownKeys(schema: SchemaLike, path: KeyPath): string[] {
  return [...new Set(objectsAt(schema, path).flatMap((d) => Object.keys(d.shape ?? {})))];
}

function kind(expected: string): string {
  switch (expected) {
    case 'object':
      return 'a map';
    case 'array':
    case 'tuple':
      return 'a list';
    case 'number':
    case 'int':
      return 'a number';
    case 'boolean':
      return 'true or false';
    default:
      return `a ${expected}`;
  }
}

export function show(v: unknown): string {
  if (v === null) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return JSON.stringify(v);
  return String(v);
}

function rootTypeMismatch(branch: readonly Issue[]): boolean {
  return branch.some(
    (i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value'),
  );
}

function expectedOf(branch: readonly Issue[]): string[] {
  return branch.flatMap((i) =>
    i.path.length !== 0
      ? []
      : i.code === 'invalid_type'
        ? [kind(i.expected)]
        : i.code === 'invalid_value'
          ? i.values.map((v) => JSON.stringify(v))
          : [],
  );
}

export function problemsFromIssues(
  schema: SchemaLike,
  issues: readonly Issue[],
  prefix: KeyPath = [],
): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const err = (path: KeyPath, message: string, atKey = false) =>
    out.push({ path, message, severity: 'error', atKey });
  for (const issue of issues) {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = knownKeys(schema, path);
        for (const k of issue.keys)
          err([...path, k], `unknown key "${k}"${suggestion(k, known)}`, true);
        break;
      }
      case 'invalid_union': {
        const branch = issue.errors.find((b) => !rootTypeMismatch(b));
        if (branch) out.push(...problemsFromIssues(schema, branch, path));
        else {
          const expected = [...new Set(issue.errors.flatMap(expectedOf))];
          err(path, `expected ${expected.join(' or ')}, got ${show(issue.input)}`);
        }
        break;
      }
      case 'invalid_type':
        if (issue.input === undefined) {
          err(path, `missing required key "${String(path[path.length - 1])}"`);
        } else if (issue.input === null)
          err(path, `has no value; expected ${kind(issue.expected)}`);
        else err(path, `expected ${kind(issue.expected)}, got ${show(issue.input)}`);
        break;
      case 'invalid_value': {
        const values = issue.values.map(String);
        const hint = typeof issue.input === 'string' ? suggestion(issue.input, values) : '';
        err(path, `${show(issue.input)} is not one of: ${values.join(', ')}${hint}`);
        break;
      }
      case 'too_small':
        if (issue.origin === 'array') {
          const n = Number(issue.minimum);
          err(path, `needs at least ${n} ${n === 1 ? 'entry' : 'entries'}`);
        } else if (issue.origin === 'string') err(path, 'must not be empty');
        else err(path, issue.message);
        break;
      case 'too_big':
        if (issue.origin === 'array') err(path, `has more than ${Number(issue.maximum)} entries`);
        else err(path, issue.message);
        break;
      case 'custom': {
        const atKey = (issue.params as { atKey?: boolean } | undefined)?.atKey === true;
        err(path, issue.message, atKey);
        break;
      }
      default:
        err(path, issue.message);
    }
  }
  return out;
}
