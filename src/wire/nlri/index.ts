// The NLRI codec entry points update.ts and the MP attributes call: one decoder per known
// (AFI, SAFI), and one encoder per NLRI kind.

import {
  AFI_IPV4,
  AFI_IPV6,
  SAFI_LABELED,
  SAFI_MULTICAST,
  SAFI_RTC,
  SAFI_UNICAST,
  SAFI_VPN,
  familyKey,
} from '../afi.js';
import type { CodecContext } from '../context.js';
import { WireError } from '../errors.js';
import type { Reader } from '../reader.js';
import type { Nlri, PrefixNlri } from '../types.js';
import type { Writer } from '../writer.js';
import { decodeLabeledList, encodeLabeled } from './labeled.js';
import {
  decodeIpv4Field as decodeIpv4FieldImpl,
  decodePrefixList,
  encodePrefix,
} from './prefix.js';
import { decodeRtcList, encodeRtc } from './rtc.js';
import { decodeVpnList, encodeVpn } from './vpn.js';

type ListDecoder = (
  afi: number,
  r: Reader,
  addPath: boolean,
  withdraw: boolean,
  subcode: number,
) => Nlri[];

const prefixes: ListDecoder = (afi, r, addPath, withdraw, subcode) =>
  decodePrefixList(afi, r, addPath, subcode, withdraw);
const rtc: ListDecoder = (_afi, r, addPath, withdraw, subcode) =>
  decodeRtcList(r, addPath, withdraw, subcode);

/** The families the codec knows, by familyKey. RFC 4684 defines RTC for AFI 1 only. */
const DECODERS: ReadonlyMap<number, ListDecoder> = new Map<number, ListDecoder>([
  [familyKey(AFI_IPV4, SAFI_UNICAST), prefixes],
  [familyKey(AFI_IPV4, SAFI_MULTICAST), prefixes],
  [familyKey(AFI_IPV6, SAFI_UNICAST), prefixes],
  [familyKey(AFI_IPV6, SAFI_MULTICAST), prefixes],
  [familyKey(AFI_IPV4, SAFI_LABELED), decodeLabeledList],
  [familyKey(AFI_IPV6, SAFI_LABELED), decodeLabeledList],
  [familyKey(AFI_IPV4, SAFI_VPN), decodeVpnList],
  [familyKey(AFI_IPV6, SAFI_VPN), decodeVpnList],
  [familyKey(AFI_IPV4, SAFI_RTC), rtc],
]);

/** Whether decodeNlriList knows (afi, safi). */
export function isKnownNlriFamily(afi: number, safi: number): boolean {
  return DECODERS.has(familyKey(afi, safi));
}

/**
 * Decodes every NLRI of (afi, safi) in the reader (which spans exactly the NLRI octets).
 * `withdraw`: MP_UNREACH semantics (RFC 8277 §2.4: a single 3-octet label field, ignored).
 * Throws WireError('update', reason, notify(3, errSubcode)) when the NLRI are syntactically wrong.
 * Returns undefined when (afi, safi) is not a family the codec knows (the caller keeps it raw).
 */
export function decodeNlriList(
  afi: number,
  safi: number,
  r: Reader,
  ctx: CodecContext,
  withdraw: boolean,
  errSubcode: number,
): Nlri[] | undefined {
  const key = familyKey(afi, safi);
  const dec = DECODERS.get(key);
  if (dec === undefined) return undefined;
  return dec(afi, r, ctx.addPath.has(key), withdraw, errSubcode);
}

/** The IPv4 Withdrawn Routes / NLRI fields of an UPDATE (RFC 4271 §4.3; errors are 3/10). */
export function decodeIpv4Field(r: Reader, ctx: CodecContext, withdraw = false): PrefixNlri[] {
  return decodeIpv4FieldImpl(r, ctx, withdraw);
}

/** The SAFIs each NLRI kind may be sent under. */
const KIND_SAFIS: Readonly<Record<Nlri['kind'], readonly number[]>> = {
  prefix: [SAFI_UNICAST, SAFI_MULTICAST],
  labeled: [SAFI_LABELED],
  vpn: [SAFI_VPN],
  rtc: [SAFI_RTC],
};

/** Writes one NLRI of (afi, safi); `withdraw` writes the RFC 8277 compatibility label for VPN. */
export function encodeNlri(
  w: Writer,
  n: Nlri,
  afi: number,
  safi: number,
  ctx: CodecContext,
  withdraw: boolean,
): void {
  if (!KIND_SAFIS[n.kind].includes(safi) || (n.kind !== 'rtc' && n.prefix.afi !== afi)) {
    throw new WireError('update', `cannot encode a ${n.kind} NLRI as AFI ${afi} / SAFI ${safi}`);
  }
  // RFC 7911 §3: the path identifier is sent when add-path was negotiated in this direction.
  if (ctx.addPath.has(familyKey(afi, safi))) w.u32(n.pathId ?? 0);
  switch (n.kind) {
    case 'prefix':
      encodePrefix(w, n.prefix);
      return;
    case 'labeled':
      encodeLabeled(w, n, withdraw);
      return;
    case 'vpn':
      encodeVpn(w, n, withdraw);
      return;
    case 'rtc':
      encodeRtc(w, n);
      return;
    default: {
      const never: never = n;
      throw new WireError('update', `unknown NLRI ${JSON.stringify(never)}`);
    }
  }
}
