// The inputs and outputs of the session state machine (RFC 4271 §8.1): events with their data, and
// actions as data for the socket shell to carry out.

import type { ErrorAction, Notify } from '../wire/errors.js';
import type { NotificationMessage, OpenMessage } from '../wire/types.js';
import type { Negotiated } from './negotiate.js';

export type StateName = 'Idle' | 'Connect' | 'Active' | 'OpenSent' | 'OpenConfirm' | 'Established';

/** Why a session went down (texts and Cease NOTIFICATIONs: reasons.ts). */
export type DownReason =
  | { readonly kind: 'hold-timer-expired' }
  | {
      readonly kind: 'notification-received';
      readonly code: number;
      readonly subcode: number;
      readonly name: string;
      readonly data?: Uint8Array;
    }
  | { readonly kind: 'notification-sent'; readonly code: number; readonly subcode: number }
  /** The TCP connection could not be set up, or failed locally. */
  | { readonly kind: 'tcp-failed'; readonly detail?: string }
  | { readonly kind: 'tcp-closed-by-peer' }
  | { readonly kind: 'admin-stop'; readonly text?: string }
  /** `clear bgp`: the session is restarted by the operator (RFC 4486 Administrative Reset). */
  | { readonly kind: 'admin-reset' }
  | { readonly kind: 'collision-lost' }
  /** We refused the peer's OPEN with this NOTIFICATION (RFC 4271 §6.2, RFC 5492 §3). */
  | { readonly kind: 'open-error'; readonly code: number; readonly subcode: number }
  /** An UPDATE error whose RFC 7606 action is a session reset. */
  | {
      readonly kind: 'update-error';
      readonly action: ErrorAction;
      readonly code: number;
      readonly subcode: number;
      readonly detail?: string;
    }
  | {
      readonly kind: 'max-prefix';
      readonly afi: number;
      readonly safi: number;
      readonly limit: number;
    }
  | { readonly kind: 'deconfigured' }
  /** A graceful restart: `remote` when the peer restarts (RFC 4724 §4.2), `local` when we do. */
  | { readonly kind: 'graceful-restart'; readonly restarting: 'local' | 'remote' }
  /** An event the state did not expect (RFC 4271 §8.2.2 "any other event", RFC 6608). */
  | { readonly kind: 'fsm-error'; readonly state: StateName; readonly event: string };

export type DownReasonKind = DownReason['kind'];

/** RFC 4271 §8: the timers of one session; IdleHold is used as a plain restart delay. */
export type TimerName = 'ConnectRetry' | 'Hold' | 'Keepalive' | 'DelayOpen' | 'IdleHold';

export type FsmEvent =
  | { readonly type: 'ManualStart' }
  /** `reason` defaults to admin-stop; `notify` to the Cease that reason calls for. */
  | { readonly type: 'ManualStop'; readonly reason?: DownReason; readonly notify?: Notify }
  | { readonly type: 'AutomaticStart' }
  | { readonly type: 'ManualStart_with_PassiveTcpEstablishment' }
  | { readonly type: 'AutomaticStart_with_PassiveTcpEstablishment' }
  | { readonly type: 'AutomaticStart_with_DampPeerOscillations' }
  | { readonly type: 'AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment' }
  /** max-prefix, de-configuration and the like. */
  | { readonly type: 'AutomaticStop'; readonly reason: DownReason; readonly notify?: Notify }
  | { readonly type: 'ConnectRetryTimer_Expires' }
  | { readonly type: 'HoldTimer_Expires' }
  | { readonly type: 'KeepaliveTimer_Expires' }
  | { readonly type: 'DelayOpenTimer_Expires' }
  | { readonly type: 'IdleHoldTimer_Expires' }
  | { readonly type: 'TcpConnection_Valid' }
  | { readonly type: 'Tcp_CR_Invalid' }
  | { readonly type: 'Tcp_CR_Acked' }
  | { readonly type: 'TcpConnectionConfirmed' }
  /** `closedByPeer`: the peer closed or reset an open connection (vs. connect/local failure). */
  | {
      readonly type: 'TcpConnectionFails';
      readonly closedByPeer?: boolean;
      readonly detail?: string;
    }
  /** A structurally valid OPEN; the FSM runs the semantic checks and negotiation itself. */
  | { readonly type: 'BGPOpen'; readonly open: OpenMessage }
  | { readonly type: 'BGPOpen_with_DelayOpenTimer_running'; readonly open: OpenMessage }
  | { readonly type: 'BGPHeaderErr'; readonly notify: Notify }
  | { readonly type: 'BGPOpenMsgErr'; readonly notify: Notify }
  /**
   * This connection lost a collision (RFC 4271 §6.8; see collision.ts). `graceful`: the peer
   * restarted (RFC 4724 §4.2), the old session closes without a NOTIFICATION.
   */
  | { readonly type: 'OpenCollisionDump'; readonly graceful?: boolean }
  | { readonly type: 'NotifMsgVerErr'; readonly notification: NotificationMessage }
  | { readonly type: 'NotifMsg'; readonly notification: NotificationMessage }
  | { readonly type: 'KeepAliveMsg' }
  | { readonly type: 'UpdateMsg' }
  /** An UPDATE error whose RFC 7606 action is session-reset (weaker ones never reach the FSM). */
  | {
      readonly type: 'UpdateMsgErr';
      readonly notify: Notify;
      readonly action?: ErrorAction;
      /** What was wrong, in words (the decoder's reason): the log names it. */
      readonly detail?: string;
    }
  /** vrfleak: a ROUTE-REFRESH (RFC 2918); not numbered by RFC 4271. */
  | { readonly type: 'RouteRefreshMsg' };

export type FsmEventType = FsmEvent['type'];

/** RFC 4271 §8.1 event numbers (RouteRefreshMsg has none). */
export const EVENT_NUMBERS: Readonly<Record<FsmEventType, number | undefined>> = {
  ManualStart: 1,
  ManualStop: 2,
  AutomaticStart: 3,
  ManualStart_with_PassiveTcpEstablishment: 4,
  AutomaticStart_with_PassiveTcpEstablishment: 5,
  AutomaticStart_with_DampPeerOscillations: 6,
  AutomaticStart_with_DampPeerOscillations_and_PassiveTcpEstablishment: 7,
  AutomaticStop: 8,
  ConnectRetryTimer_Expires: 9,
  HoldTimer_Expires: 10,
  KeepaliveTimer_Expires: 11,
  DelayOpenTimer_Expires: 12,
  IdleHoldTimer_Expires: 13,
  TcpConnection_Valid: 14,
  Tcp_CR_Invalid: 15,
  Tcp_CR_Acked: 16,
  TcpConnectionConfirmed: 17,
  TcpConnectionFails: 18,
  BGPOpen: 19,
  BGPOpen_with_DelayOpenTimer_running: 20,
  BGPHeaderErr: 21,
  BGPOpenMsgErr: 22,
  OpenCollisionDump: 23,
  NotifMsgVerErr: 24,
  NotifMsg: 25,
  KeepAliveMsg: 26,
  UpdateMsg: 27,
  UpdateMsgErr: 28,
  RouteRefreshMsg: undefined,
};

export type FsmAction =
  /** Open a TCP connection to the peer (the shell keeps listening in any case). */
  | { readonly kind: 'connect' }
  | { readonly kind: 'drop-connection' }
  | { readonly kind: 'send-open' }
  | { readonly kind: 'send-keepalive' }
  | {
      readonly kind: 'send-notification';
      readonly code: number;
      readonly subcode: number;
      readonly data: Uint8Array;
    }
  /** Start, or restart when running. */
  | { readonly kind: 'start-timer'; readonly timer: TimerName; readonly seconds: number }
  | { readonly kind: 'stop-timer'; readonly timer: TimerName }
  | { readonly kind: 'session-up'; readonly negotiated: Negotiated }
  /** Left a non-Idle state for Idle. `established`: routes learned on it must go (or go stale). */
  | { readonly kind: 'session-down'; readonly reason: DownReason; readonly established: boolean }
  /** Hand the UPDATE (or ROUTE-REFRESH) that raised the event to the RIB. */
  | { readonly kind: 'process-update' }
  | { readonly kind: 'process-route-refresh' }
  | { readonly kind: 'release-resources' };

export type FsmActionKind = FsmAction['kind'];
