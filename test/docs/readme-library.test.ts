// The README's library example must compile against the real API: extract it, point its
// `import ... from 'vrfleak'` at src/api/library.ts, and type-check it with the project's settings.
// (interop/scenarios/gobgp-vpn.test.ts runs the same calls against a real GoBGP.)

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('README library example', () => {
  it('type-checks against src/api/library.ts', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Library API'));
    const m = /```ts\n([\s\S]*?)```/.exec(section);
    expect(m, 'a ```ts block under "## Library API"').not.toBeNull();
    const code = m![1]!.replace(/from 'vrfleak'/, "from '../../../src/api/library.js'");
    expect(code).toMatch(/Speaker\.start\(/);
    const dir = join(root, 'test/docs/.generated');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'readme-example.ts');
    writeFileSync(file, `${code}\nexport {};\n`);
    const r = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--noUncheckedIndexedAccess',
        '--target',
        'ES2022',
        '--module',
        'NodeNext',
        '--moduleResolution',
        'NodeNext',
        '--types',
        'node',
        '--skipLibCheck',
        file,
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
    // A whole tsc run over src/: over a minute when the machine is loaded (seen at load 15+).
  }, 180_000);
});
