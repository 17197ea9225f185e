// Connection collision detection (RFC 4271 §6.8): two TCP connections to the same peer, one we
// opened and one it opened. When an OPEN arrives on one of them, decide which connection goes.
// The loser receives an OpenCollisionDump event, which sends Cease / Connection Collision
// Resolution (6/7, RFC 4486 §4).

import type { StateName } from './events.js';

export type Direction = 'outbound' | 'inbound';

export interface CollisionInput {
  readonly localBgpId: number;
  /** From the OPEN that just arrived. */
  readonly remoteBgpId: number;
  /** AS numbers break a tie of equal identifiers (RFC 6286 §2.3); needed only then. */
  readonly localAs?: number;
  readonly remoteAs?: number;
  /** The other connection to this peer, and the state of its FSM. */
  readonly existing: { readonly state: StateName; readonly direction: Direction };
  /** The connection the OPEN arrived on. */
  readonly arriving: { readonly direction: Direction };
  /**
   * RFC 4271 §8.1.1 CollisionDetectEstablishedState: also resolve against an Established
   * connection. Default false: the new connection is closed.
   */
  readonly collisionDetectEstablished?: boolean;
  /**
   * RFC 4724 §4.2: the existing session negotiated graceful restart and we are helper; a new
   * connection from the peer while Established means the peer restarted, so the old one goes.
   */
  readonly gracefulRestartHelper?: boolean;
}

export type CollisionDecision =
  /** No collision: the other connection has not got as far as OpenSent. */
  | { readonly close: 'none' }
  /** Send OpenCollisionDump to that connection (graceful: without NOTIFICATION). */
  | { readonly close: 'existing' | 'arriving'; readonly graceful?: boolean };

/**
 * Which connection survives: the one opened by the speaker with the higher BGP Identifier, the
 * identifiers compared as unsigned 32-bit numbers (RFC 4271 §6.8); with equal identifiers, the
 * one opened by the speaker with the larger AS (RFC 6286 §2.3).
 */
export function survivingDirection(
  localBgpId: number,
  remoteBgpId: number,
  localAs?: number,
  remoteAs?: number,
): Direction {
  const l = localBgpId >>> 0;
  const r = remoteBgpId >>> 0;
  if (l !== r) return l > r ? 'outbound' : 'inbound';
  if (localAs !== undefined && remoteAs !== undefined && localAs !== remoteAs) {
    return localAs > remoteAs ? 'outbound' : 'inbound';
  }
  // Same identifier and AS: checkOpen refuses that OPEN (RFC 6286 §2.2), so this is not reached.
  return 'outbound';
}

export function resolveCollision(c: CollisionInput): CollisionDecision {
  switch (c.existing.state) {
    case 'Idle':
    case 'Connect':
    case 'Active':
      return { close: 'none' };
    case 'Established':
      if (c.gracefulRestartHelper === true) return { close: 'existing', graceful: true };
      // RFC 4271 §6.8: "a collision with an existing BGP connection that is in the Established
      // state causes closing of the newly created connection" unless configured otherwise.
      if (c.collisionDetectEstablished !== true) return { close: 'arriving' };
      break;
    case 'OpenSent':
    case 'OpenConfirm':
      // §6.8 requires looking at OpenConfirm and allows OpenSent when the peer's identifier is
      // known, which it is here: it came in the OPEN that triggered the check.
      break;
    default: {
      const never: never = c.existing.state;
      return never;
    }
  }
  if (c.existing.direction === c.arriving.direction) return { close: 'arriving' };
  const keep = survivingDirection(c.localBgpId, c.remoteBgpId, c.localAs, c.remoteAs);
  return { close: keep === c.existing.direction ? 'arriving' : 'existing' };
}
