// What the in-process probes (mem-probe.ts, heap-by-type.ts, send-probe.ts, vrf.ts) share: the
// leak engine and propagation loop as the daemon makes them, the sending side of the bench's
// transit as the daemon ingests it from the injector's eBGP session (peer 1, AS 65001), and the
// receiving side as the daemon sets it up for its eBGP monitor session (AS 65002 in the bench):
// one update group sending VPNv4 from the default view, no next-hop-self, our router id 9.

import { ingest, type IngestContext } from '../src/daemon/ingest.js';
import { Propagation } from '../src/daemon/propagate.js';
import type { RouteOrigin } from '../src/model/route-origin.js';
import { compilePolicies } from '../src/policy/compile.js';
import type { VrfDef } from '../src/vrf/defs.js';
import { LeakEngine } from '../src/vrf/engine.js';
import type { AdjRibIn } from '../src/rib/adj-in.js';
import { RIB_FAMILIES, type Rib } from '../src/rib/rib.js';
import { DEFAULT_CONTEXT } from '../src/wire/context.js';
import { decodeMessage } from '../src/wire/message.js';
import type { UpdateMessage } from '../src/wire/types.js';

/**
 * The engine and the propagation loop as the daemon makes them (AS 65000, no policies), with the
 * VRFs loaded: a load commits in parts. The daemon runs the engine even with no VRFs (it indexes
 * the VPN best routes by RT).
 */
export function engineOn(
  rib: Rib,
  vrfs: readonly VrfDef[],
): { engine: LeakEngine; propagation: Propagation } {
  const compiled = compilePolicies({});
  if (!compiled.ok) throw new Error('policies');
  const engine = new LeakEngine(rib, {
    asn: 65000,
    vrfs: [...vrfs],
    policies: compiled.policies,
    denyInterVrfStatic: false,
  });
  const propagation = new Propagation(rib, engine);
  propagation.loadAll(engine.load());
  return { engine, propagation };
}

/** Joins peer 2 to an eBGP VPNv4 update group `g` of `rib`. Commit afterwards. */
export function joinEbgpMonitor(rib: Rib): void {
  rib.join('g', {
    peerId: 2,
    view: '',
    profile: {
      localAs: 65000,
      routerId: 9,
      clusterId: 9,
      ibgp: false,
      rrClient: false,
      nextHopSelf: false,
      localV4: 0x7f000009,
    },
    ctx: DEFAULT_CONTEXT,
    families: ['vpnv4'],
  });
}

/**
 * The injector's session as the daemon ingests it: peer 1 (127.0.0.1, AS 65001, eBGP) sending
 * VPNv4 to us (AS 65000), no policies. `keepReceived`: an Adj-RIB-In keeps what it sent.
 */
export function injectorIngest(keepReceived = false): {
  origin: RouteOrigin;
  ctx: IngestContext;
} {
  const compiled = compilePolicies({});
  if (!compiled.ok) throw new Error('policies');
  const origin: RouteOrigin = {
    kind: 'peer',
    peer: {
      id: 1,
      address: '127.0.0.1',
      addrKey: '7f000001',
      asn: 65001,
      bgpId: 1,
      ibgp: false,
      rrClient: false,
    },
  };
  const ctx: IngestContext = {
    origin,
    view: '',
    negotiated: ['vpnv4'],
    tables: RIB_FAMILIES,
    fourOctetAs: true,
    inbound: {
      localAs: 65000,
      routerId: 9,
      clusterId: 9,
      peerAs: 65001,
      ibgp: false,
      fourOctetAs: true,
      allowasIn: 0,
      ownV4: new Set(),
      ownV6: new Set(),
    },
    policies: compiled.policies,
    retainImportedOnly: false,
    importsAny: () => true,
    maxPrefix: false,
    keepReceived,
  };
  return { origin, ctx };
}

/**
 * One UPDATE from the injector as the daemon takes it: decoded, ingested and applied to `rib`
 * (and to `adjIn` when it keeps what was received). Returns the NLRI it carried, for the caller's
 * commit every 2048 as the daemon's (daemon/commit-schedule.ts COMMIT_BATCH).
 */
export function ingestFrame(
  rib: Rib,
  frame: Buffer,
  from: { origin: RouteOrigin; ctx: IngestContext },
  adjIn?: AdjRibIn,
): number {
  const d = decodeMessage(frame, DEFAULT_CONTEXT);
  const r = ingest(
    { update: d.message as UpdateMessage, problems: d.problems, action: d.action },
    from.ctx,
  );
  for (const op of r.ops) {
    if (op.kind === 'announce') rib.announce(op.family, 1, from.origin, op.values, op.nlri);
    else if (op.kind === 'withdraw') rib.withdraw(op.family, 1, op.nlri);
    else if (op.kind === 'keep-received')
      adjIn?.announce(op.family, rib.interner.intern(op.values), op.nlri);
  }
  return r.nlri;
}
