// The End-of-RIB that ends every session's initial table sweeps the peer's stale routes (RFC 4724
// §4.2). A sweep scans the peer's whole table, so it runs only for the families that may hold
// stale routes: a normal session's End-of-RIB after 1M routes costs nothing.

import { describe, expect, it } from 'vitest';
import type { Rib } from '../../src/rib/rib.js';
import { markPeerStale, newPeer, sweepPeerStale, dropPeerRoutes } from '../../src/daemon/peers.js';
import type { NeighborOptions } from '../../src/daemon/options.js';
import type { PeerShell } from '../../src/session/shell.js';

function fakeRib(): { rib: Rib; scans: string[] } {
  const scans: string[] = [];
  const rib = {
    removeSource: (_src: number, family?: string, onlyStale = false) => {
      scans.push(`${family ?? 'all'}${onlyStale ? ' stale' : ''}`);
      return 0;
    },
    markStale: () => 0,
  } as unknown as Rib;
  return { rib, scans };
}

const peer = () =>
  newPeer(
    7,
    { address: '192.0.2.1', asn: 65001 } as NeighborOptions,
    65000,
    0,
    undefined,
    () => ({}) as PeerShell,
  );

describe('stale sweeps scan only what may be stale', () => {
  it('an End-of-RIB sweep of a peer that kept nothing stale scans nothing', () => {
    const { rib, scans } = fakeRib();
    expect(sweepPeerStale(rib, peer(), 'vpnv4')).toBe(0);
    expect(scans).toEqual([]);
  });

  it('after a graceful restart each family is swept once, then no more', () => {
    const { rib, scans } = fakeRib();
    const p = peer();
    markPeerStale(rib, p);
    sweepPeerStale(rib, p, 'vpnv4');
    sweepPeerStale(rib, p, 'vpnv4');
    sweepPeerStale(rib, p, 'ipv4');
    expect(scans).toEqual(['vpnv4 stale', 'ipv4 stale']);
    // The deadline sweeps whatever families are left, once.
    sweepPeerStale(rib, p);
    sweepPeerStale(rib, p);
    expect(scans).toEqual(['vpnv4 stale', 'ipv4 stale', 'all stale']);
  });

  it('routes dropped with the session leave nothing stale to sweep', () => {
    const { rib, scans } = fakeRib();
    const p = peer();
    markPeerStale(rib, p);
    dropPeerRoutes(rib, p);
    sweepPeerStale(rib, p, 'vpnv4');
    expect(scans).toEqual(['all']);
  });
});
