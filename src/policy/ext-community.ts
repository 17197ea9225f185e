// Route targets and route origins as policy compares them: byte for byte over the 8 octets
// (DESIGN.md "RT match"), so 65000:10 in the 2-octet AS form (type 0x00) and in the 4-octet AS
// form (type 0x02, `65000L:10`) are different values. The octets are read as two unsigned 32-bit
// halves so comparison allocates nothing.

import { formatAdminPair, parseAdminPair, adminPairValue } from '../wire/admin-pair.js';
import { WireError } from '../wire/errors.js';
// RFC 4360 §3.1 / RFC 5668 §2 type octets, the non-transitive bit, RFC 4360 §4-5 subtypes.
import { NON_TRANSITIVE, SUBTYPE_RO, SUBTYPE_RT, TYPE_OF_FORM } from '../wire/ext-community.js';
import type { ExtCommunity } from '../wire/types.js';

/** Octets 0..3 (type, subtype, first two value octets) as an unsigned 32-bit number. */
export function extHi(c: ExtCommunity): number {
  if (c.kind === 'raw') {
    const b = c.bytes;
    return (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
  }
  const type = TYPE_OF_FORM[c.form] | (c.transitive ? 0 : NON_TRANSITIVE);
  const sub = c.kind === 'route-target' ? SUBTYPE_RT : SUBTYPE_RO;
  const top = c.form === 'as2' ? c.global & 0xffff : c.global >>> 16;
  return ((type << 24) | (sub << 16) | top) >>> 0;
}

/** Octets 4..7 as an unsigned 32-bit number. */
export function extLo(c: ExtCommunity): number {
  if (c.kind === 'raw') {
    const b = c.bytes;
    return (((b[4] ?? 0) << 24) | ((b[5] ?? 0) << 16) | ((b[6] ?? 0) << 8) | (b[7] ?? 0)) >>> 0;
  }
  if (c.form === 'as2') return c.local >>> 0;
  return (((c.global & 0xffff) << 16) | (c.local & 0xffff)) >>> 0;
}

export function sameExt(a: ExtCommunity, b: ExtCommunity): boolean {
  return extHi(a) === extHi(b) && extLo(a) === extLo(b);
}

/** A route target of either transitivity, in any form (subtype 0x02 of types 0x00-0x02, 0x40-0x42). */
export function isRouteTarget(c: ExtCommunity): boolean {
  if (c.kind === 'route-target') return true;
  if (c.kind === 'route-origin') return false;
  const hi = extHi(c);
  return ((hi >>> 24) & ~NON_TRANSITIVE) <= 0x02 && ((hi >>> 16) & 0xff) === SUBTYPE_RT;
}

/** Parses RT / route-origin text into a transitive ext community; an error string otherwise. */
export function extFromText(
  kind: 'route-target' | 'route-origin',
  text: string,
): ExtCommunity | string {
  try {
    const p = parseAdminPair(text);
    return { kind, form: p.form, transitive: true, global: p.global, local: p.local };
  } catch (e) {
    if (e instanceof WireError) return e.message;
    throw e;
  }
}

export function extToText(c: ExtCommunity): string {
  switch (c.kind) {
    case 'route-target':
      return `rt ${formatAdminPair(c)}${c.transitive ? '' : ' (non-transitive)'}`;
    case 'route-origin':
      return `soo ${formatAdminPair(c)}${c.transitive ? '' : ' (non-transitive)'}`;
    case 'raw':
      return `raw ${Array.from(c.bytes, (x) => x.toString(16).padStart(2, '0')).join('')}`;
    default: {
      const never: never = c;
      return never;
    }
  }
}

/** The 8 octets, for tests and byte-exact output. */
export function extToBytes(c: ExtCommunity): Uint8Array {
  if (c.kind === 'raw') return c.bytes;
  const b = new Uint8Array(8);
  b[0] = extHi(c) >>> 24;
  b[1] = (extHi(c) >>> 16) & 0xff;
  b.set(adminPairValue(c), 2);
  return b;
}
