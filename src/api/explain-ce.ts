// `explain vrf NAME PREFIX`, the PE-CE part: whether the VRF's best route for the prefix goes to
// each established neighbor bound to the VRF, with the AS path it gets there, or the typed reason
// it does not (the update group's own outbound rules: daemon/advertise.ts sendVerdict).

import type { Daemon } from '../daemon/daemon.js';
import type { SendVerdict } from '../daemon/advertise.js';
import { nlriKey } from '../rib/keys.js';
import type { IpPrefix } from '../wire/types.js';

export interface CeAdvertiseView {
  neighbor: string;
  sent: boolean;
  /** Sent: the AS path as sent. */
  asPath?: string;
  /** Not sent: ibgp-split-horizon, no-export, soo, route-map-out, its-own, ... */
  reason?: string;
}

type Refusal = Extract<SendVerdict, { kind: 'refused' }>['reason'];

const WHY: Record<Refusal, string> = {
  'ibgp-split-horizon': 'learned over iBGP and not reflected to it (RFC 4271 §9.2)',
  'client-to-client-off': 'client-to-client reflection is off',
  'no-next-hop': 'no next hop to send',
  'no-export': 'it carries NO_EXPORT (RFC 1997)',
  'no-advertise': 'it carries NO_ADVERTISE (RFC 1997)',
  'peer-without-llgr': 'it is long-lived stale and the neighbor did not send LLGR (RFC 9494 §4.3)',
  'rt-constrain':
    "none of its route targets is in the neighbor's RT-constrain membership (RFC 4684)",
  soo: "it carries the neighbor's site of origin: it came from that site",
  'route-map-out': 'refused by its route-map-out',
  'its-own': 'the neighbor sent it',
};

/** The neighbors bound to `vrf` with a session up, and whether they get its best route for prefix. */
export function ceAdvertisement(d: Daemon, vrf: string, prefix: IpPrefix): CeAdvertiseView[] {
  const fam = prefix.afi === 1 ? 'ipv4' : 'ipv6';
  const best = d.rib.table(fam, vrf).get(nlriKey({ kind: 'prefix', prefix }))?.best;
  if (!best) return [];
  const out: CeAdvertiseView[] = [];
  for (const p of d.peers.values()) {
    const info = p.info;
    if (p.opts.vrf !== vrf || !info?.families.includes(fam)) continue;
    const v = d.advertiser.sendVerdict(p, info, best);
    out.push(
      v.kind === 'sent'
        ? { neighbor: p.opts.address, sent: true, asPath: asPathText(v.values.asPath) }
        : { neighbor: p.opts.address, sent: false, reason: v.reason },
    );
  }
  return out;
}

/** One line of the explanation's steps. */
export function ceStep(v: CeAdvertiseView): string {
  return v.sent
    ? `to neighbor ${v.neighbor}: sent, AS path ${v.asPath || '(empty)'}`
    : `to neighbor ${v.neighbor}: not sent: ${v.reason} (${WHY[v.reason as Refusal] ?? v.reason})`;
}

function asPathText(path: readonly { type: number; asns: readonly number[] }[]): string {
  return path.map((s) => (s.type === 1 ? `{${s.asns.join(',')}}` : s.asns.join(' '))).join(' ');
}
