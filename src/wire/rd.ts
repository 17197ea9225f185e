// Route distinguishers (RFC 4364 §4.2): 8 octets, a 2-octet type and a 6-octet value. Held as
// two unsigned 32-bit halves (types.ts Rd) so they compare and key without allocating.
// Text: types 0, 1 and 2 use the admin-pair forms (`65000:10`, `10.0.0.1:5`, `4200000000:7`,
// `65000L:10`); any other type prints as `TYPE:` + the 6 value octets in hex (`7:0a0b0c0d0e0f`).
// That form never collides with an admin pair: no assigned number has 12 digits in range.

import { formatAdminPair, parseAdminPair } from './admin-pair.js';
import { WireError } from './errors.js';
import type { Rd } from './types.js';
import type { Writer } from './writer.js';

export const RD_TYPE_AS2 = 0;
export const RD_TYPE_IPV4 = 1;
export const RD_TYPE_AS4 = 2;

/** The all-zero RD: type 0, 0:0 (the RD of a VPNv4 next hop, RFC 4364 §4.3.2). */
export const RD_ZERO: Rd = Object.freeze({ hi: 0, lo: 0 });

export function rdType(rd: Rd): number {
  return rd.hi >>> 16;
}

export function rdEquals(a: Rd, b: Rd): boolean {
  return a.hi === b.hi && a.lo === b.lo;
}

/** A compact string key (the two halves in decimal); equal keys mean equal RDs. */
export function rdKey(rd: Rd): string {
  return `${rd.hi}:${rd.lo}`;
}

/** Reads 8 RD octets at buf[pos] (the caller has checked the bounds). */
export function rdAt(buf: Uint8Array, pos: number): Rd {
  return {
    hi: ((buf[pos]! << 24) | (buf[pos + 1]! << 16) | (buf[pos + 2]! << 8) | buf[pos + 3]!) >>> 0,
    lo:
      ((buf[pos + 4]! << 24) | (buf[pos + 5]! << 16) | (buf[pos + 6]! << 8) | buf[pos + 7]!) >>> 0,
  };
}

export function writeRd(w: Writer, rd: Rd): void {
  w.u32(rd.hi);
  w.u32(rd.lo);
}

export function rdToBytes(rd: Rd): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, rd.hi >>> 0);
  dv.setUint32(4, rd.lo >>> 0);
  return b;
}

export function rdFromBytes(b: Uint8Array): Rd {
  if (b.length !== 8) throw new WireError('text', `an RD has 8 octets, not ${b.length}`);
  return rdAt(b, 0);
}

function hex2(v: number): string {
  return (v < 16 ? '0' : '') + v.toString(16);
}

export function rdToText(rd: Rd): string {
  const type = rd.hi >>> 16;
  const v16 = rd.hi & 0xffff;
  switch (type) {
    case RD_TYPE_AS2:
      // RFC 4364 §4.2: 2-octet ASN, 4-octet assigned number.
      return formatAdminPair({ form: 'as2', global: v16, local: rd.lo >>> 0 });
    case RD_TYPE_IPV4:
      // IPv4 address (value octets 0-3), 2-octet assigned number.
      return formatAdminPair({
        form: 'ipv4',
        global: ((v16 << 16) | (rd.lo >>> 16)) >>> 0,
        local: rd.lo & 0xffff,
      });
    case RD_TYPE_AS4:
      return formatAdminPair({
        form: 'as4',
        global: ((v16 << 16) | (rd.lo >>> 16)) >>> 0,
        local: rd.lo & 0xffff,
      });
    default: {
      let s = `${type}:${hex2(v16 >>> 8)}${hex2(v16 & 0xff)}`;
      for (let sh = 24; sh >= 0; sh -= 8) s += hex2((rd.lo >>> sh) & 0xff);
      return s;
    }
  }
}

const UNKNOWN_FORM = /^(0|[1-9][0-9]{0,4}):([0-9a-fA-F]{12})$/;

/** Parses an RD's text form; throws WireError('text') with the reason otherwise. */
export function rdFromText(text: string): Rd {
  const u = UNKNOWN_FORM.exec(text);
  if (u) {
    const type = Number(u[1]);
    const hex = u[2]!;
    if (type <= RD_TYPE_AS4 || type > 0xffff) {
      throw new WireError(
        'text',
        `"${text}": the TYPE:hex form is only for RD types 3..65535; write type ${type} as ASN:NN or A.B.C.D:NN`,
      );
    }
    return {
      hi: ((type << 16) | parseInt(hex.slice(0, 4), 16)) >>> 0,
      lo: parseInt(hex.slice(4), 16) >>> 0,
    };
  }
  let p;
  try {
    p = parseAdminPair(text);
  } catch (e) {
    if (e instanceof WireError) {
      throw new WireError('text', `"${text}" is not a route distinguisher: ${e.message}`);
    }
    throw e;
  }
  switch (p.form) {
    case 'as2':
      return { hi: p.global, lo: p.local >>> 0 };
    case 'ipv4':
      return {
        hi: ((RD_TYPE_IPV4 << 16) | (p.global >>> 16)) >>> 0,
        lo: (((p.global & 0xffff) << 16) | p.local) >>> 0,
      };
    case 'as4':
      return {
        hi: ((RD_TYPE_AS4 << 16) | (p.global >>> 16)) >>> 0,
        lo: (((p.global & 0xffff) << 16) | p.local) >>> 0,
      };
    default: {
      const never: never = p.form;
      return never;
    }
  }
}
