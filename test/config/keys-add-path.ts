// keys.test.ts entries for `neighbors[].add-path` (RFC 7911), per family, and the world they run
// in: A (AS 65001) and B (AS 65002) announce the same prefix, C (AS 65003) has the add-path key
// under test; C's session is negotiated from the OPEN vrfleak builds for it and a peer OPEN that
// offers add-path send and receive, as the real session code does.

import { expect } from 'vitest';
import { codecContexts, negotiate } from '../../src/session/negotiate.js';
import { FAMILIES, familyKey, type FamilyName } from '../../src/wire/afi.js';
import { decodeMessage } from '../../src/wire/message.js';
import { buildOpen } from '../../src/wire/open.js';
import type { Capability, Nlri } from '../../src/wire/types.js';
import { base, caps, differs, type KeyCheck, type Neighbor } from './keys-scenarios.js';
import type { World } from './keys-world.js';

export const A = '127.0.0.11';
export const B = '127.0.0.12';
export const C = '127.0.0.13';

const FAMS = ['ipv4', 'ipv6', 'ipv4-labeled', 'ipv6-labeled', 'vpnv4', 'vpnv6'] as const;
type ApFamily = (typeof FAMS)[number];

export const prefixOf = (f: FamilyName) =>
  FAMILIES[f].afi === 2 ? '2001:db8:9::/48' : '10.9.0.0/24';

/** A and B send f; C has `addPath` (and `extra` neighbor keys). */
export const threePeers = (
  f: FamilyName,
  addPath: Neighbor['add-path'],
  extra: Partial<Neighbor> = {},
) =>
  base({
    neighbors: [
      { address: A, asn: 65001, families: [f] },
      { address: B, asn: 65002, families: [f] },
      {
        address: C,
        asn: 65003,
        families: [f],
        ...(addPath ? { 'add-path': addPath } : {}),
        ...extra,
      },
    ],
  });

/** Brings C up as the session code would against a peer offering add-path send + receive for f. */
export function upWithAddPath(w: World, addr: string, f: FamilyName, peerAs: number): void {
  const p = w.peer(addr);
  const local = p.shell.fsm.localOpen;
  const peerCaps: Capability[] = [
    { kind: 'multiprotocol', ...FAMILIES[f] },
    { kind: 'four-octet-as', asn: peerAs },
    { kind: 'add-path', entries: [{ ...FAMILIES[f], sendReceive: 3 }] },
  ];
  const r = negotiate(
    local,
    buildOpen({ asn: peerAs, holdTime: 90, bgpId: 0x0a0000fd, capabilities: peerCaps }),
  );
  if (!r.ok) throw new Error('negotiation refused');
  const { rx, tx } = codecContexts(r.negotiated, { allowLoopbackNextHop: true });
  p.up({ rx, tx });
}

/** The NLRI currently announced to a peer in f (applying its UPDATEs in order, by path id). */
export function heldBy(w: World, addr: string, f: FamilyName): Nlri[] {
  const p = w.peer(addr);
  const held = new Map<string, Nlri>();
  const { afi, safi } = FAMILIES[f];
  const ctx = {
    fourOctetAs: true,
    extendedMessage: true,
    addPath: new Set([familyKey(afi, safi)]),
    allowLoopbackNextHop: true,
  };
  const noAp = { ...ctx, addPath: new Set<number>() };
  for (const m of p.sent) {
    // What C negotiated decides the decoding: try with path ids only when they were sent.
    const tx = w.d.peerByAddress(addr)?.info?.tx.addPath.has(familyKey(afi, safi)) ? ctx : noAp;
    const d = decodeMessage(m, tx).message;
    if (d.type !== 'update') continue;
    const id = (n: Nlri) => `${n.kind === 'rtc' ? '' : n.prefix.len}/${n.pathId ?? 0}`;
    for (const a of d.attributes) {
      if (a.kind === 'mp-unreach') for (const n of a.nlri) held.delete(id(n));
      if (a.kind === 'mp-reach') for (const n of a.nlri) held.set(id(n), n);
    }
    for (const n of d.withdrawn) held.delete(id(n));
    for (const n of d.nlri) held.set(id(n), n);
  }
  return [...held.values()];
}

/** A and B announce the prefix of f, C comes up with add-path: the path ids C holds. */
export function pathIdsAtC(w: World, f: FamilyName): number[] {
  w.peer(A).up();
  w.peer(B).up();
  w.peer(A).announce(f, [prefixOf(f)]);
  w.peer(B).announce(f, [prefixOf(f)]);
  w.settle();
  upWithAddPath(w, C, f, 65003);
  w.settle();
  return heldBy(w, C, f)
    .map((n) => n.pathId ?? 0)
    .sort();
}

const apCap = (w: World, f: FamilyName) => {
  const { afi, safi } = FAMILIES[f];
  const c = caps(w, C).find((x) => x.kind === 'add-path');
  return c?.kind === 'add-path'
    ? c.entries.find((e) => e.afi === afi && e.safi === safi)?.sendReceive
    : undefined;
};

function familyKeys(f: ApFamily): Record<string, KeyCheck> {
  const k = `neighbors[].add-path.${f}`;
  return {
    [k]: 'container',
    [`${k}.receive`]: async () => {
      // RFC 7911 §4: bit 1 (receive) joins bit 2 (send) in the capability.
      const [a, b] = await differs(
        threePeers(f, { [f]: { send: 'all' } }),
        threePeers(f, { [f]: { send: 'all', receive: true } }),
        (w) => apCap(w, f),
      );
      expect([a, b]).toEqual([2, 3]);
    },
    [`${k}.send`]: async () => {
      const [a, b] = await differs(
        threePeers(f, { [f]: { receive: true } }),
        threePeers(f, { [f]: { receive: true, send: 'all' } }),
        (w) => pathIdsAtC(w, f),
      );
      // Without send: the best path, no path id; with: both paths, ids 1 and 2.
      expect([a, b]).toEqual([[0], [1, 2]]);
    },
    [`${k}.send.best`]: async () => {
      const [a, b] = await differs(
        threePeers(f, { [f]: { send: { best: 1 } } }),
        threePeers(f, { [f]: { send: { best: 2 } } }),
        (w) => pathIdsAtC(w, f),
      );
      expect([a, b]).toEqual([[1], [1, 2]]);
    },
  };
}

export const ADD_PATH_KEYS: Record<string, KeyCheck> = {
  'neighbors[].add-path': 'container',
  ...Object.assign({}, ...FAMS.map(familyKeys)),
};
