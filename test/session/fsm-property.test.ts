// Random event sequences through the FSM with the timer actions carried out on a TimerSet: the
// timers that run must always fit the state (RFC 4271 §8.2.2).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FsmEvent, TimerName } from '../../src/session/events.js';
import { INITIAL_STATE, step } from '../../src/session/fsm.js';
import type { FsmConfig, FsmState } from '../../src/session/fsm.js';
import { ManualClock, TimerSet } from '../../src/session/timers.js';
import { mp, open, LOCAL_ID } from './helpers.js';

const LOCAL_OPEN = open([mp(1, 128)], { myAs: 65000, bgpId: LOCAL_ID, holdTime: 90 });
const NO_DATA = new Uint8Array(0);

const event: fc.Arbitrary<FsmEvent> = fc.oneof(
  fc.constantFrom<FsmEvent>(
    { type: 'ManualStart' },
    { type: 'ManualStop' },
    { type: 'AutomaticStart' },
    { type: 'ManualStart_with_PassiveTcpEstablishment' },
    { type: 'AutomaticStop', reason: { kind: 'deconfigured' } },
    { type: 'ConnectRetryTimer_Expires' },
    { type: 'HoldTimer_Expires' },
    { type: 'KeepaliveTimer_Expires' },
    { type: 'DelayOpenTimer_Expires' },
    { type: 'IdleHoldTimer_Expires' },
    { type: 'TcpConnection_Valid' },
    { type: 'Tcp_CR_Acked' },
    { type: 'TcpConnectionConfirmed' },
    { type: 'TcpConnectionFails' },
    { type: 'BGPHeaderErr', notify: { code: 1, subcode: 1, data: NO_DATA } },
    { type: 'BGPOpenMsgErr', notify: { code: 2, subcode: 0, data: NO_DATA } },
    { type: 'OpenCollisionDump' },
    {
      type: 'NotifMsg',
      notification: { type: 'notification', code: 6, subcode: 2, data: NO_DATA },
    },
    { type: 'KeepAliveMsg' },
    { type: 'UpdateMsg' },
    { type: 'UpdateMsgErr', notify: { code: 3, subcode: 1, data: NO_DATA } },
    { type: 'RouteRefreshMsg' },
  ),
  // OPENs with assorted hold times, including 0 and the refused 1 and 2.
  fc
    .constantFrom(0, 1, 2, 3, 30, 90, 240)
    .map((holdTime): FsmEvent => ({ type: 'BGPOpen', open: open([mp(1, 128)], { holdTime }) })),
);

const configs: FsmConfig[] = [
  { localOpen: LOCAL_OPEN, checkOpen: () => undefined },
  { localOpen: LOCAL_OPEN, checkOpen: () => undefined, delayOpenTime: 5, idleHoldTime: 10 },
];

function running(t: TimerSet<TimerName>): TimerName[] {
  const all: TimerName[] = ['ConnectRetry', 'Hold', 'Keepalive', 'DelayOpen', 'IdleHold'];
  return all.filter((n) => t.isRunning(n));
}

describe('FSM invariants over random event sequences', () => {
  it('timers fit the state; Established only from OpenConfirm', () => {
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), fc.constantFrom(0, 1), (evs, ci) => {
        const cfg = configs[ci]!;
        const timers = new TimerSet<TimerName>(() => {}, { clock: new ManualClock() });
        let s: FsmState = INITIAL_STATE;
        for (const ev of evs) {
          const prev = s;
          const r = step(s, ev, cfg);
          for (const a of r.actions) timers.apply(a);
          s = r.state;
          const on = running(timers);
          const ups = r.actions.filter((a) => a.kind === 'session-up').length;
          if (s.name === 'Established' && prev.name !== 'Established') {
            expect(prev.name).toBe('OpenConfirm');
            expect(ups).toBe(1);
          } else {
            expect(ups).toBe(0);
          }
          switch (s.name) {
            case 'Idle':
              expect(on.filter((n) => n !== 'IdleHold')).toEqual([]);
              break;
            case 'Connect':
            case 'Active':
              expect(on).not.toContain('Hold');
              expect(on).not.toContain('Keepalive');
              break;
            case 'OpenSent':
              expect(on).toEqual(['Hold']);
              break;
            case 'OpenConfirm':
            case 'Established': {
              const hold = s.negotiated?.holdTime ?? -1;
              expect(hold === 0 || hold >= 3).toBe(true);
              expect(on).toEqual(hold > 0 ? ['Hold', 'Keepalive'] : []);
              break;
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
