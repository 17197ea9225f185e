// What the daemon asks of one peer's session, whatever carries it: the socket shell (peer.ts) or
// a test's fake. One type, so the daemon and every shell agree on it.

import type { Socket } from 'node:net';
import type { DownReason } from './reasons.js';

/**
 * Why the daemon stops a session. Each is a down reason too, and names its Cease subcode (RFC 4486
 * §4, reasons.ts ceaseFor): admin-stop is Administrative Shutdown (the daemon stops),
 * deconfigured is Peer De-configured, admin-reset is Administrative Reset (`clear bgp`),
 * max-prefix is Maximum Number of Prefixes Reached with the family and the limit.
 */
export type StopReason = Extract<
  DownReason,
  { readonly kind: 'admin-stop' | 'deconfigured' | 'admin-reset' | 'max-prefix' }
>;

export interface PeerShell {
  start(): void;
  /** Administrative stop: the Cease NOTIFICATION the reason calls for, then Idle. */
  stop(reason: StopReason): void;
  send(messages: readonly Buffer[]): void;
  /** An incoming TCP connection from this neighbor; false refuses it. */
  accept(socket: Socket): boolean;
  readonly state: string;
}
