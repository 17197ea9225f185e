// Compact destination keys. One string per destination, shared by every map that indexes it.

import type { IpPrefix, Nlri } from '../wire/types.js';

function v6hex(b: Uint8Array, len: number): string {
  let s = '';
  const n = (len + 7) >> 3;
  for (let i = 0; i < n; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

export function prefixKey(p: IpPrefix): string {
  return p.afi === 1 ? `${p.addr}/${p.len}` : `${v6hex(p.addr, p.len)}/${p.len}`;
}

/** The destination key of an NLRI: the prefix, with the RD in front for VPN NLRI. */
export function nlriKey(n: Nlri): string {
  switch (n.kind) {
    case 'prefix':
    case 'labeled':
      return prefixKey(n.prefix);
    case 'vpn':
      return `${n.rd.hi}:${n.rd.lo}:${prefixKey(n.prefix)}`;
    case 'rtc':
      return `rtc:${n.originAs}:${n.len}:${Buffer.from(n.rt).toString('hex')}`;
    default: {
      const never: never = n;
      return never;
    }
  }
}
