// The VRF workloads of issue 6, run in-process on vrfleak's RIB and leak engine (no sockets: what is
// timed is the engine converging, from the configuration to the last best-path change settled).
//   fanout:    1000 VRFs of 1000 routes each, plus a SHARED VRF (100 routes) leaked into all of them
//   rt-change: a VRF whose import RT changes to one carried by 100k VPN routes from a peer
// Targets: workloads.ts.
// `node --expose-gc --import ./bench/register.mjs bench/vrf.ts [fanout|rt-change|all] [--json]`

import { readFileSync } from 'node:fs';
import { EMPTY_ATTR_VALUES } from '../src/model/attrset.js';
import type { RouteOrigin } from '../src/model/route-origin.js';
import { Rib } from '../src/rib/rib.js';
import type { VrfDef } from '../src/vrf/defs.js';
import { rtFromText } from '../src/wire/ext-community.js';
import { rdFromText } from '../src/wire/rd.js';
import type { IpPrefix, VpnNlri } from '../src/wire/types.js';
import { collectHarnessGarbage } from './harness-gc.js';
import { engineOn } from './probe-rib.js';
import { VRF_WORKLOADS } from './workloads.js';

export interface VrfWorkloadResult {
  readonly name: 'vrf-fanout' | 'rt-change';
  readonly what: string;
  readonly seconds: number;
  /** CPU time of the process over the same span (user + system): steadier on a shared machine. */
  readonly cpuSeconds: number;
  /** Heap retained by the workload (after a full GC), MiB. */
  readonly heapMiB: number;
  readonly rssMiB: number;
  /** VmHWM of the process (the workload runs in a fresh one). */
  readonly peakRssMiB: number;
  readonly targetS: number;
}

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

function cpuSince(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

const gc = collectHarnessGarbage;

function def(name: string, rd: string, imp: string[], exp: string[], nets: IpPrefix[]): VrfDef {
  return {
    name,
    rd: rdFromText(rd),
    importRts: imp.map(rtFromText),
    exportRts: exp.map(rtFromText),
    exportMode: 'add',
    label: 100,
    allowReexport: false,
    conflict: 'prefer-local',
    allowasIn: 0,
    connected: [],
    networks: nets.map((prefix) => ({ prefix })),
    statics: [],
  };
}

const v4 = (addr: number, len: number): IpPrefix => ({ afi: 1, len, addr: addr >>> 0 });
const customer = (j: number): IpPrefix => v4((10 << 24) | ((j >> 8) << 16) | ((j & 255) << 8), 24);
const shared = (j: number): IpPrefix => v4((172 << 24) | (16 << 16) | (j << 8), 24);

export function fanout(vrfs = 1000, routes = 1000): VrfWorkloadResult {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const rib = new Rib();
  const sharedDef = def(
    'SHARED',
    '65000:1',
    [],
    ['65000:1'],
    Array.from({ length: 100 }, (_, j) => shared(j)),
  );
  const nets = Array.from({ length: routes }, (_, j) => customer(j));
  // A daemon started on this configuration: SHARED first, then the customers.
  const defs = [sharedDef];
  for (let i = 0; i < vrfs; i++) {
    const tag = `65000:${i + 10}`;
    defs.push(def(`C${i}`, tag, ['65000:1'], [tag], nets));
  }
  engineOn(rib, defs).propagation.commit();
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0);
  gc();
  const m = process.memoryUsage();
  if (rib.table('vpnv4').size !== vrfs * routes + 100) throw new Error('fan-out did not converge');
  return {
    name: 'vrf-fanout',
    what: `${vrfs} VRFs x ${routes} routes + SHARED (100 routes) leaked into all`,
    seconds,
    cpuSeconds,
    heapMiB: (m.heapUsed - heap0) / 2 ** 20,
    rssMiB: m.rss / 2 ** 20,
    peakRssMiB: peakRssMiB(),
    targetS: VRF_WORKLOADS.fanout.targetS,
  };
}

export function rtChange(routes = 100_000): VrfWorkloadResult {
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const rib = new Rib();
  const before = def('BLUE', '65000:5', ['65000:1'], ['65000:5'], []);
  const { engine, propagation } = engineOn(rib, [before]);
  const origin: RouteOrigin = {
    kind: 'peer',
    peer: {
      id: 7,
      address: '192.0.2.7',
      addrKey: 'c0000207',
      asn: 65007,
      bgpId: 0xc0000207,
      ibgp: false,
      rrClient: false,
    },
  };
  const values = {
    ...EMPTY_ATTR_VALUES,
    asPath: [{ type: 2 as const, asns: [65007] }],
    nextHop: { afi: 1 as const, addr: 0xc0000207 },
    extCommunities: [rtFromText('65007:2')],
  };
  const nlri: VpnNlri[] = Array.from({ length: routes }, (_, j) => ({
    kind: 'vpn',
    labels: [(16 << 4) | 1],
    rd: { hi: (0 << 16) | 65007, lo: 2 },
    prefix: v4((10 << 24) + j * 256, 24),
  }));
  rib.announce('vpnv4', 7, origin, values, nlri);
  propagation.commit();
  gc();
  // The change: BLUE now imports 65007:2, which all 100k VPN routes carry.
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const { steps } = engine.reconfigure({
    ...engine.config,
    vrfs: [{ ...before, importRts: [rtFromText('65007:2')] }],
  });
  propagation.loadAll(steps);
  propagation.commit();
  const seconds = (performance.now() - t0) / 1000;
  const cpuSeconds = cpuSince(c0);
  if (rib.table('ipv4', 'BLUE').size !== routes) throw new Error('RT change did not converge');
  gc();
  const m = process.memoryUsage();
  return {
    name: 'rt-change',
    what: `import RT of a VRF changed to one carried by ${routes / 1000}k VPN routes`,
    seconds,
    cpuSeconds,
    heapMiB: (m.heapUsed - heap0) / 2 ** 20,
    rssMiB: m.rss / 2 ** 20,
    peakRssMiB: peakRssMiB(),
    targetS: VRF_WORKLOADS.rtChange.targetS,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const which = process.argv[2] ?? 'all';
  const out: VrfWorkloadResult[] = [];
  if (which === 'fanout' || which === 'all') out.push(fanout());
  if (which === 'rt-change' || which === 'all') out.push(rtChange());
  for (const r of out)
    console.log(
      process.argv.includes('--json')
        ? JSON.stringify(r)
        : `${r.name}: ${r.what}: ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s), heap +${r.heapMiB.toFixed(0)} MiB, rss ${r.rssMiB.toFixed(0)} MiB`,
    );
}
