// The FIB: each mapped view's selected routes (a VRF's, the default table's) in a numbered kernel
// table. It reads the RIB's best-path changes as values (Rib.onEvent), and after each commit turns
// the destinations they touched into kernel operations (put, remove) handed to the kernel port a
// slice per event-loop turn. The RIB never sees the kernel. What it wants installed (`want`) runs
// ahead of what the kernel confirmed (`installed`); every decision is made against `want`, so an
// operation still queued is never contradicted. Reconcile (start, reload) reads back our own routes
// and removes what the RIB does not select; a stop removes everything unless graceful restart keeps
// it for the next start.

import type { EventLog } from '../log/events.js';
import type { Route } from '../model/route.js';
import type { KernelPort } from '../kernel/port.js';
import type { BindMode } from '../kernel/bind.js';
import { OPS_PER_SEND } from '../kernel/netlink.js';
import type { KernelNextHop, KernelOp, TableBinding } from '../kernel/types.js';
import { prefixKey } from '../rib/keys.js';
import { GLOBAL_VIEW, VRF_FAMILIES, type Rib } from '../rib/rib.js';
import type { Destination } from '../rib/destination.js';
import { prefixToText } from '../wire/nlri/text.js';
import type { IpPrefix } from '../wire/types.js';
import {
  nextHopText,
  resolveRoute,
  type FibFailReason,
  type FibInterface,
  type ResolveContext,
} from './fib-resolve.js';
import type { Fib } from './views.js';

export interface FibOptions {
  readonly enabled: boolean;
  /** Kernel table per view (a VRF name; GLOBAL_VIEW for the default table). */
  readonly tables: ReadonlyMap<string, number>;
  /** Each VRF's interfaces (the bindings and the connected routes' devices). */
  readonly interfaces: ReadonlyMap<string, readonly FibInterface[]>;
}

export const FIB_OFF: FibOptions = { enabled: false, tables: new Map(), interfaces: new Map() };

export interface FibHost {
  readonly rib: Rib;
  readonly log: EventLog;
  peerVrf(peerId: number): string | undefined;
  /** The selection deferral after our restart (RFC 4724 §4.1): kept routes wait for it. */
  readonly deferring: boolean;
  /** Graceful restart configured: routes stay in the kernel across a stop. */
  keepOnStop(): boolean;
}

/** A kernel route as we know it: `spec` is its next hop text ('' when read back, unknown). */
interface Entry {
  readonly table: number;
  readonly prefix: IpPrefix;
  readonly spec: string;
}

interface Queued {
  readonly k: string;
  readonly op: KernelOp;
  readonly spec: string;
  readonly route?: Route;
  readonly what: string;
}

export interface FibCounters {
  installs: number;
  removes: number;
  readonly failures: Map<FibFailReason | 'bind', number>;
}

export class FibSync implements Fib {
  private opts: FibOptions = FIB_OFF;
  private port: KernelPort | undefined;
  private mode: BindMode = 'policy-rules';
  private readonly want = new Map<string, Entry>();
  private readonly inKernel = new Map<string, Entry>();
  private status = new WeakMap<Route, true | string>();
  private readonly pending = new Map<
    string,
    { view: string; dest: Destination; prefix: IpPrefix }
  >();
  private queue: Queued[] = [];
  private draining: Promise<void> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private sweepAfterDeferral = false;
  private readonly recent = new Map<string, { count: number; example: string }>();
  readonly counters: FibCounters = { installs: 0, removes: 0, failures: new Map() };
  /** Why the FIB is not running although enabled (no netlink, no permission), for the views. */
  lastError: string | undefined;
  private readonly ctx: ResolveContext;
  private readonly off: () => void;

  constructor(
    private readonly host: FibHost,
    private readonly makePort: () => KernelPort | string,
  ) {
    this.ctx = {
      rib: host.rib,
      interfaces: (v) => this.opts.interfaces.get(v) ?? [],
      peerVrf: (id) => host.peerVrf(id),
    };
    this.off = host.rib.onEvent((e) => {
      if (!this.port || !this.opts.tables.has(e.view)) return;
      if (e.family !== 'ipv4' && e.family !== 'ipv6') return;
      const r = e.change.newBest ?? e.change.oldBest;
      if (!r || r.nlri.kind === 'rtc') return;
      this.pending.set(`${e.view}\0${e.change.key}`, {
        view: e.view,
        dest: e.change.dest,
        prefix: r.nlri.prefix,
      });
    });
  }

  installed(route: Route): boolean {
    return this.status.get(route) === true;
  }

  failure(route: Route): string | undefined {
    const s = this.status.get(route);
    return typeof s === 'string' ? s : undefined;
  }

  /** Routes the kernel confirmed. */
  get size(): number {
    return this.inKernel.size;
  }

  get bindMode(): BindMode {
    return this.mode;
  }

  /** Applies FIB options (start, reload); serialized, so a reload waits for the one before. */
  configure(next: FibOptions): Promise<void> {
    this.chain = this.chain.then(() => this.apply(next));
    return this.chain;
  }

  /** After each commit: the destinations it touched, to the kernel. */
  flush(): void {
    if (!this.port) return;
    if (this.sweepAfterDeferral && !this.host.deferring) {
      this.sweepAfterDeferral = false;
      this.fullSync();
      return;
    }
    for (const p of this.pending.values()) this.sync(p.view, p.dest, p.prefix);
    this.pending.clear();
    this.kick();
  }

  /** Resolves once every queued operation has had the kernel's answer. */
  async idle(): Promise<void> {
    await this.chain;
    await this.drained();
  }

  /** The queue emptied (inside the chain: apply must not wait for itself). */
  private async drained(): Promise<void> {
    while (this.draining) await this.draining;
  }

  async stop(): Promise<void> {
    await this.chain;
    if (!this.port) return;
    if (this.host.keepOnStop()) {
      await this.drained();
      this.host.log.emit({ event: 'fib-kept', routes: this.inKernel.size });
      this.close();
      return;
    }
    await this.apply(FIB_OFF);
  }

  detach(): void {
    this.off();
  }

  // ------------------------------------------------------------------------------------------

  private async apply(next: FibOptions): Promise<void> {
    if (!next.enabled) {
      this.opts = next;
      if (!this.port) return;
      this.fullSync();
      await this.drained();
      this.noteBind(await this.port.bind(this.mode, []));
      this.report();
      this.host.log.emit({ event: 'fib-stopped', routes: this.inKernel.size });
      this.close();
      return;
    }
    if (!this.port) {
      const p = this.makePort();
      if (typeof p === 'string') {
        this.lastError = p;
        this.note('no-kernel', p);
        this.report();
        return;
      }
      this.port = p;
      this.lastError = undefined;
      const first = [...next.tables.values()][0] ?? 254;
      this.mode = await p.mode(first);
    }
    const port = this.port;
    this.opts = next;
    this.noteBind(await port.bind(this.mode, bindings(next)));
    // Ours from before (a crash, a kept restart, a table now mapped again): known, next hop unknown.
    const have = await port.routes(new Set(next.tables.values()));
    if (typeof have === 'string') this.note('no-kernel', have);
    else {
      for (const e of have) {
        const k = keyOf(e.table, e.prefix);
        if (!this.inKernel.has(k)) this.inKernel.set(k, { ...e, spec: '' });
        if (!this.want.has(k)) this.want.set(k, { ...e, spec: '' });
      }
    }
    this.host.log.emit({
      event: 'fib-started',
      mode: this.mode,
      tables: Object.fromEntries([...next.tables].map(([v, t]) => [v || 'default', t])),
      found: typeof have === 'string' ? 0 : have.length,
    });
    this.fullSync();
    await this.drained();
  }

  /** Every destination of every mapped view; what is wanted and not selected any more goes. */
  private fullSync(): void {
    this.pending.clear();
    const seen = new Set<string>();
    for (const [view, table] of this.opts.enabled ? this.opts.tables : []) {
      if (!this.host.rib.hasView(view)) continue;
      for (const f of VRF_FAMILIES) {
        for (const d of this.host.rib.table(f, view).dests.values()) {
          const r = d.best ?? d.paths[0];
          if (!r || r.nlri.kind === 'rtc') continue;
          seen.add(keyOf(table, r.nlri.prefix));
          this.sync(view, d, r.nlri.prefix);
        }
      }
    }
    const keep = this.host.deferring && this.host.keepOnStop();
    for (const [k, e] of this.want) {
      if (seen.has(k)) continue;
      // Read back after a kept restart: stays until the deferral ends and the peers are back.
      if (keep && e.spec === '') {
        this.sweepAfterDeferral = true;
        continue;
      }
      this.queueRemove(k, e);
    }
    this.kick();
  }

  private sync(view: string, dest: Destination, prefix: IpPrefix): void {
    const table = this.opts.tables.get(view);
    if (table === undefined) return;
    const k = keyOf(table, prefix);
    const best = dest.best;
    const res = best ? resolveRoute(this.ctx, best, view) : ({ kind: 'none' } as const);
    const where = `${prefixToText(prefix)} in ${view || 'default'}`;
    if (res.kind === 'forward' && best) {
      const spec = nextHopText(res.nh);
      const cur = this.want.get(k);
      if (cur?.spec === spec) {
        // Same next hop (another path selected, or a stale copy): nothing to tell the kernel.
        if (this.inKernel.get(k)?.spec === spec) this.status.set(best, true);
        else this.queue.push({ k, op: put(table, prefix, res.nh), spec, route: best, what: where });
        return;
      }
      this.want.set(k, { table, prefix, spec });
      this.queue.push({ k, op: put(table, prefix, res.nh), spec, route: best, what: where });
      return;
    }
    if (res.kind === 'fail' && best) {
      this.status.set(best, res.detail);
      this.note(res.reason, `${where}: ${res.detail}`);
    }
    const cur = this.want.get(k);
    if (cur) this.queueRemove(k, cur);
  }

  private queueRemove(k: string, e: Entry): void {
    this.want.delete(k);
    this.queue.push({
      k,
      op: { op: 'remove', table: e.table, prefix: e.prefix },
      spec: '',
      what: `${prefixToText(e.prefix)} table ${e.table}`,
    });
  }

  /** Drains the queue a slice per turn, so sessions' timers run between slices. */
  private kick(): void {
    if (this.draining || this.queue.length === 0) {
      this.report();
      return;
    }
    this.draining = new Promise<void>((resolve) => {
      const step = () => {
        const port = this.port;
        const slice = this.queue.splice(0, OPS_PER_SEND);
        if (port && slice.length) this.answer(slice, port.apply(slice.map((q) => q.op)));
        if (this.queue.length && this.port) setImmediate(step);
        else {
          this.queue = [];
          this.draining = undefined;
          this.report();
          resolve();
        }
      };
      setImmediate(step);
    });
  }

  private answer(slice: readonly Queued[], results: ReturnType<KernelPort['apply']>): void {
    slice.forEach((q, i) => {
      const r = results[i] ?? { ok: false, error: 'no answer' };
      if (q.op.op === 'put') {
        if (r.ok) {
          this.inKernel.set(q.k, {
            table: q.op.route.table,
            prefix: q.op.route.prefix,
            spec: q.spec,
          });
          this.counters.installs++;
          if (q.route) this.status.set(q.route, true);
          return;
        }
        if (q.route) this.status.set(q.route, `not installed: ${r.error}`);
        this.note(
          r.error.startsWith('no interface') ? 'no-interface' : 'kernel-refused',
          `${q.what}: ${r.error}`,
        );
        // Whatever was there before is not what the RIB selects now.
        const old = this.inKernel.get(q.k);
        if (this.want.get(q.k)?.spec === q.spec) this.want.delete(q.k);
        if (old) this.queueRemove(q.k, old);
        return;
      }
      // ESRCH: already gone (removed by hand, its interface deleted): what a remove wants.
      if (r.ok || r.error === 'ESRCH') {
        if (!this.want.has(q.k)) this.inKernel.delete(q.k);
        this.counters.removes++;
      } else this.note('kernel-refused', `remove ${q.what}: ${r.error}`);
    });
  }

  private note(reason: FibFailReason | 'bind', example: string): void {
    this.counters.failures.set(reason, (this.counters.failures.get(reason) ?? 0) + 1);
    const r = this.recent.get(reason);
    if (r) r.count++;
    else this.recent.set(reason, { count: 1, example });
  }

  private noteBind(fs: readonly { vrf: string; what: string; error: string }[]): void {
    for (const f of fs) this.note('bind', `${f.vrf}: ${f.what}: ${f.error}`);
  }

  /** One log line per reason and flush, not one per prefix. */
  private report(): void {
    for (const [reason, r] of this.recent) {
      this.host.log.emit({ event: 'fib-failure', reason, count: r.count, example: r.example });
    }
    this.recent.clear();
  }

  private close(): void {
    this.port?.close();
    this.port = undefined;
    this.status = new WeakMap();
    this.want.clear();
    this.inKernel.clear();
    this.pending.clear();
  }
}

function keyOf(table: number, prefix: IpPrefix): string {
  return `${table}|${prefixKey(prefix)}`;
}

function put(table: number, prefix: IpPrefix, nh: KernelNextHop): KernelOp {
  return { op: 'put', route: { table, prefix, nh } };
}

function bindings(o: FibOptions): TableBinding[] {
  const out: TableBinding[] = [];
  for (const [view, table] of o.tables) {
    if (view === GLOBAL_VIEW) continue;
    out.push({ vrf: view, table, interfaces: (o.interfaces.get(view) ?? []).map((i) => i.name) });
  }
  return out;
}
