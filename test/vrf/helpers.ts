// Builds a RIB with the leak engine from compact VRF descriptions, for the engine's unit tests.

import { EMPTY_ATTR_VALUES, type AttrValues } from '../../src/model/attrset.js';
import type { PeerRef } from '../../src/model/route-origin.js';
import { compilePolicies } from '../../src/policy/compile.js';
import type { PolicyDefs } from '../../src/policy/types.js';
import { Propagation } from '../../src/daemon/propagate.js';
import { Rib } from '../../src/rib/rib.js';
import type { LeakConfig, VrfDef } from '../../src/vrf/defs.js';
import { LeakEngine, type Conflict } from '../../src/vrf/engine.js';
import { checkLeakInvariants } from '../../src/vrf/invariants.js';
import { rtFromText } from '../../src/wire/ext-community.js';
import { prefixFromText } from '../../src/wire/nlri/text.js';
import { rdFromText } from '../../src/wire/rd.js';
import type { VpnNlri } from '../../src/wire/types.js';

export interface VrfSpec {
  rd: string;
  import?: string[];
  export?: string[];
  networks?: string[];
  connected?: string[];
  statics?: { prefix: string; nextHop: string; nextHopVrf?: string }[];
  importMap?: string;
  exportMap?: string;
  allowReexport?: boolean;
  conflict?: 'prefer-local' | 'best-path';
  exportMode?: 'add' | 'replace';
  leakFromDefault?: string;
  leakToDefault?: string;
  label?: number;
}

function v4(text: string): number {
  return text.split('.').reduce((a, b) => a * 256 + Number(b), 0);
}

export function vrfDef(name: string, s: VrfSpec): VrfDef {
  return {
    name,
    rd: rdFromText(s.rd),
    importRts: (s.import ?? []).map(rtFromText),
    exportRts: (s.export ?? []).map(rtFromText),
    exportMode: s.exportMode ?? 'add',
    ...(s.importMap ? { importMap: s.importMap } : {}),
    ...(s.exportMap ? { exportMap: s.exportMap } : {}),
    label: s.label ?? 100,
    allowReexport: s.allowReexport ?? false,
    conflict: s.conflict ?? 'prefer-local',
    allowasIn: 0,
    ...(s.leakFromDefault ? { leakFromDefault: { policy: s.leakFromDefault } } : {}),
    ...(s.leakToDefault ? { leakToDefault: { policy: s.leakToDefault } } : {}),
    connected: (s.connected ?? []).map(prefixFromText),
    networks: (s.networks ?? []).map((p) => ({ prefix: prefixFromText(p) })),
    statics: (s.statics ?? []).map((x) => ({
      prefix: prefixFromText(x.prefix),
      nextHop: { afi: 1 as const, addr: v4(x.nextHop) },
      ...(x.nextHopVrf ? { nextHopVrf: x.nextHopVrf } : {}),
    })),
  };
}

/**
 * Which remote PE a World's VPN route comes from (peer 7 by default), its family, and whether the
 * World settles after it (by default it does).
 */
export interface RemoteFrom {
  readonly peer?: PeerRef;
  readonly family?: 'vpnv4' | 'vpnv6';
  readonly settle?: boolean;
}

export const PEER: PeerRef = {
  id: 7,
  address: '192.0.2.7',
  addrKey: 'c0000207',
  asn: 65007,
  bgpId: 0xc0000207,
  ibgp: false,
  rrClient: false,
};

export class World {
  readonly rib = new Rib();
  readonly engine: LeakEngine;
  readonly propagation: Propagation;
  readonly conflicts: Conflict[] = [];

  constructor(vrfs: Record<string, VrfSpec>, policy: PolicyDefs = {}, asn = 65000) {
    const compiled = compilePolicies(policy);
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
    this.engine = new LeakEngine(
      this.rib,
      {
        asn,
        vrfs: Object.entries(vrfs).map(([n, s]) => vrfDef(n, s)),
        policies: compiled.policies,
        denyInterVrfStatic: false,
      },
      { onConflict: (c) => this.conflicts.push(c) },
    );
    this.propagation = new Propagation(this.rib, this.engine);
    this.propagation.loadAll(this.engine.load());
    this.settle();
  }

  settle(): void {
    this.propagation.commit();
  }

  /** A live change of the leak configuration, run through the propagation loop (not settled). */
  reconfigure(next: LeakConfig): string[] {
    const { touched, steps } = this.engine.reconfigure(next);
    this.propagation.loadAll(steps);
    return touched;
  }

  /** Every VRF prefix (best routes) as text, sorted. */
  prefixes(vrf: string, family: 'ipv4' | 'ipv6' = 'ipv4'): string[] {
    const out: string[] = [];
    for (const r of this.rib.table(family, vrf).bestRoutes()) {
      if (r.nlri.kind === 'prefix') {
        const p = r.nlri.prefix;
        out.push(
          p.afi === 1
            ? `${[24, 16, 8, 0].map((b) => (p.addr >>> b) & 255).join('.')}/${p.len}`
            : `v6/${p.len}`,
        );
      }
    }
    return out.sort();
  }

  vpnKeys(): string[] {
    return [...this.rib.table('vpnv4').dests.keys()].sort();
  }

  /**
   * A VPN route from a remote PE: peer 7, or `from.peer` (its AS path and next hop are the peer's
   * AS and address); settled unless `from.settle` is false.
   */
  remote(
    rd: string,
    prefix: string,
    rts: string[],
    extra: Partial<AttrValues> = {},
    from: RemoteFrom = {},
  ): void {
    const peer = from.peer ?? PEER;
    const nlri: VpnNlri = {
      kind: 'vpn',
      labels: [(500 << 4) | 1],
      rd: rdFromText(rd),
      prefix: prefixFromText(prefix),
    };
    this.rib.announce(
      from.family ?? 'vpnv4',
      peer.id,
      { kind: 'peer', peer },
      {
        ...EMPTY_ATTR_VALUES,
        asPath: [{ type: 2, asns: [peer.asn] }],
        nextHop: { afi: 1, addr: parseInt(peer.addrKey, 16) },
        extCommunities: rts.map(rtFromText),
        ...extra,
      },
      [nlri],
    );
    if (from.settle !== false) this.settle();
  }

  /** Withdraws a route remote() announced, with the same `from`. */
  remoteWithdraw(rd: string, prefix: string, from: RemoteFrom = {}): void {
    this.rib.withdraw(from.family ?? 'vpnv4', (from.peer ?? PEER).id, [
      { kind: 'vpn', labels: [], rd: rdFromText(rd), prefix: prefixFromText(prefix) },
    ]);
    if (from.settle !== false) this.settle();
  }

  invariants(): string[] {
    return checkLeakInvariants(this.rib, this.engine);
  }
}
