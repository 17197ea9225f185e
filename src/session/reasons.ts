// Why a session went down: a tagged union the daemon, the log and the CLI read, each with a human
// text. Also the Cease NOTIFICATION that an administrative reason calls for (RFC 4486).

import type { Notify } from '../wire/errors.js';
import { ERR_CEASE, notify } from '../wire/errors.js';
import {
  CEASE_ADMIN_RESET,
  CEASE_ADMIN_SHUTDOWN,
  CEASE_COLLISION_RESOLUTION,
  CEASE_MAX_PREFIXES,
  CEASE_PEER_DECONFIGURED,
  notificationName,
} from '../wire/notification.js';
import type { DownReason, FsmEvent, StateName } from './events.js';

export type { DownReason, DownReasonKind } from './events.js';

export function notificationReceived(code: number, subcode: number, data?: Uint8Array): DownReason {
  const base = {
    kind: 'notification-received' as const,
    code,
    subcode,
    name: notificationName(code, subcode),
  };
  return data !== undefined && data.length > 0 ? { ...base, data } : base;
}

/** The reason an event takes a session down for (when the state does not name a better one). */
export function reasonForEvent(state: StateName, ev: FsmEvent): DownReason {
  switch (ev.type) {
    case 'ManualStop':
      return ev.reason ?? { kind: 'admin-stop' };
    case 'AutomaticStop':
      return ev.reason;
    case 'HoldTimer_Expires':
      return { kind: 'hold-timer-expired' };
    case 'TcpConnectionFails':
      return ev.closedByPeer === true
        ? { kind: 'tcp-closed-by-peer' }
        : { kind: 'tcp-failed', ...(ev.detail !== undefined ? { detail: ev.detail } : {}) };
    case 'NotifMsg':
    case 'NotifMsgVerErr':
      return notificationReceived(
        ev.notification.code,
        ev.notification.subcode,
        ev.notification.data,
      );
    case 'OpenCollisionDump':
      return ev.graceful === true
        ? { kind: 'graceful-restart', restarting: 'remote' }
        : { kind: 'collision-lost' };
    case 'BGPOpenMsgErr':
      return { kind: 'open-error', code: ev.notify.code, subcode: ev.notify.subcode };
    case 'BGPHeaderErr':
      return { kind: 'notification-sent', code: ev.notify.code, subcode: ev.notify.subcode };
    case 'UpdateMsgErr':
      return {
        kind: 'update-error',
        action: ev.action ?? 'session-reset',
        code: ev.notify.code,
        subcode: ev.notify.subcode,
        ...(ev.detail !== undefined ? { detail: ev.detail } : {}),
      };
    default:
      return { kind: 'fsm-error', state, event: ev.type };
  }
}

/** A line for logs and `show bgp neighbors`. */
export function describeReason(r: DownReason): string {
  switch (r.kind) {
    case 'hold-timer-expired':
      return 'hold timer expired';
    case 'notification-received':
      return `NOTIFICATION received: ${r.code}/${r.subcode} ${r.name}`;
    case 'notification-sent':
      return `NOTIFICATION sent: ${r.code}/${r.subcode} ${notificationName(r.code, r.subcode)}`;
    case 'tcp-failed':
      return r.detail !== undefined
        ? `TCP connection failed: ${r.detail}`
        : 'TCP connection failed';
    case 'tcp-closed-by-peer':
      return 'TCP connection closed by the peer';
    case 'admin-stop':
      return r.text !== undefined
        ? `administratively stopped: ${r.text}`
        : 'administratively stopped';
    case 'admin-reset':
      return 'administratively reset';
    case 'collision-lost':
      return 'connection collision: this connection was closed';
    case 'open-error':
      return `OPEN refused: ${r.code}/${r.subcode} ${notificationName(r.code, r.subcode)}`;
    case 'update-error':
      return `UPDATE error (${r.action}): ${r.code}/${r.subcode} ${notificationName(r.code, r.subcode)}${r.detail !== undefined ? `: ${r.detail}` : ''}`;
    case 'max-prefix':
      return `maximum prefixes reached for AFI ${r.afi} SAFI ${r.safi} (limit ${r.limit})`;
    case 'deconfigured':
      return 'peer de-configured';
    case 'graceful-restart':
      return r.restarting === 'remote'
        ? 'peer restarting (graceful restart)'
        : 'local graceful restart';
    case 'fsm-error':
      return `unexpected ${r.event} in ${r.state}`;
    default: {
      const never: never = r;
      return never;
    }
  }
}

/**
 * The Cease NOTIFICATION to send when a session is stopped for this reason (ManualStop,
 * AutomaticStop). RFC 4486 §4 names the subcodes; reasons that are not administrative get 6/0.
 */
export function ceaseFor(r: DownReason): Notify {
  switch (r.kind) {
    case 'max-prefix': {
      // RFC 4486 §4: the data MAY be AFI (2), SAFI (1) and the upper bound (4).
      const d = new Uint8Array(7);
      const v = new DataView(d.buffer);
      v.setUint16(0, r.afi);
      v.setUint8(2, r.safi);
      v.setUint32(3, r.limit >>> 0);
      return notify(ERR_CEASE, CEASE_MAX_PREFIXES, d);
    }
    case 'deconfigured':
      return notify(ERR_CEASE, CEASE_PEER_DECONFIGURED);
    case 'admin-stop':
      return notify(ERR_CEASE, CEASE_ADMIN_SHUTDOWN);
    case 'admin-reset':
      return notify(ERR_CEASE, CEASE_ADMIN_RESET);
    case 'collision-lost':
      return notify(ERR_CEASE, CEASE_COLLISION_RESOLUTION);
    default:
      return notify(ERR_CEASE, 0);
  }
}

/** The Hard Reset subcode (RFC 8538 §3): a NOTIFICATION that ends GR retention even with N. */
const CEASE_HARD_RESET = 9;

/**
 * Whether a helper keeps the peer's routes as stale after this reason (RFC 4724 §4.2: TCP failure
 * or hold timer; RFC 8538 §4: with the N bit exchanged, also any NOTIFICATION except Cease/Hard
 * Reset). `gr` is the graceful restart state negotiated on the session that went down.
 */
export function retainsRoutes(
  r: DownReason,
  gr: { readonly notification: boolean } | undefined,
): boolean {
  if (gr === undefined) return false;
  // A silent peer (hold timer) may be a restarting one: treated like the TCP failure of RFC 4724
  // §4.2 (the GoBGP GR scenarios expect stale routes after a hold timer expiry too).
  switch (r.kind) {
    case 'tcp-failed':
    case 'tcp-closed-by-peer':
    case 'graceful-restart':
    case 'hold-timer-expired':
      return true;
    case 'notification-received':
    case 'notification-sent':
    case 'update-error':
    case 'open-error':
      return gr.notification && !(r.code === ERR_CEASE && r.subcode === CEASE_HARD_RESET);
    default:
      return false;
  }
}
