// The OPENs and the last NOTIFICATION of one connection, kept as they were on the wire: BMP's
// Peer Up carries both OPENs whole (RFC 7854 §4.10) and its Peer Down the NOTIFICATION (§4.9).

import { DEFAULT_CONTEXT } from '../wire/context.js';
import type { Notify } from '../wire/errors.js';
import { encodeMessage } from '../wire/message.js';
import { MSG_NOTIFICATION, MSG_OPEN, type OpenMessage } from '../wire/types.js';
import type { SessionWire } from './shell.js';

/** RFC 4271 §4.1: the message type octet follows the 16-octet marker and the 2-octet length. */
const TYPE_AT = 18;

export class KeptPdus {
  private sentOpen: Buffer | undefined;
  private receivedOpen: Buffer | undefined;
  /** The last NOTIFICATION sent or received since our OPEN. */
  notification: Buffer | undefined;

  /** A received frame (returned as is); an OPEN or NOTIFICATION is copied: frames are views. */
  received(frame: Buffer): Buffer {
    const type = frame[TYPE_AT];
    if (type === MSG_OPEN) this.receivedOpen = Buffer.from(frame);
    else if (type === MSG_NOTIFICATION) this.notification = Buffer.from(frame);
    return frame;
  }

  /**
   * Our OPEN about to be sent: its octets (returned). A new attempt, so no NOTIFICATION yet; the
   * peer's OPEN stays (with DelayOpen it may have come first).
   */
  sendingOpen(open: OpenMessage): Buffer {
    this.sentOpen = encodeMessage(open, DEFAULT_CONTEXT);
    this.notification = undefined;
    return this.sentOpen;
  }

  /** A NOTIFICATION about to be sent: its octets (returned). */
  sendingNotification(n: Notify): Buffer {
    this.notification = encodeMessage({ type: 'notification', ...n }, DEFAULT_CONTEXT);
    return this.notification;
  }

  /** What Peer Up needs of the established connection. */
  wire(
    socket: { localPort?: number | undefined; remotePort?: number | undefined } | undefined,
  ): SessionWire {
    return {
      sentOpen: this.sentOpen,
      receivedOpen: this.receivedOpen,
      localPort: socket?.localPort ?? 0,
      remotePort: socket?.remotePort ?? 0,
    };
  }
}
