// Text forms that appear as config values. Each checker returns the canonical text or throws
// ConfigValueError with the message the operator sees after "FILE:LINE:COL: key.path: ".
// Prefix parsing is local until src/wire/nlri/text.ts (prefixFromText) lands; then the prefix
// checks below should delegate to it.

import { isIPv4, isIPv6 } from 'node:net';
import { formatAdminPair, ipv4FromText, parseAdminPair } from '../wire/admin-pair.js';
import { WireError } from '../wire/errors.js';

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

/** 16 octets of an IPv6 address already accepted by net.isIPv6 (embedded IPv4 tail allowed). */
function ipv6Bytes(text: string): Uint8Array {
  let s = text;
  const last = s.lastIndexOf(':');
  const tailText = s.slice(last + 1);
  if (tailText.includes('.')) {
    const v4 = ipv4FromText(tailText) ?? 0;
    s = `${s.slice(0, last + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [headText = '', backText] = s.split('::');
  const head = headText ? headText.split(':') : [];
  const back = backText ? backText.split(':') : [];
  const fill = backText === undefined ? 0 : 8 - head.length - back.length;
  const groups = [...head, ...new Array<string>(fill).fill('0'), ...back];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const v = parseInt(g, 16);
    out[i * 2] = (v >> 8) & 0xff;
    out[i * 2 + 1] = v & 0xff;
  });
  return out;
}

function addressBytes(addr: string): Uint8Array {
  if (isV6(addr)) return ipv6Bytes(addr);
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
  if (!v6) return `${b.join('.')}/${len}`;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  // Shortest form is not needed for a hint; compress only the trailing zero run.
  const joined = groups
    .join(':')
    .replace(/(:0)+$/, '::')
    .replace(/^0::$/, '::');
  return `${joined}/${len}`;
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

// RFC 1997 and IANA "BGP Well-known Communities".
const WELL_KNOWN: Readonly<Record<string, string>> = {
  'graceful-shutdown': '65535:0', // RFC 8326
  'accept-own': '65535:1', // RFC 7611
  blackhole: '65535:666', // RFC 7999
  'no-export': '65535:65281',
  'no-advertise': '65535:65282',
  'no-export-subconfed': '65535:65283',
  'no-peer': '65535:65284', // RFC 3765
};

/** RFC 1997 community `AS:NN` (two 16-bit halves) or a well-known name. */
export function checkCommunity(text: string): string {
  if (WELL_KNOWN[text]) return text;
  const parts = text.split(':');
  if (parts.length === 2 && parts.every((p) => DEC.test(p) && Number(p) <= 0xffff)) return text;
  throw new ConfigValueError(
    `"${text}" is not a community; use AS:NN (each 0..65535) or a well-known name such as no-export`,
  );
}

/** RFC 8092 §4 large community `GLOBAL:LOCAL1:LOCAL2`, each 32 bits. */
export function checkLargeCommunity(text: string): string {
  const parts = text.split(':');
  if (parts.length === 3 && parts.every((p) => DEC.test(p) && Number(p) <= 0xffffffff)) {
    return text;
  }
  throw new ConfigValueError(
    `"${text}" is not a large community; use GLOBAL:LOCAL1:LOCAL2 (each 0..4294967295)`,
  );
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
