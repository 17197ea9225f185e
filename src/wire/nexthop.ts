// STUB (replaced by the NLRI work): MP_REACH_NLRI next hop codec.
import { WireError } from './errors.js';
import type { NextHop } from './types.js';
import type { Writer } from './writer.js';

/**
 * Decodes an MP_REACH next hop of (afi, safi) from exactly its octets. Throws
 * WireError('update', ...) when the length is not valid for a known family (RFC 7606 §7.11).
 */
export function decodeNextHop(_afi: number, _safi: number, _bytes: Buffer): NextHop {
  throw new WireError('update', 'decodeNextHop: not implemented');
}

/** Writes the next hop octets (not the length octet). */
export function encodeNextHop(_w: Writer, _nh: NextHop): void {
  throw new WireError('update', 'encodeNextHop: not implemented');
}

export function nextHopLength(_nh: NextHop): number {
  throw new WireError('update', 'nextHopLength: not implemented');
}
