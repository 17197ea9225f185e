// FIB install rate: 100k IPv4 routes put into a kernel table through the FIB's kernel port (the
// netlink socket, OPS_PER_SEND operations per send, as src/daemon/fib.ts drains its queue), then
// removed. Runs in a network namespace of its own (root): `npm run bench:fib`.
//   node --import ./bench/register.mjs bench/fib.ts [ROUTES]

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { OPS_PER_SEND } from '../src/kernel/netlink.js';
import { linuxKernel } from '../src/kernel/port.js';
import type { KernelOp } from '../src/kernel/types.js';

const NS = 'vbench-fib';
const TABLE = 1234;
const n = Number(process.argv[2] ?? 100_000);

function sh(args: string[]): string {
  return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 });
}

if (process.env.VRFLEAK_BENCH_INNER !== '1') {
  // Outside: make the namespace and a veth, run this file inside it, clean up whatever happens.
  try {
    execFileSync('ip', ['netns', 'del', NS], { stdio: 'ignore' });
  } catch {
    /* not there */
  }
  sh(['ip', 'netns', 'add', NS]);
  try {
    sh(['ip', '-n', NS, 'link', 'add', 'b0', 'type', 'veth', 'peer', 'name', 'b1']);
    for (const l of ['lo', 'b0', 'b1']) sh(['ip', '-n', NS, 'link', 'set', l, 'up']);
    sh(['ip', '-n', NS, 'addr', 'add', '10.255.0.1/24', 'dev', 'b0']);
    const self = fileURLToPath(import.meta.url);
    const register = new URL('./register.mjs', import.meta.url).pathname;
    execFileSync(
      'ip',
      ['netns', 'exec', NS, process.execPath, '--import', register, self, String(n)],
      { stdio: 'inherit', env: { ...process.env, VRFLEAK_BENCH_INNER: '1' } },
    );
  } finally {
    sh(['ip', 'netns', 'del', NS]);
  }
} else {
  const k = linuxKernel();
  if (typeof k === 'string') throw new Error(k);
  const puts: KernelOp[] = [];
  const removes: KernelOp[] = [];
  for (let i = 0; i < n; i++) {
    const prefix = { afi: 1 as const, len: 24, addr: (0x0b000000 + i * 256) >>> 0 };
    puts.push({
      op: 'put',
      route: {
        table: TABLE,
        prefix,
        nh: { kind: 'via', gateway: { afi: 1, addr: 0x0aff0002 }, ifname: 'b0' },
      },
    });
    removes.push({ op: 'remove', table: TABLE, prefix });
  }
  const run = (ops: KernelOp[]) => {
    const t0 = process.hrtime.bigint();
    let failed = 0;
    for (let i = 0; i < ops.length; i += OPS_PER_SEND) {
      for (const r of k.apply(ops.slice(i, i + OPS_PER_SEND))) if (!r.ok) failed++;
    }
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, failed };
  };
  const put = run(puts);
  const inKernel = sh(['ip', 'route', 'show', 'table', String(TABLE)]).split('\n').length - 1;
  const replace = run(puts);
  const del = run(removes);
  const left = sh(['ip', 'route', 'show', 'table', String(TABLE)]).trim();
  k.close();
  const rate = (ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');
  process.stdout.write(
    `install ${n} routes: ${put.ms.toFixed(0)} ms (${rate(put.ms)} routes/s), ${put.failed} failed, ${inKernel} in the table\n` +
      `replace: ${replace.ms.toFixed(0)} ms (${rate(replace.ms)}/s); remove: ${del.ms.toFixed(0)} ms (${rate(del.ms)}/s), ${left === '' ? 'table empty' : 'NOT EMPTY'}\n`,
  );
  if (put.failed || inKernel !== n || left !== '' || put.ms > 5000) process.exitCode = 1;
}
