// The message tap of the socket shell: every whole message read or written on a session, with
// what an MRT message log needs besides its octets (daemon/mrt-messages.ts).

import type { Socket } from 'node:net';
import type { CodecContext } from '../wire/context.js';
import type { PeerShellEvents } from './shell.js';

/** Reports one message to the shell's `message` listener, if any. */
export function tapMessage(
  events: PeerShellEvents,
  socket: Socket | undefined,
  ctx: CodecContext,
  dir: 'received' | 'sent',
  frame: Buffer,
): void {
  if (!events.message || !socket) return;
  // RFC 8050 §3: the ADDPATH subtypes when add-path is in use in the message's direction.
  const link = {
    localAddress: (socket.localAddress ?? '').replace(/^::ffff:/, ''),
    addPath: ctx.addPath.size > 0,
  };
  events.message(dir, frame, link);
}
