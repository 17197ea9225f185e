// The contract between the daemon and one peer's session shell (src/session/peer.ts): what the
// shell reports up and what the daemon asks of it. Kept as an interface so the daemon's logic can
// be tested without sockets.

import type { FamilyName } from '../wire/afi.js';
import type { CodecContext } from '../wire/context.js';
import type { UpdateDecodeResult } from '../wire/update.js';
import type { DownReason } from '../session/events.js';
import type { SessionWire } from '../session/shell.js';
import type { RouteRefreshMessage } from '../wire/types.js';

export interface SessionInfo {
  readonly families: readonly FamilyName[];
  readonly fourOctetAs: boolean;
  readonly peerAs: number;
  readonly peerBgpId: number;
  readonly holdTime: number;
  readonly routeRefresh: boolean;
  /** The peer advertised graceful restart (we act as helper when its session drops). */
  readonly peerGracefulRestart?: {
    readonly restartTime: number;
    readonly restarting: boolean;
    /** Families the peer lists with the Forwarding State (F) bit set (RFC 4724 §3). */
    readonly preserved?: readonly FamilyName[];
  };
  /**
   * Long-lived graceful restart (RFC 9494): whether the peer sent the capability (§4.3: stale
   * routes go only to such peers), and the families negotiated with their Long-lived Stale Time
   * (the peer's, bounded by ours, §4.2). Absent: no capability from the peer.
   */
  readonly llgr?: {
    readonly families: ReadonlyMap<FamilyName, number>;
    /** Families with the F bit set in the peer's LLGR capability (RFC 9494 §3.1). */
    readonly preserved: ReadonlySet<FamilyName>;
  };
  readonly rx: CodecContext;
  readonly tx: CodecContext;
  readonly localAddress: string;
  /** The OPENs as on the wire and the ports (BMP Peer Up); absent from shells without a socket. */
  readonly wire?: SessionWire;
}

/** Why a session went down as the session layer knows it, and the NOTIFICATION on the wire if one was sent or received (BMP Peer Down, RFC 7854 §4.9). */
export interface DownDetail {
  readonly reason: DownReason;
  readonly notification?: Buffer | undefined;
}

export interface PeerLinkEvents {
  established(info: SessionInfo): void;
  update(result: UpdateDecodeResult): void;
  /**
   * A slice of the peer's input is over: what it changed is committed before anything else runs.
   * Returns whether anything was committed.
   */
  inputEnd(): boolean;
  /** Whether the slice ends here, with `msLeft` of its turn (CommitSchedule.due). */
  inputDue(msLeft: number): boolean;
  routeRefresh(m: RouteRefreshMessage): void;
  /** The session left Established (or never got there). `graceful`: keep routes as stale. */
  down(reason: string, graceful: boolean, detail?: DownDetail): void;
}
