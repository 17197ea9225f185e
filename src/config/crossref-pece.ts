// PE-CE keys that need the whole config (schema-pece.ts): as-override only toward eBGP.

import type { ConfigProblem } from './errors.js';
import type { Config } from './schema.js';

export function peCeChecks(cfg: Config): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  cfg.neighbors.forEach((n, i) => {
    // FRR refuses it likewise ("as-override cannot be configured for IBGP peers"): an internal
    // peer is sent no AS of ours (RFC 4271 §5.1.2) and does not check the path for its own AS,
    // which is ours, so there is nothing to override. Accepted on eBGP neighbors bound to no VRF
    // too, as FRR does (a hub-and-spoke global table needs it the same way).
    if (n['as-override'] && n.asn === cfg.asn) {
      out.push({
        path: ['neighbors', i, 'as-override'],
        message: `as-override applies to eBGP neighbors only: ${n.address} is in our AS ${cfg.asn}`,
        severity: 'error',
      });
    }
  });
  return out;
}
