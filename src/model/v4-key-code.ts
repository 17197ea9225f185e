// A VPNv4 destination key (wire/nlri/key.ts: the RD's four 16-bit units, the prefix length, the
// address's two) as what a route keeps of it: the RD part, shared by the routes of one UPDATE
// (route.ts RouteShare), and a small integer for the prefix. A kept key string cost 32 octets a
// route (a 7-unit two-byte string), a third of a transit route's retained bytes, where the VPN
// table and the Adj-RIB-Out find routes by number (rib/v4-key-map.ts) and keep no string of
// their own. The integer stays a V8 small integer (31 bits signed, so with or without pointer
// compression), stored in the route's field without a box: a one-bit marker above the prefix's
// network bits (the bits past the length are zero in a key), offset by 2^30. Lengths 31 and 32,
// and a key whose host bits are not zero, have no code: their routes keep the string.

/** The RD's units and the prefix's three: the length of a VPNv4 key. */
const UNITS = 7;
const HEAD = 4;
const OFFSET = 0x4000_0000;
/** The longest prefix with a code: the marker bit at 2^30 and the offset keep it in 31 bits. */
const MAX_LEN = 30;
/** What v4KeyCode answers for a key without a code: 2^30, past every code. */
export const NO_CODE = OFFSET;

/**
 * The code of a VPNv4 key's prefix (units 4-6; the caller knows the key is VPNv4's: a VPNv6 /32's is 7 units too), in [1 - 2^30, 2^30 - 1], or NO_CODE when it has
 * none (a /31 or /32, host bits set, not a VPNv4 key).
 */
export function v4KeyCode(key: string): number {
  if (key.length !== UNITS) return NO_CODE;
  return v4CodeOf(
    key.charCodeAt(HEAD),
    ((key.charCodeAt(HEAD + 1) << 16) | key.charCodeAt(HEAD + 2)) >>> 0,
  );
}

/**
 * The code of the VPNv4 prefix of length `len` and address `addr` (a decoded NLRI's, whose key's
 * units are these: wire/nlri/key.ts), or NO_CODE: v4KeyCode without the key string.
 */
export function v4CodeOf(len: number, addr: number): number {
  if (len > MAX_LEN) return NO_CODE;
  if (len === 0) return addr === 0 ? 1 - OFFSET : NO_CODE;
  const net = addr >>> (32 - len);
  if ((net << (32 - len)) >>> 0 !== addr >>> 0) return NO_CODE;
  return (1 << len) + net - OFFSET;
}

/** The key of `head` (a VPNv4 key's first four units, the RD) and a prefix's code. */
export function v4KeyOf(head: string, code: number): string {
  const c = code + OFFSET;
  const len = 31 - Math.clz32(c);
  const addr = len === 0 ? 0 : ((c - (1 << len)) << (32 - len)) >>> 0;
  return String.fromCharCode(
    head.charCodeAt(0),
    head.charCodeAt(1),
    head.charCodeAt(2),
    head.charCodeAt(3),
    len,
    addr >>> 16,
    addr & 0xffff,
  );
}

/** The prefix part of v4KeyOf(head, code) (the key of the prefix in a table without RDs). */
export function v4PrefixKeyOf(code: number): string {
  const c = code + OFFSET;
  const len = 31 - Math.clz32(c);
  const addr = len === 0 ? 0 : ((c - (1 << len)) << (32 - len)) >>> 0;
  return String.fromCharCode(len, addr >>> 16, addr & 0xffff);
}

/** Whether `key` starts with the four units of `head` (a share's RD part). */
export function hasHead(key: string, head: string): boolean {
  return (
    key.charCodeAt(0) === head.charCodeAt(0) &&
    key.charCodeAt(1) === head.charCodeAt(1) &&
    key.charCodeAt(2) === head.charCodeAt(2) &&
    key.charCodeAt(3) === head.charCodeAt(3)
  );
}

/** The RD part of a VPNv4 key (its first four units). */
export function headOf(key: string): string {
  return key.slice(0, HEAD);
}
