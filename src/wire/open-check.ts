// The semantic checks of a received OPEN (RFC 4271 §6.2, RFC 7607 §2, RFC 6793) and accessors the
// session uses to negotiate. Structural problems were already refused by decodeOpen.

import { ERR_OPEN, notify } from './errors.js';
import type { Notify } from './errors.js';
import { BGP_VERSION } from './open.js';
import type { Capability, OpenMessage } from './types.js';

export const OPEN_UNSUPPORTED_VERSION = 1;
export const OPEN_BAD_PEER_AS = 2;
export const OPEN_BAD_BGP_ID = 3;
export const OPEN_UNACCEPTABLE_HOLD_TIME = 6;

export interface OpenExpectation {
  /** The configured peer AS; undefined accepts any (but never AS 0). */
  readonly peerAs?: number;
  readonly localBgpId: number;
  /**
   * Our AS. When given and the peer is external, an identifier equal to ours is accepted
   * (RFC 6286 §2.2 only requires uniqueness within an AS); when absent it is refused.
   */
  readonly localAs?: number;
}

/** Every capability of every Capabilities parameter, in order. */
export function capabilitiesOf(open: OpenMessage): Capability[] {
  const caps: Capability[] = [];
  for (const p of open.params) if (p.kind === 'capabilities') caps.push(...p.capabilities);
  return caps;
}

/** The first capability of this kind (RFC 5492 §4 allows repeats; most kinds use the first). */
export function findCapability<K extends Capability['kind']>(
  caps: readonly Capability[],
  kind: K,
): Extract<Capability, { kind: K }> | undefined {
  return caps.find((c): c is Extract<Capability, { kind: K }> => c.kind === kind);
}

/** Every capability of this kind (multiprotocol is announced once per family). */
export function findCapabilities<K extends Capability['kind']>(
  caps: readonly Capability[],
  kind: K,
): Extract<Capability, { kind: K }>[] {
  return caps.filter((c): c is Extract<Capability, { kind: K }> => c.kind === kind);
}

/** The peer's AS: the 4-octet AS capability when present (RFC 6793 §4.1), else My AS. */
export function peerAsOf(open: OpenMessage): number {
  return findCapability(capabilitiesOf(open), 'four-octet-as')?.asn ?? open.myAs;
}

/** Returns the NOTIFICATION to send for the first semantic error, or undefined when acceptable. */
export function checkOpen(open: OpenMessage, expect: OpenExpectation): Notify | undefined {
  // RFC 4271 §6.2: Unsupported Version Number; the data is the 2-octet version we support.
  if (open.version !== BGP_VERSION) {
    return notify(ERR_OPEN, OPEN_UNSUPPORTED_VERSION, Uint8Array.of(0, BGP_VERSION));
  }
  // RFC 7607 §2: AS 0 as the peer AS, in My AS or in the 4-octet AS capability, is Bad Peer AS.
  const fourOctet = findCapability(capabilitiesOf(open), 'four-octet-as');
  if (open.myAs === 0 || fourOctet?.asn === 0) return notify(ERR_OPEN, OPEN_BAD_PEER_AS);
  const peerAs = peerAsOf(open);
  // RFC 4271 §6.2: the AS is not the one configured for this peer.
  if (expect.peerAs !== undefined && peerAs !== expect.peerAs) {
    return notify(ERR_OPEN, OPEN_BAD_PEER_AS);
  }
  // RFC 4271 §6.2: "An implementation MUST reject Hold Time values of one or two seconds."
  if (open.holdTime === 1 || open.holdTime === 2) {
    return notify(ERR_OPEN, OPEN_UNACCEPTABLE_HOLD_TIME);
  }
  // RFC 6286 §2.2: the identifier is non-zero, and unique within the AS.
  const id = open.bgpId >>> 0;
  if (id === 0) return notify(ERR_OPEN, OPEN_BAD_BGP_ID);
  const external = expect.localAs !== undefined && expect.localAs !== peerAs;
  if (id === expect.localBgpId >>> 0 && !external) return notify(ERR_OPEN, OPEN_BAD_BGP_ID);
  return undefined;
}
