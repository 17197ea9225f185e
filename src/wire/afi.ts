// Address families: AFI (IANA "Address Family Numbers") and SAFI (IANA "SAFI Values").

export const AFI_IPV4 = 1;
export const AFI_IPV6 = 2;

export const SAFI_UNICAST = 1;
export const SAFI_MULTICAST = 2;
/** RFC 8277: NLRI with MPLS labels. */
export const SAFI_LABELED = 4;
/** RFC 4364 / RFC 4659: MPLS-labeled VPN address. */
export const SAFI_VPN = 128;
/** RFC 4684: route target constraint. */
export const SAFI_RTC = 132;

/** The families vrfleak names; anything else is carried as { afi, safi } numbers. */
export type FamilyName =
  'ipv4' | 'ipv6' | 'ipv4-labeled' | 'ipv6-labeled' | 'vpnv4' | 'vpnv6' | 'rtc';

export interface AfiSafi {
  readonly afi: number;
  readonly safi: number;
}

export const FAMILIES: Readonly<Record<FamilyName, AfiSafi>> = {
  ipv4: { afi: AFI_IPV4, safi: SAFI_UNICAST },
  ipv6: { afi: AFI_IPV6, safi: SAFI_UNICAST },
  'ipv4-labeled': { afi: AFI_IPV4, safi: SAFI_LABELED },
  'ipv6-labeled': { afi: AFI_IPV6, safi: SAFI_LABELED },
  vpnv4: { afi: AFI_IPV4, safi: SAFI_VPN },
  vpnv6: { afi: AFI_IPV6, safi: SAFI_VPN },
  rtc: { afi: AFI_IPV4, safi: SAFI_RTC },
};

/** A compact key for an AFI/SAFI pair: afi << 8 | safi. */
export function familyKey(afi: number, safi: number): number {
  return ((afi & 0xffff) << 8) | (safi & 0xff);
}

/** familyKey -> name, made once: familyName runs for every received UPDATE. */
const BY_KEY: ReadonlyMap<number, FamilyName> = new Map(
  (Object.entries(FAMILIES) as [FamilyName, AfiSafi][]).map(([name, f]) => [
    familyKey(f.afi, f.safi),
    name,
  ]),
);

export function familyName(afi: number, safi: number): FamilyName | undefined {
  // familyKey masks: a value out of range must not alias a known pair.
  if (afi !== (afi & 0xffff) || safi !== (safi & 0xff)) return undefined;
  return BY_KEY.get(familyKey(afi, safi));
}
