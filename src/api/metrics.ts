// Prometheus metrics at /metrics. Values are read from the daemon when scraped (collect), so the
// hot path keeps no extra counters: the daemon already counts UPDATEs per peer and the tables know
// their sizes. One registry per API instance (tests start several daemons in one process).

import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Registry } from 'prom-client';
import { TABLE_FAMILIES, type ApiService } from './service.js';

const FSM_STATES = ['Idle', 'Connect', 'Active', 'OpenSent', 'OpenConfirm', 'Established'];

export interface Metrics {
  readonly registry: Registry;
  close(): void;
}

export function createMetrics(s: ApiService): Metrics {
  const registry = new Registry();
  const d = s.daemon;
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();

  new Gauge({
    name: 'vrfleak_sessions',
    help: 'BGP sessions by FSM state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const counts = new Map(FSM_STATES.map((x) => [x, 0]));
      for (const p of d.peers.values())
        counts.set(p.shell.state, (counts.get(p.shell.state) ?? 0) + 1);
      for (const [state, n] of counts) this.set({ state }, n);
    },
  });
  new Gauge({
    name: 'vrfleak_routes',
    help: 'Destinations per table: the global tables by family, and each VRF table',
    labelNames: ['table', 'family'],
    registers: [registry],
    collect() {
      this.reset();
      for (const f of TABLE_FAMILIES) this.set({ table: 'global', family: f }, d.rib.table(f).size);
      for (const v of s.vrf.vrfs()) {
        if (v.routes.ipv4 !== null) this.set({ table: v.name, family: 'ipv4' }, v.routes.ipv4);
        if (v.routes.ipv6 !== null) this.set({ table: v.name, family: 'ipv6' }, v.routes.ipv6);
      }
    },
  });
  new Counter({
    name: 'vrfleak_updates_received_total',
    help: 'UPDATE messages received per peer',
    labelNames: ['peer'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of d.peers.values()) this.inc({ peer: p.opts.address }, p.updatesIn);
    },
  });
  new Counter({
    name: 'vrfleak_updates_sent_total',
    help: 'UPDATE messages sent per peer',
    labelNames: ['peer'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of d.peers.values()) this.inc({ peer: p.opts.address }, p.updatesOut);
    },
  });
  new Gauge({
    name: 'vrfleak_leak_conflicts',
    help: 'Current leak conflicts (a VRF route beating a leaked route for the same prefix)',
    registers: [registry],
    collect() {
      this.set(s.vrf.conflicts().length);
    },
  });
  new Gauge({
    name: 'vrfleak_fib_routes',
    help: 'Routes vrfleak has in the kernel tables (fib), as the kernel confirmed them',
    registers: [registry],
    collect() {
      this.set(d.fibSync?.size ?? 0);
    },
  });
  new Counter({
    name: 'vrfleak_fib_operations_total',
    help: 'Kernel route operations that succeeded, by operation (put, remove)',
    labelNames: ['op'],
    registers: [registry],
    collect() {
      this.reset();
      this.inc({ op: 'put' }, d.fibSync?.counters.installs ?? 0);
      this.inc({ op: 'remove' }, d.fibSync?.counters.removes ?? 0);
    },
  });
  new Counter({
    name: 'vrfleak_fib_failures_total',
    help: 'Selected routes or bindings the kernel tables did not get, by reason',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [reason, n] of d.fibSync?.counters.failures ?? []) this.inc({ reason }, n);
    },
  });
  new Gauge({
    name: 'vrfleak_leak_violations',
    help: "Current leak violations per VRF and kind (routes against the VRF's expect section)",
    labelNames: ['vrf', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const v of s.vrf.violations()) this.inc({ vrf: v.vrf, kind: v.kind });
    },
  });
  new Counter({
    name: 'vrfleak_leak_violations_raised_total',
    help: 'Leak violations raised per VRF since the daemon started',
    labelNames: ['vrf'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [vrf, c] of d.monitor?.counts() ?? []) this.inc({ vrf }, c.raised);
    },
  });
  new Gauge({
    name: 'vrfleak_event_loop_delay_seconds',
    help: 'Event loop delay since the last scrape',
    labelNames: ['quantile'],
    registers: [registry],
    collect() {
      const q = (p: number) => (loop.count ? loop.percentile(p) / 1e9 : 0);
      this.set({ quantile: '0.5' }, q(50));
      this.set({ quantile: '0.99' }, q(99));
      this.set({ quantile: '1' }, loop.count ? loop.max / 1e9 : 0);
      loop.reset();
    },
  });
  return { registry, close: () => loop.disable() };
}
