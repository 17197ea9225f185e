// Reading router config text: lines with their numbers and indentation, words, and descriptor
// tables (a word pattern per command and what it does) run against them in the current mode.
// The dialect parsers are tables for this engine, not switches of their own.

export interface SourceLine {
  /** 1-based line number in the file. */
  readonly no: number;
  readonly indent: number;
  /** The line without a CLI prompt, trimmed. */
  readonly text: string;
  readonly words: readonly string[];
}

export interface LineSyntax {
  /** A line starting with one of these (after indentation) is a comment. */
  readonly comment: readonly string[];
  /** A CLI prompt pasted with the command (`R1(config-vrf)# `), removed before parsing. */
  readonly prompt?: RegExp;
}

/** Splits text into non-blank, non-comment lines with their numbers. */
export function sourceLines(text: string, syntax: LineSyntax): SourceLine[] {
  const out: SourceLine[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    let body = raw.replace(/\t/g, ' ');
    if (syntax.prompt) body = body.replace(syntax.prompt, '');
    const indent = body.length - body.trimStart().length;
    const t = body.trim();
    if (t === '' || syntax.comment.some((c) => t.startsWith(c))) return;
    out.push({ no: i + 1, indent, text: t, words: words(t) });
  });
  return out;
}

/** Words split on blanks; a quoted string ('...' or "...") is one word without its quotes. */
function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** What a pattern captured: `$name` words and the `...rest` words. */
export interface Match {
  readonly args: Readonly<Record<string, string>>;
  readonly rest: readonly string[];
}

/**
 * Matches words against a pattern: a literal word (case-insensitive), `$name` (any one word),
 * `$name:a|b` (one of these words, lower-cased), `...` as the last token (any words, kept in rest).
 * Without `...` the pattern must use every word.
 */
export function matchWords(pattern: string, ws: readonly string[]): Match | undefined {
  const toks = pattern.split(' ');
  const args: Record<string, string> = {};
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t === '...') return { args, rest: ws.slice(i) };
    const w = ws[i];
    if (w === undefined) return undefined;
    if (t.startsWith('$')) {
      const [name, choices] = t.slice(1).split(':');
      if (choices !== undefined) {
        if (!choices.split('|').includes(w.toLowerCase())) return undefined;
        args[name!] = w.toLowerCase();
      } else args[name!] = w;
    } else if (t.toLowerCase() !== w.toLowerCase()) return undefined;
  }
  return toks.length === ws.length ? { args, rest: [] } : undefined;
}

/** The mode a line is read in, and what it is inside of (`vrf`, `route-map`...). */
export interface Mode {
  readonly name: string;
  /** The block's subject: VRF name, route map and seq, interface... */
  readonly at: Readonly<Record<string, string>>;
  /** The line that opened the block. */
  readonly line?: number;
  readonly indent: number;
}

export const GLOBAL: Mode = { name: 'global', at: {}, indent: -1 };

/** What a rule can do with the line it matched. */
export interface RuleCx {
  readonly line: SourceLine;
  readonly mode: Mode;
  /** Enter a block (its lines follow, indented or not). */
  enter(name: string, at?: Record<string, string>): void;
  /** Leave the current block. */
  exit(): void;
}

export interface Rule<C> {
  /** The modes the rule is valid in. */
  readonly in: readonly string[];
  readonly pattern: string;
  run(m: Match, cx: RuleCx & C): void;
}

/**
 * Runs each line through the rules of its mode. A line is tried in the current block first, then,
 * as a router's CLI does, in the blocks around it (a line indented no deeper than a block's header
 * has left that block). `none` is called for a line no rule matches.
 */
export function runRules<C>(
  lines: readonly SourceLine[],
  rules: readonly Rule<C>[],
  extra: (line: SourceLine, mode: Mode) => C,
  none: (line: SourceLine, mode: Mode) => void,
): void {
  let stack: Mode[] = [GLOBAL];
  for (const line of lines) {
    // Indentation closes blocks: a line not deeper than a block's header is outside it.
    while (stack.length > 1 && line.indent > 0 && line.indent <= stack[stack.length - 1]!.indent)
      stack = stack.slice(0, -1);
    let done = false;
    for (let depth = stack.length - 1; depth >= 0 && !done; depth--) {
      const mode = stack[depth]!;
      for (const rule of rules) {
        if (!rule.in.includes(mode.name)) continue;
        const m = matchWords(rule.pattern, line.words);
        if (!m) continue;
        const base = stack.slice(0, depth + 1);
        let next = base;
        const cx: RuleCx = {
          line,
          mode,
          enter: (name, at = {}) => {
            next = [
              ...base,
              { name, at: { ...mode.at, ...at }, line: line.no, indent: line.indent },
            ];
          },
          exit: () => {
            next = base.length > 1 ? base.slice(0, -1) : base;
          },
        };
        rule.run(m, Object.assign(cx, extra(line, mode)));
        stack = next;
        done = true;
        break;
      }
    }
    if (!done) none(line, stack[stack.length - 1]!);
  }
}
