// `vrfleak import` and `vrfleak export`: offline file commands like `check`. The translation lives
// in src/translate/; this reads the file, writes the output and says what was not translated.

import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfigFile } from '../config/load.js';
import { TARGET_NAMES, TARGETS } from '../translate/export.js';
import { findingText } from '../translate/findings.js';
import { DIALECT_NAMES, translate, UnknownDialect } from '../translate/translate.js';
import { CliError } from './client.js';

/** Where the command writes (commands.ts's Io). */
interface Io {
  out(s: string): void;
  err(s: string): void;
}

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new CliError(`${file}: cannot read the file (${e.code ?? e.message})`);
  });
}

async function emit(io: Io, text: string, out: string | undefined): Promise<void> {
  if (out === undefined) io.out(text);
  else await writeFile(out, text);
}

export function addTranslateCommands(program: Command, io: Io): void {
  program
    .command('import')
    .description(
      `translate a router's VRF and leaking config (${DIALECT_NAMES.join('|')}) into vrfleak YAML; what is not translated goes to stderr as FILE:LINE: message`,
    )
    .requiredOption('--from <dialect>', DIALECT_NAMES.join(' | '))
    .option('-o, --output <file>', 'write the YAML here instead of stdout')
    .argument('<file>', 'the router config')
    .action(async (file: string, o: { from: string; output?: string }) => {
      const text = await readText(file);
      let t;
      try {
        t = translate(text, file, o.from);
      } catch (e) {
        if (e instanceof UnknownDialect) throw new CliError('', [e.message]);
        throw e;
      }
      await emit(io, t.yaml, o.output);
      const missing = t.findings.filter((f) => f.kind === 'left-out' || f.kind === 'unknown');
      for (const f of missing) io.err(findingText(file, f) + '\n');
      for (const a of t.assumptions) io.err(`${file}: assumed ${a.path}: ${a.message}\n`);
      // A line that parses as nothing is bad input: the YAML is written, the exit code says so.
      if (t.findings.some((f) => f.kind === 'unknown')) throw new CliError('', [], 1);
    });

  program
    .command('export')
    .description(
      `render a vrfleak config's leak model as ${TARGET_NAMES.join('|')} configuration; what the target cannot express is said in the output and on stderr`,
    )
    .requiredOption('--to <target>', TARGET_NAMES.join(' | '))
    .option('-o, --output <file>', 'write the configuration here instead of stdout')
    .argument('<file>', 'the vrfleak config (YAML)')
    .action(async (file: string, o: { to: string; output?: string }) => {
      const render = TARGETS[o.to];
      if (!render)
        throw new CliError(`unknown target "${o.to}" (use one of ${TARGET_NAMES.join(', ')})`);
      const loaded = await loadConfigFile(file);
      if (!loaded.ok)
        throw new CliError(
          '',
          loaded.errors.map((e) => e.toString()),
        );
      const r = render(loaded.config);
      await emit(io, r.text, o.output);
      for (const n of r.notes) io.err(`${file}: ${o.to} cannot express: ${n}\n`);
    });
}
