// What config problems look like to the operator: FILE:LINE:COL: key.path: message.

export type KeyPath = readonly (string | number)[];

export type Severity = 'error' | 'warning';

/** A problem found in the parsed config, before it is given a file position. */
export interface ConfigProblem {
  readonly path: KeyPath;
  readonly message: string;
  readonly severity: Severity;
  /** Point at the key itself rather than its value (unknown keys, bad names). */
  readonly atKey?: boolean;
}

export class ConfigError {
  constructor(
    readonly file: string,
    /** 1-based. */
    readonly line: number,
    /** 1-based. */
    readonly column: number,
    readonly keyPath: string,
    readonly message: string,
    readonly severity: Severity = 'error',
  ) {}

  toString(): string {
    const where = `${this.file}:${this.line}:${this.column}: `;
    const sev = this.severity === 'warning' ? 'warning: ' : '';
    const key = this.keyPath === '' ? '' : `${this.keyPath}: `;
    return `${where}${sev}${key}${this.message}`;
  }
}

/** `vrfs.CUSTOMER-A.static-routes[0].next-hop-vrf` */
export function formatKeyPath(path: KeyPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    // A name that would read as more than one step is quoted.
    else if (!/^[A-Za-z0-9_-]+$/.test(seg)) out += `[${JSON.stringify(seg)}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const sub = (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      cur.push(Math.min(sub, (prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The one candidate close enough to `word` to be what was meant, if any. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/_/g, '-');
  const w = norm(word);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(w, norm(c));
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  const limit = w.length >= 8 ? 3 : w.length >= 4 ? 2 : 1;
  return bestD <= limit ? best : undefined;
}

export function suggestion(word: string, candidates: readonly string[]): string {
  const s = didYouMean(word, candidates);
  return s === undefined ? '' : `; did you mean "${s}"?`;
}
