// The octets a session writes for a batch of messages (SocketShell.send): one buffer or the
// messages themselves.

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
