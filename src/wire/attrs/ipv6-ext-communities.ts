// IPv6 Address Specific Extended Community (type 25, RFC 5701): optional transitive, 20-octet
// values: type, subtype, 16-octet IPv6 global administrator, 2-octet local administrator.

import { ATTR_IPV6_EXT_COMMUNITIES } from '../types.js';
import type { Ipv6ExtCommunity } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { copyOf, expectMultiple, u16At } from './common.js';

// RFC 5701 §2: type 0x00 is transitive, 0x40 non-transitive; subtypes as in RFC 4360.
import { NON_TRANSITIVE, SUBTYPE_RO, SUBTYPE_RT } from '../ext-community.js';

function decodeOne(b: Uint8Array, at: number): Ipv6ExtCommunity {
  const type = b[at]!;
  const sub = b[at + 1]!;
  if ((type & ~NON_TRANSITIVE) === 0 && (sub === SUBTYPE_RT || sub === SUBTYPE_RO)) {
    return {
      kind: sub === SUBTYPE_RT ? 'route-target' : 'route-origin',
      transitive: (type & NON_TRANSITIVE) === 0,
      addr: copyOf(b.subarray(at + 2, at + 18)),
      local: u16At(b, at + 18),
    };
  }
  return { kind: 'raw', bytes: copyOf(b.subarray(at, at + 20)) };
}

export const ipv6ExtCommunities: AttrDescriptor<'ipv6-ext-communities'> = {
  code: ATTR_IPV6_EXT_COMMUNITIES,
  kind: 'ipv6-ext-communities',
  name: 'IPv6 Address Specific Extended Community',
  optional: true,
  transitive: true,
  // RFC 7606 §7.15: length 0 or not a multiple of 20 is treat-as-withdraw.
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags) {
    expectMultiple(end - at, 20, 'IPv6 extended communities');
    const values: Ipv6ExtCommunity[] = [];
    for (let p = at; p < end; p += 20) values.push(decodeOne(buf, p));
    return { kind: 'ipv6-ext-communities', flags, values };
  },
  encodeValue(w, a) {
    for (const v of a.values) {
      if (v.kind === 'raw') {
        w.bytes(v.bytes);
        continue;
      }
      w.u8(v.transitive ? 0 : NON_TRANSITIVE).u8(
        v.kind === 'route-target' ? SUBTYPE_RT : SUBTYPE_RO,
      );
      w.bytes(v.addr).u16(v.local);
    }
  },
};
