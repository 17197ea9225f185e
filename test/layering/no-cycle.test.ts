import { ESLint } from 'eslint';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { afterAll, describe, expect, it } from 'vitest';
import noCycle from '../../eslint-rules/no-cycle.js';

// The cycle rule reads the import graph from disk, so each case writes a small src/ tree into a
// scratch folder and lints one file of it with the rule alone. The last case checks that the
// repository's lint configuration enables the rule on src/.
const root = path.resolve(import.meta.dirname, '../..');
const scratch = mkdtempSync(path.join(tmpdir(), 'vrfleak-no-cycle-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
/** Writes the files of a tree under a fresh src/ and lints `file`: the cycle messages. */
async function lintTree(files: Record<string, string>, file: string): Promise<string[]> {
  const src = path.join(scratch, `t${n++}`, 'src');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(src, name)), { recursive: true });
    writeFileSync(path.join(src, name), text);
  }
  const eslint = new ESLint({
    cwd: scratch,
    overrideConfigFile: true,
    overrideConfig: {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { vrfleak: { rules: { 'no-cycle': noCycle } } },
      rules: { 'vrfleak/no-cycle': 'error' },
    },
  });
  const [result] = await eslint.lintFiles([path.join(src, file)]);
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'vrfleak/no-cycle')
    .map((m) => m.message);
}

describe('import cycle lint rule', () => {
  it('reports a cycle of two files, naming the path', async () => {
    const msgs = await lintTree(
      {
        'rib/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
        'rib/b.ts': "import { a } from './a.js';\nexport const b = () => a;\n",
      },
      'rib/a.ts',
    );
    expect(msgs).toEqual(['Import cycle: src/rib/a.ts -> src/rib/b.ts -> src/rib/a.ts.']);
  });
  it('reports a longer cycle across folders, through type-only imports and re-exports', async () => {
    const msgs = await lintTree(
      {
        'daemon/a.ts': "import type { B } from '../rib/b.js';\nexport type A = B;\n",
        'rib/b.ts': "export type { C as B } from '../wire/c.js';\n",
        'wire/c.ts': "import type { A } from '../daemon/a.js';\nexport type C = A | number;\n",
      },
      'wire/c.ts',
    );
    expect(msgs).toEqual([
      'Import cycle: src/wire/c.ts -> src/daemon/a.ts -> src/rib/b.ts -> src/wire/c.ts.',
    ]);
  });
  it('stays quiet on a graph without a cycle (shared imports are not cycles)', async () => {
    const msgs = await lintTree(
      {
        'rib/a.ts':
          "import { b } from './b.js';\nimport { c } from './c.js';\nexport const a = b + c;\n",
        'rib/b.ts': "import { c } from './c.js';\nexport const b = c;\n",
        'rib/c.ts':
          "import { readFileSync } from 'node:fs';\nexport const c = String(readFileSync);\n",
      },
      'rib/a.ts',
    );
    expect(msgs).toEqual([]);
  });
  it('is enabled on src/ by the lint configuration', async () => {
    const eslint = new ESLint({ cwd: root });
    const config = (await eslint.calculateConfigForFile(
      path.join(root, 'src/daemon/daemon.ts'),
    )) as { rules: Record<string, unknown> };
    expect(config.rules['vrfleak/no-cycle']).toEqual([2]);
  });
});
