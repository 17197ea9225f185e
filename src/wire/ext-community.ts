// Extended communities (RFC 4360): 8 octets, type + subtype + 6 value octets. Route targets and
// route origins in the three administrator forms are decoded (RFC 4360 §4/§5, RFC 5668); every
// other type keeps its raw octets, which is not an error (RFC 7606 §7.14). Text uses
// admin-pair.ts, so `65000:10`, `10.0.0.1:5` and `4200000000:7` read the same everywhere.

import { formatAdminPair, parseAdminPair, type AdminForm, type AdminPair } from './admin-pair.js';
import { WireError } from './errors.js';
import type { ExtCommunity } from './types.js';
import type { Writer } from './writer.js';

export const EXT_COMMUNITY_LENGTH = 8;

// RFC 4360 §3.1-3.2, RFC 5668 §2: the transitive type octets of the three forms; the 0x40 bit
// marks the non-transitive variant (RFC 4360 §2: "T" bit).
export const TYPE_OF_FORM: Readonly<Record<AdminForm, number>> = {
  as2: 0x00,
  ipv4: 0x01,
  as4: 0x02,
};
const FORM_OF_TYPE: readonly AdminForm[] = ['as2', 'ipv4', 'as4'];
export const NON_TRANSITIVE = 0x40;
// RFC 4360 §4 (Route Target) and §5 (Route Origin) subtypes.
export const SUBTYPE_RT = 0x02;
export const SUBTYPE_RO = 0x03;

/** Decodes the 8 octets at b[at..at+8). Never fails: unknown types are kept raw. */
export function decodeExtCommunity(b: Uint8Array, at: number): ExtCommunity {
  const type = b[at]!;
  const sub = b[at + 1]!;
  const form = FORM_OF_TYPE[type & ~NON_TRANSITIVE];
  if (form !== undefined && (sub === SUBTYPE_RT || sub === SUBTYPE_RO)) {
    // The six value octets read by index (big-endian): a DataView per community was ~120 MB of
    // garbage per million routes of the realistic table (bench/README.md, issue 13 branch gc6).
    const v0 = b[at + 2]!;
    const v1 = b[at + 3]!;
    const v2 = b[at + 4]!;
    const v3 = b[at + 5]!;
    const v4 = b[at + 6]!;
    const v5 = b[at + 7]!;
    const as2 = form === 'as2';
    return {
      kind: sub === SUBTYPE_RT ? 'route-target' : 'route-origin',
      form,
      transitive: (type & NON_TRANSITIVE) === 0,
      global: as2 ? (v0 << 8) | v1 : ((v0 << 24) | (v1 << 16) | (v2 << 8) | v3) >>> 0,
      local: as2 ? ((v2 << 24) | (v3 << 16) | (v4 << 8) | v5) >>> 0 : (v4 << 8) | v5,
    };
  }
  return { kind: 'raw', bytes: new Uint8Array(b.subarray(at, at + 8)) };
}

/** The first 4 wire octets of an extended community, as an unsigned number (no allocation). */
export function extCommunityHi(ec: ExtCommunity): number {
  if (ec.kind === 'raw') {
    const b = ec.bytes;
    return (((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0)) >>> 0;
  }
  const type = TYPE_OF_FORM[ec.form] | (ec.transitive ? 0 : NON_TRANSITIVE);
  const sub = ec.kind === 'route-target' ? SUBTYPE_RT : SUBTYPE_RO;
  // RFC 4360 §3.1: 2-octet global, 4-octet local; §3.2 and RFC 5668: 4-octet global, 2-octet local.
  const g = ec.form === 'as2' ? ec.global & 0xffff : ec.global >>> 16;
  return ((type << 24) | (sub << 16) | g) >>> 0;
}

/** The last 4 wire octets of an extended community, as an unsigned number. */
export function extCommunityLo(ec: ExtCommunity): number {
  if (ec.kind === 'raw') {
    const b = ec.bytes;
    return (((b[4] ?? 0) << 24) | ((b[5] ?? 0) << 16) | ((b[6] ?? 0) << 8) | (b[7] ?? 0)) >>> 0;
  }
  if (ec.form === 'as2') return ec.local >>> 0;
  return (((ec.global & 0xffff) << 16) | (ec.local & 0xffff)) >>> 0;
}

/** The 8 wire octets of an extended community. */
export function extCommunityBytes(ec: ExtCommunity): Uint8Array {
  if (ec.kind === 'raw') {
    if (ec.bytes.length !== EXT_COMMUNITY_LENGTH) {
      throw new WireError('text', `raw extended community of ${ec.bytes.length} octets, not 8`);
    }
    return ec.bytes;
  }
  const out = new Uint8Array(EXT_COMMUNITY_LENGTH);
  const hi = extCommunityHi(ec);
  const lo = extCommunityLo(ec);
  out[0] = hi >>> 24;
  out[1] = (hi >>> 16) & 0xff;
  out[2] = (hi >>> 8) & 0xff;
  out[3] = hi & 0xff;
  out[4] = lo >>> 24;
  out[5] = (lo >>> 16) & 0xff;
  out[6] = (lo >>> 8) & 0xff;
  out[7] = lo & 0xff;
  return out;
}

export function encodeExtCommunity(w: Writer, ec: ExtCommunity): void {
  if (ec.kind === 'raw') w.bytes(extCommunityBytes(ec));
  // The two words straight into the message: no 8-octet array per community sent.
  else w.u32(extCommunityHi(ec)).u32(extCommunityLo(ec));
}

/**
 * A compact byte-exact key: the 8 octets as 16 lower-case hex digits. Two route targets match
 * only when their keys are equal (DESIGN.md "RT match": the as2, ipv4 and as4 forms differ).
 */
export function extCommunityKey(ec: ExtCommunity): string {
  // A raw community of another length than 8 is refused as extCommunityBytes refuses it.
  if (ec.kind === 'raw') extCommunityBytes(ec);
  // One flat string from the two words, no octet array or Buffer (once per attribute set).
  const hi = extCommunityHi(ec);
  const lo = extCommunityLo(ec);
  return String.fromCharCode(
    hexDigit(hi >>> 28),
    hexDigit((hi >>> 24) & 15),
    hexDigit((hi >>> 20) & 15),
    hexDigit((hi >>> 16) & 15),
    hexDigit((hi >>> 12) & 15),
    hexDigit((hi >>> 8) & 15),
    hexDigit((hi >>> 4) & 15),
    hexDigit(hi & 15),
    hexDigit(lo >>> 28),
    hexDigit((lo >>> 24) & 15),
    hexDigit((lo >>> 20) & 15),
    hexDigit((lo >>> 16) & 15),
    hexDigit((lo >>> 12) & 15),
    hexDigit((lo >>> 8) & 15),
    hexDigit((lo >>> 4) & 15),
    hexDigit(lo & 15),
  );
}

/** The char code of a lower-case hex digit. */
function hexDigit(n: number): number {
  return n < 10 ? 48 + n : 87 + n;
}

function pairOf(ec: Extract<ExtCommunity, { form: AdminForm }>): AdminPair {
  return { form: ec.form, global: ec.global, local: ec.local };
}

/** A transitive route target from `65000:10`, `10.0.0.1:5`, `4200000000:7` or `65000L:10`. */
export function rtFromText(text: string): ExtCommunity {
  const p = parseAdminPair(text);
  return { kind: 'route-target', form: p.form, transitive: true, global: p.global, local: p.local };
}

/** A transitive route origin (site of origin) from the same text forms as rtFromText. */
export function soOFromText(text: string): ExtCommunity {
  const p = parseAdminPair(text);
  return { kind: 'route-origin', form: p.form, transitive: true, global: p.global, local: p.local };
}

const PREFIX_OF_KIND = { 'route-target': 'RT', 'route-origin': 'SoO' } as const;

/**
 * `RT:65000:10`, `SoO:10.0.0.1:5`; a non-transitive one gets `-NT` (`RT-NT:65000:10`); anything
 * else is `0x` and its 16 hex digits.
 */
export function formatExtCommunity(ec: ExtCommunity): string {
  switch (ec.kind) {
    case 'route-target':
    case 'route-origin':
      return `${PREFIX_OF_KIND[ec.kind]}${ec.transitive ? '' : '-NT'}:${formatAdminPair(pairOf(ec))}`;
    case 'raw':
      return `0x${extCommunityKey(ec)}`;
    default: {
      const never: never = ec;
      return never;
    }
  }
}

const TEXT_FORM = /^(RT|SoO)(-NT)?:(.+)$/i;
const HEX_FORM = /^0x([0-9a-f]{16})$/i;

/** The inverse of formatExtCommunity. Throws WireError('text') when the text does not parse. */
export function parseExtCommunity(text: string): ExtCommunity {
  const hex = HEX_FORM.exec(text);
  if (hex) return decodeExtCommunity(Buffer.from(hex[1]!, 'hex'), 0);
  const m = TEXT_FORM.exec(text);
  if (!m) {
    throw new WireError('text', `"${text}" is not RT:..., SoO:... or 0x and 16 hex digits`);
  }
  const base = m[1]!.toLowerCase() === 'rt' ? rtFromText(m[3]!) : soOFromText(m[3]!);
  if (!m[2] || base.kind === 'raw') return base;
  return { ...base, transitive: false };
}
