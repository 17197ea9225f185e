// Every key path of the config schema, found by walking the zod schema itself (so a key added to
// src/config/schema.ts shows up here without anyone listing it). Lists are written `[]`, named maps
// (VRFs, route maps, lists) `*`: `vrfs.*.static-routes[].next-hop-vrf`.

import type { SchemaLike as Walkable } from '../../src/config/issues.js';
import { configSchema } from '../../src/config/schema.js';

function walk(s: Walkable, at: string, out: Set<string>): void {
  const def = s._zod.def;
  // Wrappers (optional, default, prefault, pipe, transform, preprocess, union) are the same key.
  for (const inner of [def.innerType, def.in, def.out, ...(def.options ?? [])]) {
    if (inner) walk(inner, at, out);
  }
  if (def.type === 'object') {
    for (const [k, v] of Object.entries(def.shape ?? {})) {
      const path = at === '' ? k : `${at}.${k}`;
      out.add(path);
      walk(v, path, out);
    }
  } else if (def.type === 'array' && def.element) walk(def.element, `${at}[]`, out);
  else if (def.type === 'record' && def.valueType) walk(def.valueType, `${at}.*`, out);
}

/** Every key path of the schema, sorted. */
export function schemaKeyPaths(schema: Walkable = configSchema as unknown as Walkable): string[] {
  const out = new Set<string>();
  walk(schema, '', out);
  return [...out].sort();
}
