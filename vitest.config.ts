import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'interop/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Interop scenarios bind fixed loopback addresses per test; files run in parallel but each
    // file owns its own address block (see interop/harness/addresses.ts).
    pool: 'forks',
    reporters: ['default', ['json', { outputFile: '.ci/report.json' }]],
  },
});
