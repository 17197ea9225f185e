// How MP_REACH_NLRI / MP_UNREACH_NLRI turn errors of the NLRI and next-hop codecs into faults.
// RFC 7606 §7.11 and §5.3: when the MP attributes cannot be parsed the NLRI cannot be located,
// so treat-as-withdraw is impossible: "AFI/SAFI disable" or "session reset". vrfleak disables
// the family where the daemon can (RT-constrain, SAFI 132: daemon/rtc.ts) and resets otherwise.

import { SAFI_RTC } from '../afi.js';
import {
  AttrFault,
  UPD_MALFORMED_ATTR_LIST,
  UPD_OPTIONAL_ATTR,
  WireError,
  type ErrorAction,
} from '../errors.js';

/** RFC 7606 §7.11: too short to hold the fixed fields, or a next hop running past the end. */
export function mpFramingFault(reason: string): AttrFault {
  return new AttrFault(reason, UPD_MALFORMED_ATTR_LIST, 'session-reset', new Uint8Array(0));
}

/**
 * Runs an NLRI / next-hop codec call. A WireError keeps the NOTIFICATION it carries; one without
 * (a reader running past its end) becomes "Optional Attribute Error" (3/9, RFC 4760 §7). NLRI of
 * `family` that do not parse disable that family (afi-safi-disable) where vrfleak can.
 */
export function mpCall<T>(
  what: string,
  f: () => T,
  family?: { readonly afi: number; readonly safi: number },
): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof AttrFault) throw e;
    if (e instanceof WireError) {
      const n = e.notify;
      // RFC 4760 §7 (the AFI/SAFI disable of RFC 7606 §2): delete the peer's routes of that
      // AFI/SAFI and ignore its later ones for the session; the session and the other families
      // stay. Built for RT-constrain only (RFC 4684 §4: a length other than 0 or 32..96).
      const disable = family !== undefined && family.safi === SAFI_RTC;
      const action: ErrorAction = disable ? 'afi-safi-disable' : 'session-reset';
      throw new AttrFault(
        `${what}: ${e.message}`,
        n?.code === 3 ? n.subcode : UPD_OPTIONAL_ATTR,
        action,
        n?.data,
        disable ? family : undefined,
      );
    }
    throw e;
  }
}
