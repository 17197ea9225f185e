// The lab's ping matrix: who reaches whom through the router, as the config's leaks say.

export interface Reach {
  readonly from: string;
  readonly to: string;
  readonly reach: boolean;
  /** Ping from the host's loopback address (the static inter-VRF pattern routes those). */
  readonly fromLoopback?: boolean;
  readonly why: string;
}

export const MATRIX: readonly Reach[] = [
  { from: 'a', to: '10.100.0.2', reach: true, why: 'SHARED leaked into CUSTOMER-A' },
  { from: 'b', to: '10.100.0.2', reach: true, why: 'SHARED leaked into CUSTOMER-B' },
  { from: 'shared', to: '10.1.0.2', reach: true, why: 'SHARED imports CUSTOMER-A (replies)' },
  { from: 'shared', to: '10.2.0.2', reach: true, why: 'SHARED imports CUSTOMER-B (replies)' },
  { from: 'a', to: '10.2.0.2', reach: false, why: 'customers stay apart' },
  { from: 'b', to: '10.1.0.2', reach: false, why: 'customers stay apart' },
  { from: 'a', to: '198.51.100.1', reach: true, why: 'default route leaked from INTERNET' },
  { from: 'b', to: '198.51.100.1', reach: true, why: 'default route leaked from INTERNET' },
  { from: 'shared', to: '198.51.100.1', reach: false, why: 'SHARED does not import INTERNET' },
  {
    from: 'vrf1',
    to: '192.0.2.2',
    reach: true,
    fromLoopback: true,
    why: 'static in VRF1, next hop in VRF2',
  },
  {
    from: 'vrf2',
    to: '192.0.2.1',
    reach: true,
    fromLoopback: true,
    why: 'static in VRF2, next hop in VRF1',
  },
  { from: 'vrf1', to: '10.100.0.2', reach: false, why: 'VRF1 has no leak from SHARED' },
  { from: 'a', to: '10.32.0.2', reach: false, why: 'CUSTOMER-A has no route into VRF2' },
];
