// What arrives on a connection, as the FSM's events (RFC 4271 §8.1): a frame decoded into the
// message event it is (or the error event it raises), and a timer's expiry. Pure.

import type { CodecContext } from '../wire/context.js';
import { ERR_OPEN, WireError } from '../wire/errors.js';
import { decodeMessage } from '../wire/message.js';
import { OPEN_UNSUPPORTED_VERSION } from '../wire/open-check.js';
import type { OpenMessage, RouteRefreshMessage } from '../wire/types.js';
import type { UpdateDecodeResult } from '../wire/update.js';
import type { FsmEvent, TimerName } from './events.js';

export type Inbound =
  /** An OPEN: the shell settles a connection collision first (RFC 4271 §6.8). */
  | { readonly kind: 'open'; readonly open: OpenMessage }
  /** `message`: what the FSM hands upward when it processes the event. */
  | {
      readonly kind: 'event';
      readonly event: FsmEvent;
      readonly message?: UpdateDecodeResult | RouteRefreshMessage;
    };

/** One framed message, decoded with the connection's receive context. */
export function inboundOf(frame: Buffer, rx: CodecContext): Inbound {
  let d;
  try {
    d = decodeMessage(frame, rx);
  } catch (e) {
    const n = e instanceof WireError ? e.notify : undefined;
    const notify = n ?? { code: 1, subcode: 0, data: new Uint8Array(0) };
    const kind = e instanceof WireError ? e.kind : 'header';
    if (kind === 'open') return { kind: 'event', event: { type: 'BGPOpenMsgErr', notify } };
    if (kind === 'update') {
      // The decoder's words reach the session-down log line (e.g. an NLRI syntax error that looks
      // like a path identifier sent without add-path, RFC 7911 §3).
      const detail = e instanceof Error ? e.message : undefined;
      return {
        kind: 'event',
        event: { type: 'UpdateMsgErr', notify, ...(detail ? { detail } : {}) },
      };
    }
    return { kind: 'event', event: { type: 'BGPHeaderErr', notify } };
  }
  const m = d.message;
  switch (m.type) {
    case 'open':
      return { kind: 'open', open: m };
    case 'keepalive':
      return { kind: 'event', event: { type: 'KeepAliveMsg' } };
    case 'notification':
      // RFC 4271 §8.2.2: an Unsupported Version NOTIFICATION is its own event.
      return {
        kind: 'event',
        event:
          m.code === ERR_OPEN && m.subcode === OPEN_UNSUPPORTED_VERSION
            ? { type: 'NotifMsgVerErr', notification: m }
            : { type: 'NotifMsg', notification: m },
      };
    case 'update': {
      if (d.action === 'session-reset' && d.notify) {
        const detail = d.problems
          .filter((x) => x.action === 'session-reset')
          .map((x) => x.reason)
          .join('; ');
        return {
          kind: 'event',
          event: {
            type: 'UpdateMsgErr',
            notify: d.notify,
            action: 'session-reset',
            ...(detail ? { detail } : {}),
          },
        };
      }
      const message: UpdateDecodeResult = {
        update: m,
        problems: d.problems,
        ...(d.action ? { action: d.action } : {}),
        ...(d.notify ? { notify: d.notify } : {}),
      };
      return { kind: 'event', event: { type: 'UpdateMsg' }, message };
    }
    case 'route-refresh':
      return { kind: 'event', event: { type: 'RouteRefreshMsg' }, message: m };
    default: {
      const never: never = m;
      return never;
    }
  }
}

const TIMER_EVENTS: Record<TimerName, FsmEvent> = {
  ConnectRetry: { type: 'ConnectRetryTimer_Expires' },
  Hold: { type: 'HoldTimer_Expires' },
  Keepalive: { type: 'KeepaliveTimer_Expires' },
  DelayOpen: { type: 'DelayOpenTimer_Expires' },
  IdleHold: { type: 'IdleHoldTimer_Expires' },
};

/** RFC 4271 §8.1.3: the event a timer's expiry is. */
export function timerEvent(name: TimerName): FsmEvent {
  return TIMER_EVENTS[name];
}
