// 2-octet and 4-octet AS numbers (RFC 6793): the stand-in a 2-octet field carries for an AS that
// needs 4 octets.

/** RFC 6793 §9: AS_TRANS, the 2-octet stand-in for a 4-octet AS number. */
export const AS_TRANS = 23456;

/** Whether an AS number needs 4 octets (RFC 6793 §3). */
export function needsFourOctets(asn: number): boolean {
  return asn > 0xffff;
}

/**
 * An AS number as a 2-octet field carries it: itself, or AS_TRANS when it needs 4 octets
 * (RFC 6793 §4.1 My AS in OPEN, §4.2.2 AS_PATH and AGGREGATOR to an OLD speaker).
 */
export function as2(asn: number): number {
  return needsFourOctets(asn) ? AS_TRANS : asn;
}
