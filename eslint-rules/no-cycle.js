// A local ESLint rule that reports import cycles among the files of src/. A cycle means two
// modules cannot be understood, tested or replaced apart, and with ES modules it can leave a
// binding undefined while the cycle is still being evaluated. Type-only imports count too: a
// cycle through types is still two modules that know each other.
//
// Each linted file under src/ is checked: for every relative import, is there a path of imports
// from the imported file back to this one? The graph is read from disk (the file being linted from
// its own text), with TypeScript's import scanner, and kept for the run.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The folder of the src/ tree a file belongs to, or undefined when it is outside one. */
function srcRoot(file) {
  const norm = file.split(path.sep).join('/');
  const i = norm.lastIndexOf('/src/');
  return i === -1 ? undefined : norm.slice(0, i + 5);
}

/** The .ts file a relative specifier names ('./x.js' is './x.ts' in the sources). */
function resolve(fromFile, spec) {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(fromFile), spec);
  const tries = base.endsWith('.js')
    ? [base.slice(0, -3) + '.ts', base]
    : [base, base + '.ts', path.join(base, 'index.ts')];
  for (const t of tries) {
    if (fs.existsSync(t) && fs.statSync(t).isFile()) return t;
  }
  return undefined;
}

function specifiersOf(text) {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function inRoot(file, root) {
  return file.split(path.sep).join('/').startsWith(root);
}

function depsFromText(file, text, root) {
  const deps = [];
  for (const spec of specifiersOf(text)) {
    const t = resolve(file, spec);
    if (t !== undefined && inRoot(t, root)) deps.push(t);
  }
  return deps;
}

/**
 * The resolved imports of every file read from disk, with the modification time they were read
 * at (a long-lived ESLint, as in an editor, sees edits); the linted file's own text wins.
 */
const depsCache = new Map();

function depsOf(file, root) {
  const c = depsCache.get(file);
  if (c !== undefined && c.mtime === undefined) return c.deps;
  let mtime = 0;
  try {
    mtime = fs.statSync(file).mtimeMs;
  } catch {
    return [];
  }
  if (c !== undefined && c.mtime === mtime) return c.deps;
  const deps = depsFromText(file, fs.readFileSync(file, 'utf8'), root);
  depsCache.set(file, { mtime, deps });
  return deps;
}

/** A path of imports from `start` to `target` (both included), or undefined. */
function pathTo(start, target, root) {
  const seen = new Set([start]);
  const prev = new Map();
  const queue = [start];
  while (queue.length) {
    const f = queue.shift();
    if (f === target) {
      const out = [f];
      for (let x = f; prev.has(x);) {
        x = prev.get(x);
        out.unshift(x);
      }
      return out;
    }
    for (const d of depsOf(f, root)) {
      if (seen.has(d)) continue;
      seen.add(d);
      prev.set(d, f);
      queue.push(d);
    }
  }
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Report import cycles among the files of src/' },
    messages: {
      cycle: 'Import cycle: {{cycle}}.',
    },
    schema: [],
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const root = srcRoot(filename);
    if (root === undefined) return {};
    const self = path.resolve(filename);
    const rel = (f) => path.relative(path.dirname(root), f).split(path.sep).join('/');
    function check(node, spec) {
      if (typeof spec !== 'string') return;
      const target = resolve(self, spec);
      if (target === undefined || !inRoot(target, root)) return;
      const back = target === self ? [self] : pathTo(target, self, root);
      if (back === undefined) return;
      context.report({
        node,
        messageId: 'cycle',
        data: { cycle: [self, ...back].map(rel).join(' -> ') },
      });
    }
    return {
      Program() {
        // The file being linted may differ from the disk (an editor buffer, lintText): its own
        // text is read for this run, and read from disk again by the next one.
        depsCache.set(self, {
          mtime: undefined,
          deps: depsFromText(self, context.sourceCode.text, root),
        });
      },
      'Program:exit'() {
        depsCache.delete(self);
      },
      ImportDeclaration(node) {
        check(node, node.source.value);
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node, node.source.value);
      },
      ExportAllDeclaration(node) {
        check(node, node.source.value);
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value);
      },
    };
  },
};
