// The address families scenarios use, and how each peer spells them.

export type Family = 'ipv4' | 'ipv6' | 'vpnv4' | 'vpnv6';

/** GoBGP config `afi-safi-name`. */
export const GOBGP_AFI_SAFI: Record<Family, string> = {
  ipv4: 'ipv4-unicast',
  ipv6: 'ipv6-unicast',
  vpnv4: 'l3vpn-ipv4-unicast',
  vpnv6: 'l3vpn-ipv6-unicast',
};

/** GoBGP CLI `-a`. */
export const GOBGP_CLI_FAMILY: Record<Family, string> = {
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  vpnv4: 'vpnv4',
  vpnv6: 'vpnv6',
};

/** FRR `address-family ...` and `show bgp <afi> <safi>`. */
export const FRR_AF: Record<Family, string> = {
  ipv4: 'ipv4 unicast',
  ipv6: 'ipv6 unicast',
  vpnv4: 'ipv4 vpn',
  vpnv6: 'ipv6 vpn',
};

/** ExaBGP `family { ... }`. */
export const EXABGP_FAMILY: Record<Family, string> = {
  ipv4: 'ipv4 unicast',
  ipv6: 'ipv6 unicast',
  vpnv4: 'ipv4 mpls-vpn',
  vpnv6: 'ipv6 mpls-vpn',
};
