// Text forms of addresses, prefixes and NLRI: what the CLI, the API and the config print and read.

import { ipv4FromText, ipv4ToText } from '../admin-pair.js';
import { WireError } from '../errors.js';
import { rdToText } from '../rd.js';
import type { IpPrefix, VpnNlri } from '../types.js';
import { maskV4 } from './prefix.js';

export { ipv4FromText, ipv4ToText };

/** RFC 5952 §4: lower case, no leading zeros, the longest run of 2+ zero words as `::` (the
 * first on a tie), no dotted-quad tail. */
export function ipv6ToText(b: Uint8Array): string {
  const w = new Array<number>(8);
  for (let i = 0; i < 8; i++) w[i] = ((b[2 * i] ?? 0) << 8) | (b[2 * i + 1] ?? 0);
  let at = -1;
  let run = 1; // RFC 5952 §4.2.2: a single zero word is not compressed
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > run) {
      at = i;
      run = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string =>
    w
      .slice(from, to)
      .map((x) => x.toString(16))
      .join(':');
  return at === -1 ? hex(0, 8) : `${hex(0, at)}::${hex(at + run, 8)}`;
}

const H16 = /^[0-9a-fA-F]{1,4}$/;

function words(part: string, out: number[]): boolean {
  if (part === '') return true;
  for (const g of part.split(':')) {
    if (!H16.test(g)) return false;
    out.push(parseInt(g, 16));
  }
  return true;
}

/**
 * Parses every RFC 4291 §2.2 text form: full, `::`-compressed, and with a dotted-quad tail
 * (`::ffff:1.2.3.4`). Returns undefined when the text is not an IPv6 address.
 */
export function ipv6FromText(text: string): Uint8Array | undefined {
  let s = text;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  if (lastColon !== -1 && s.indexOf('.', lastColon) !== -1) {
    const v4 = ipv4FromText(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail.push(v4 >>> 16, v4 & 0xffff);
    // `::1.2.3.4` keeps its `::`; `1:2:3:4:5:6:1.2.3.4` drops the separator.
    s = s[lastColon - 1] === ':' ? s.slice(0, lastColon + 1) : s.slice(0, lastColon);
  }
  const head: number[] = [];
  const rest: number[] = [];
  const dbl = s.indexOf('::');
  if (dbl === -1) {
    if (!words(s, head)) return undefined;
    if (head.length + tail.length !== 8) return undefined;
  } else {
    if (s.indexOf('::', dbl + 1) !== -1) return undefined;
    if (!words(s.slice(0, dbl), head) || !words(s.slice(dbl + 2), rest)) return undefined;
    // `::` stands for at least one zero word (RFC 4291 §2.2 item 2).
    if (head.length + rest.length + tail.length > 7) return undefined;
  }
  const all = [...head];
  const fill = 8 - head.length - rest.length - tail.length;
  for (let i = 0; i < fill; i++) all.push(0);
  all.push(...rest, ...tail);
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[2 * i] = all[i]! >>> 8;
    out[2 * i + 1] = all[i]! & 0xff;
  }
  return out;
}

export function prefixToText(p: IpPrefix): string {
  return p.afi === 1 ? `${ipv4ToText(p.addr)}/${p.len}` : `${ipv6ToText(p.addr)}/${p.len}`;
}

/**
 * Parses `A.B.C.D/len` or `X:X::X/len`. Host bits beyond len are refused (a typo like
 * 10.1.1.0/16 is more often a mistake than a shorthand); the message names the canonical form.
 */
export function prefixFromText(text: string): IpPrefix {
  const slash = text.indexOf('/');
  if (slash === -1) throw new WireError('text', `"${text}" is not a prefix: no /length`);
  const a = text.slice(0, slash);
  const l = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(l)) {
    throw new WireError('text', `"${text}" is not a prefix: "${l}" is not a prefix length`);
  }
  const len = Number(l);
  if (a.includes(':')) {
    const addr = ipv6FromText(a);
    if (addr === undefined)
      throw new WireError('text', `"${a}" in "${text}" is not an IPv6 address`);
    if (len > 128) throw new WireError('text', `"${text}": an IPv6 prefix length is at most 128`);
    const masked = new Uint8Array(16);
    for (let i = 0; i < 16; i++) {
      const bits = Math.min(8, Math.max(0, len - 8 * i));
      masked[i] = addr[i]! & ((0xff << (8 - bits)) & 0xff);
    }
    const p: IpPrefix = { afi: 2, len, addr: masked };
    if (!masked.every((x, i) => x === addr[i])) {
      throw new WireError(
        'text',
        `"${text}" has host bits set beyond /${len}; the prefix is ${prefixToText(p)}`,
      );
    }
    return p;
  }
  const addr = ipv4FromText(a);
  if (addr === undefined) throw new WireError('text', `"${a}" in "${text}" is not an IPv4 address`);
  if (len > 32) throw new WireError('text', `"${text}": an IPv4 prefix length is at most 32`);
  const p: IpPrefix = { afi: 1, len, addr: maskV4(addr, len) };
  if (p.addr !== addr) {
    throw new WireError(
      'text',
      `"${text}" has host bits set beyond /${len}; the prefix is ${prefixToText(p)}`,
    );
  }
  return p;
}

/** `RD:prefix`, e.g. `65000:10:10.1.0.0/24` or `10.0.0.1:5:2001:db8::/32`. */
export function vpnNlriToText(n: VpnNlri): string {
  return `${rdToText(n.rd)}:${prefixToText(n.prefix)}`;
}
