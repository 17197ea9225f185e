// What the daemon asks of one peer's session, whatever carries it: the socket shell (peer.ts) or
// a test's fake. One type, so the daemon and every shell agree on it. Also the socket shell's
// configuration and the events it reports.

import type { Socket } from 'node:net';
import type { CodecContext } from '../wire/context.js';
import type { Notify } from '../wire/errors.js';
import type { RouteRefreshMessage } from '../wire/types.js';
import type { UpdateDecodeResult } from '../wire/update.js';
import type { DownReason, StateName } from './events.js';
import type { FsmConfig } from './fsm.js';
import type { Negotiated } from './negotiate.js';
import type { TransportSecurity } from './transport.js';

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
  /**
   * Writes the messages. `octets` is what coalesce (coalesce.ts) made of them, when the caller
   * made it once for several peers (Joins); the messages are still what taps and counters see.
   */
  send(messages: readonly Buffer[], octets?: readonly Buffer[]): void;
  /** An incoming TCP connection from this neighbor; false refuses it. */
  accept(socket: Socket): boolean;
  readonly state: string;
}

/** How the socket shell (peer.ts) of one neighbor is set up. */
export interface PeerShellConfig {
  readonly peerAddress: string;
  readonly port: number;
  readonly localAddress?: string;
  readonly passive: boolean;
  readonly localAs: number;
  readonly localBgpId: number;
  readonly fsm: FsmConfig;
  /** RFC 4271 §10 jitter on ConnectRetry/Keepalive. */
  readonly jitter?: boolean;
  /** Bound of unsent octets before the session is reset (a peer that stops reading). */
  readonly maxOutputQueue?: number;
  /** TCP-MD5 key and GTSM hops of our connections (transport.ts). */
  readonly security?: TransportSecurity;
}

/** The session's OPENs as they were on the wire and its TCP ports (BMP Peer Up, RFC 7854 §4.10). */
export interface SessionWire {
  readonly sentOpen?: Buffer | undefined;
  readonly receivedOpen?: Buffer | undefined;
  readonly localPort: number;
  readonly remotePort: number;
}

/** What a message tap learns with each message besides its octets (MRT logging). */
export interface MessageLink {
  readonly localAddress: string;
  /** Add-path (RFC 7911) is in use for some family in the message's direction. */
  readonly addPath: boolean;
}

/** What the socket shell reports upward. */
export interface PeerShellEvents {
  established(
    n: Negotiated,
    ctx: { rx: CodecContext; tx: CodecContext },
    localAddress: string,
    wire?: SessionWire,
  ): void;
  update(r: UpdateDecodeResult): void;
  /**
   * The peer's part of an input turn is over (input-slices.ts): the daemon commits what its
   * UPDATEs changed now, before the event loop or another connection runs anything else. Returns
   * whether anything was committed.
   */
  inputEnd?(): boolean;
  /**
   * Whether the UPDATEs handled so far make a commit's worth, or one that would take `msLeft` (the
   * turn's time left) or more: the peer's part of the turn ends.
   */
  inputDue?(msLeft: number): boolean;
  routeRefresh(m: RouteRefreshMessage): void;
  /** `retain`: the peer negotiated graceful restart and this reason keeps its routes (stale). */
  down(reason: DownReason, established: boolean, retain: boolean, notification?: Buffer): void;
  stateChange?(from: StateName, to: StateName, event: string): void;
  /** Our connect was given up with no answer at all (no SYN-ACK, no RST). */
  connectUnanswered?(): void;
  notificationSent?(n: Notify): void;
  /** Every whole message read or written on the session (BGP4MP logging, daemon/mrt.ts). */
  message?(dir: 'received' | 'sent', frame: Buffer, link: MessageLink): void;
}
