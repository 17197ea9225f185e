// Small helpers shared by the attribute descriptors: length checks that raise AttrFault with the
// RFC 4271 §6.3 subcode, and fixed-size integer values.

import { AttrFault, UPD_ATTR_LENGTH, type ErrorAction } from '../errors.js';

export const EMPTY = new Uint8Array(0);

/** The attribute's value (of `length` octets) must be exactly n octets (RFC 4271 §6.3: Attribute Length Error). */
export function expectLength(length: number, n: number, name: string): void {
  if (length !== n) {
    throw new AttrFault(`${name}: length ${length}, expected ${n}`, UPD_ATTR_LENGTH);
  }
}

/** The value must be a non-empty whole number of `unit`-octet items (RFC 7606 §7.8, §7.10, §7.14). */
export function expectMultiple(length: number, unit: number, name: string): void {
  if (length === 0 || length % unit !== 0) {
    throw new AttrFault(
      `${name}: length ${length} is not a non-zero multiple of ${unit}`,
      UPD_ATTR_LENGTH,
    );
  }
}

/**
 * RFC 7606 §7.5, §7.9, §7.10: some attributes are meaningful only inside an AS; from an external
 * peer they are discarded whatever their contents. Subcode 0 (Unspecific, RFC 4271 §4.5): no
 * NOTIFICATION is ever sent for a discard.
 */
export function discardFromEbgp(ibgp: boolean | undefined, name: string): void {
  if (ibgp === false) {
    throw new AttrFault(`${name} from an external peer`, 0, 'attribute-discard' as ErrorAction);
  }
}

export function u32At(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

export function u16At(b: Uint8Array, at: number): number {
  return (b[at]! << 8) | b[at + 1]!;
}

/** A copy detached from the message buffer (decoded values outlive the frame). */
export function copyOf(b: Uint8Array): Uint8Array {
  // new Uint8Array(view) copies; slice() on a Buffer would return a Buffer.
  return new Uint8Array(b);
}
