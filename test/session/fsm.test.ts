import { describe, expect, it } from 'vitest';
import type { FsmAction, FsmEvent, FsmEventType, StateName } from '../../src/session/events.js';
import { EVENT_NUMBERS } from '../../src/session/events.js';
import { INITIAL_STATE, step } from '../../src/session/fsm.js';
import type { FsmConfig, FsmState } from '../../src/session/fsm.js';
import { negotiate } from '../../src/session/negotiate.js';
import type { Negotiated } from '../../src/session/negotiate.js';
import type { Notify } from '../../src/wire/errors.js';
import type { NotificationMessage, OpenMessage } from '../../src/wire/types.js';
import { LOCAL_ID, mp, open } from './helpers.js';

const LOCAL_OPEN = open([mp(1, 128)], { myAs: 65000, bgpId: LOCAL_ID, holdTime: 90 });
const PEER_OPEN = open([mp(1, 128)]);

/** A stand-in for wire/open-check: only the configured AS is checked. */
function checkOpen(o: OpenMessage): Notify | undefined {
  return o.myAs === 65001 ? undefined : { code: 2, subcode: 2, data: new Uint8Array(0) };
}

const CFG: FsmConfig = { localOpen: LOCAL_OPEN, checkOpen };
const DELAY: FsmConfig = { ...CFG, delayOpenTime: 5 };

function negotiated(): Negotiated {
  const r = negotiate(LOCAL_OPEN, PEER_OPEN);
  if (!r.ok) throw new Error('fixture does not negotiate');
  return r.negotiated;
}

function at(name: StateName, over: Partial<FsmState> = {}): FsmState {
  const base: FsmState = { ...INITIAL_STATE, name, connectRetryCounter: 3 };
  return name === 'OpenConfirm' || name === 'Established'
    ? { ...base, negotiated: negotiated(), ...over }
    : { ...base, ...over };
}

const notif = (code: number, subcode: number): NotificationMessage => ({
  type: 'notification',
  code,
  subcode,
  data: new Uint8Array(0),
});

const EV: Record<FsmEventType, FsmEvent> = {
  ManualStart: { type: 'ManualStart' },
  ManualStop: { type: 'ManualStop' },
  AutomaticStart: { type: 'AutomaticStart' },
  ManualStart_with_PassiveTcpEstablishment: { type: 'ManualStart_with_PassiveTcpEstablishment' },
  AutomaticStart_with_PassiveTcpEstablishment: {
    type: 'AutomaticStart_with_PassiveTcpEstablishment',
  },
  AutomaticStart_with_DampPeerOscillations: { type: 'AutomaticStart_with_DampPeerOscillations' },
  AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment: {
    type: 'AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment',
  },
  AutomaticStop: { type: 'AutomaticStop', reason: { kind: 'deconfigured' } },
  ConnectRetryTimer_Expires: { type: 'ConnectRetryTimer_Expires' },
  HoldTimer_Expires: { type: 'HoldTimer_Expires' },
  KeepaliveTimer_Expires: { type: 'KeepaliveTimer_Expires' },
  DelayOpenTimer_Expires: { type: 'DelayOpenTimer_Expires' },
  IdleHoldTimer_Expires: { type: 'IdleHoldTimer_Expires' },
  TcpConnection_Valid: { type: 'TcpConnection_Valid' },
  Tcp_CR_Invalid: { type: 'Tcp_CR_Invalid' },
  Tcp_CR_Acked: { type: 'Tcp_CR_Acked' },
  TcpConnectionConfirmed: { type: 'TcpConnectionConfirmed' },
  TcpConnectionFails: { type: 'TcpConnectionFails' },
  BGPOpen: { type: 'BGPOpen', open: PEER_OPEN },
  BGPOpen_with_DelayOpenTimer_running: {
    type: 'BGPOpen_with_DelayOpenTimer_running',
    open: PEER_OPEN,
  },
  BGPHeaderErr: {
    type: 'BGPHeaderErr',
    notify: { code: 1, subcode: 2, data: Uint8Array.of(0, 5) },
  },
  BGPOpenMsgErr: {
    type: 'BGPOpenMsgErr',
    notify: { code: 2, subcode: 4, data: new Uint8Array(0) },
  },
  OpenCollisionDump: { type: 'OpenCollisionDump' },
  NotifMsgVerErr: { type: 'NotifMsgVerErr', notification: notif(2, 1) },
  NotifMsg: { type: 'NotifMsg', notification: notif(6, 2) },
  KeepAliveMsg: { type: 'KeepAliveMsg' },
  UpdateMsg: { type: 'UpdateMsg' },
  UpdateMsgErr: {
    type: 'UpdateMsgErr',
    notify: { code: 3, subcode: 1, data: new Uint8Array(0) },
    action: 'session-reset',
  },
  RouteRefreshMsg: { type: 'RouteRefreshMsg' },
};

type Key =
  | 'connect'
  | 'drop'
  | 'open'
  | 'keepalive'
  | 'up'
  | 'update'
  | `notify ${number}/${number}`
  | `start ${string} ${number}`
  | `down ${string}`;

/** The actions in a short comparable form (stop-timer and release-resources left out). */
function keys(actions: readonly FsmAction[]): Key[] {
  const out: Key[] = [];
  for (const a of actions) {
    switch (a.kind) {
      case 'connect':
        out.push('connect');
        break;
      case 'drop-connection':
        out.push('drop');
        break;
      case 'send-open':
        out.push('open');
        break;
      case 'send-keepalive':
        out.push('keepalive');
        break;
      case 'send-notification':
        out.push(`notify ${a.code}/${a.subcode}`);
        break;
      case 'start-timer':
        out.push(`start ${a.timer} ${a.seconds}`);
        break;
      case 'session-up':
        out.push('up');
        break;
      case 'session-down':
        out.push(`down ${a.reason.kind}`);
        break;
      case 'process-update':
        out.push('update');
        break;
      default:
        break;
    }
  }
  return out;
}

// [state, state overrides, event, config, next state, counter after (from 3), key actions]
type Row = [StateName, Partial<FsmState>, FsmEventType, FsmConfig, StateName, number, Key[]];
const CONNECT_IDLE: Key[] = ['drop', 'down fsm-error'];

const ROWS: Row[] = [
  // Idle (RFC 4271 §8.2.2)
  ['Idle', {}, 'ManualStart', CFG, 'Connect', 0, ['start ConnectRetry 120', 'connect']],
  ['Idle', {}, 'AutomaticStart', CFG, 'Connect', 0, ['start ConnectRetry 120', 'connect']],
  [
    'Idle',
    {},
    'ManualStart_with_PassiveTcpEstablishment',
    CFG,
    'Active',
    0,
    ['start ConnectRetry 120'],
  ],
  [
    'Idle',
    {},
    'AutomaticStart_with_PassiveTcpEstablishment',
    CFG,
    'Active',
    0,
    ['start ConnectRetry 120'],
  ],
  ['Idle', {}, 'ManualStop', CFG, 'Idle', 3, []],
  ['Idle', {}, 'AutomaticStop', CFG, 'Idle', 3, []],
  ['Idle', {}, 'ConnectRetryTimer_Expires', CFG, 'Idle', 3, []],
  ['Idle', {}, 'KeepAliveMsg', CFG, 'Idle', 3, []],
  ['Idle', {}, 'TcpConnectionConfirmed', CFG, 'Idle', 3, ['drop']],
  // Connect
  ['Connect', {}, 'ManualStart', CFG, 'Connect', 3, []],
  ['Connect', {}, 'ManualStop', CFG, 'Idle', 0, ['drop', 'down admin-stop']],
  [
    'Connect',
    {},
    'ConnectRetryTimer_Expires',
    CFG,
    'Connect',
    3,
    ['drop', 'start ConnectRetry 120', 'connect'],
  ],
  ['Connect', {}, 'DelayOpenTimer_Expires', DELAY, 'OpenSent', 3, ['open', 'start Hold 240']],
  ['Connect', {}, 'TcpConnection_Valid', CFG, 'Connect', 3, []],
  ['Connect', {}, 'Tcp_CR_Acked', CFG, 'OpenSent', 3, ['open', 'start Hold 240']],
  ['Connect', {}, 'TcpConnectionConfirmed', CFG, 'OpenSent', 3, ['open', 'start Hold 240']],
  ['Connect', {}, 'TcpConnectionConfirmed', DELAY, 'Connect', 3, ['start DelayOpen 5']],
  ['Connect', {}, 'TcpConnectionFails', CFG, 'Idle', 3, ['drop', 'down tcp-failed']],
  [
    'Connect',
    { delayOpenRunning: true },
    'TcpConnectionFails',
    DELAY,
    'Active',
    3,
    ['start ConnectRetry 120'],
  ],
  [
    'Connect',
    { delayOpenRunning: true },
    'BGPOpen',
    DELAY,
    'OpenConfirm',
    3,
    ['open', 'keepalive', 'start Keepalive 30', 'start Hold 90'],
  ],
  [
    'Connect',
    { delayOpenRunning: true },
    'BGPOpen_with_DelayOpenTimer_running',
    DELAY,
    'OpenConfirm',
    3,
    ['open', 'keepalive', 'start Keepalive 30', 'start Hold 90'],
  ],
  ['Connect', {}, 'BGPOpen', CFG, 'Idle', 4, CONNECT_IDLE],
  ['Connect', {}, 'BGPHeaderErr', CFG, 'Idle', 4, ['drop', 'down notification-sent']],
  [
    'Connect',
    {},
    'BGPHeaderErr',
    { ...CFG, sendNotificationWithoutOpen: true },
    'Idle',
    4,
    ['notify 1/2', 'drop', 'down notification-sent'],
  ],
  ['Connect', {}, 'BGPOpenMsgErr', CFG, 'Idle', 4, ['drop', 'down open-error']],
  ['Connect', {}, 'NotifMsgVerErr', CFG, 'Idle', 4, ['drop', 'down notification-received']],
  [
    'Connect',
    { delayOpenRunning: true },
    'NotifMsgVerErr',
    DELAY,
    'Idle',
    3,
    ['drop', 'down notification-received'],
  ],
  ['Connect', {}, 'AutomaticStop', CFG, 'Idle', 4, ['drop', 'down deconfigured']],
  ['Connect', {}, 'HoldTimer_Expires', CFG, 'Idle', 4, ['drop', 'down hold-timer-expired']],
  ['Connect', {}, 'KeepAliveMsg', CFG, 'Idle', 4, CONNECT_IDLE],
  ['Connect', {}, 'UpdateMsg', CFG, 'Idle', 4, CONNECT_IDLE],
  // Active
  ['Active', {}, 'AutomaticStart', CFG, 'Active', 3, []],
  ['Active', {}, 'ManualStop', CFG, 'Idle', 0, ['drop', 'down admin-stop']],
  [
    'Active',
    { delayOpenRunning: true },
    'ManualStop',
    { ...DELAY, sendNotificationWithoutOpen: true },
    'Idle',
    0,
    ['notify 6/2', 'drop', 'down admin-stop'],
  ],
  [
    'Active',
    {},
    'ConnectRetryTimer_Expires',
    CFG,
    'Connect',
    3,
    ['start ConnectRetry 120', 'connect'],
  ],
  [
    'Active',
    { passive: true },
    'ConnectRetryTimer_Expires',
    CFG,
    'Active',
    3,
    ['start ConnectRetry 120'],
  ],
  ['Active', {}, 'DelayOpenTimer_Expires', DELAY, 'OpenSent', 3, ['open', 'start Hold 240']],
  ['Active', {}, 'TcpConnectionConfirmed', CFG, 'OpenSent', 3, ['open', 'start Hold 240']],
  ['Active', {}, 'Tcp_CR_Acked', DELAY, 'Active', 3, ['start DelayOpen 5']],
  ['Active', {}, 'TcpConnectionFails', CFG, 'Idle', 4, ['drop', 'down tcp-failed']],
  [
    'Active',
    { delayOpenRunning: true },
    'BGPOpen',
    DELAY,
    'OpenConfirm',
    3,
    ['open', 'keepalive', 'start Keepalive 30', 'start Hold 90'],
  ],
  ['Active', {}, 'BGPOpenMsgErr', CFG, 'Idle', 4, ['drop', 'down open-error']],
  ['Active', {}, 'NotifMsgVerErr', CFG, 'Idle', 4, ['drop', 'down notification-received']],
  ['Active', {}, 'UpdateMsg', CFG, 'Idle', 4, CONNECT_IDLE],
  // OpenSent
  ['OpenSent', {}, 'ManualStart', CFG, 'OpenSent', 3, []],
  ['OpenSent', {}, 'ManualStop', CFG, 'Idle', 0, ['notify 6/2', 'drop', 'down admin-stop']],
  ['OpenSent', {}, 'AutomaticStop', CFG, 'Idle', 4, ['notify 6/3', 'drop', 'down deconfigured']],
  [
    'OpenSent',
    {},
    'HoldTimer_Expires',
    CFG,
    'Idle',
    4,
    ['notify 4/0', 'drop', 'down hold-timer-expired'],
  ],
  ['OpenSent', {}, 'TcpConnectionConfirmed', CFG, 'OpenSent', 3, []],
  ['OpenSent', {}, 'TcpConnectionFails', CFG, 'Active', 3, ['drop', 'start ConnectRetry 120']],
  [
    'OpenSent',
    {},
    'BGPOpen',
    CFG,
    'OpenConfirm',
    3,
    ['keepalive', 'start Keepalive 30', 'start Hold 90'],
  ],
  [
    'OpenSent',
    {},
    'BGPHeaderErr',
    CFG,
    'Idle',
    4,
    ['notify 1/2', 'drop', 'down notification-sent'],
  ],
  ['OpenSent', {}, 'BGPOpenMsgErr', CFG, 'Idle', 4, ['notify 2/4', 'drop', 'down open-error']],
  [
    'OpenSent',
    {},
    'OpenCollisionDump',
    CFG,
    'Idle',
    4,
    ['notify 6/7', 'drop', 'down collision-lost'],
  ],
  ['OpenSent', {}, 'NotifMsgVerErr', CFG, 'Idle', 3, ['drop', 'down notification-received']],
  ['OpenSent', {}, 'NotifMsg', CFG, 'Idle', 4, ['drop', 'down notification-received']],
  [
    'OpenSent',
    {},
    'ConnectRetryTimer_Expires',
    CFG,
    'Idle',
    4,
    ['notify 5/1', 'drop', 'down notification-sent'],
  ],
  [
    'OpenSent',
    {},
    'KeepaliveTimer_Expires',
    CFG,
    'Idle',
    4,
    ['notify 5/1', 'drop', 'down notification-sent'],
  ],
  [
    'OpenSent',
    {},
    'KeepAliveMsg',
    CFG,
    'Idle',
    4,
    ['notify 5/1', 'drop', 'down notification-sent'],
  ],
  ['OpenSent', {}, 'UpdateMsg', CFG, 'Idle', 4, ['notify 5/1', 'drop', 'down notification-sent']],
  [
    'OpenSent',
    {},
    'UpdateMsgErr',
    CFG,
    'Idle',
    4,
    ['notify 5/1', 'drop', 'down notification-sent'],
  ],
  // OpenConfirm
  ['OpenConfirm', {}, 'AutomaticStart', CFG, 'OpenConfirm', 3, []],
  ['OpenConfirm', {}, 'ManualStop', CFG, 'Idle', 0, ['notify 6/2', 'drop', 'down admin-stop']],
  ['OpenConfirm', {}, 'AutomaticStop', CFG, 'Idle', 4, ['notify 6/3', 'drop', 'down deconfigured']],
  [
    'OpenConfirm',
    {},
    'HoldTimer_Expires',
    CFG,
    'Idle',
    4,
    ['notify 4/0', 'drop', 'down hold-timer-expired'],
  ],
  [
    'OpenConfirm',
    {},
    'KeepaliveTimer_Expires',
    CFG,
    'OpenConfirm',
    3,
    ['keepalive', 'start Keepalive 30'],
  ],
  ['OpenConfirm', {}, 'Tcp_CR_Acked', CFG, 'OpenConfirm', 3, []],
  ['OpenConfirm', {}, 'TcpConnectionFails', CFG, 'Idle', 4, ['drop', 'down tcp-failed']],
  ['OpenConfirm', {}, 'NotifMsg', CFG, 'Idle', 4, ['drop', 'down notification-received']],
  ['OpenConfirm', {}, 'NotifMsgVerErr', CFG, 'Idle', 3, ['drop', 'down notification-received']],
  [
    'OpenConfirm',
    {},
    'BGPHeaderErr',
    CFG,
    'Idle',
    4,
    ['notify 1/2', 'drop', 'down notification-sent'],
  ],
  ['OpenConfirm', {}, 'BGPOpenMsgErr', CFG, 'Idle', 4, ['notify 2/4', 'drop', 'down open-error']],
  [
    'OpenConfirm',
    {},
    'OpenCollisionDump',
    CFG,
    'Idle',
    4,
    ['notify 6/7', 'drop', 'down collision-lost'],
  ],
  ['OpenConfirm', {}, 'KeepAliveMsg', CFG, 'Established', 3, ['start Hold 90', 'up']],
  ['OpenConfirm', {}, 'BGPOpen', CFG, 'Idle', 4, ['notify 5/2', 'drop', 'down notification-sent']],
  [
    'OpenConfirm',
    {},
    'UpdateMsg',
    CFG,
    'Idle',
    4,
    ['notify 5/2', 'drop', 'down notification-sent'],
  ],
  [
    'OpenConfirm',
    {},
    'DelayOpenTimer_Expires',
    CFG,
    'Idle',
    4,
    ['notify 5/2', 'drop', 'down notification-sent'],
  ],
  // Established
  ['Established', {}, 'ManualStart', CFG, 'Established', 3, []],
  ['Established', {}, 'ManualStop', CFG, 'Idle', 0, ['notify 6/2', 'drop', 'down admin-stop']],
  ['Established', {}, 'AutomaticStop', CFG, 'Idle', 4, ['notify 6/3', 'drop', 'down deconfigured']],
  [
    'Established',
    {},
    'HoldTimer_Expires',
    CFG,
    'Idle',
    4,
    ['notify 4/0', 'drop', 'down hold-timer-expired'],
  ],
  [
    'Established',
    {},
    'KeepaliveTimer_Expires',
    CFG,
    'Established',
    3,
    ['keepalive', 'start Keepalive 30'],
  ],
  ['Established', {}, 'TcpConnectionConfirmed', CFG, 'Established', 3, []],
  [
    'Established',
    {},
    'OpenCollisionDump',
    CFG,
    'Idle',
    4,
    ['notify 6/7', 'drop', 'down collision-lost'],
  ],
  ['Established', {}, 'TcpConnectionFails', CFG, 'Idle', 4, ['drop', 'down tcp-failed']],
  ['Established', {}, 'NotifMsgVerErr', CFG, 'Idle', 4, ['drop', 'down notification-received']],
  ['Established', {}, 'NotifMsg', CFG, 'Idle', 4, ['drop', 'down notification-received']],
  ['Established', {}, 'KeepAliveMsg', CFG, 'Established', 3, ['start Hold 90']],
  ['Established', {}, 'UpdateMsg', CFG, 'Established', 3, ['update', 'start Hold 90']],
  ['Established', {}, 'UpdateMsgErr', CFG, 'Idle', 4, ['notify 3/1', 'drop', 'down update-error']],
  [
    'Established',
    {},
    'BGPHeaderErr',
    CFG,
    'Idle',
    4,
    ['notify 1/2', 'drop', 'down notification-sent'],
  ],
  ['Established', {}, 'BGPOpen', CFG, 'Idle', 4, ['notify 5/3', 'drop', 'down notification-sent']],
  [
    'Established',
    {},
    'BGPOpenMsgErr',
    CFG,
    'Idle',
    4,
    ['notify 5/3', 'drop', 'down notification-sent'],
  ],
  [
    'Established',
    {},
    'ConnectRetryTimer_Expires',
    CFG,
    'Idle',
    4,
    ['notify 5/3', 'drop', 'down notification-sent'],
  ],
  [
    'Established',
    {},
    'DelayOpenTimer_Expires',
    CFG,
    'Idle',
    4,
    ['notify 5/3', 'drop', 'down notification-sent'],
  ],
];

describe('RFC 4271 §8.2.2 transitions', () => {
  it.each(ROWS)('%s %o + %s', (from, over, ev, cfg, to, counter, expected) => {
    const r = step(at(from, over), EV[ev], cfg);
    expect(r.state.name).toBe(to);
    expect(r.state.connectRetryCounter).toBe(counter);
    expect(keys(r.actions)).toEqual(expected);
  });

  it('every state handles every event, and only leaving for Idle reports session-down', () => {
    const states: StateName[] = [
      'Idle',
      'Connect',
      'Active',
      'OpenSent',
      'OpenConfirm',
      'Established',
    ];
    for (const s of states) {
      for (const ev of Object.values(EV)) {
        for (const cfg of [CFG, DELAY]) {
          const r = step(at(s), ev, cfg);
          const downs = r.actions.filter((a) => a.kind === 'session-down');
          const wentIdle = s !== 'Idle' && r.state.name === 'Idle';
          expect(downs.length, `${s} + ${ev.type}`).toBe(wentIdle ? 1 : 0);
          if (downs[0]?.kind === 'session-down') {
            expect(downs[0].established).toBe(s === 'Established');
          }
          // No NOTIFICATION before an OPEN went out (SendNOTIFICATIONwithoutOPEN is off).
          if (s === 'Idle' || s === 'Connect' || s === 'Active') {
            expect(r.actions.some((a) => a.kind === 'send-notification')).toBe(false);
          }
        }
      }
    }
  });

  it('numbers the events as RFC 4271 §8.1 does', () => {
    expect(EVENT_NUMBERS.ManualStart).toBe(1);
    expect(EVENT_NUMBERS.AutomaticStart_with_PassiveTcpEstablishment).toBe(5);
    expect(EVENT_NUMBERS.IdleHoldTimer_Expires).toBe(13);
    expect(EVENT_NUMBERS.TcpConnection_Valid).toBe(14);
    expect(EVENT_NUMBERS.TcpConnectionFails).toBe(18);
    expect(EVENT_NUMBERS.BGPOpen_with_DelayOpenTimer_running).toBe(20);
    expect(EVENT_NUMBERS.UpdateMsgErr).toBe(28);
  });
});

describe('OPEN handling in OpenSent', () => {
  const withHold = (h: number) =>
    ({ type: 'BGPOpen', open: { ...PEER_OPEN, holdTime: h } }) as const;

  it('negotiates 30 against our 90: keepalive 10', () => {
    const r = step(at('OpenSent'), withHold(30), CFG);
    expect(keys(r.actions)).toEqual(['keepalive', 'start Keepalive 10', 'start Hold 30']);
    expect(r.state.negotiated?.holdTime).toBe(30);
  });
  it('negotiates 3: keepalive 1', () => {
    const r = step(at('OpenSent'), withHold(3), CFG);
    expect(keys(r.actions)).toEqual(['keepalive', 'start Keepalive 1', 'start Hold 3']);
  });
  it('hold time 0 runs neither timer, before and after Established', () => {
    const r = step(at('OpenSent'), withHold(0), CFG);
    expect(keys(r.actions)).toEqual(['keepalive']);
    expect(r.actions).toContainEqual({ kind: 'stop-timer', timer: 'Hold' });
    expect(r.actions).toContainEqual({ kind: 'stop-timer', timer: 'Keepalive' });
    const up = step(r.state, { type: 'KeepAliveMsg' }, CFG);
    expect(keys(up.actions)).toEqual(['up']);
    const upd = step(up.state, { type: 'UpdateMsg' }, CFG);
    expect(keys(upd.actions)).toEqual(['update']);
  });
  it('refuses hold time 1 or 2 with 2/6 even if checkOpen lets it pass', () => {
    for (const h of [1, 2]) {
      const r = step(at('OpenSent'), withHold(h), CFG);
      expect(r.state.name).toBe('Idle');
      expect(keys(r.actions)).toEqual(['notify 2/6', 'drop', 'down open-error']);
    }
  });
  it('refuses what checkOpen refuses', () => {
    const r = step(at('OpenSent'), { type: 'BGPOpen', open: { ...PEER_OPEN, myAs: 65099 } }, CFG);
    expect(keys(r.actions)).toEqual(['notify 2/2', 'drop', 'down open-error']);
  });
  it('refuses an unsupported required capability with 2/7', () => {
    const cfg: FsmConfig = { ...CFG, negotiation: { required: [{ kind: 'route-refresh' }] } };
    const r = step(at('OpenSent'), { type: 'BGPOpen', open: PEER_OPEN }, cfg);
    expect(keys(r.actions)).toEqual(['notify 2/7', 'drop', 'down open-error']);
  });
});

describe('whole sessions', () => {
  function run(s: FsmState, evs: FsmEvent[], cfg = CFG): { state: FsmState; log: Key[][] } {
    const log: Key[][] = [];
    for (const ev of evs) {
      const r = step(s, ev, cfg);
      log.push(keys(r.actions));
      s = r.state;
    }
    return { state: s, log };
  }

  it('active open: Idle to Established, session-up carries the negotiation', () => {
    let s = INITIAL_STATE;
    const evs: FsmEvent[] = [
      { type: 'ManualStart' },
      { type: 'Tcp_CR_Acked' },
      { type: 'BGPOpen', open: { ...PEER_OPEN, holdTime: 30 } },
    ];
    s = run(s, evs).state;
    expect(s.name).toBe('OpenConfirm');
    const r = step(s, { type: 'KeepAliveMsg' }, CFG);
    expect(r.state.name).toBe('Established');
    const up = r.actions.find((a) => a.kind === 'session-up');
    expect(up?.kind === 'session-up' && up.negotiated.holdTime).toBe(30);
    expect(up?.kind === 'session-up' && up.negotiated.familyNames).toEqual(['vpnv4']);
  });

  it('passive with DelayOpen: the peer opens first', () => {
    const { state, log } = run(
      INITIAL_STATE,
      [
        { type: 'ManualStart_with_PassiveTcpEstablishment' },
        { type: 'TcpConnectionConfirmed' },
        { type: 'BGPOpen', open: PEER_OPEN },
        { type: 'KeepAliveMsg' },
      ],
      DELAY,
    );
    expect(state.name).toBe('Established');
    expect(log[0]).toEqual(['start ConnectRetry 120']); // no connect: passive
    expect(log[1]).toEqual(['start DelayOpen 5']);
    expect(log[2]).toEqual(['open', 'keepalive', 'start Keepalive 30', 'start Hold 90']);
  });

  it('counts failures, and restarts after IdleHold when configured', () => {
    const cfg: FsmConfig = { ...CFG, idleHoldTime: 10 };
    const { state, log } = run(
      INITIAL_STATE,
      [
        { type: 'AutomaticStart' },
        { type: 'Tcp_CR_Acked' },
        { type: 'HoldTimer_Expires' },
        { type: 'IdleHoldTimer_Expires' },
        { type: 'Tcp_CR_Acked' },
        { type: 'TcpConnectionFails', closedByPeer: true },
      ],
      cfg,
    );
    expect(log[2]).toEqual(['notify 4/0', 'drop', 'down hold-timer-expired', 'start IdleHold 10']);
    expect(log[3]).toEqual(['start ConnectRetry 120', 'connect']);
    // OpenSent + TCP failure: back to Active, not Idle (RFC 4271 §8.2.2).
    expect(state.name).toBe('Active');
    expect(state.connectRetryCounter).toBe(1);
  });

  it('a manual stop does not schedule a restart and cancels a pending one', () => {
    const cfg: FsmConfig = { ...CFG, idleHoldTime: 10 };
    const r = step(at('Established'), { type: 'ManualStop' }, cfg);
    expect(keys(r.actions)).not.toContain('start IdleHold 10');
    const r2 = step(at('Idle'), { type: 'ManualStop' }, cfg);
    expect(r2.actions).toEqual([{ kind: 'stop-timer', timer: 'IdleHold' }]);
  });

  it('AutomaticStop for max-prefix sends Cease 6/1 with AFI, SAFI and the limit', () => {
    const r = step(
      at('Established'),
      { type: 'AutomaticStop', reason: { kind: 'max-prefix', afi: 1, safi: 128, limit: 100 } },
      CFG,
    );
    const n = r.actions.find((a) => a.kind === 'send-notification');
    expect(n).toMatchObject({ code: 6, subcode: 1 });
    // 0001 AFI IPv4, 80 SAFI 128, 00000064 limit 100 (RFC 4486 §4)
    if (n?.kind === 'send-notification')
      expect(Buffer.from(n.data).toString('hex')).toBe('00018000000064');
  });

  it('graceful collision dump closes an Established session without NOTIFICATION', () => {
    const r = step(at('Established'), { type: 'OpenCollisionDump', graceful: true }, CFG);
    expect(keys(r.actions)).toEqual(['drop', 'down graceful-restart']);
  });
});
