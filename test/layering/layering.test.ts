import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The layering rule is lint configuration; this proves it actually fires on forbidden imports and
// stays quiet on allowed ones, by linting in-memory sources placed at virtual paths under src/.
const root = path.resolve(import.meta.dirname, '../..');

async function lint(virtualPath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, virtualPath) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'vrfleak/layering')
    .map((m) => m.message);
}

describe('import layering lint rule', () => {
  it('refuses wire importing from model', async () => {
    const msgs = await lint(
      'src/wire/probe.ts',
      "import { x } from '../model/x.js';\nexport const y = x;\n",
    );
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatch(/src\/wire imports nothing outside/);
  });
  it('refuses wire importing a package', async () => {
    const msgs = await lint(
      'src/wire/probe.ts',
      "import pino from 'pino';\nexport const y = pino;\n",
    );
    expect(msgs).toHaveLength(1);
  });
  it('refuses rib importing from vrf (upward)', async () => {
    const msgs = await lint(
      'src/rib/probe.ts',
      "import { x } from '../vrf/x.js';\nexport const y = x;\n",
    );
    expect(msgs).toEqual([expect.stringMatching(/src\/rib may not import from src\/vrf/)]);
  });
  it('refuses session importing policy (siblings)', async () => {
    const msgs = await lint(
      'src/session/probe.ts',
      "import { x } from '../policy/x.js';\nexport const y = x;\n",
    );
    expect(msgs).toEqual([expect.stringMatching(/siblings/)]);
  });
  it('refuses cli being imported by api, and re-exports count too', async () => {
    const msgs = await lint('src/api/probe.ts', "export { x } from '../cli/x.js';\n");
    expect(msgs).toHaveLength(1);
  });
  it('allows downward imports and node built-ins in wire', async () => {
    expect(
      await lint('src/vrf/probe.ts', "import { x } from '../rib/x.js';\nexport const y = x;\n"),
    ).toEqual([]);
    expect(
      await lint('src/cli/probe.ts', "import { x } from '../wire/x.js';\nexport const y = x;\n"),
    ).toEqual([]);
    expect(
      await lint(
        'src/wire/probe.ts',
        "import { Buffer } from 'node:buffer';\nimport { r } from './reader.js';\nexport const y = [Buffer, r];\n",
      ),
    ).toEqual([]);
  });
});
