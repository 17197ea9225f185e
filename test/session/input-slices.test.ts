import { describe, expect, it } from 'vitest';
import { InputSlices, type Pausable } from '../../src/session/input-slices.js';

class FakeSocket implements Pausable {
  paused = 0;
  resumed = 0;
  destroyed = false;
  pause(): void {
    this.paused++;
  }
  resume(): void {
    this.resumed++;
  }
}

const frames = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => Buffer.from([i]));
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await turn();
  if (!cond()) throw new Error(`never: ${what}`);
}

describe('InputSlices: a fast peer is handled in bounded slices', () => {
  it('stops after the frame that spends the budget, pauses the socket, then finishes in order and resumes', async () => {
    let clock = 0;
    let ends = 0;
    const seen: number[] = [];
    const socket = new FakeSocket();
    const s = new InputSlices(
      socket,
      {
        frame: (f) => {
          seen.push(f[0]!);
          clock += 3; // each frame "takes" 3 ms of the 8 ms budget
          return true;
        },
        error: () => undefined,
        end: () => ends++,
      },
      8,
      () => clock,
    );
    s.push(frames(10));
    // 3 frames spend 9 ms >= 8: the slice ends there and the rest waits for the next turn.
    expect(seen).toEqual([0, 1, 2]);
    expect(socket.paused).toBe(1);
    // The slice ended with the sink's end (the daemon's commit), before anything else can run.
    expect(ends).toBe(1);
    // More input while paused is queued behind what is waiting, not handled out of turn.
    s.push(frames(12).slice(10));
    expect(seen).toEqual([0, 1, 2]);
    await until(() => seen.length === 12, 'all frames handled');
    expect(seen).toEqual([...Array(12).keys()]);
    expect(socket.paused).toBe(1);
    expect(socket.resumed).toBe(1);
    // One end per slice: 3 frames of 3 ms per 8 ms slice, 12 frames.
    expect(ends).toBe(4);
  });

  it('handles a small chunk at once without touching flow control', () => {
    const seen: number[] = [];
    const socket = new FakeSocket();
    const s = new InputSlices(
      socket,
      { frame: (f) => seen.push(f[0]!) > 0, error: () => undefined, end: () => undefined },
      8,
      () => 0,
    );
    s.push(frames(5));
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(socket.paused + socket.resumed).toBe(0);
  });

  it('reports a framing error only after the frames that came before it', async () => {
    let clock = 0;
    const log: string[] = [];
    const s = new InputSlices(
      new FakeSocket(),
      {
        frame: (f) => {
          log.push(`frame ${f[0]}`);
          clock += 5;
          return true;
        },
        error: (e) => log.push(`error ${String(e)}`),
        end: () => log.push('end'),
      },
      8,
      () => clock,
    );
    s.push(frames(4));
    s.push([], 'bad marker');
    s.push(frames(1)); // nothing after the error is handled
    await until(() => log.includes('error bad marker'), 'error reported');
    await turn();
    expect(log).toEqual([
      ...['frame 0', 'frame 1', 'end'],
      ...['frame 2', 'frame 3', 'end'],
      ...['error bad marker', 'end'],
    ]);
  });

  it('drops the rest when the connection goes away mid-slice, and still ends the slice', async () => {
    const seen: number[] = [];
    let ends = 0;
    const s = new InputSlices(
      new FakeSocket(),
      {
        frame: (f) => (seen.push(f[0]!), f[0] !== 1),
        error: () => undefined,
        end: () => ends++,
      },
      8,
      () => 0,
    );
    s.push(frames(5));
    await turn();
    expect(seen).toEqual([0, 1]);
    expect(ends).toBe(1);
  });

  it('ends a slice whose frame throws, then lets the error out', () => {
    let ends = 0;
    const s = new InputSlices(
      new FakeSocket(),
      {
        frame: () => {
          throw new Error('boom');
        },
        error: () => undefined,
        end: () => ends++,
      },
      8,
      () => 0,
    );
    expect(() => s.push(frames(1))).toThrow('boom');
    expect(ends).toBe(1);
  });
});
