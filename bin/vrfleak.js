#!/usr/bin/env -S node --v8-pool-size=0
// The `vrfleak` command as npm links it (package.json "bin"). This file is committed, so it exists in
// a fresh clone before any build: npm links no bin whose file is missing, and `npx vrfleak` called
// before `npm run build` would cache the package without its bin and keep failing after the build.
// It runs the compiled CLI, or says what to run while dist/ is missing. The first line starts node
// with the daemon's launch flags (src/daemon/v8-tuning.ts NODE_LAUNCH_FLAGS).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli', 'main.js');
if (!existsSync(cli)) {
  process.stderr.write(
    `vrfleak is not built yet (${cli} is missing).\n` +
      `Run \`npm ci && npm run build\` in ${root}, then call vrfleak again.\n`,
  );
  process.exit(1);
}
await import(pathToFileURL(cli).href);
