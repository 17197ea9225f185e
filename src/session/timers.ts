// Named one-shot timers for the socket shell, over an injected clock so tests drive time by hand.
// Starting a running timer restarts it; a value of 0 seconds means "not running" (RFC 4271 §8:
// a timer set to zero is stopped).

import type { FsmAction } from './events.js';

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Restarts a pending callback for its whole delay from now (as clear + set, without either). */
  refresh?(handle: unknown): void;
}

export const SYSTEM_CLOCK: Clock = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  refresh: (h) => void (h as ReturnType<typeof setTimeout>).refresh(),
};

interface Running {
  readonly handle: unknown;
  readonly ms: number;
}

export interface TimerSetOptions<N extends string> {
  readonly clock?: Clock;
  /**
   * RFC 4271 §10: ConnectRetry, KeepAlive and the advertisement intervals are jittered, each
   * value multiplied by a random factor in [0.75, 1.0]. The names listed here are; none by default.
   */
  readonly jitter?: readonly N[];
  /** Source of [0, 1) numbers for the jitter; Math.random by default. */
  readonly random?: () => number;
}

/** The timers RFC 4271 §10 says to jitter, for TimerSetOptions.jitter. */
export const RFC_JITTERED = ['ConnectRetry', 'Keepalive'] as const;

export class TimerSet<N extends string> {
  private readonly running = new Map<N, Running>();
  private readonly clock: Clock;
  private readonly jittered: ReadonlySet<N>;
  private readonly random: () => number;

  constructor(
    private readonly onExpire: (name: N) => void,
    opts: TimerSetOptions<N> = {},
  ) {
    this.clock = opts.clock ?? SYSTEM_CLOCK;
    this.jittered = new Set(opts.jitter ?? []);
    this.random = opts.random ?? Math.random;
  }

  /** Starts (or restarts) `name` for `seconds`; 0 or less stops it. Returns the delay used, ms. */
  start(name: N, seconds: number): number {
    const jittered = this.jittered.has(name);
    const cur = this.running.get(name);
    // The hold timer restarts on every message received (RFC 4271 §8.2.2): the same delay again
    // is a refresh of the pending timer, not a new one (a jittered delay is drawn anew instead).
    if (cur && !jittered && cur.ms === seconds * 1000 && this.clock.refresh) {
      this.clock.refresh(cur.handle);
      return cur.ms;
    }
    this.stop(name);
    if (!(seconds > 0)) return 0;
    let ms = seconds * 1000;
    if (jittered) ms = Math.round(ms * (0.75 + 0.25 * this.random()));
    const entry: Running = {
      handle: this.clock.setTimeout(() => {
        if (this.running.get(name) !== entry) return;
        this.running.delete(name);
        this.onExpire(name);
      }, ms),
      ms,
    };
    this.running.set(name, entry);
    return ms;
  }

  stop(name: N): void {
    const r = this.running.get(name);
    if (r === undefined) return;
    this.running.delete(name);
    this.clock.clearTimeout(r.handle);
  }

  isRunning(name: N): boolean {
    return this.running.has(name);
  }

  stopAll(): void {
    for (const name of [...this.running.keys()]) this.stop(name);
  }

  /** Carries out a start-timer / stop-timer action; returns false for any other action. */
  apply(action: FsmAction): boolean {
    if (action.kind === 'start-timer') {
      this.start(action.timer as N, action.seconds);
      return true;
    }
    if (action.kind === 'stop-timer') {
      this.stop(action.timer as N);
      return true;
    }
    return false;
  }
}

/** A clock for tests: time moves only when advance() is called. */
export class ManualClock implements Clock {
  now = 0;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; ms: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + Math.max(0, ms), ms: Math.max(0, ms), fn });
    return id;
  }

  refresh(handle: unknown): void {
    const p = this.pending.get(handle as number);
    if (p) p.at = this.now + p.ms;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Number of scheduled callbacks. */
  get size(): number {
    return this.pending.size;
  }

  /** Moves time forward, firing due callbacks in time order (ties in scheduling order). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      let next: [number, { at: number; ms: number; fn: () => void }] | undefined;
      for (const e of this.pending) {
        if (e[1].at > end) continue;
        if (next === undefined || e[1].at < next[1].at) next = e;
      }
      if (next === undefined) break;
      this.pending.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }
}
