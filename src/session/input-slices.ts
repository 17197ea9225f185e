// A fast peer's input in bounded slices. One socket 'data' event can carry megabytes (libuv reads
// up to 32 x 64 KiB per turn), i.e. thousands of UPDATEs; handling them in one go holds the event
// loop for hundreds of milliseconds, during which no other peer's KEEPALIVE is read or sent and
// no API request is answered. Frames are therefore handled until a time budget is spent; the
// socket is then paused (TCP flow control pushes back on the sender) and the rest continues on
// the next turn of the event loop, after whatever else was waiting.
//
// Every slice ends with the sink's end(): the daemon commits there, synchronously, what the
// slice's UPDATEs applied. Whatever runs between two slices (a timer, an API request, another
// session's input) therefore finds every applied route already recomputed, exported and
// advertised, as it did when one data event and its commit had no timer phase between them. The
// first version of this (38f606a, reverted in 7342cce) left that commit to a setImmediate queued
// from within the slice, which ran after the next turn's timers: a poll saw 1760 of a peer's routes
// in the table but not yet best.

import { performance } from 'node:perf_hooks';

/** The part of a socket the slicer drives: flow control. */
export interface Pausable {
  pause(): unknown;
  resume(): unknown;
  readonly destroyed: boolean;
}

/**
 * Milliseconds of frame handling per event-loop turn. Issue 13 bounds the event-loop delay's p99
 * at 50 ms; a slice ends after the frame that crossed the budget, and the slice's commit (end())
 * follows, so the budget is well under the bound.
 */
export const INPUT_SLICE_MS = 8;

/** What one queued item is: a whole frame, or the framing error that ended the stream. */
export type InputItem = { readonly frame: Buffer } | { readonly error: unknown };

export interface InputSink {
  /** Handles one frame; returns false when the connection is gone and the rest is dropped. */
  frame(frame: Buffer): boolean;
  /** The stream cannot go on (framing error); nothing after it is handled. */
  error(e: unknown): void;
  /** A slice is over: what its frames changed must be settled before anything else runs. */
  end(): void;
}

export class InputSlices {
  private items: InputItem[] = [];
  private at = 0;
  private scheduled = false;
  private paused = false;

  constructor(
    private readonly socket: Pausable,
    private readonly sink: InputSink,
    private readonly sliceMs = INPUT_SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Frames (and possibly the error after them) decoded from one chunk, in arrival order. */
  push(frames: readonly Buffer[], error?: unknown): void {
    for (const frame of frames) this.items.push({ frame });
    if (error !== undefined) this.items.push({ error });
    if (!this.scheduled) this.slice();
  }

  /** Drops what is queued (the connection closed or was superseded). */
  clear(): void {
    this.items = [];
    this.at = 0;
  }

  private slice(): void {
    this.scheduled = false;
    if (this.at >= this.items.length) return;
    try {
      this.drain();
    } finally {
      // Also after a throw or a frame that ended the connection: the frames handled so far
      // changed the tables, and nothing may see that unsettled.
      this.sink.end();
    }
  }

  private drain(): void {
    const deadline = this.now() + this.sliceMs;
    while (this.at < this.items.length) {
      const item = this.items[this.at++]!;
      if ('error' in item) {
        this.clear();
        this.sink.error(item.error);
        return;
      }
      if (!this.sink.frame(item.frame)) {
        this.clear();
        return;
      }
      if (this.at < this.items.length && this.now() >= deadline) {
        if (!this.paused) {
          this.paused = true;
          this.socket.pause();
        }
        this.scheduled = true;
        setImmediate(() => this.slice());
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
