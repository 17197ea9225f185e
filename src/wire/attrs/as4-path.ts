// AS4_PATH (type 17, RFC 6793 §3): optional transitive, 4-octet ASNs, sent only by a NEW speaker
// to an OLD one. Every problem with it is attribute-discard (RFC 6793 §6).

import { AttrFault, UPD_OPTIONAL_ATTR } from '../errors.js';
import { AS_CONFED_SEQUENCE, AS_CONFED_SET, ATTR_AS4_PATH } from '../types.js';
import type { AttrDescriptor } from './descriptor.js';
import { decodeSegments, encodeSegments } from './segments.js';

export const as4Path: AttrDescriptor<'as4-path'> = {
  code: ATTR_AS4_PATH,
  kind: 'as4-path',
  name: 'AS4_PATH',
  optional: true,
  transitive: true,
  // RFC 6793 §6: "the 'attribute discard' approach is chosen to handle a malformed AS4_PATH".
  onError: 'attribute-discard',
  decode(buf, at, end, flags, ctx) {
    // RFC 6793 §6: AS4_PATH between NEW speakers MUST be discarded (and processing goes on).
    if (ctx.fourOctetAs) {
      throw new AttrFault('AS4_PATH from a 4-octet AS speaker (ignored)', UPD_OPTIONAL_ATTR);
    }
    // RFC 6793 §6: shorter than 6 octets cannot carry even one ASN.
    if (end - at < 6) {
      throw new AttrFault(`AS4_PATH: length ${end - at} < 6`, UPD_OPTIONAL_ATTR);
    }
    const segments = decodeSegments(buf, at, end, 4, 'AS4_PATH', UPD_OPTIONAL_ATTR).filter(
      // RFC 6793 §6: confederation segments MUST NOT be in AS4_PATH; drop them and go on.
      (s) => s.type !== AS_CONFED_SEQUENCE && s.type !== AS_CONFED_SET,
    );
    return { kind: 'as4-path', flags, segments };
  },
  encodeValue(w, a) {
    encodeSegments(w, a.segments, 4);
  },
};
