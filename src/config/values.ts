// Text forms that appear as config values. Each checker returns the canonical text or throws
// ConfigValueError with the message the operator sees after "FILE:LINE:COL: key.path: ". The
// parsing is the codec's (addresses, communities, admin pairs); the messages are the config's.

import { isIPv4, isIPv6 } from 'node:net';
import { formatAdminPair, ipv4FromText, parseAdminPair } from '../wire/admin-pair.js';
import { communityFromText, largeCommunityFromText } from '../wire/community.js';
import { WireError } from '../wire/errors.js';
import { ipv6FromText, ipv6ToText } from '../wire/nlri/text.js';

export class ConfigValueError extends Error {
  override readonly name = 'ConfigValueError';
}

const DEC = /^(0|[1-9][0-9]*)$/;

function adminPair(text: string, what: string): string {
  try {
    return formatAdminPair(parseAdminPair(text));
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    // A bad shape gets the usage hint; a well-shaped pair with a bad part gets the precise reason.
    if (/out of range/.test(e.message)) {
      throw new ConfigValueError(`"${text}" is not ${what}: ${e.message}`);
    }
    throw new ConfigValueError(`"${text}" is not ${what}; use ASN:NN, A.B.C.D:NN or ASN4:NN`);
  }
}

/** RFC 4364 §4.2 route distinguisher text; returns the canonical spelling. */
export function checkRd(text: string): string {
  return adminPair(text, 'a route distinguisher');
}

/** RFC 4360 §4 / RFC 5668 route target text (also used for tags); canonical spelling. */
export function checkRouteTarget(text: string): string {
  return adminPair(text, 'a route target');
}

/** A site of origin (RFC 4360 §5): the administrator forms of a route target. */
export function checkSiteOfOrigin(text: string): string {
  return adminPair(text, 'a site of origin');
}

export function checkIpv4(text: string, what = 'an IPv4 address'): string {
  if (ipv4FromText(text) === undefined) throw new ConfigValueError(`"${text}" is not ${what}`);
  return text;
}

export function checkIp(text: string): string {
  if (isIPv4(text) || isIPv6(text)) return text;
  throw new ConfigValueError(`"${text}" is not an IPv4 or IPv6 address`);
}

export function isV6(text: string): boolean {
  return text.includes(':');
}

function addressBytes(addr: string): Uint8Array {
  if (isV6(addr)) return ipv6FromText(addr) ?? new Uint8Array(16);
  const v = ipv4FromText(addr) ?? 0;
  return Uint8Array.of(v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
}

function hostBitsSet(bytes: Uint8Array, len: number): boolean {
  for (let bit = len; bit < bytes.length * 8; bit++) {
    if (((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) return true;
  }
  return false;
}

function maskedText(bytes: Uint8Array, len: number, v6: boolean): string {
  const b = Uint8Array.from(bytes);
  for (let bit = len; bit < b.length * 8; bit++) b[bit >> 3]! &= ~(1 << (7 - (bit & 7)));
  return v6 ? `${ipv6ToText(b)}/${len}` : `${b.join('.')}/${len}`;
}

interface AddrLen {
  readonly addr: string;
  readonly len: number;
  readonly v6: boolean;
}

function addrLen(text: string, what: string): AddrLen {
  const i = text.indexOf('/');
  const addr = i < 0 ? '' : text.slice(0, i);
  const lenText = i < 0 ? '' : text.slice(i + 1);
  const v6 = isIPv6(addr);
  if ((!v6 && !isIPv4(addr)) || !DEC.test(lenText)) {
    throw new ConfigValueError(`"${text}" is not ${what}; use A.B.C.D/LEN or X:X::X/LEN`);
  }
  const len = Number(lenText);
  const max = v6 ? 128 : 32;
  if (len > max) {
    throw new ConfigValueError(`"${text}": prefix length ${len} is longer than ${max}`);
  }
  return { addr, len, v6 };
}

/** An IPv4 or IPv6 prefix with no host bits set (RFC 4632 §3.1 notation). */
export function checkPrefix(text: string): string {
  const { addr, len, v6 } = addrLen(text, 'a prefix');
  const bytes = addressBytes(addr);
  if (hostBitsSet(bytes, len)) {
    throw new ConfigValueError(
      `"${text}" has host bits set; did you mean ${maskedText(bytes, len, v6)}?`,
    );
  }
  return text;
}

/** An interface address: host address plus the connected prefix length. */
export function checkInterfaceAddress(text: string): string {
  addrLen(text, 'an interface address');
  return text;
}

/** The connected prefix of an interface address (`10.1.0.1/24` -> `10.1.0.0/24`). */
export function connectedPrefix(text: string): string {
  const { addr, len, v6 } = addrLen(text, 'an interface address');
  return maskedText(addressBytes(addr), len, v6);
}

export function prefixLength(text: string): number {
  return Number(text.slice(text.indexOf('/') + 1));
}

export function prefixIsV6(text: string): boolean {
  return isV6(text.slice(0, text.indexOf('/')));
}

/** RFC 1997 community `AS:NN` (two 16-bit halves) or a well-known name (wire/community's list). */
export function checkCommunity(text: string): string {
  if (parses(() => communityFromText(text))) return text;
  throw new ConfigValueError(
    `"${text}" is not a community; use AS:NN (each 0..65535) or a well-known name such as no-export`,
  );
}

/** RFC 8092 §4 large community `GLOBAL:LOCAL1:LOCAL2`, each 32 bits. */
export function checkLargeCommunity(text: string): string {
  if (parses(() => largeCommunityFromText(text))) return text;
  throw new ConfigValueError(
    `"${text}" is not a large community; use GLOBAL:LOCAL1:LOCAL2 (each 0..4294967295)`,
  );
}

/** Whether the codec's parser accepts the text (its own message is replaced by the usage hint). */
function parses(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch (e) {
    if (e instanceof WireError) return false;
    throw e;
  }
}

/** Extended community text: `rt:PAIR` or `soo:PAIR` (RFC 4360 §4, §5); a bare PAIR is `rt:`. */
export function checkExtCommunity(text: string): string {
  const m = /^(rt|soo):(.*)$/.exec(text);
  const kind = m?.[1] ?? 'rt';
  const pair = m?.[2] ?? text;
  try {
    return `${kind}:${formatAdminPair(parseAdminPair(pair))}`;
  } catch (e) {
    if (!(e instanceof WireError)) throw e;
    throw new ConfigValueError(
      `"${text}" is not an extended community; use rt:ASN:NN, soo:ASN:NN (or A.B.C.D:NN, ASN4:NN)`,
    );
  }
}
