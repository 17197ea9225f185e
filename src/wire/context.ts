// Session-dependent encoding choices, passed in as a value: the codec itself stays stateless.

export interface CodecContext {
  /** RFC 6793: both sides sent the 4-octet AS capability; AS_PATH and AGGREGATOR carry 4-octet ASNs. */
  readonly fourOctetAs: boolean;
  /**
   * RFC 7911: families (familyKey) for which NLRI carry a 4-octet path identifier in this direction
   * (receive: we advertised "receive" and the peer "send"; send: the reverse).
   */
  readonly addPath: ReadonlySet<number>;
  /** RFC 8654: the extended message capability was exchanged; messages may be up to 65535 octets. */
  readonly extendedMessage: boolean;
  /**
   * Whether the peer is internal (iBGP). Only receive-side validation reads it: RFC 7606 §7.5 and
   * §7.9/§7.10 treat LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST from eBGP as attribute-discard.
   * Undefined means "not known": those rules are not applied.
   */
  readonly ibgp?: boolean;
  /**
   * Accept next hops in 127.0.0.0/8 (and ::1). RFC 4271 §6.3 makes a loopback NEXT_HOP a semantic
   * error; vrfleak relaxes that only for a session that itself runs over loopback, where loopback
   * addresses are the peers' real addresses (lab setups on 127.0.0.0/8).
   */
  readonly allowLoopbackNextHop?: boolean;
}

export const DEFAULT_CONTEXT: CodecContext = {
  fourOctetAs: true,
  addPath: new Set(),
  extendedMessage: false,
};

export const MAX_MESSAGE = 4096;
export const MAX_EXTENDED_MESSAGE = 65535;

export function maxMessageLength(ctx: CodecContext): number {
  return ctx.extendedMessage ? MAX_EXTENDED_MESSAGE : MAX_MESSAGE;
}
