// The octets a session writes for a batch of messages (SocketShell.send): one buffer or the
// messages themselves; those octets made once for every peer sent the same batch (Joins); and
// their writing, with each message still reported one by one (writeBatch).

import type { Socket } from 'node:net';

/** A batch of messages up to this many octets is written as one buffer (coalesce). */
export const COALESCE_MAX = 1024 * 1024;

/**
 * What to write for a batch of messages: one buffer of them all when there are several and they
 * are small, else the messages themselves. A realistic table sends ~230k UPDATEs at 1M routes,
 * and a writev of one chunk per UPDATE cost ~380 ms per 1M routes in Node's stream and writev
 * code, the copy and one write ~90 (CPU profiles of realistic 1M). A large batch (a route refresh
 * of a whole table) is written without a copy, which would hold its octets twice: its UPDATEs are
 * full ones, few per octet.
 */
export function coalesce(messages: readonly Buffer[], max = COALESCE_MAX): readonly Buffer[] {
  if (messages.length < 2) return messages;
  let total = 0;
  for (const m of messages) total += m.length;
  return total <= max ? [Buffer.concat(messages, total)] : messages;
}

/**
 * The octets of the batches of one commit, each made once however many peers are sent it: an
 * update group's members are sent the same UPDATEs (one FlushResult's `messages` and `except`), in
 * per-peer lists of their own. A reflector to 50 clients joined each commit's UPDATEs 50 times,
 * copies that took a third of its longest turns (bench/README.md, "The full run"). A batch is the
 * same as another when it holds the same message objects in the same order: the flush packs a
 * group's UPDATEs once, so identical octets are identical buffers, and comparing references is
 * cheap next to copying. Kept for one commit only: its buffers are garbage after it.
 */
export class Joins {
  /** Batches joined so far, by their first message. */
  private readonly made = new Map<
    Buffer,
    { messages: readonly Buffer[]; octets: readonly Buffer[] }[]
  >();

  constructor(
    private readonly join: (messages: readonly Buffer[]) => readonly Buffer[] = coalesce,
  ) {}

  /** What to write for these messages (coalesce's answer), the same object for the same batch. */
  octetsOf(messages: readonly Buffer[]): readonly Buffer[] {
    if (messages.length < 2) return messages;
    const first = messages[0]!;
    let seen = this.made.get(first);
    for (const b of seen ?? []) if (sameBatch(b.messages, messages)) return b.octets;
    const octets = this.join(messages);
    if (!seen) this.made.set(first, (seen = []));
    seen.push({ messages, octets });
    return octets;
  }
}

function sameBatch(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Writes a batch's octets (coalesce's answer for `messages`, maybe made for another peer too) and
 * reports every message to `tap` one by one, as the message tap and MRT log know them.
 */
export function writeBatch(
  socket: Pick<Socket, 'write' | 'cork' | 'uncork'>,
  messages: readonly Buffer[],
  octets: readonly Buffer[],
  tap: (message: Buffer) => void,
): void {
  // One chunk (the batch joined) or the messages themselves (one, or a batch past the bound).
  if (octets.length === 1) socket.write(octets[0]!);
  else {
    socket.cork();
    for (const b of octets) socket.write(b);
    socket.uncork();
  }
  for (const m of messages) tap(m);
}
