// STUB (replaced by the NLRI work): the contract update.ts and the MP attributes code against.
import type { CodecContext } from '../context.js';
import { WireError } from '../errors.js';
import type { Reader } from '../reader.js';
import type { Nlri, PrefixNlri } from '../types.js';
import type { Writer } from '../writer.js';

/**
 * Decodes every NLRI of (afi, safi) in the reader (which spans exactly the NLRI octets).
 * `withdraw`: MP_UNREACH semantics (RFC 8277 §2.4: a single 3-octet label field, ignored).
 * Throws WireError('update', reason, notify(3, errSubcode)) when the NLRI are syntactically wrong.
 * Returns undefined when (afi, safi) is not a family the codec knows (the caller keeps it raw).
 */
export function decodeNlriList(
  _afi: number,
  _safi: number,
  _r: Reader,
  _ctx: CodecContext,
  _withdraw: boolean,
  _errSubcode: number,
): Nlri[] | undefined {
  throw new WireError('update', 'decodeNlriList: not implemented');
}

/** The IPv4 Withdrawn Routes / NLRI fields of an UPDATE (RFC 4271 §4.3; errors are 3/10). */
export function decodeIpv4Field(_r: Reader, _ctx: CodecContext): PrefixNlri[] {
  throw new WireError('update', 'decodeIpv4Field: not implemented');
}

/** Writes one NLRI of (afi, safi); `withdraw` writes the RFC 8277 compatibility label for VPN. */
export function encodeNlri(
  _w: Writer,
  _n: Nlri,
  _afi: number,
  _safi: number,
  _ctx: CodecContext,
  _withdraw: boolean,
): void {
  throw new WireError('update', 'encodeNlri: not implemented');
}
