// The README must not drift: the demo it promises comes up on the ports it names and answers the
// commands of its session block with exactly the text shown; the CLI and config references name
// every command and every top-level key there is; `npm start` is what the quick start says.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram, runCli, type Io } from '../../src/cli/commands.js';
import { configSchema } from '../../src/config/schema.js';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

function capture(): Io & { out_: string; err_: string } {
  const io = {
    out_: '',
    err_: '',
    out: (s: string) => void (io.out_ += s),
    err: (s: string) => void (io.err_ += s),
  };
  return io;
}

/** `$ vrfleak ...` commands of the checked console block, each with the output shown under it. */
function session(): { argv: string[]; expected: string }[] {
  const at = readme.indexOf('<!-- checked by test/docs/readme.test.ts');
  const block = /```console\n([\s\S]*?)```/.exec(readme.slice(at))?.[1] ?? '';
  const out: { argv: string[]; expected: string }[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('$ vrfleak ')) out.push({ argv: line.slice(10).split(' '), expected: '' });
    else if (out.length) out[out.length - 1]!.expected += line + '\n';
  }
  // The block ends with a newline before the fence: the last output has one too many.
  if (out.length) out[out.length - 1]!.expected = out[out.length - 1]!.expected.replace(/\n$/, '');
  return out;
}

describe('the quick start', () => {
  let stop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    // What `npm start` runs after the build: the CLI's run command on the example, with its ports
    // (BGP on 127.0.0.10:1179, the API on 127.0.0.1:8179).
    const io = capture();
    const code = await runCli(['run', '--config', 'examples/shared-services.yaml'], io, {
      keepRunning: (s) => (stop = s),
    });
    expect(code, io.err_).toBe(0);
    expect(io.err_).toContain('API http://127.0.0.1:8179');
    expect(io.err_).toContain('vrfleak show bgp summary');
  });
  afterAll(async () => {
    await stop?.();
  });

  it("the README shows a session of at least the VRFs and CUSTOMER-A's table", () => {
    const cmds = session().map((c) => c.argv.join(' '));
    expect(cmds).toContain('show vrf');
    expect(cmds).toContain('show ip route vrf CUSTOMER-A');
  });

  it.each(session())('vrfleak $argv prints what the README shows', async ({ argv, expected }) => {
    const io = capture();
    const code = await runCli(argv, io);
    expect(io.err_).toBe('');
    expect(code).toBe(0);
    expect(io.out_).toBe(expected);
  });

  it("show ip route vrf CUSTOMER-A has SHARED's routes leaked in, and not CUSTOMER-B's", async () => {
    const io = capture();
    await runCli(['show', 'ip', 'route', 'vrf', 'CUSTOMER-A', '--json'], io);
    const routes = JSON.parse(io.out_) as { prefix: string; source: string; fromVrf?: string }[];
    expect(routes.filter((r) => r.fromVrf === 'SHARED').map((r) => r.prefix)).toContain(
      '10.100.0.0/16',
    );
    expect(routes.some((r) => r.prefix.startsWith('10.2.'))).toBe(false);
  });
});

describe('the references', () => {
  it('npm start builds and runs the example; the bin is the compiled src/cli/main.ts', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
      scripts: Record<string, string>;
      bin: Record<string, string>;
    };
    expect(readme).toContain('npm ci && npm start');
    expect(pkg.scripts.start).toBe(
      'npm run build && ./bin/vrfleak.js run --config examples/shared-services.yaml',
    );
    // The committed launcher (bin/vrfleak.js) runs the compiled CLI.
    expect(pkg.bin.vrfleak).toBe('bin/vrfleak.js');
    expect(readFileSync(new URL('bin/vrfleak.js', root), 'utf8')).toContain(
      "join(root, 'dist', 'cli', 'main.js')",
    );
    const build = JSON.parse(readFileSync(new URL('tsconfig.build.json', root), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
  });

  it('the CLI reference names every command, and every command it names exists', () => {
    const program = buildProgram(capture());
    const names: string[] = [];
    for (const c of program.commands) {
      if (c.name() === 'show') for (const s of c.commands) names.push(`show ${s.name()}`);
      else names.push(c.name());
    }
    const section = readme.slice(readme.indexOf('## CLI reference'), readme.indexOf('## HTTP API'));
    for (const n of names) expect(section, n).toContain(`\`vrfleak ${n}`);
    for (const m of section.matchAll(/`vrfleak ([a-z-]+)(?: ([a-z0-9]+))?/g)) {
      const named = m[1] === 'show' ? `show ${m[2]}` : m[1]!;
      expect(names, named).toContain(named);
    }
  });

  it('the config reference names every neighbor and VRF key of the schema', () => {
    const section = readme.slice(
      readme.indexOf('## Config reference'),
      readme.indexOf('## Library API'),
    );
    const schema = readFileSync(new URL('src/config/schema.ts', root), 'utf8');
    const keysOf = (start: string, end: string, indent: number) => {
      const body = schema.slice(schema.indexOf(start), schema.indexOf(end, schema.indexOf(start)));
      return [...body.matchAll(new RegExp(`^ {${indent}}'?([a-z][a-z-]*)'?:`, 'gm'))].map(
        (m) => m[1]!,
      );
    };
    const neighbor = keysOf('export const neighborSchema', '.superRefine', 4);
    const vrf = keysOf('export const vrfSchema', '\n});', 2);
    expect(neighbor).toContain('hold-time');
    expect(vrf).toContain('import-map');
    for (const k of [...neighbor, ...vrf]) expect(section, k).toContain(`\`${k}\``);
  });

  it('the config reference names every top-level key of the schema', () => {
    const section = readme.slice(
      readme.indexOf('## Config reference'),
      readme.indexOf('## Library API'),
    );
    for (const key of Object.keys(configSchema.shape))
      expect(section, key).toContain(`| \`${key}\``);
  });
});
