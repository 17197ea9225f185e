// A two-hop path for GTSM tests, built from network namespaces this test run creates itself:
//
//   vrfleak (this process)  --veth--  ns R (forwards; 1 hop)  --veth--  ns P (2 hops)
//   198.18.N.1/24                     198.18.N.2 | 198.19.N.1          198.19.N.2/24
//
// On loopback every peer is 0 hops away; here each packet through R loses one TTL, so a peer in P
// is further away than one in R. Names carry the pid, so nothing of another run (or any other
// namespace of the machine) is touched; remove() deletes both namespaces (and with them the veth
// pairs, addresses and the route), and runs at process exit too if a test dies before afterAll.

import { execFileSync } from 'node:child_process';

export interface TwoHops {
  readonly router: string;
  readonly far: string;
  /** vrfleak's address (root namespace). */
  readonly local: string;
  /** R's address on vrfleak's link: one hop away. */
  readonly near: string;
  /** P's address: two hops away. */
  readonly farAddress: string;
  remove(): void;
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function buildTwoHops(): TwoHops {
  const id = process.pid % 100000;
  const n = process.pid % 250;
  const router = `vlk-gtsm-r-${process.pid}`;
  const far = `vlk-gtsm-p-${process.pid}`;
  const [a, b, c, d] = [`gt${id}a`, `gt${id}b`, `gt${id}c`, `gt${id}d`];
  const local = `198.18.${n}.1`;
  const near = `198.18.${n}.2`;
  const farAddress = `198.19.${n}.2`;
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    for (const ns of [far, router]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Not created (a failed build) or already gone.
      }
    }
    process.off('exit', remove);
  };
  process.on('exit', remove);
  try {
    ip('netns', 'add', router);
    ip('netns', 'add', far);
    ip('link', 'add', a, 'type', 'veth', 'peer', 'name', b, 'netns', router);
    ip('link', 'add', c, 'netns', router, 'type', 'veth', 'peer', 'name', d, 'netns', far);
    ip('addr', 'add', `${local}/24`, 'dev', a);
    ip('link', 'set', a, 'up');
    const inR = (...args: string[]) => ip('-n', router, ...args);
    const inP = (...args: string[]) => ip('-n', far, ...args);
    inR('link', 'set', 'lo', 'up');
    inR('addr', 'add', `${near}/24`, 'dev', b);
    inR('addr', 'add', `198.19.${n}.1/24`, 'dev', c);
    inR('link', 'set', b, 'up');
    inR('link', 'set', c, 'up');
    execFileSync('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    inP('link', 'set', 'lo', 'up');
    inP('addr', 'add', `${farAddress}/24`, 'dev', d);
    inP('link', 'set', d, 'up');
    inP('route', 'add', 'default', 'via', `198.19.${n}.1`);
    ip('route', 'add', `198.19.${n}.0/24`, 'via', near, 'dev', a);
  } catch (e) {
    remove();
    throw e;
  }
  return { router, far, local, near, farAddress, remove };
}
