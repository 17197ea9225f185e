// OPEN (RFC 4271 §4.2) with optional parameters in the base form and the RFC 9072 extended form.
// Structural problems are OPEN errors 2/0; semantic checks live in open-check.ts.

import { as2 } from './asn.js';
import { decodeCapabilities, encodeCapabilities } from './capabilities.js';
import { ERR_OPEN, WireError, notify } from './errors.js';
import { Reader } from './reader.js';
import type { Capability, OpenMessage, OptionalParameter } from './types.js';
import { Writer } from './writer.js';

export const BGP_VERSION = 4;
/** RFC 6793 §9: the 2-octet "My AS" stand-in for a 4-octet ASN (wire/asn.ts). */
export { AS_TRANS } from './asn.js';
export const PARAM_CAPABILITIES = 2;
/** RFC 9072 §2: the Non-Ext OP Type value that announces the extended form. */
export const PARAM_EXTENDED_LENGTH = 255;

function openError(why: string): WireError {
  return new WireError('open', `malformed OPEN: ${why}`, notify(ERR_OPEN, 0));
}

function decodeParam(type: number, buf: Buffer, start: number, end: number): OptionalParameter {
  if (type === PARAM_CAPABILITIES) {
    return { kind: 'capabilities', capabilities: decodeCapabilities(buf, start, end) };
  }
  return { kind: 'unknown', type, value: Uint8Array.prototype.slice.call(buf, start, end) };
}

/**
 * Decodes an OPEN body (buf[start..end) is everything after the header). Every length is checked
 * against what is there before anything is read (CVE-2022-40302, CVE-2022-43681): the optional
 * parameters must fill the body exactly. Throws WireError('open') with 2/0.
 */
export function decodeOpen(buf: Buffer, start: number, end: number): OpenMessage {
  try {
    const r = new Reader(buf, start, end);
    const version = r.u8();
    const myAs = r.u16();
    const holdTime = r.u16();
    const bgpId = r.u32();
    const optLen = r.u8();
    const params: OptionalParameter[] = [];
    // RFC 9072 §2: Non-Ext OP Len 255 followed by Non-Ext OP Type 255 announces the extended form.
    const extended = optLen === 255 && r.remaining > 0 && buf[r.pos] === PARAM_EXTENDED_LENGTH;
    if (extended) {
      r.skip(1);
      if (r.remaining < 2) throw openError('extended parameters length missing');
      const extLen = r.u16();
      if (extLen !== r.remaining) {
        throw openError(`extended parameters length ${extLen}, ${r.remaining} octets follow`);
      }
      while (r.remaining > 0) {
        // RFC 9072 §2: each parameter has a 1-octet type and a 2-octet length.
        if (r.remaining < 3) throw openError('extended parameter header truncated');
        const type = r.u8();
        const len = r.u16();
        if (len > r.remaining) throw openError(`parameter ${type} length ${len} runs past the end`);
        params.push(decodeParam(type, buf, r.pos, r.pos + len));
        r.skip(len);
      }
    } else {
      // RFC 4271 §4.2: the parameters take exactly Opt Parm Len octets, the rest of the message.
      if (optLen !== r.remaining) {
        throw openError(`optional parameters length ${optLen}, ${r.remaining} octets follow`);
      }
      while (r.remaining > 0) {
        if (r.remaining < 2) throw openError('parameter header truncated');
        const type = r.u8();
        const len = r.u8();
        if (len > r.remaining) throw openError(`parameter ${type} length ${len} runs past the end`);
        params.push(decodeParam(type, buf, r.pos, r.pos + len));
        r.skip(len);
      }
    }
    const open: OpenMessage = { type: 'open', version, myAs, holdTime, bgpId, params };
    return extended ? { ...open, extendedParams: true } : open;
  } catch (e) {
    if (e instanceof WireError && e.kind === 'truncated') throw openError(e.message);
    throw e;
  }
}

function paramType(p: OptionalParameter): number {
  switch (p.kind) {
    case 'capabilities':
      return PARAM_CAPABILITIES;
    case 'unknown':
      return p.type;
    default: {
      const never: never = p;
      return never;
    }
  }
}

function paramValue(p: OptionalParameter): Uint8Array {
  switch (p.kind) {
    case 'capabilities': {
      const w = new Writer(64);
      encodeCapabilities(w, p.capabilities);
      return w.view();
    }
    case 'unknown':
      return p.value;
    default: {
      const never: never = p;
      return never;
    }
  }
}

/**
 * Writes an OPEN body. The RFC 9072 extended form is used when `extendedParams` is set or when
 * the parameters do not fit the base form's 255 octets (RFC 9072 §2).
 */
export function encodeOpen(w: Writer, open: OpenMessage): void {
  w.u8(open.version).u16(open.myAs).u16(open.holdTime).u32(open.bgpId);
  const values = open.params.map((p) => ({ type: paramType(p), value: paramValue(p) }));
  const baseLen = values.reduce((n, v) => n + 2 + v.value.length, 0);
  const extended =
    open.extendedParams === true || baseLen > 255 || values.some((v) => v.value.length > 255);
  if (!extended) {
    w.u8(baseLen);
    for (const v of values) w.u8(v.type).u8(v.value.length).bytes(v.value);
    return;
  }
  const extLen = values.reduce((n, v) => n + 3 + v.value.length, 0);
  if (extLen > 0xffff) throw new WireError('open', `optional parameters of ${extLen} octets`);
  w.u8(255).u8(PARAM_EXTENDED_LENGTH).u16(extLen);
  for (const v of values) {
    if (v.value.length > 0xffff) throw new WireError('open', 'optional parameter too long');
    w.u8(v.type).u16(v.value.length).bytes(v.value);
  }
}

export interface OpenSpec {
  readonly asn: number;
  readonly holdTime: number;
  readonly bgpId: number;
  readonly capabilities: readonly Capability[];
  readonly extendedParams?: boolean;
}

/**
 * An OPEN from configuration: My AS is AS_TRANS when the ASN needs 4 octets (RFC 6793 §4.1), and
 * all capabilities go in one Capabilities parameter (RFC 5492 §4 allows either form).
 */
export function buildOpen(spec: OpenSpec): OpenMessage {
  const open: OpenMessage = {
    type: 'open',
    version: BGP_VERSION,
    myAs: as2(spec.asn),
    holdTime: spec.holdTime,
    bgpId: spec.bgpId >>> 0,
    params:
      spec.capabilities.length > 0
        ? [{ kind: 'capabilities', capabilities: spec.capabilities }]
        : [],
  };
  return spec.extendedParams === true ? { ...open, extendedParams: true } : open;
}
