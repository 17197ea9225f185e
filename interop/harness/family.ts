// The address families scenarios use, and how each peer spells them.

/** `ipv4-labeled`: RFC 8277 labeled unicast (SAFI 4). */
export type Family = 'ipv4' | 'ipv6' | 'vpnv4' | 'vpnv6' | 'ipv4-labeled';

/** GoBGP config `afi-safi-name`. */
export const GOBGP_AFI_SAFI: Record<Family, string> = {
  ipv4: 'ipv4-unicast',
  ipv6: 'ipv6-unicast',
  vpnv4: 'l3vpn-ipv4-unicast',
  vpnv6: 'l3vpn-ipv6-unicast',
  'ipv4-labeled': 'ipv4-labelled-unicast',
};

/** GoBGP CLI `-a`. */
export const GOBGP_CLI_FAMILY: Record<Family, string> = {
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  vpnv4: 'vpnv4',
  vpnv6: 'vpnv6',
  'ipv4-labeled': 'ipv4-mpls',
};

/** FRR `address-family ...` and `show bgp <afi> <safi>`. */
export const FRR_AF: Record<Family, string> = {
  ipv4: 'ipv4 unicast',
  ipv6: 'ipv6 unicast',
  vpnv4: 'ipv4 vpn',
  vpnv6: 'ipv6 vpn',
  'ipv4-labeled': 'ipv4 labeled-unicast',
};

/** ExaBGP `family { ... }`. */
export const EXABGP_FAMILY: Record<Family, string> = {
  ipv4: 'ipv4 unicast',
  ipv6: 'ipv6 unicast',
  vpnv4: 'ipv4 mpls-vpn',
  vpnv6: 'ipv6 mpls-vpn',
  'ipv4-labeled': 'ipv4 nlri-mpls',
};
