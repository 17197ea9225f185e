// ROUTE-REFRESH (RFC 2918 §3) with the Enhanced Route Refresh subtypes (RFC 7313 §3.2) and room
// for ORF entries (RFC 5291), which are kept raw.

import { ERR_ROUTE_REFRESH, WireError, notify } from './errors.js';
import { HEADER_LENGTH } from './types.js';
import type { RouteRefreshMessage } from './types.js';
import type { Writer } from './writer.js';

export const RR_NORMAL = 0;
/** RFC 7313 §3.2: Beginning of Route Refresh. */
export const RR_BORR = 1;
/** RFC 7313 §3.2: End of Route Refresh. */
export const RR_EORR = 2;
export const RR_INVALID_LENGTH = 1;

/**
 * Decodes a ROUTE-REFRESH body (buf[start..end), after the header). When the header precedes the
 * body in buf (as decodeMessage arranges), a 7/1 carries the whole message as RFC 7313 §5 asks.
 * An unknown subtype is returned as it is: RFC 7313 §5 says to ignore it, which the session does.
 */
export function decodeRouteRefresh(buf: Buffer, start: number, end: number): RouteRefreshMessage {
  const len = end - start;
  const bad = (why: string): WireError =>
    new WireError(
      'route-refresh',
      `ROUTE-REFRESH ${why}`,
      // RFC 7313 §5: "the Data field ... MUST contain the complete ROUTE-REFRESH message".
      notify(
        ERR_ROUTE_REFRESH,
        RR_INVALID_LENGTH,
        Uint8Array.prototype.slice.call(buf, Math.max(0, start - HEADER_LENGTH), end),
      ),
    );
  if (len < 4) throw bad(`body of ${len} octets`);
  const afi = buf.readUInt16BE(start);
  const subtype = buf[start + 2]!;
  const safi = buf[start + 3]!;
  // RFC 7313 §5: a BoRR or EoRR whose length is not 23 is Invalid Message Length.
  if ((subtype === RR_BORR || subtype === RR_EORR) && len !== 4) {
    throw bad(`subtype ${subtype} with a body of ${len} octets`);
  }
  const msg: RouteRefreshMessage = { type: 'route-refresh', afi, subtype, safi };
  if (len === 4) return msg;
  // RFC 5291 §4: ORF entries follow; bounded by the message, parsed (if ever) by their user.
  return { ...msg, rest: Uint8Array.prototype.slice.call(buf, start + 4, end) };
}

export function encodeRouteRefresh(w: Writer, msg: RouteRefreshMessage): void {
  w.u16(msg.afi).u8(msg.subtype).u8(msg.safi);
  if (msg.rest !== undefined) w.bytes(msg.rest);
}
