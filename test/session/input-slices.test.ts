import { describe, expect, it } from 'vitest';
import {
  HOLD_AT,
  InputSlices,
  InputTurns,
  type InputSink,
  type Pausable,
} from '../../src/session/input-slices.js';

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

/** A chunk of n one-octet frames numbered from `from`. */
const chunk = (n: number, from = 0): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => from + i));
/** Each octet of a chunk is one frame. */
const split = (c: Buffer): Buffer[] => [...c].map((b) => Buffer.from([b]));
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await turn();
  if (!cond()) throw new Error(`never: ${what}`);
}

/** A sink whose frames and commits advance a fake clock by the given milliseconds. */
function timedSink(
  clock: { t: number },
  frameMs: number,
  commitMs: number,
  log: string[],
  name = '',
): InputSink {
  return {
    split,
    frame: (f) => {
      log.push(`${name}${f[0]}`);
      clock.t += frameMs;
      return true;
    },
    error: (e) => log.push(`${name}error ${String(e)}`),
    end: () => {
      log.push(`${name}end`);
      clock.t += commitMs;
    },
  };
}

describe('InputSlices: every connection is handled in bounded turns', () => {
  it('handles frames until the turn is spent, pauses, then finishes in order and resumes', async () => {
    const clock = { t: 0 };
    const turns = new InputTurns(8, () => clock.t);
    const log: string[] = [];
    const socket = new FakeSocket();
    const s = new InputSlices(socket, timedSink(clock, 3, 0, log), turns);
    s.push(chunk(10));
    // Nothing is handled where the data arrives (the poll phase): only in a turn.
    expect(log).toEqual([]);
    await turn();
    // The third 3 ms frame crossed the 8 ms turn.
    expect(log).toEqual(['0', '1', '2', 'end']);
    expect(socket.paused).toBe(1);
    // More input while paused is queued behind what is waiting, not handled out of turn.
    s.push(chunk(2, 10));
    await until(() => log.filter((x) => x !== 'end').length === 12, 'all frames handled');
    expect(log.filter((x) => x !== 'end')).toEqual([...Array(12).keys()].map(String));
    // Every slice ended with its commit, right after its last frame.
    expect(log[log.length - 1]).toBe('end');
    expect(socket.paused).toBe(1);
    expect(socket.resumed).toBe(1);
  });

  it("ends a slice once the sink expects its commit to fill the turn's time left", async () => {
    const clock = { t: 0 };
    const log: string[] = [];
    const asked: number[] = [];
    let pending = 0;
    // Frames of 2 ms whose commit costs 3 ms each: in a 16 ms turn the fourth frame's commit
    // (12 ms) no longer fits in the 8 ms left.
    const sink = timedSink(clock, 2, 0, log);
    const s = new InputSlices(
      new FakeSocket(),
      {
        ...sink,
        frame: (f) => (pending++, sink.frame(f)),
        due: (msLeft) => (asked.push(msLeft), pending * 3 >= msLeft),
        end: () => {
          sink.end();
          clock.t += pending * 3;
          pending = 0;
        },
      },
      new InputTurns(16, () => clock.t),
    );
    s.push(chunk(6));
    await turn();
    expect(log).toEqual(['0', '1', '2', '3', 'end']);
    expect(asked).toEqual([14, 12, 10, 8]);
    await until(() => !s.waiting, 'all frames handled');
    expect(log.slice(5)).toEqual(['4', '5', 'end']);
  });

  it('ends a slice where the sink says a commit is due, with time left in the turn', async () => {
    const log: string[] = [];
    let handled = 0;
    const s = new InputSlices(
      new FakeSocket(),
      {
        ...timedSink({ t: 0 }, 0, 0, log),
        frame: (f) => (log.push(String(f[0])), handled++, true),
        due: () => handled % 3 === 0,
      },
      new InputTurns(16, () => 0),
    );
    s.push(chunk(7));
    await turn();
    // The clock never moves: only the due commit ended the slice.
    expect(log).toEqual(['0', '1', '2', 'end']);
    await until(() => !s.waiting, 'all frames handled');
    expect(log.slice(4)).toEqual(['3', '4', '5', 'end', '6', 'end']);
  });

  it('handles a small chunk in the next turn without touching flow control', async () => {
    const log: string[] = [];
    const socket = new FakeSocket();
    const s = new InputSlices(socket, timedSink({ t: 0 }, 0, 0, log), new InputTurns(16, () => 0));
    s.push(chunk(5));
    await turn();
    expect(log).toEqual(['0', '1', '2', '3', '4', 'end']);
    expect(socket.paused + socket.resumed).toBe(0);
  });

  it('pauses the socket at once when much is queued, before any turn', () => {
    const socket = new FakeSocket();
    const s = new InputSlices(socket, timedSink({ t: 0 }, 0, 0, []), new InputTurns(16, () => 0));
    s.push(Buffer.alloc(HOLD_AT / 2));
    expect(socket.paused).toBe(0);
    s.push(Buffer.alloc(HOLD_AT / 2 + 1));
    expect(socket.paused).toBe(1);
    s.clear();
  });

  it('shares one turn between connections, and one with frames left goes behind the others', async () => {
    const clock = { t: 0 };
    const turns = new InputTurns(8, () => clock.t);
    const log: string[] = [];
    const a = new InputSlices(new FakeSocket(), timedSink(clock, 3, 0, log, 'a'), turns);
    const b = new InputSlices(new FakeSocket(), timedSink(clock, 3, 0, log, 'b'), turns);
    a.push(chunk(6));
    b.push(chunk(1));
    await turn();
    // a spends the turn (3 frames); b is not served in the same turn.
    expect(log).toEqual(['a0', 'a1', 'a2', 'aend']);
    await turn();
    // b waited, so it comes first in the next turn.
    expect(log.slice(4, 6)).toEqual(['b0', 'bend']);
    await until(() => !a.waiting, 'a done');
  });

  it('reports a framing error only after the frames that came before it', async () => {
    const clock = { t: 0 };
    const log: string[] = [];
    // Two 5 ms frames per 8 ms turn (the second crosses it), each slice then commits.
    const sink = timedSink(clock, 5, 15, log);
    const s = new InputSlices(
      new FakeSocket(),
      {
        ...sink,
        split: (c) => {
          if (c[0] === 0xff) throw new Error('bad marker');
          return split(c);
        },
      },
      new InputTurns(8, () => clock.t),
    );
    s.push(chunk(4));
    s.push(Buffer.from([0xff]));
    s.push(chunk(1)); // nothing after the error is handled
    await until(() => log.includes('error Error: bad marker'), 'error reported');
    await turn();
    expect(log).toEqual([
      ...['0', '1', 'end'],
      ...['2', '3', 'end'],
      ...['error Error: bad marker', 'end'],
    ]);
  });

  it('drops the rest when the connection goes away mid-slice, and still ends the slice', async () => {
    const log: string[] = [];
    const s = new InputSlices(
      new FakeSocket(),
      {
        split,
        frame: (f) => (log.push(String(f[0])), f[0] !== 1),
        error: () => undefined,
        end: () => void log.push('end'),
      },
      new InputTurns(16, () => 0),
    );
    s.push(chunk(5));
    await turn();
    await turn();
    expect(log).toEqual(['0', '1', 'end']);
    expect(s.waiting).toBe(false);
  });

  it('ends a slice whose frame throws, and lets the error out', () => {
    let ends = 0;
    const s = new InputSlices(
      new FakeSocket(),
      {
        split,
        frame: () => {
          throw new Error('boom');
        },
        error: () => undefined,
        end: () => void ends++,
      },
      new InputTurns(16, () => 0),
    );
    // Queued without a turn running it: slice() is what a turn calls.
    (s as unknown as { chunks: Buffer[] }).chunks.push(chunk(1));
    expect(() => s.slice(Infinity)).toThrow('boom');
    expect(ends).toBe(1);
  });

  it('lets timers run between turns, and a timer only ever sees committed frames', async () => {
    // Real clock: each frame takes ~0.2 ms, 400 frames ~80 ms, so many 16 ms turns.
    const turns = new InputTurns(16);
    let handled = 0;
    let committed = 0;
    const spin = (ms: number): void => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const s = new InputSlices(
      new FakeSocket(),
      {
        split,
        frame: () => {
          handled++;
          spin(0.2);
          return true;
        },
        error: () => undefined,
        end: () => {
          committed = handled;
        },
      },
      turns,
    );
    const polls: { handled: number; committed: number }[] = [];
    let stop = false;
    const poll = (): void => {
      if (stop) return;
      polls.push({ handled, committed });
      setTimeout(poll, 0);
    };
    setTimeout(poll, 0);
    for (let i = 0; i < 4; i++) s.push(chunk(100));
    await until(() => committed === 400, 'all frames committed').finally(() => (stop = true));
    // The timer ran while frames were still waiting (between turns), not only before and after.
    expect(polls.some((p) => p.handled > 0 && p.handled < 400)).toBe(true);
    // And never between a frame and its commit.
    expect(polls.filter((p) => p.handled !== p.committed)).toEqual([]);
  });
});
