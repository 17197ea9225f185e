// A minimal TypeScript loader for the benchmarks (`node --import ./bench/register.mjs FILE.ts`):
// Node 20 cannot run .ts itself, and the benchmarks should not need a build. It transpiles with
// the TypeScript compiler the project already depends on (no type checking: `npm run typecheck`
// does that), and maps the `.js` specifiers NodeNext requires onto the `.ts` sources.

import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

// The hooks run in their own module graph (a data: URL cannot resolve bare names): hand them the
// compiler's location.
const tsUrl = pathToFileURL(createRequire(import.meta.url).resolve('typescript')).href;

register(
  `data:text/javascript,${encodeURIComponent(`
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from '${tsUrl}';

export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && ['.', '/', 'file:'].some((p) => specifier.startsWith(p))) {
    const url = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const out = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      sourceMap: false,
    },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
}
`)}`,
  import.meta.url,
);
