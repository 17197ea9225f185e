// Fibonacci hashing, for the RIB's hashed columns (hash-slots.ts, v4-key-map.ts, sharded-map.ts):
// a 32-bit hash times 2^32 / phi, the product's top bits picking one of 2^bits slots. The top
// bits, since they depend on every bit of the hash: FNV's low bits (attr-hash.ts) and a prefix's
// depend on the inputs' low bits only.

/** The slot of a 32-bit hash among 2^(32 - shift) (the product's top 32 - shift bits). */
export function fibonacciSlot(hash: number, shift: number): number {
  return Math.imul(hash, 0x9e3779b1) >>> shift;
}
