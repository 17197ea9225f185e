// The state of one session's FSM, its configuration, and the moves that several states of RFC 4271
// §8.2.2 make alike: to Idle (NOTIFICATION, timers, connection), start, TCP up and OPEN sent, the
// peer's OPEN accepted. Pure; fsm.ts picks the move per state and event.

import type { Notify } from '../wire/errors.js';
import type { OpenMessage } from '../wire/types.js';
import type { DownReason, FsmAction, StateName } from './events.js';
import { negotiate } from './negotiate.js';
import type { Negotiated, NegotiationConfig } from './negotiate.js';
import { ceaseFor } from './reasons.js';

export interface FsmConfig {
  /** The OPEN we send; its hold time is our configured one. */
  readonly localOpen: OpenMessage;
  /** Semantic checks of the peer's OPEN (src/wire/open-check.ts checkOpen, bound to the peer). */
  readonly checkOpen: (open: OpenMessage) => Notify | undefined;
  readonly negotiation?: NegotiationConfig;
  /** Seconds; RFC 4271 §10 suggests 120. */
  readonly connectRetryTime?: number;
  /** The hold timer in OpenSent; RFC 4271 §8.2.2 suggests 4 minutes. */
  readonly largeHoldTime?: number;
  /** DelayOpen (RFC 4271 §8.1.1): wait this long after TCP is up before sending OPEN; 0 = off. */
  readonly delayOpenTime?: number;
  /** RFC 4271 §8.1.1 SendNOTIFICATIONwithoutOPEN. Default false. */
  readonly sendNotificationWithoutOpen?: boolean;
  /**
   * vrfleak: after an error takes the session to Idle, start the IdleHold timer for this many
   * seconds; its expiry restarts the session (in the mode it last ran). Undefined: no restart.
   */
  readonly idleHoldTime?: number;
}

export interface FsmState {
  readonly name: StateName;
  readonly connectRetryCounter: number;
  /** PassiveTcpEstablishment (RFC 4271 §8.1.1): started by event 4 or 5. */
  readonly passive: boolean;
  readonly delayOpenRunning: boolean;
  /** Set from the moment the peer's OPEN is accepted (OpenConfirm, Established). */
  readonly negotiated?: Negotiated;
}

export const INITIAL_STATE: FsmState = {
  name: 'Idle',
  connectRetryCounter: 0,
  passive: false,
  delayOpenRunning: false,
};

export interface StepResult {
  readonly state: FsmState;
  readonly actions: FsmAction[];
}

const DEFAULT_CONNECT_RETRY = 120;
const DEFAULT_LARGE_HOLD = 240;

/** RFC 6608 §3: the FSM Error subcode names the state the unexpected event arrived in. */
export const FSM_SUBCODE: Partial<Record<StateName, number>> = {
  OpenSent: 1,
  OpenConfirm: 2,
  Established: 3,
};

export type CounterChange = 'zero' | 'increment' | 'keep';

interface IdleSpec {
  readonly reason: DownReason;
  readonly counter: CounterChange;
  readonly notify?: Notify;
  /** An error, not an administrative stop: the IdleHold restart applies. */
  readonly error?: boolean;
}

const sendNotification = (n: Notify): FsmAction => ({
  kind: 'send-notification',
  code: n.code,
  subcode: n.subcode,
  data: n.data,
});

/** Every path to Idle: NOTIFICATION first, then timers, the connection and the resources. */
export function toIdle(s: FsmState, cfg: FsmConfig, spec: IdleSpec): StepResult {
  const actions: FsmAction[] = [];
  if (spec.notify !== undefined) actions.push(sendNotification(spec.notify));
  for (const timer of ['ConnectRetry', 'DelayOpen', 'Hold', 'Keepalive'] as const) {
    actions.push({ kind: 'stop-timer', timer });
  }
  actions.push({ kind: 'drop-connection' }, { kind: 'release-resources' });
  actions.push({
    kind: 'session-down',
    reason: spec.reason,
    established: s.name === 'Established',
  });
  if (spec.error === true && cfg.idleHoldTime !== undefined) {
    actions.push({ kind: 'start-timer', timer: 'IdleHold', seconds: cfg.idleHoldTime });
  }
  const counter =
    spec.counter === 'zero'
      ? 0
      : spec.counter === 'increment'
        ? s.connectRetryCounter + 1
        : s.connectRetryCounter;
  return {
    state: {
      name: 'Idle',
      connectRetryCounter: counter,
      passive: s.passive,
      delayOpenRunning: false,
    },
    actions,
  };
}

export const stay = (s: FsmState, actions: FsmAction[] = []): StepResult => ({ state: s, actions });

export function start(s: FsmState, cfg: FsmConfig, passive: boolean, counter: number): StepResult {
  const actions: FsmAction[] = [
    { kind: 'stop-timer', timer: 'IdleHold' },
    { kind: 'start-timer', timer: 'ConnectRetry', seconds: connectRetry(cfg) },
  ];
  if (!passive) actions.push({ kind: 'connect' });
  return {
    state: {
      name: passive ? 'Active' : 'Connect',
      connectRetryCounter: counter,
      passive,
      delayOpenRunning: false,
    },
    actions,
  };
}

export const connectRetry = (cfg: FsmConfig): number =>
  cfg.connectRetryTime ?? DEFAULT_CONNECT_RETRY;

export const stopCease = (ev: { reason?: DownReason; notify?: Notify }): Notify =>
  ev.notify ?? ceaseFor(ev.reason ?? { kind: 'admin-stop' });

/** Hold and keepalive timers for the negotiated hold time (RFC 4271 §8.2.2 OpenSent, event 19). */
export function negotiatedTimers(n: Negotiated): FsmAction[] {
  if (n.holdTime === 0) {
    // "If the value of the autonegotiated Hold Timer value is zero", neither timer runs.
    return [
      { kind: 'stop-timer', timer: 'Hold' },
      { kind: 'stop-timer', timer: 'Keepalive' },
    ];
  }
  return [
    { kind: 'start-timer', timer: 'Keepalive', seconds: n.keepaliveTime },
    { kind: 'start-timer', timer: 'Hold', seconds: n.holdTime },
  ];
}

/** Checks and negotiates the peer's OPEN: the NOTIFICATION to refuse it with, or the result. */
export function acceptOpen(
  open: OpenMessage,
  cfg: FsmConfig,
): { ok: true; negotiated: Negotiated } | { ok: false; notify: Notify } {
  const bad = cfg.checkOpen(open);
  if (bad !== undefined) return { ok: false, notify: bad };
  return negotiate(cfg.localOpen, open, cfg.negotiation);
}

/** The TCP connection is up: send OPEN now, or start DelayOpen (RFC 4271 §8.2.2 events 16/17). */
export function tcpUp(s: FsmState, cfg: FsmConfig): StepResult {
  const delay = cfg.delayOpenTime ?? 0;
  if (delay > 0) {
    return {
      state: { ...s, delayOpenRunning: true },
      actions: [
        { kind: 'stop-timer', timer: 'ConnectRetry' },
        { kind: 'start-timer', timer: 'DelayOpen', seconds: delay },
      ],
    };
  }
  return sendOpen(s, cfg);
}

export function sendOpen(s: FsmState, cfg: FsmConfig): StepResult {
  return {
    state: { ...s, name: 'OpenSent', delayOpenRunning: false },
    actions: [
      { kind: 'stop-timer', timer: 'ConnectRetry' },
      { kind: 'stop-timer', timer: 'DelayOpen' },
      { kind: 'send-open' },
      // RFC 4271 §8.2.2: "sets the HoldTimer to a large value" (4 minutes suggested).
      { kind: 'start-timer', timer: 'Hold', seconds: cfg.largeHoldTime ?? DEFAULT_LARGE_HOLD },
    ],
  };
}

/** §8.2.2 OpenSent, event 19: check, negotiate, KEEPALIVE, timers, OpenConfirm. */
export function openSentOpen(s: FsmState, open: OpenMessage, cfg: FsmConfig): StepResult {
  const r = acceptOpen(open, cfg);
  if (!r.ok) {
    return toIdle(s, cfg, {
      reason: { kind: 'open-error', code: r.notify.code, subcode: r.notify.subcode },
      counter: 'increment',
      error: true,
      notify: r.notify,
    });
  }
  return {
    state: { ...s, name: 'OpenConfirm', delayOpenRunning: false, negotiated: r.negotiated },
    actions: [
      { kind: 'stop-timer', timer: 'DelayOpen' },
      { kind: 'stop-timer', timer: 'ConnectRetry' },
      { kind: 'send-keepalive' },
      ...negotiatedTimers(r.negotiated),
    ],
  };
}
