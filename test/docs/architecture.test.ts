// docs/ARCHITECTURE.md is where users and maintainers learn the design: every link in it must reach
// a file or folder of the repository, and the README must send readers there (not to a path outside
// the repository).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const doc = join(root, 'docs/ARCHITECTURE.md');
const text = readFileSync(doc, 'utf8');

/** Relative link targets of a markdown text, without anchors. */
function links(md: string): string[] {
  return [...md.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((href) => !/^[a-z]+:/.test(href) && !href.startsWith('#'))
    .map((href) => href.replace(/#.*$/, ''));
}

describe('docs/ARCHITECTURE.md', () => {
  it('links into the code, and every link resolves', () => {
    const all = links(text);
    expect(all.length).toBeGreaterThan(30);
    const missing = all.filter((href) => !existsSync(resolve(dirname(doc), href)));
    expect(missing).toEqual([]);
  });

  it('names the parts the design decided: the propagation loop, the dependency graph, the Adj-RIBs', () => {
    for (const file of [
      '../src/daemon/propagate.ts',
      '../src/config/deps.ts',
      '../src/api/apply.ts',
      '../src/rib/adj-in.ts',
      '../src/rib/adj-rib-out.ts',
      '../src/daemon/ingest.ts',
    ])
      expect(links(text)).toContain(file);
  });

  it('is where the README sends readers for the design', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    expect(readme).toContain('](docs/ARCHITECTURE.md)');
    expect(readme).not.toContain('../shared/DESIGN.md');
  });
});
