// Scale (issue 4, item 8): 1000 VRFs of 1000 routes each, plus a SHARED VRF leaked into every one
// of them, converge in one engine. No timing assertion: the time and memory are printed for the
// report (and the benchmark issue times it properly). The full invariant checker is quadratic in
// VRFs x VPN routes, so it runs on a 20-VRF world of the same shape; the big world is checked on a
// sample of VRFs by rules written out here.

import { describe, expect, it } from 'vitest';
import { Propagation } from '../../src/daemon/propagate.js';
import { Rib } from '../../src/rib/rib.js';
import { nlriKey } from '../../src/rib/keys.js';
import { compilePolicies } from '../../src/policy/compile.js';
import type { VrfDef } from '../../src/vrf/defs.js';
import { LeakEngine } from '../../src/vrf/engine.js';
import { checkLeakInvariants } from '../../src/vrf/invariants.js';
import type { IpPrefix } from '../../src/wire/types.js';
import { vrfDef } from './helpers.js';

// The full size takes about 4 s of CPU and 0.4 GB of retained heap (bench/RESULTS.md, VRF
// workloads): it runs with VRFLEAK_SCALE=full; the default run keeps the shape at a tenth of the VRFs.
const VRFS = Number(
  process.env['VRFLEAK_SCALE_VRFS'] ?? (process.env['VRFLEAK_SCALE'] === 'full' ? 1000 : 100),
);
const ROUTES = Number(process.env['VRFLEAK_SCALE_ROUTES'] ?? 1000);
const SHARED_ROUTES = 100;

/** 10.(j>>8).(j&255).0/24: every customer VRF uses the same space (overlap is the normal case). */
const customerPrefix = (j: number): IpPrefix => ({
  afi: 1,
  len: 24,
  addr: ((10 << 24) | ((j >> 8) << 16) | ((j & 255) << 8)) >>> 0,
});
/** 172.16.j.0/24 (SHARED's services). */
const sharedPrefix = (j: number): IpPrefix => ({
  afi: 1,
  len: 24,
  addr: ((172 << 24) | (16 << 16) | (j << 8)) >>> 0,
});

function customerDef(i: number, routes: number): VrfDef {
  const tag = `65000:${i + 10}`;
  return {
    ...vrfDef(`C${i}`, { rd: tag, export: [tag], import: ['65000:1'] }),
    networks: Array.from({ length: routes }, (_, j) => ({ prefix: customerPrefix(j) })),
  };
}

/**
 * SHARED, then every customer (yielding to the event loop between batches of 50 so the test
 * runner's worker stays responsive), then one commit that settles everything. Adding a VRF scans
 * the VPN table for what it imports (LeakEngine.importAll), so the customers are all added before
 * their exports fill that table.
 */
async function world(vrfs: number, routes: number): Promise<{ rib: Rib; engine: LeakEngine }> {
  const defs: VrfDef[] = [
    {
      ...vrfDef('SHARED', { rd: '65000:1', export: ['65000:1'] }),
      networks: Array.from({ length: SHARED_ROUTES }, (_, j) => ({ prefix: sharedPrefix(j) })),
    },
  ];
  const compiled = compilePolicies({});
  if (!compiled.ok) throw new Error('policies');
  const rib = new Rib();
  const engine = new LeakEngine(rib, {
    asn: 65000,
    vrfs: defs,
    policies: compiled.policies,
    denyInterVrfStatic: false,
  });
  const propagation = new Propagation(rib, engine);
  propagation.loadAll(engine.load());
  propagation.commit();
  for (let i = 0; i < vrfs; i += 50) {
    for (let k = i; k < Math.min(vrfs, i + 50); k++) {
      propagation.apply(engine.addVrf(customerDef(k, routes)));
    }
    await new Promise((r) => setImmediate(r));
  }
  propagation.commit();
  return { rib, engine };
}

describe('scale', () => {
  it('the full invariant checker holds on a 20-VRF world of the same shape', async () => {
    const { rib, engine } = await world(20, 50);
    expect(checkLeakInvariants(rib, engine)).toEqual([]);
    // Each customer: its 50 own routes plus SHARED's 100; the VPN table: 20 x 50 + 100 exports.
    expect(rib.table('ipv4', 'C7').dests.size).toBe(50 + SHARED_ROUTES);
    expect(rib.table('vpnv4').dests.size).toBe(20 * 50 + SHARED_ROUTES);
  });

  it(`${VRFS} VRFs x ${ROUTES} routes plus SHARED leaked into all of them converge`, async () => {
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const { rib, engine } = await world(VRFS, ROUTES);
    const ms = performance.now() - t0;
    global.gc?.();
    const mem = process.memoryUsage();
    console.log(
      `scale: ${VRFS} VRFs x ${ROUTES} routes + SHARED(${SHARED_ROUTES}) converged in ` +
        `${(ms / 1000).toFixed(1)} s; heap +${((mem.heapUsed - heap0) / 2 ** 20).toFixed(0)} MiB, ` +
        `rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(rib.table('vpnv4').dests.size).toBe(VRFS * ROUTES + SHARED_ROUTES);
    // All VRFs hold SHARED's routes.
    for (let i = 0; i < VRFS; i++) {
      const t = rib.table('ipv4', `C${i}`);
      expect(t.dests.size).toBe(ROUTES + SHARED_ROUTES);
    }
    // A sample, checked rule by rule: SHARED's routes are leaked (fromVrf SHARED, RD 65000:1), own
    // routes are own and exported under the VRF's RD, leaked ones are not re-exported.
    const vpn = rib.table('vpnv4');
    for (const i of [0, 1, Math.floor(VRFS / 2), VRFS - 1]) {
      const name = `C${i}`;
      const st = engine.vrfs.get(name)!;
      const t = rib.table('ipv4', name);
      for (let j = 0; j < SHARED_ROUTES; j += 9) {
        const p = sharedPrefix(j);
        const best = t.get(nlriKey({ kind: 'prefix', prefix: p }))?.best;
        expect(best?.origin).toMatchObject({ kind: 'leaked', fromVrf: 'SHARED' });
        expect(engine.isOwn(best!, st)).toBe(false);
        const own = vpn.get(nlriKey({ kind: 'vpn', labels: [], rd: st.def.rd, prefix: p }));
        expect(own).toBeUndefined();
      }
      for (let j = 0; j < ROUTES; j += 97) {
        const p = customerPrefix(j);
        const best = t.get(nlriKey({ kind: 'prefix', prefix: p }))?.best;
        expect(best?.origin).toMatchObject({ kind: 'local', vrf: name });
        const exp = vpn.get(nlriKey({ kind: 'vpn', labels: [], rd: st.def.rd, prefix: p }))?.best;
        expect(exp?.origin).toMatchObject({ kind: 'leaked', fromVrf: name });
        expect(exp?.attrs.rtKeys).toEqual([`0002fde8${(i + 10).toString(16).padStart(8, '0')}`]);
      }
    }
  }, 900_000);
});
