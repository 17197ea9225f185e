// The context a dialect's rules get for one line: the draft and the words to say what became of
// the line. parse() runs a dialect's table over a file and marks every line no rule matched.

import { newDraft, note, type Draft } from './draft.js';
import {
  runRules,
  sourceLines,
  type LineSyntax,
  type Mode,
  type Rule,
  type SourceLine,
} from './lines.js';

export interface Cx {
  readonly d: Draft;
  readonly no: number;
  /** The line became `what` (a key path or a short description). */
  ok(what: string): void;
  /** The line needs no translation (`why`). */
  ignore(why: string): void;
  /** The line was understood but cannot be translated (`why`). */
  leftOut(why: string): void;
}

export interface Dialect {
  readonly name: string;
  readonly syntax: LineSyntax;
  readonly rules: readonly Rule<Cx>[];
  /** Called once the file is read, for what needs the whole file (VRF names used before defined). */
  finish?(d: Draft): void;
}

export function parse(text: string, dialect: Dialect): Draft {
  const d = newDraft();
  const cx = (line: SourceLine): Cx => ({
    d,
    no: line.no,
    ok: (what) => note(d, line, 'translated', what),
    ignore: (why) => note(d, line, 'ignored', why),
    leftOut: (why) => note(d, line, 'left-out', why),
  });
  const none = (line: SourceLine, mode: Mode) => {
    const where = mode.name === 'global' ? '' : ` (in the ${mode.name} block of line ${mode.line})`;
    note(d, line, 'unknown', `not a ${dialect.name} command vrfleak knows${where}`);
  };
  runRules(sourceLines(text, dialect.syntax), dialect.rules, cx, none);
  dialect.finish?.(d);
  return d;
}

/** Rules that make every line of a block left out with one reason (a block vrfleak has no use for). */
export function opaqueBlock(inModes: readonly string[], pattern: string, why: string): Rule<Cx>[] {
  const mode = `opaque:${pattern}`;
  return [
    {
      in: inModes,
      pattern,
      run: (_m, cx) => {
        cx.leftOut(why);
        cx.enter(mode);
      },
    },
    {
      in: [mode],
      pattern: '...',
      run: (_m, cx) => cx.leftOut(`inside the block of line ${cx.mode.line}: ${why}`),
    },
  ];
}
