// Capabilities (RFC 5492): one descriptor per known code, in a table. Unknown codes, and known
// codes whose value is not understood (but not malformed), are kept raw. A malformed value of a
// known capability is an OPEN error 2/0 naming the capability.

import { ERR_OPEN, WireError, notify } from './errors.js';
import { Reader } from './reader.js';
import {
  CAP_ADD_PATH,
  CAP_ENHANCED_ROUTE_REFRESH,
  CAP_EXTENDED_MESSAGE,
  CAP_EXTENDED_NEXT_HOP,
  CAP_FOUR_OCTET_AS,
  CAP_GRACEFUL_RESTART,
  CAP_HOSTNAME,
  CAP_LLGR,
  CAP_MULTIPROTOCOL,
  CAP_ROUTE_REFRESH,
} from './types.js';
import type { Capability } from './types.js';
import { Writer } from './writer.js';

export type CapabilityKind = Exclude<Capability['kind'], 'unknown'>;
export type CapabilityOf<K extends Capability['kind']> = Extract<Capability, { kind: K }>;

export interface CapabilityDescriptor<K extends CapabilityKind> {
  readonly code: number;
  readonly name: string;
  /**
   * Decodes the value (the reader spans exactly the value). Returns undefined when the value is
   * well formed but not understood (the capability is then kept raw, RFC 5492 §3); throws a
   * WireError (or runs the reader past its end) when it is malformed.
   */
  decode(r: Reader): CapabilityOf<K> | undefined;
  encode(w: Writer, cap: CapabilityOf<K>): void;
}

/** A malformed capability value: OPEN Message Error, Unspecific (RFC 5492 §3 leaves it to us). */
function malformed(name: string, why: string): WireError {
  return new WireError('open', `${name} capability: ${why}`, notify(ERR_OPEN, 0));
}

function exactLength(r: Reader, name: string, n: number): void {
  if (r.remaining !== n) throw malformed(name, `length ${r.remaining}, expected ${n}`);
}

function multipleOf(r: Reader, name: string, n: number): void {
  if (r.remaining % n !== 0)
    throw malformed(name, `length ${r.remaining} is not a multiple of ${n}`);
}

/** A capability whose value must be empty: anything else is not understood, kept raw. */
function flag<K extends 'route-refresh' | 'enhanced-route-refresh' | 'extended-message'>(
  code: number,
  name: string,
  kind: K,
): CapabilityDescriptor<K> {
  const value = Object.freeze({ kind }) as CapabilityOf<K>;
  return {
    code,
    name,
    decode: (r) => (r.remaining === 0 ? value : undefined),
    encode: () => {},
  };
}

const utf8 = new TextDecoder('utf-8');
const GR_RESTARTING = 0x80;
const GR_NOTIFICATION = 0x40;
const GR_FORWARDING = 0x80;

type Table = { readonly [K in CapabilityKind]: CapabilityDescriptor<K> };

export const CAPABILITIES: Table = {
  // RFC 4760 §8: AFI (2), reserved (1), SAFI (1).
  multiprotocol: {
    code: CAP_MULTIPROTOCOL,
    name: 'multiprotocol',
    decode(r) {
      exactLength(r, 'multiprotocol', 4);
      const afi = r.u16();
      r.skip(1);
      return { kind: 'multiprotocol', afi, safi: r.u8() };
    },
    encode(w, c) {
      w.u16(c.afi).u8(0).u8(c.safi);
    },
  },
  'route-refresh': flag(CAP_ROUTE_REFRESH, 'route refresh', 'route-refresh'), // RFC 2918 §2
  'enhanced-route-refresh': flag(
    CAP_ENHANCED_ROUTE_REFRESH,
    'enhanced route refresh',
    'enhanced-route-refresh',
  ), // RFC 7313 §3
  'extended-message': flag(CAP_EXTENDED_MESSAGE, 'extended message', 'extended-message'), // RFC 8654 §3
  // RFC 6793 §3: the 4-octet AS number.
  'four-octet-as': {
    code: CAP_FOUR_OCTET_AS,
    name: 'four-octet AS',
    decode(r) {
      exactLength(r, 'four-octet AS', 4);
      return { kind: 'four-octet-as', asn: r.u32() };
    },
    encode(w, c) {
      w.u32(c.asn);
    },
  },
  // RFC 4724 §3: flags (4 bits: R, N per RFC 8538 §2, 2 reserved) + restart time (12 bits), then
  // AFI (2), SAFI (1), flags (1, F bit) per family.
  'graceful-restart': {
    code: CAP_GRACEFUL_RESTART,
    name: 'graceful restart',
    decode(r) {
      if (r.remaining < 2) throw malformed('graceful restart', `truncated (${r.remaining} octets)`);
      if ((r.remaining - 2) % 4 !== 0) {
        throw malformed('graceful restart', `family entries of ${r.remaining - 2} octets`);
      }
      const head = r.u16();
      const families = [];
      while (r.remaining > 0) {
        const afi = r.u16();
        const safi = r.u8();
        families.push({ afi, safi, forwarding: (r.u8() & GR_FORWARDING) !== 0 });
      }
      return {
        kind: 'graceful-restart',
        restarting: ((head >> 8) & GR_RESTARTING) !== 0,
        notification: ((head >> 8) & GR_NOTIFICATION) !== 0,
        restartTime: head & 0x0fff,
        families,
      };
    },
    encode(w, c) {
      const flags = (c.restarting ? GR_RESTARTING : 0) | (c.notification ? GR_NOTIFICATION : 0);
      w.u16((flags << 8) | (c.restartTime & 0x0fff));
      for (const f of c.families)
        w.u16(f.afi)
          .u8(f.safi)
          .u8(f.forwarding ? GR_FORWARDING : 0);
    },
  },
  // RFC 9494 §3: AFI (2), SAFI (1), flags (1), long-lived stale time (3) per family.
  llgr: {
    code: CAP_LLGR,
    name: 'long-lived graceful restart',
    decode(r) {
      // CVE-2023-31489: a length that is not a multiple of 7 must not be read past.
      multipleOf(r, 'long-lived graceful restart', 7);
      const families = [];
      while (r.remaining > 0) {
        const afi = r.u16();
        const safi = r.u8();
        const flags = r.u8();
        families.push({ afi, safi, flags, staleTime: r.u24() });
      }
      return { kind: 'llgr', families };
    },
    encode(w, c) {
      for (const f of c.families) w.u16(f.afi).u8(f.safi).u8(f.flags).u24(f.staleTime);
    },
  },
  // RFC 7911 §4: AFI (2), SAFI (1), Send/Receive (1) per family.
  'add-path': {
    code: CAP_ADD_PATH,
    name: 'add-path',
    decode(r) {
      multipleOf(r, 'add-path', 4);
      const entries = [];
      while (r.remaining > 0) {
        const afi = r.u16();
        const safi = r.u8();
        const sendReceive = r.u8();
        // RFC 7911 §4: any other Send/Receive value: "the capability SHOULD be treated as not
        // understood and ignored".
        if (sendReceive < 1 || sendReceive > 3) return undefined;
        entries.push({ afi, safi, sendReceive });
      }
      return { kind: 'add-path', entries };
    },
    encode(w, c) {
      for (const e of c.entries) w.u16(e.afi).u8(e.safi).u8(e.sendReceive);
    },
  },
  // RFC 8950 §4: NLRI AFI (2), NLRI SAFI (2), Nexthop AFI (2) per entry.
  'extended-next-hop': {
    code: CAP_EXTENDED_NEXT_HOP,
    name: 'extended next hop',
    decode(r) {
      multipleOf(r, 'extended next hop', 6);
      const entries = [];
      while (r.remaining > 0) {
        const afi = r.u16();
        const safi = r.u16();
        entries.push({ afi, safi, nextHopAfi: r.u16() });
      }
      return { kind: 'extended-next-hop', entries };
    },
    encode(w, c) {
      for (const e of c.entries) w.u16(e.afi).u16(e.safi).u16(e.nextHopAfi);
    },
  },
  // draft-walton-bgp-hostname-capability §3: hostname length (1), hostname, domain length (1),
  // domain name. The lengths are checked against the value, never trusted.
  hostname: {
    code: CAP_HOSTNAME,
    name: 'hostname',
    decode(r) {
      if (r.remaining === 0) throw malformed('hostname', 'empty value');
      const hostLen = r.u8();
      if (hostLen > r.remaining) throw malformed('hostname', `hostname length ${hostLen} overruns`);
      const hostname = utf8.decode(r.bytes(hostLen));
      // A value that stops after the hostname carries no domain; keep it raw-exact (see below).
      if (r.remaining === 0) return { kind: 'hostname', hostname, domain: '' };
      const domLen = r.u8();
      if (domLen > r.remaining) throw malformed('hostname', `domain length ${domLen} overruns`);
      const domain = utf8.decode(r.bytes(domLen));
      r.skip(r.remaining);
      return { kind: 'hostname', hostname, domain };
    },
    encode(w, c) {
      const host = Buffer.from(c.hostname, 'utf8');
      const dom = Buffer.from(c.domain, 'utf8');
      if (host.length > 255 || dom.length > 255 || host.length + dom.length + 2 > 255) {
        throw new WireError('open', 'hostname capability: hostname and domain exceed 253 octets');
      }
      w.u8(host.length).bytes(host).u8(dom.length).bytes(dom);
    },
  },
};

const BY_CODE = new Map<number, CapabilityDescriptor<CapabilityKind>>(
  Object.values(CAPABILITIES).map((d) => [d.code, d as CapabilityDescriptor<CapabilityKind>]),
);

/**
 * Decoded capabilities whose wire form is not what the encoder would write (reserved bits set,
 * a hostname without a domain or with trailing octets, bytes that are not UTF-8): their original
 * value, so that encode(decode(x)) is byte-identical. Objects built by hand are not in here.
 */
const wireForm = new WeakMap<Capability, Uint8Array>();

export function capabilityCode(cap: Capability): number {
  return cap.kind === 'unknown' ? cap.code : CAPABILITIES[cap.kind].code;
}

export function capabilityName(code: number): string {
  return BY_CODE.get(code)?.name ?? `capability ${code}`;
}

function encodeValue(w: Writer, cap: Capability): void {
  const raw = wireForm.get(cap);
  if (raw !== undefined) {
    w.bytes(raw);
    return;
  }
  if (cap.kind === 'unknown') {
    w.bytes(cap.value);
    return;
  }
  const d = CAPABILITIES[cap.kind] as CapabilityDescriptor<typeof cap.kind>;
  d.encode(w, cap);
}

/** One capability TLV: code (1), length (1), value (RFC 5492 §4). */
export function encodeCapability(w: Writer, cap: Capability): void {
  w.u8(capabilityCode(cap));
  const at = w.reserve(1);
  encodeValue(w, cap);
  const len = w.pos - at - 1;
  if (len > 255) {
    throw new WireError('open', `${capabilityName(capabilityCode(cap))}: value of ${len} octets`);
  }
  w.patchU8(at, len);
}

export function encodeCapabilities(w: Writer, caps: readonly Capability[]): void {
  for (const c of caps) encodeCapability(w, c);
}

/** Whether the canonical encoding of cap is exactly `bytes`. */
function encodesTo(
  d: CapabilityDescriptor<CapabilityKind>,
  cap: Capability,
  bytes: Buffer,
): boolean {
  const w = new Writer(bytes.length + 8);
  try {
    d.encode(w, cap as never);
  } catch {
    // e.g. non-UTF-8 hostname octets that grow past 255 once replaced by U+FFFD
    return false;
  }
  return Buffer.compare(w.view(), bytes) === 0;
}

/** Decodes one capability value (code known, value = buf[start..end)). */
export function decodeCapability(
  code: number,
  buf: Buffer,
  start: number,
  end: number,
): Capability {
  const value = (): Uint8Array => Uint8Array.prototype.slice.call(buf, start, end);
  const d = BY_CODE.get(code);
  if (d === undefined) return { kind: 'unknown', code, value: value() };
  let cap: Capability | undefined;
  try {
    cap = d.decode(new Reader(buf, start, end));
  } catch (e) {
    if (e instanceof WireError && e.kind === 'truncated') throw malformed(d.name, e.message);
    throw e;
  }
  if (cap === undefined) return { kind: 'unknown', code, value: value() };
  if (!encodesTo(d, cap, buf.subarray(start, end))) wireForm.set(cap, value());
  return cap;
}

/**
 * Decodes the value of a Capabilities optional parameter (RFC 5492 §4): a sequence of TLVs.
 * A TLV running past the parameter is an OPEN error 2/0.
 */
export function decodeCapabilities(buf: Buffer, start: number, end: number): Capability[] {
  const caps: Capability[] = [];
  let pos = start;
  while (pos < end) {
    if (end - pos < 2) throw malformed('capabilities parameter', 'ends inside a capability header');
    const code = buf[pos]!;
    const len = buf[pos + 1]!;
    if (pos + 2 + len > end) {
      throw malformed(capabilityName(code), `length ${len} runs past the parameter`);
    }
    caps.push(decodeCapability(code, buf, pos + 2, pos + 2 + len));
    pos += 2 + len;
  }
  return caps;
}
