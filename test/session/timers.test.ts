import { describe, expect, it } from 'vitest';
import { ManualClock, RFC_JITTERED, TimerSet } from '../../src/session/timers.js';

type Name = 'Hold' | 'Keepalive' | 'ConnectRetry';

function setup(opts: { jitter?: readonly Name[]; random?: () => number } = {}) {
  const clock = new ManualClock();
  const fired: string[] = [];
  const timers = new TimerSet<Name>((n) => fired.push(`${n}@${clock.now}`), { clock, ...opts });
  return { clock, fired, timers };
}

describe('TimerSet', () => {
  it('fires once at the given time', () => {
    const { clock, fired, timers } = setup();
    timers.start('Hold', 90);
    clock.advance(89_999);
    expect(fired).toEqual([]);
    expect(timers.isRunning('Hold')).toBe(true);
    clock.advance(1);
    expect(fired).toEqual(['Hold@90000']);
    expect(timers.isRunning('Hold')).toBe(false);
    clock.advance(1_000_000);
    expect(fired).toEqual(['Hold@90000']);
  });
  it('restart moves the deadline; stop cancels; 0 means stopped', () => {
    const { clock, fired, timers } = setup();
    timers.start('Hold', 3);
    clock.advance(2000);
    timers.start('Hold', 3);
    clock.advance(2000);
    expect(fired).toEqual([]);
    clock.advance(1000);
    expect(fired).toEqual(['Hold@5000']);
    timers.start('Keepalive', 1);
    timers.stop('Keepalive');
    timers.start('ConnectRetry', 5);
    timers.start('ConnectRetry', 0);
    clock.advance(10_000);
    expect(fired).toEqual(['Hold@5000']);
    expect(clock.size).toBe(0);
  });
  it('a restart with the same delay refreshes the pending timer; another delay replaces it', () => {
    const { clock, fired, timers } = setup();
    timers.start('Hold', 3);
    clock.advance(2000);
    timers.start('Hold', 3);
    // Refreshed in place: still one pending callback, due 3 s from the restart.
    expect(clock.size).toBe(1);
    clock.advance(2999);
    expect(fired).toEqual([]);
    // Another delay: the deadline is the new one from now.
    timers.start('Hold', 1);
    expect(clock.size).toBe(1);
    clock.advance(999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual(['Hold@5999']);
    // A fired timer started again is a new one.
    timers.start('Hold', 1);
    clock.advance(1000);
    expect(fired).toEqual(['Hold@5999', 'Hold@6999']);
  });
  it('fires several timers in time order', () => {
    const { clock, fired, timers } = setup();
    timers.start('Hold', 9);
    timers.start('Keepalive', 3);
    clock.advance(10_000);
    expect(fired).toEqual(['Keepalive@3000', 'Hold@9000']);
  });
  it('stopAll', () => {
    const { clock, fired, timers } = setup();
    timers.start('Hold', 1);
    timers.start('Keepalive', 1);
    timers.stopAll();
    clock.advance(5000);
    expect(fired).toEqual([]);
  });
  it('jitter (RFC 4271 §10) scales listed timers into [0.75, 1.0] only', () => {
    const low = setup({ jitter: RFC_JITTERED, random: () => 0 });
    expect(low.timers.start('Keepalive', 30)).toBe(22_500);
    expect(low.timers.start('Hold', 90)).toBe(90_000);
    const high = setup({ jitter: RFC_JITTERED, random: () => 0.999999 });
    expect(high.timers.start('ConnectRetry', 120)).toBe(120_000);
  });
  it('applies FSM timer actions and ignores the others', () => {
    const { clock, fired, timers } = setup();
    expect(timers.apply({ kind: 'start-timer', timer: 'Hold', seconds: 2 })).toBe(true);
    expect(timers.apply({ kind: 'send-keepalive' })).toBe(false);
    clock.advance(2000);
    expect(fired).toEqual(['Hold@2000']);
    timers.apply({ kind: 'start-timer', timer: 'Hold', seconds: 2 });
    timers.apply({ kind: 'stop-timer', timer: 'Hold' });
    clock.advance(5000);
    expect(fired).toEqual(['Hold@2000']);
  });
});
