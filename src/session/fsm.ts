// The BGP finite state machine of RFC 4271 §8.2.2 as a pure function: a state and an event in, the
// next state and the actions (data) out. One FSM per TCP connection; collisions between two
// connections to the same peer are settled outside (collision.ts) and fed in as OpenCollisionDump.
// DampPeerOscillations is off: events 6 and 7 act as 3 and 5.
//
// Where vrfleak departs from the letter of §8.2.2 (each marked at its line): Idle drops incoming
// connections; a passive session never connects out on ConnectRetry expiry; a NOTIFICATION is
// not answered with another; header errors are reported as such in Established (§6.1); timers all
// stop on the way to Idle; IdleHold is a plain restart delay (idleHoldTime), which ManualStop in
// Idle cancels; ROUTE-REFRESH is an event of its own. The shell restarts the KeepaliveTimer when
// it sends an UPDATE (§8.2.2 Established), which the FSM does not see.

import type { Notify } from '../wire/errors.js';
import { ERR_FSM, ERR_HOLD_TIMER, notify } from '../wire/errors.js';
import type { FsmAction, FsmEvent } from './events.js';
import {
  acceptOpen,
  connectRetry,
  FSM_SUBCODE,
  negotiatedTimers,
  openSentOpen,
  sendOpen,
  start,
  stay,
  stopCease,
  tcpUp,
  toIdle,
  type CounterChange,
  type FsmConfig,
  type FsmState,
  type StepResult,
} from './fsm-moves.js';
import { ceaseFor, reasonForEvent } from './reasons.js';

export { INITIAL_STATE, type FsmConfig, type FsmState, type StepResult } from './fsm-moves.js';

/** Connect and Active (RFC 4271 §8.2.2): no OPEN sent yet, so no NOTIFICATION unless allowed. */
function connecting(s: FsmState, ev: FsmEvent, cfg: FsmConfig): StepResult {
  const active = s.name === 'Active';
  const silentIdle = (counter: CounterChange, n?: Notify): StepResult =>
    toIdle(s, cfg, {
      reason: reasonForEvent(s.name, ev),
      counter,
      error: true,
      ...(n !== undefined && cfg.sendNotificationWithoutOpen === true ? { notify: n } : {}),
    });
  switch (ev.type) {
    case 'ManualStart':
    case 'AutomaticStart':
    case 'ManualStart_with_PassiveTcpEstablishment':
    case 'AutomaticStart_with_PassiveTcpEstablishment':
    case 'AutomaticStart_with_DampPeerOscillations':
    case 'AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment':
    case 'TcpConnection_Valid':
    case 'Tcp_CR_Invalid':
      return stay(s);
    case 'ManualStop': {
      // Active: a Cease goes out only if DelayOpen runs and SendNOTIFICATIONwithoutOPEN is set.
      const n = active && s.delayOpenRunning ? stopCease(ev) : undefined;
      return toIdle(s, cfg, {
        reason: reasonForEvent(s.name, ev),
        counter: 'zero',
        ...(n !== undefined && cfg.sendNotificationWithoutOpen === true ? { notify: n } : {}),
      });
    }
    case 'ConnectRetryTimer_Expires': {
      const retry: FsmAction = {
        kind: 'start-timer',
        timer: 'ConnectRetry',
        seconds: connectRetry(cfg),
      };
      // vrfleak: a passive session (§8.1.1 PassiveTcpEstablishment) keeps waiting in Active
      // instead of connecting out as §8.2.2 Active would.
      if (active && s.passive) return stay(s, [retry]);
      const actions: FsmAction[] = active ? [] : [{ kind: 'drop-connection' }];
      actions.push(retry, { kind: 'stop-timer', timer: 'DelayOpen' }, { kind: 'connect' });
      return { state: { ...s, name: 'Connect', delayOpenRunning: false }, actions };
    }
    case 'DelayOpenTimer_Expires':
      return sendOpen(s, cfg);
    case 'Tcp_CR_Acked':
    case 'TcpConnectionConfirmed':
      return tcpUp(s, cfg);
    case 'TcpConnectionFails':
      if (!active && s.delayOpenRunning) {
        return {
          state: { ...s, name: 'Active', delayOpenRunning: false },
          actions: [
            { kind: 'start-timer', timer: 'ConnectRetry', seconds: connectRetry(cfg) },
            { kind: 'stop-timer', timer: 'DelayOpen' },
          ],
        };
      }
      // Connect without DelayOpen leaves the counter alone; Active increments it. (Active would
      // restart ConnectRetry here, but a timer in Idle has no effect: it stops with the rest.)
      return silentIdle(active ? 'increment' : 'keep');
    case 'BGPOpen':
    case 'BGPOpen_with_DelayOpenTimer_running': {
      // §8.1.2: an OPEN while DelayOpen runs is event 20; without it, it is unexpected.
      if (!s.delayOpenRunning) return silentIdle('increment');
      const r = acceptOpen(ev.open, cfg);
      if (!r.ok) {
        return toIdle(s, cfg, {
          reason: { kind: 'open-error', code: r.notify.code, subcode: r.notify.subcode },
          counter: 'increment',
          error: true,
          ...(cfg.sendNotificationWithoutOpen === true ? { notify: r.notify } : {}),
        });
      }
      return {
        state: { ...s, name: 'OpenConfirm', delayOpenRunning: false, negotiated: r.negotiated },
        actions: [
          { kind: 'stop-timer', timer: 'ConnectRetry' },
          { kind: 'stop-timer', timer: 'DelayOpen' },
          { kind: 'send-open' },
          { kind: 'send-keepalive' },
          ...negotiatedTimers(r.negotiated),
        ],
      };
    }
    case 'BGPHeaderErr':
    case 'BGPOpenMsgErr':
      return silentIdle('increment', ev.notify);
    case 'NotifMsgVerErr':
      return silentIdle(s.delayOpenRunning ? 'keep' : 'increment');
    case 'AutomaticStop':
      return toIdle(s, cfg, { reason: ev.reason, counter: 'increment' });
    default:
      return silentIdle('increment');
  }
}

/** OpenSent, OpenConfirm and Established: an OPEN went out, so errors are reported. */
function opened(s: FsmState, ev: FsmEvent, cfg: FsmConfig): StepResult {
  const idle = (counter: CounterChange, n?: Notify, error = true): StepResult =>
    toIdle(s, cfg, {
      reason: reasonForEvent(s.name, ev),
      counter,
      error,
      ...(n !== undefined ? { notify: n } : {}),
    });
  const fsmError = (): StepResult => {
    const n = notify(ERR_FSM, FSM_SUBCODE[s.name] ?? 0);
    return toIdle(s, cfg, {
      reason: { kind: 'notification-sent', code: n.code, subcode: n.subcode },
      counter: 'increment',
      error: true,
      notify: n,
    });
  };
  const hold = s.negotiated?.holdTime ?? 0;
  const restartHold: FsmAction[] =
    hold > 0 ? [{ kind: 'start-timer', timer: 'Hold', seconds: hold }] : [];
  // Events 14-17: a second connection to the peer runs its own FSM; this one only tracks it.
  switch (ev.type) {
    case 'ManualStart':
    case 'AutomaticStart':
    case 'ManualStart_with_PassiveTcpEstablishment':
    case 'AutomaticStart_with_PassiveTcpEstablishment':
    case 'AutomaticStart_with_DampPeerOscillations':
    case 'AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment':
    case 'TcpConnection_Valid':
    case 'Tcp_CR_Invalid':
    case 'Tcp_CR_Acked':
    case 'TcpConnectionConfirmed':
      return stay(s);
    case 'ManualStop':
      return idle('zero', stopCease(ev), false);
    case 'AutomaticStop':
      return idle('increment', stopCease(ev), false);
    case 'HoldTimer_Expires':
      // RFC 4271 §6.5: NOTIFICATION with Error Code Hold Timer Expired.
      return idle('increment', notify(ERR_HOLD_TIMER, 0));
    case 'TcpConnectionFails':
      if (s.name === 'OpenSent') {
        // §8.2.2 OpenSent: close, restart ConnectRetry, keep listening, go to Active.
        return {
          state: { ...s, name: 'Active', delayOpenRunning: false },
          actions: [
            { kind: 'drop-connection' },
            { kind: 'stop-timer', timer: 'Hold' },
            { kind: 'start-timer', timer: 'ConnectRetry', seconds: connectRetry(cfg) },
          ],
        };
      }
      return idle('increment');
    case 'BGPHeaderErr':
      // RFC 4271 §6.1: header errors are reported as such in every state.
      return idle('increment', ev.notify);
    case 'BGPOpenMsgErr':
      return s.name === 'Established' ? fsmError() : idle('increment', ev.notify);
    case 'OpenCollisionDump':
      // RFC 4724 §4.2: the peer restarted; the old session just goes (routes kept as stale).
      if (ev.graceful === true) return idle('increment');
      return idle('increment', ceaseFor({ kind: 'collision-lost' }));
    case 'NotifMsgVerErr':
      // §8.2.2 OpenSent/OpenConfirm: no counter increment (version negotiation, RFC 4271 §7).
      return idle(s.name === 'Established' ? 'increment' : 'keep');
    case 'NotifMsg':
      // RFC 4271 §8.2.2 lists event 25 as "other" in OpenSent (FSM Error), but a NOTIFICATION
      // closes the connection (§4.5); answering it with another is pointless.
      return idle('increment');
    case 'BGPOpen':
      if (s.name !== 'OpenSent') return fsmError(); // RFC 6608 §3: unexpected OPEN
      return openSentOpen(s, ev.open, cfg);
    case 'KeepaliveTimer_Expires':
      if (s.name === 'OpenSent') return fsmError();
      return stay(s, [
        { kind: 'send-keepalive' },
        { kind: 'start-timer', timer: 'Keepalive', seconds: s.negotiated?.keepaliveTime ?? 0 },
      ]);
    case 'KeepAliveMsg':
      if (s.name === 'OpenSent') return fsmError();
      if (s.name === 'OpenConfirm' && s.negotiated !== undefined) {
        return {
          state: { ...s, name: 'Established' },
          actions: [...restartHold, { kind: 'session-up', negotiated: s.negotiated }],
        };
      }
      return stay(s, restartHold);
    case 'UpdateMsg':
      if (s.name !== 'Established') return fsmError();
      return stay(s, [{ kind: 'process-update' }, ...restartHold]);
    case 'RouteRefreshMsg':
      if (s.name !== 'Established') return fsmError();
      return stay(s, [{ kind: 'process-route-refresh' }, ...restartHold]);
    case 'UpdateMsgErr':
      if (s.name !== 'Established') return fsmError();
      return idle('increment', ev.notify);
    case 'ConnectRetryTimer_Expires':
    case 'DelayOpenTimer_Expires':
    case 'IdleHoldTimer_Expires':
    case 'BGPOpen_with_DelayOpenTimer_running':
      return fsmError();
    default: {
      const never: never = ev;
      return never;
    }
  }
}

function idle(s: FsmState, ev: FsmEvent, cfg: FsmConfig): StepResult {
  switch (ev.type) {
    case 'ManualStart':
    case 'AutomaticStart':
    case 'AutomaticStart_with_DampPeerOscillations':
      return start(s, cfg, false, 0);
    case 'ManualStart_with_PassiveTcpEstablishment':
    case 'AutomaticStart_with_PassiveTcpEstablishment':
    case 'AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment':
      return start(s, cfg, true, 0);
    case 'IdleHoldTimer_Expires':
      // vrfleak's restart after an error: same mode; the counter keeps counting failures.
      return start(s, cfg, s.passive, s.connectRetryCounter);
    case 'ManualStop':
      // Ignored by §8.2.2, but it cancels a pending automatic restart.
      return stay(s, [{ kind: 'stop-timer', timer: 'IdleHold' }]);
    case 'TcpConnection_Valid':
    case 'Tcp_CR_Acked':
    case 'TcpConnectionConfirmed':
      // §8.2.2 Idle: "refuses all incoming BGP connections".
      return stay(s, [{ kind: 'drop-connection' }]);
    default:
      return stay(s);
  }
}

/** One step of the RFC 4271 §8.2.2 state machine. */
export function step(state: FsmState, event: FsmEvent, cfg: FsmConfig): StepResult {
  switch (state.name) {
    case 'Idle':
      return idle(state, event, cfg);
    case 'Connect':
    case 'Active':
      return connecting(state, event, cfg);
    case 'OpenSent':
    case 'OpenConfirm':
    case 'Established':
      return opened(state, event, cfg);
    default: {
      const never: never = state.name;
      return never;
    }
  }
}
