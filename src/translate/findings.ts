// What a translation says about each source line: what it became, or why it was left out. Nothing
// of the source is dropped silently: every line that is not blank or a comment gets one finding.

export type FindingKind =
  /** The line became part of the vrfleak config (`what` says where). */
  | 'translated'
  /** The line has no effect in vrfleak and needs none (`exit`, `commit`, a description). */
  | 'ignored'
  /** The line was understood, but vrfleak cannot express it or it was refused. */
  | 'left-out'
  /** The line parses as nothing in the dialect. */
  | 'unknown';

export interface Finding {
  readonly line: number;
  readonly kind: FindingKind;
  readonly message: string;
  /** The source line as written (trimmed). */
  readonly text: string;
}

/** A value the source does not give, which the translation had to choose (a VRF's RD, the ASN). */
export interface Assumption {
  /** Key path in the output (`vrfs.RED.rd`). */
  readonly path: string;
  readonly message: string;
  readonly lines: readonly number[];
}

/** `12-14,20`: line numbers as ranges. */
export function lineRanges(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return out.join(',');
}

/** The stderr/comment form of a finding that is not a translation: `FILE:LINE: message`. */
export function findingText(file: string, f: Finding): string {
  const what =
    f.kind === 'unknown' ? 'parses as nothing' : f.kind === 'left-out' ? 'left out' : 'ignored';
  return `${file}:${f.line}: ${what}: ${f.message} (${JSON.stringify(f.text)})`;
}
