// AS_PATH (type 2, RFC 4271 §5.1.2): well-known mandatory. ASNs are 4 octets when both sides
// sent the 4-octet AS capability, else 2 (RFC 6793 §4).

import { UPD_MALFORMED_AS_PATH } from '../errors.js';
import { ATTR_AS_PATH } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { decodeSegments, encodeSegments } from './segments.js';

export const asPath: AttrDescriptor<'as-path'> = {
  code: ATTR_AS_PATH,
  kind: 'as-path',
  name: 'AS_PATH',
  optional: false,
  transitive: true,
  // RFC 7606 §7.2: a malformed AS_PATH is treat-as-withdraw ("Malformed AS_PATH", 3/11).
  onError: 'treat-as-withdraw',
  decode(buf, at, end, flags, ctx) {
    const width = ctx.fourOctetAs ? 4 : 2;
    return {
      kind: 'as-path',
      flags,
      segments: decodeSegments(buf, at, end, width, 'AS_PATH', UPD_MALFORMED_AS_PATH),
    };
  },
  encodeValue(w, a, ctx) {
    // RFC 6793 §4.2.2: to an OLD speaker, ASNs above 65535 are sent as AS_TRANS (23456).
    encodeSegments(w, a.segments, ctx.fourOctetAs ? 4 : 2);
  },
};
