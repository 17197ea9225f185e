// Shared fixtures for the session tests: OPENs built by hand (no codec involved).

import type { Capability, OpenMessage } from '../../src/wire/types.js';

export const LOCAL_ID = 0x0a000001; // 10.0.0.1
export const PEER_ID = 0x0a000002; // 10.0.0.2

export function open(
  caps: readonly Capability[],
  over: Partial<Omit<OpenMessage, 'type' | 'params'>> = {},
): OpenMessage {
  return {
    type: 'open',
    version: 4,
    myAs: 65001,
    holdTime: 90,
    bgpId: PEER_ID,
    params: caps.length > 0 ? [{ kind: 'capabilities', capabilities: caps }] : [],
    ...over,
  };
}

export const mp = (afi: number, safi: number): Capability => ({ kind: 'multiprotocol', afi, safi });

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
