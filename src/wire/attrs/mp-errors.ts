// How MP_REACH_NLRI / MP_UNREACH_NLRI turn errors of the NLRI and next-hop codecs into faults.
// RFC 7606 §7.11 and §5.3: when the MP attributes cannot be parsed the NLRI cannot be located,
// so treat-as-withdraw is impossible; vrfleak resets the session (it does not implement
// AFI/SAFI disable).

import { AttrFault, UPD_MALFORMED_ATTR_LIST, UPD_OPTIONAL_ATTR, WireError } from '../errors.js';

/** RFC 7606 §7.11: too short to hold the fixed fields, or a next hop running past the end. */
export function mpFramingFault(reason: string): AttrFault {
  return new AttrFault(reason, UPD_MALFORMED_ATTR_LIST, 'session-reset', new Uint8Array(0));
}

/**
 * Runs an NLRI / next-hop codec call. A WireError keeps the NOTIFICATION it carries; one without
 * (a reader running past its end) becomes "Optional Attribute Error" (3/9, RFC 4760 §7).
 */
export function mpCall<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof AttrFault) throw e;
    if (e instanceof WireError) {
      const n = e.notify;
      throw new AttrFault(
        `${what}: ${e.message}`,
        n?.code === 3 ? n.subcode : UPD_OPTIONAL_ATTR,
        'session-reset',
        n?.data,
      );
    }
    throw e;
  }
}
