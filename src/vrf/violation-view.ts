// A leak violation (monitor.ts) as operators read it: the same fields in the log event, the
// event stream, `show leak violations` and its JSON, so each says the same thing the same way.

import { formatAdminPair } from '../wire/admin-pair.js';
import { decodeExtCommunity } from '../wire/ext-community.js';
import { prefixToText } from '../wire/nlri/text.js';
import type { LeakViolation } from './monitor.js';

export interface ViolationView {
  vrf: string;
  kind: LeakViolation['kind'];
  /** The leaked or required prefix; null for the bound. */
  prefix: string | null;
  /** The VRF an unexpected route was leaked from (`default`); null otherwise or from a remote PE. */
  fromVrf: string | null;
  routeTargets: string[];
  /** Leaked routes selected and the bound, for `over-limit`. */
  count: number | null;
  limit: number | null;
  /** One line: why it is a violation. */
  reason: string;
}

/** Route targets are kept as their 8 octets in hex (AttrSet.rtKeys); operators read `65000:10`. */
export function rtKeyText(key: string): string {
  if (!/^[0-9a-f]{16}$/.test(key)) return key;
  const ec = decodeExtCommunity(Buffer.from(key, 'hex'), 0);
  return ec.kind === 'raw' ? key : formatAdminPair(ec);
}

export function violationView(v: LeakViolation): ViolationView {
  switch (v.kind) {
    case 'unexpected': {
      const from = v.fromVrf === undefined ? 'a remote PE' : `VRF ${v.fromVrf}`;
      const rts = v.rtKeys.map(rtKeyText);
      const r = v.reason;
      const why =
        r.kind === 'unexpected-source'
          ? `leaked from ${from}${rts.length ? ` [${rts.join(' ')}]` : ''}, which expect.from does not name`
          : `leaked from ${from}, outside prefix list ${r.lists.join(', ')}`;
      return {
        vrf: v.vrf,
        kind: v.kind,
        prefix: prefixToText(v.prefix),
        fromVrf: v.fromVrf ?? null,
        routeTargets: rts,
        count: null,
        limit: null,
        reason: why,
      };
    }
    case 'missing':
      return {
        vrf: v.vrf,
        kind: v.kind,
        prefix: prefixToText(v.prefix),
        fromVrf: null,
        routeTargets: [],
        count: null,
        limit: null,
        reason:
          v.reason === 'absent'
            ? 'required by expect.require, not in the VRF'
            : 'required as a leaked route, but the VRF selected a route of its own',
      };
    case 'over-limit':
      return {
        vrf: v.vrf,
        kind: v.kind,
        prefix: null,
        fromVrf: null,
        routeTargets: [],
        count: v.count,
        limit: v.limit,
        reason: `${v.count} leaked routes selected, expect.max-routes is ${v.limit}`,
      };
    default: {
      const never: never = v;
      return never;
    }
  }
}
