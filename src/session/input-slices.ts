// Every peer's input in bounded turns. One socket 'data' event can carry megabytes (libuv reads up
// to 32 x 64 KiB per turn), i.e. thousands of UPDATEs; handling them in one go holds the event loop
// for hundreds of milliseconds, during which no other peer's KEEPALIVE is read or sent and no API
// request is answered. So a socket's frames are only queued when they arrive; one turn of the
// event loop's check phase (InputTurns) handles the queued frames of every connection until a time
// budget is spent. A connection with frames left has its socket paused (TCP flow control pushes
// back on the sender) and goes on in the next turn, after whatever else was waiting.
//
// The budget covers the commit too. Every connection's part of a turn ends with its sink's end():
// the daemon commits there, synchronously, what the frames applied (best path, leaks, the UPDATEs
// packed and written), and at 1M routes a realistic table's commit costs several times the input
// that caused it. So after each frame the sink is asked whether the commit of what the slice
// brought would fill the turn's time left (due(msLeft)); the daemon answers from what its commits
// cost per received NLRI, announced and withdrawn apart (daemon/commit-cost.ts), and also once
// COMMIT_BATCH NLRI were received (daemon/commit-schedule.ts). That commit then runs in end(), not
// inside a frame. The cost follows the NLRI, not the frames' time: the ratio of commit to frame
// time this file learned before met commits 0.4 to 39 times their frames in one realistic 10k
// run, and the first withdrawals of transit 1M with a commit 10 times its guess (41 ms, 4
// expected). Cold code (a kind's first commits, before V8 compiled them; a realistic 10k table is
// over before it is) is the commit cost's business too: it assumes a cold cost per NLRI until a
// kind was measured.
//
// Whatever runs between two turns (a timer, an API request) and the next connection's frames in a
// turn therefore find every applied route already recomputed, exported and advertised, as when one
// data event and its commit had no timer phase between them. The first version of slicing
// (38f606a, reverted in 7342cce) left that commit to a setImmediate queued from within the slice,
// which ran after the next turn's timers: a poll saw 1760 of a peer's routes in the table but not
// yet best. The second handled a first slice in the data event and another in the check phase of
// the same loop iteration: two budgets and two commits between two timer phases.

import { performance } from 'node:perf_hooks';

/** The part of a socket the slicer drives: flow control. */
export interface Pausable {
  pause(): unknown;
  resume(): unknown;
  readonly destroyed: boolean;
}

/**
 * Milliseconds of one input turn, frames and their commits together. Issue 13 bounds the event
 * loop delay's p99 at 50 ms, and in a 10k cell (~40 samples) the p99 is the longest turn. A slice
 * ends after the frame that crossed the budget or whose commit is expected to fill what is left,
 * then commits; on top of that come what no turn bounds: a scavenge (5-40 ms seen in a realistic
 * 10k load on the shared machine), a frame or commit running cold code. 12 ms leaves room for them
 * under 35 ms; warm transit turns end on COMMIT_BATCH (2048 NLRI) after 2-4 ms anyway.
 */
export const INPUT_TURN_MS = 12;

export interface InputSink {
  /**
   * Splits a chunk of the byte stream into whole messages (the framer keeps a message split
   * across chunks). Throws when the stream cannot go on (a bad header): error() gets it.
   */
  split(chunk: Buffer): Buffer[];
  /** Handles one frame; returns false when the connection is gone and the rest is dropped. */
  frame(frame: Buffer): boolean;
  /** The stream cannot go on (framing error); nothing after it is handled. */
  error(e: unknown): void;
  /**
   * Whether the frames handled so far make a commit's worth, or one expected to take `msLeft` (the
   * turn's time left) or more: the slice ends after this frame, so the commit runs in end() within
   * the turn. Absent: only the time ends a slice (and the commit comes on top).
   */
  due?(msLeft: number): boolean;
  /** A slice is over: what its frames changed must be settled before anything else runs. */
  end(): void;
}

/**
 * Octets queued unframed above which the socket is paused at once: while it flows, libuv reads up
 * to 32 x 64 KiB in one poll phase, more than a turn handles.
 */
export const HOLD_AT = 256 * 1024;

/**
 * The turns of the check phase in which every connection's queued frames are handled: one shared
 * budget per turn, connections served in the order they became ready (one with frames left goes to
 * the back), each ending with its commit.
 */
export class InputTurns {
  private ready: InputSlices[] = [];
  private scheduled = false;

  constructor(
    private readonly turnMs = INPUT_TURN_MS,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** A connection has frames queued: it gets a part of the next turn. */
  want(s: InputSlices): void {
    if (!this.ready.includes(s)) this.ready.push(s);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.turn());
  }

  /** A connection went away: it is not served any more. */
  drop(s: InputSlices): void {
    this.ready = this.ready.filter((x) => x !== s);
  }

  private turn(): void {
    this.scheduled = false;
    const serving = this.ready;
    this.ready = [];
    const deadline = this.now() + this.turnMs;
    /** serving[next] and after were not served this turn. */
    let next = 0;
    try {
      while (next < serving.length && (next === 0 || this.now() < deadline)) {
        const s = serving[next++]!;
        s.slice(deadline);
        // (A sink may have pushed input of a connection already queued again meanwhile.)
        if (s.waiting && !this.ready.includes(s)) this.ready.push(s);
      }
    } finally {
      // Those not served keep their place, ahead of those served (and after a throw, the one
      // that threw goes to the back like any served one: the exception is not swallowed).
      const thrower = serving[next - 1];
      if (thrower?.waiting && !this.ready.includes(thrower)) this.ready.push(thrower);
      const unserved = serving.slice(next).filter((s) => s.waiting);
      this.ready = [...unserved, ...this.ready.filter((s) => !unserved.includes(s))];
      for (const s of this.ready) s.hold();
      if (this.ready.length > 0 && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.turn());
      }
    }
  }
}

/** The turns every shell of this process shares (one event loop, one budget). */
export const INPUT_TURNS = new InputTurns();

export class InputSlices {
  /** Chunks not yet split into frames, from `nextChunk` on. */
  private chunks: Buffer[] = [];
  private nextChunk = 0;
  private queuedOctets = 0;
  /** Frames of the chunk being handled, from `nextFrame` on. */
  private frames: Buffer[] = [];
  private nextFrame = 0;
  private paused = false;

  constructor(
    private readonly socket: Pausable,
    private readonly sink: InputSink,
    private readonly turns: InputTurns = INPUT_TURNS,
  ) {}

  /** Whether input waits to be handled. */
  get waiting(): boolean {
    return this.nextFrame < this.frames.length || this.nextChunk < this.chunks.length;
  }

  /**
   * A chunk of the byte stream as it arrived. It is split into frames in a turn, not here: the
   * splitting is work too (a poll phase can bring 2 MiB of small UPDATEs), and a frame's handling
   * may change how the rest is split (the OPEN that raises the maximum message length, RFC 8654).
   */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.queuedOctets += chunk.length;
    if (this.queuedOctets > HOLD_AT) this.hold();
    this.turns.want(this);
  }

  /** Drops what is queued (the connection closed or was superseded). */
  clear(): void {
    this.chunks = [];
    this.nextChunk = 0;
    this.queuedOctets = 0;
    this.frames = [];
    this.nextFrame = 0;
    this.turns.drop(this);
  }

  /** Input is left after a turn: the sender is held back until it is handled. */
  hold(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  /**
   * Handles frames until the deadline or a due commit (at least one frame), then ends the slice
   * (the commit). Called by InputTurns only.
   */
  slice(deadline: number): void {
    try {
      this.drain(deadline);
    } finally {
      // Also after a throw or a frame that ended the connection: the frames handled so far
      // changed the tables, and nothing may see that unsettled.
      this.sink.end();
    }
  }

  private drain(deadline: number): void {
    const now = this.turns.now;
    while (this.waiting) {
      if (this.nextFrame >= this.frames.length) {
        const chunk = this.chunks[this.nextChunk++]!;
        this.queuedOctets -= chunk.length;
        try {
          this.frames = this.sink.split(chunk);
        } catch (e) {
          this.clear();
          this.sink.error(e);
          return;
        }
        this.nextFrame = 0;
        continue;
      }
      if (!this.sink.frame(this.frames[this.nextFrame++]!)) {
        this.clear();
        return;
      }
      const left = deadline - now();
      if (this.waiting && (left <= 0 || this.sink.due?.(left) === true)) {
        // A connection that stays busy must not keep every chunk it ever queued.
        if (this.nextChunk > 64) {
          this.chunks = this.chunks.slice(this.nextChunk);
          this.nextChunk = 0;
        }
        return;
      }
    }
    this.clear();
    if (this.paused) {
      this.paused = false;
      if (!this.socket.destroyed) this.socket.resume();
    }
  }
}
