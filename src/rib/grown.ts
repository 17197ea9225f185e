// A typed column's growth, for the RIB's columnar structures (v4-key-map.ts, value-registry.ts,
// intern.ts): a new array of the same kind at the new length, the old entries copied in one go.

type Column = Uint8Array | Uint16Array | Uint32Array | Int32Array;

/** A copy of `a` at `length` entries (twice its own by default), the new ones zero. */
export function grown<T extends Column>(a: T, length = a.length * 2): T {
  const b = new (a.constructor as new (length: number) => T)(length);
  b.set(a);
  return b;
}
