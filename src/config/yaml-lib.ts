// The YAML library, loaded on first use: a daemon started from a config object (the library API,
// the bench) never parses or writes YAML, and its process need not hold the parser (issue 13:
// the process's fixed memory). `yaml` is CommonJS under Node, so a synchronous require keeps the
// config loader synchronous.

import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let lib: typeof Yaml | undefined;

export function yamlLib(): typeof Yaml {
  return (lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
