// The "administrator:assigned-number" text shared by route distinguishers (RFC 4364 §4.2) and
// route targets / route origins (RFC 4360 §3.1, RFC 5668 §2): three layouts of the same 6 octets.
//   as2:  2-octet AS      : 4-octet number   (RD type 0, ext-community type 0x00)
//   ipv4: IPv4 address    : 2-octet number   (RD type 1, ext-community type 0x01)
//   as4:  4-octet AS      : 2-octet number   (RD type 2, ext-community type 0x02)
// Text: `65000:10`, `10.0.0.1:5`, `4200000000:7`. An ASN that fits 2 octets is read as as2 unless
// written with an `L` suffix (`65000L:10`, the Junos spelling), so both forms stay distinct.

import { WireError } from './errors.js';

export type AdminForm = 'as2' | 'ipv4' | 'as4';

export interface AdminPair {
  readonly form: AdminForm;
  /** ASN, or the IPv4 address as an unsigned 32-bit number. */
  readonly global: number;
  readonly local: number;
}

const DEC = /^(0|[1-9][0-9]*)$/;

function dec(text: string, max: number, what: string, whole: string): number {
  if (!DEC.test(text)) throw new WireError('text', `${what} in "${whole}" is not a decimal number`);
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v > max) {
    throw new WireError('text', `${what} in "${whole}" is out of range (0..${max})`);
  }
  return v;
}

export function ipv4FromText(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0;
  for (const p of parts) {
    if (!DEC.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = v * 256 + n;
  }
  return v;
}

export function ipv4ToText(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

/** Parses `ASN:NN`, `A.B.C.D:NN`, `ASN4:NN` or `ASNL:NN`; throws WireError('text') otherwise. */
export function parseAdminPair(text: string): AdminPair {
  const i = text.lastIndexOf(':');
  if (i <= 0 || i === text.length - 1) {
    throw new WireError('text', `"${text}" is not ASN:NN, A.B.C.D:NN or ASN4:NN`);
  }
  const g = text.slice(0, i);
  const l = text.slice(i + 1);
  if (g.includes('.')) {
    const addr = ipv4FromText(g);
    if (addr === undefined)
      throw new WireError('text', `"${g}" in "${text}" is not an IPv4 address`);
    return { form: 'ipv4', global: addr, local: dec(l, 0xffff, 'the assigned number', text) };
  }
  if (g.endsWith('L') || g.endsWith('l')) {
    const asn = dec(g.slice(0, -1), 0xffffffff, 'the AS number', text);
    return { form: 'as4', global: asn, local: dec(l, 0xffff, 'the assigned number', text) };
  }
  const asn = dec(g, 0xffffffff, 'the AS number', text);
  if (asn <= 0xffff) {
    return { form: 'as2', global: asn, local: dec(l, 0xffffffff, 'the assigned number', text) };
  }
  return { form: 'as4', global: asn, local: dec(l, 0xffff, 'the assigned number', text) };
}

export function formatAdminPair(p: AdminPair): string {
  switch (p.form) {
    case 'as2':
      return `${p.global}:${p.local}`;
    case 'ipv4':
      return `${ipv4ToText(p.global)}:${p.local}`;
    case 'as4':
      return p.global <= 0xffff ? `${p.global}L:${p.local}` : `${p.global}:${p.local}`;
    default: {
      const never: never = p.form;
      return never;
    }
  }
}

/** Writes the 6 value octets of the pair (after the 2 type octets) into a fresh array. */
export function adminPairValue(p: AdminPair): Uint8Array {
  const b = new Uint8Array(6);
  const dv = new DataView(b.buffer);
  if (p.form === 'as2') {
    dv.setUint16(0, p.global);
    dv.setUint32(2, p.local);
  } else {
    dv.setUint32(0, p.global);
    dv.setUint16(4, p.local);
  }
  return b;
}
